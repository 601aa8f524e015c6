"""60 planners save a view at the same moment through gunicorn (4 workers): all 60 are kept, numbered 1..60.

Once on the default SQLite file, once on a real PostgreSQL cluster this test starts (initdb in a fresh
folder, a free loopback port) and removes again. Where PostgreSQL is not installed the PostgreSQL
cases skip and say why.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from views_wsgi import known_keys_only

from benchmarks.load import free_port, wait_ready
from conftest import ROOT
from layers.views_db import ViewsDB

pytestmark = pytest.mark.server
SAVES = 60
WORKERS = 4


# --- servers -------------------------------------------------------------------------
def start_views_server(db_url: str, port: int) -> subprocess.Popen:
    # --preload as in production: the database is opened before the fork, each worker reconnects
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--preload",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--pythonpath",
        str(ROOT),
        "tests.views_wsgi:app",
    ]
    env = dict(os.environ, PLANMAP_DB=db_url)
    env.pop("PLANMAP_PUBLIC", None)
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_views_ready(base: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    wait_ready(base, proc, seconds, path="/api/views")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(15)


class Postgres:
    """A throw-away PostgreSQL cluster on a free loopback port, run as the 'postgres' user when we are root."""

    def __init__(self):
        initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not initdbs:
            pytest.skip(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                "run scripts/ensure-system.sh"
            )
        self.bin = Path(initdbs[-1]).parent
        self.as_user: list[str] = []
        # a folder of our own under the system temp dir: pytest's tmp_path is root-only (0700)
        self.dir = Path(tempfile.mkdtemp(prefix="planmap-pg-"))
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.dir)
                pytest.skip(
                    "running as root and there is no 'postgres' user: PostgreSQL refuses to run as root"
                )
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.port = free_port()
        self.data = self.dir / "data"

    def run(self, *args):
        r = subprocess.run([*self.as_user, *map(str, args)], capture_output=True, text=True, timeout=120)
        if r.returncode:
            raise RuntimeError(f"{args[0]} failed: {r.stdout[-1000:]} {r.stderr[-1000:]}")

    def start(self) -> str:
        self.run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off -c max_connections=60"
        )
        self.run(self.bin / "pg_ctl", "-D", self.data, "-o", opts, "-l", self.dir / "log", "-w", "start")
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute("CREATE DATABASE planmap_views")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/planmap_views"

    def stop(self):
        try:
            if (self.data / "postmaster.pid").exists():
                self.run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_url():
    pg = Postgres()
    try:
        yield pg.start()
    finally:
        pg.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'views.sqlite3'}"
    url = request.getfixturevalue("postgres_url")
    ViewsDB(url)  # create the schema, then start each case empty
    import sqlalchemy as sa

    with sa.create_engine(url).begin() as conn:
        conn.exec_driver_sql("TRUNCATE views RESTART IDENTITY")
    return url


# --- the measurement ----------------------------------------------------------------
def save_all_at_once(base: str) -> tuple[list[int], float]:
    barrier = threading.Barrier(SAVES)
    statuses = [0] * SAVES

    def save(i):
        barrier.wait()
        r = requests.post(
            base + "/api/views",
            json={"name": f"规划视图 {i}", "query": f"?q=v{i}&industry=steel"},
            timeout=60,
        )
        statuses[i] = r.status_code

    threads = [threading.Thread(target=save, args=(i,)) for i in range(SAVES)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses, time.monotonic() - t0


def test_sixty_concurrent_saves_are_all_kept(db_url):
    port = free_port()
    proc = start_views_server(db_url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_views_ready(base, proc)
        statuses, seconds = save_all_at_once(base)
        listed = requests.get(base + "/api/views", timeout=10).json()["views"]
    finally:
        stop(proc)
    print(
        f"\n{db_url.split(':')[0]}: {statuses.count(201)}/{SAVES} saved (201), {len(listed)} kept, "
        f"{seconds:.2f} s for all"
    )
    assert statuses == [201] * SAVES
    assert len(listed) == SAVES
    assert sorted(v["position"] for v in listed) == list(range(1, SAVES + 1))
    assert {v["name"] for v in listed} == {f"规划视图 {i}" for i in range(SAVES)}
    # and the file/database holds them, not just one worker's memory
    assert len(ViewsDB(db_url).list_views()) == SAVES


def test_postgres_storage_behaves_like_sqlite(postgres_url):
    """The same operations on PostgreSQL: positions, undo with the old id, limits, migrations table, tour."""
    db = ViewsDB(postgres_url, validate_query=known_keys_only)
    assert db.schema_version() == 2
    for v in db.list_views():
        db.delete(v["id"])
    for n in "ABCD":
        db.create(n, f"?q={n}")
    ids = {v["name"]: v["id"] for v in db.list_views()}
    db.update(ids["D"], position=1)
    assert [v["name"] for v in db.list_views()] == list("DABC")
    gone = db.delete(ids["A"])
    back = db.restore(gone)
    assert back["id"] == ids["A"] and back["position"] == 2 and back["created"] == gone["created"]
    far = db.restore({"id": 10**6, "name": "远", "query": ""})
    assert far["id"] == 10**6
    assert db.create("after", "")["id"] > 10**6  # the id sequence moved past the restored id
    imported, _ = ViewsDB(postgres_url).import_tour(db.export_tour())
    assert [v["name"] for v in imported] == list("DABC") + ["远", "after"]
    assert [v["position"] for v in db.list_views()] == list(range(1, 13))
