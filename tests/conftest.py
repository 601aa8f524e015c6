"""Shared fixtures: the loaded store, a real server on 127.0.0.1, and a real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from hypothesis import settings

# examples are not kept between runs: no .hypothesis/ folder in the checkout
settings.register_profile("planmap", database=None)
settings.load_profile("planmap")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import free_port  # noqa: E402  (one helper for tests and benchmarks)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def views_data_folder(tmp_path_factory):
    """Saved views go to a throw-away folder: no test writes to the user's own database."""
    old = {
        k: os.environ.pop(k, None)
        for k in ("PLANMAP_DATA", "PLANMAP_DB", "PLANMAP_PUBLIC", "PLANMAP_EDIT_TOKEN")
    }
    os.environ["PLANMAP_DATA"] = str(tmp_path_factory.mktemp("planmap-data"))
    yield Path(os.environ["PLANMAP_DATA"])
    for k, v in old.items():
        os.environ.pop(k, None)
        if v is not None:
            os.environ[k] = v


@pytest.fixture(scope="session")
def store():
    from layers.store import get_store

    return get_store()


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60, log: Path | None = None) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            said = log.read_text(errors="replace") if log else proc.stderr.read().decode()
            raise RuntimeError(f"server exited with {proc.returncode}: {said[-2000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not answer in {seconds}s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`python app.py serve` on a free loopback port, as a user runs it, with its own saved views folder."""
    port = free_port()
    env = dict(os.environ, PLANMAP_DATA=str(tmp_path_factory.mktemp("live-views")))
    # the request log goes to a file: a pipe nobody reads fills up (64 KB, ~300 requests) and the server
    # then blocks on its next log line, so a long browser session stopped answering
    log = tmp_path_factory.mktemp("live-log") / "server.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "app.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/", proc, log=log)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page that records every host it asks anything of."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    pg = ctx.new_page()
    pg.hosts = set()
    pg.errors = []
    pg.on("request", lambda r: pg.hosts.add(r.url.split("/")[2]))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.base = live_server
    yield pg
    ctx.close()


def open_map(pg, query: str = "") -> None:
    """Open the page and wait until the map and its callbacks have settled."""
    pg.goto(pg.base + "/" + query)
    pg.wait_for_selector("#map .geo", timeout=30000)
    pg.wait_for_function(
        "document.querySelector('#summary') && document.querySelector('#summary').innerText.length > 0",
        timeout=30000,
    )
    wait_settled(pg)


def wait_settled(pg, timeout: int = 30000) -> None:
    """Until the map has been fitted to its real size (the page's last start-up patch, see assets/map.js)."""
    pg.wait_for_function(
        "() => { const gd = document.querySelector('#map .js-plotly-plot');"
        " return gd && gd.layout && String(gd.layout.uirevision || '').startsWith('zoom-'); }",
        timeout=timeout,
    )


def wait_for_points(pg, allowed_ids, timeout: int = 15000) -> None:
    """Until every mark the map draws is one of `allowed_ids` (a filter's patch has been applied)."""
    pg.wait_for_function(
        """(ids) => { const gd = document.querySelector('#map .js-plotly-plot'); const ok = new Set(ids);
        const pts = gd._fullData.filter(t => (t.uid || '').startsWith('points-'));
        const drawn = pts.flatMap(t => (t.customdata || []).map(c => c && c[0]));
        return drawn.length > 0 && drawn.every(i => ok.has(i)); }""",
        arg=sorted(allowed_ids),
        timeout=timeout,
    )


def map_data(pg, graph: str = "map") -> list:
    """The traces the browser is drawing (name, visible points), read from plotly's own state."""
    return pg.evaluate(f"""() => document.querySelector('#{graph} .js-plotly-plot')._fullData.map(t => ({{
        name: t.name, n: Array.from(t.locations || t.lon || []).filter(x => x !== null && !Number.isNaN(x)).length,
        showlegend: t.showlegend, ids: (t.customdata || []).map(c => c && c[0]).filter(Boolean)}}))""")
