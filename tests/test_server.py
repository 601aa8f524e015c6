"""The production server: headers, bad requests, load, a killed worker, broken data files."""

import json
import shutil
import subprocess
import sys

import pytest
import requests

from benchmarks.load import free_port, run_load, start_gunicorn, wait_ready, worker_pids
from conftest import ROOT

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def prod():
    port = free_port()
    proc = start_gunicorn(2, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc)
        yield base, proc
    finally:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)


def test_security_headers_and_no_dev_tools(prod):
    base, _ = prod
    r = requests.get(base + "/", timeout=10)
    assert r.status_code == 200
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert "_dash-dev-tools" not in r.text and '"ui": false' in r.text.replace('"ui":false', '"ui": false')


@pytest.mark.parametrize(
    "path",
    [
        "/assets/../app.py",
        "/assets/%2e%2e/app.py",
        "/../../etc/passwd",
        "/_dash-component-suites/../../app.py",
    ],
)
def test_no_path_reaches_the_file_system(prod, path):
    r = requests.get(prod[0] + path, timeout=10)
    # unknown paths get the page itself (Dash routes client-side) or a 404; never a file's content
    assert r.status_code in (200, 400, 404) and "def create_app" not in r.text and "root:" not in r.text


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "{}",
        json.dumps({"output": "map.figure"}),
        "[]",
        json.dumps(
            {
                "output": "nope.children",
                "outputs": {"id": "nope", "property": "children"},
                "inputs": [],
                "changedPropIds": [],
            }
        ),
    ],
)
def test_malformed_callback_requests_are_not_500(prod, body):
    r = requests.post(
        prod[0] + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert r.status_code < 500 and "Traceback" not in r.text


def test_junk_values_in_real_callbacks_answer_200(prod):
    from benchmarks.dash_client import DashClient

    c = DashClient(prod[0])
    for filters in (
        {"industry": "<script>alert(1)</script>"},
        {"min_revenue": "1e309"},
        {"q": "' OR 1=1 --"},
        {"period": "９９９９"},
        {"industry": ["x" * 10000]},
        "not a dict",
        None,
    ):
        for status, _, _ in c.change_filters(filters):
            assert status == 200, filters
    status, _, _ = c.open_page("?industry=%ZZ&sel=../../etc/passwd&view=1,2")
    assert status == 200


def test_load_has_zero_errors(prod):
    report = run_load(prod[0], users=4, seconds=6)
    assert report["requests"] > 20 and report["errors"] == 0, report


def test_killed_worker_is_replaced(prod):
    import os
    import signal
    import threading
    import time

    base, proc = prod
    before = worker_pids(proc.pid)

    def kill():
        def later():
            time.sleep(1.5)
            os.kill(worker_pids(proc.pid)[0], signal.SIGKILL)

        threading.Thread(target=later, daemon=True).start()

    report = run_load(base, users=3, seconds=6, kill=kill)
    assert report["errors"] <= 3, report  # at most the requests in flight in the killed worker
    deadline = time.time() + 20
    while time.time() < deadline and len(worker_pids(proc.pid)) < len(before):
        time.sleep(0.3)
    assert len(worker_pids(proc.pid)) == len(before)
    assert run_load(base, users=2, seconds=2)["errors"] == 0


@pytest.fixture
def app_copy(tmp_path):
    """A copy of the app to break without touching the checkout."""
    for name in ("app.py", "layers", "callbacks", "geodata", "assets"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    "path, content, message",
    [
        ("geodata/records/002.yaml", "records: [unclosed", "002.yaml"),
        ("geodata/boundaries/prefectures.geojson", "{broken", "prefectures.geojson"),
    ],
)
def test_broken_data_file_stops_with_its_name(app_copy, path, content, message):
    (app_copy / path).write_text(content, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "app.py", "export-data", "--out", "x.csv"],
        cwd=app_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_missing_data_file_stops_with_its_name(app_copy):
    (app_copy / "geodata/boundaries/counties.geojson").unlink()
    r = subprocess.run(
        [sys.executable, "app.py", "export-data", "--out", "x.csv"],
        cwd=app_copy,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "counties.geojson" in r.stderr
