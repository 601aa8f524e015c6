"""Load test: the production server on 127.0.0.1 under many simulated planners.

    python -m benchmarks.load [--workers 4] [--users 16] [--writers 4] [--seconds 30] [--kill-worker-at 10]

Starts gunicorn (loopback only, its saved views in a throw-away folder), runs `users` threads for
a bounded time, each opening a link, changing filters and downloading CSV, and `writers` threads
saving views through /api/views (POST, some DELETEs of their own views, list reads), then prints
requests, errors and latency percentiles, and stops the server. Lost writes: the views the database
holds at the end against the saves answered 201 minus the deletes answered 200 (must be 0).
With --kill-worker-at N,
one worker is SIGKILLed N seconds in; gunicorn replaces it and the report says
how many requests failed around it. Exit status 1 when errors exceed --max-errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from benchmarks.dash_client import DashClient, page_query, random_filters

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(workers: int, port: int, data_dir: str | None = None) -> subprocess.Popen:
    """gunicorn on loopback; its saved views in `data_dir` (never the user's own database)."""
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--preload",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "app:create_server()",
    ]
    env = dict(os.environ, PLANMAP_DATA=data_dir or tempfile.mkdtemp(prefix="planmap-load-"))
    env.pop("PLANMAP_DB", None)
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_ready(
    base: str, proc: subprocess.Popen, seconds: float = 90, path: str = "/_dash-dependencies"
) -> None:
    """Until `path` answers 200; the server's own last words if it exits first."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + proc.stderr.read().decode()[-2000:])
        try:
            if requests.get(base + path, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server did not become ready ({path})")


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


WRITE_QUERIES = [
    "?industry=steel",
    "?province=henan",
    "?plan=000&kind=belt",
    "?min_revenue=1000&no_target=hide",
    "?industry=steel&view=唐山市",
    "?q=桥头堡",
    "?period=2016-2020&province=hebei",
]


def view_writer(base: str, n: int, stop_at: float, record, seed: int = 1) -> None:
    """A presenter saving views: save, now and then delete one of their own, read the list; paced."""
    rng = random.Random(seed * 7919 + n)
    http = requests.Session()
    mine: list[int] = []
    while time.time() < stop_at:
        try:
            if mine and (rng.random() < 0.6 or len(mine) > 40):
                view_id = mine.pop(rng.randrange(len(mine)))
                t0 = time.perf_counter()
                r = http.delete(f"{base}/api/views/{view_id}", timeout=30)
                record("delete", r.status_code, time.perf_counter() - t0, 200)
            else:
                body = {
                    "name": f"负载 {n}-{rng.randrange(10**6)}",
                    "query": rng.choice(WRITE_QUERIES),
                    "note": "load test",
                }
                t0 = time.perf_counter()
                r = http.post(f"{base}/api/views", json=body, timeout=30)
                record("save", r.status_code, time.perf_counter() - t0, 201)
                if r.status_code == 201:
                    mine.append(r.json()["id"])
            if rng.random() < 0.3:
                t0 = time.perf_counter()
                r = http.get(f"{base}/api/views", timeout=30)
                record("list", r.status_code, time.perf_counter() - t0, 200)
        except requests.RequestException as e:
            record("error", type(e).__name__, 0.0, None)
        time.sleep(rng.uniform(0.05, 0.15))


def count_views(base: str) -> int:
    return len(requests.get(f"{base}/api/views", timeout=30).json()["views"])


def run_load(base: str, users: int, seconds: float, seed: int = 1, kill=None, writers: int = 0) -> dict:
    from layers.store import get_store

    codes = [i["code"] for i in get_store().vocab.industries]
    latencies: list[float] = []
    errors: list[str] = []
    counts = {"requests": 0}
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def user(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = DashClient(base)
        while time.time() < stop_at:
            f = random_filters(codes, rng)
            try:
                results = []
                if rng.random() < 0.15:
                    results.append(client.open_page(page_query(f)))
                results += client.change_filters(f)
                if rng.random() < 0.1:
                    results.append(client.download_csv(f))
            except requests.RequestException as e:
                with lock:
                    counts["requests"] += 1
                    errors.append(type(e).__name__)
                continue
            with lock:
                for status, _size, dt in results:
                    counts["requests"] += 1
                    latencies.append(dt)
                    if status != 200:
                        errors.append(f"HTTP {status}")

    writes = {"save": 0, "delete": 0, "list": 0}
    write_latencies: list[float] = []

    def record(kind: str, status, dt: float, ok) -> None:
        with lock:
            counts["requests"] += 1
            if status != ok:
                errors.append(f"{kind} {status}" if kind != "error" else str(status))
                return
            writes[kind] += 1
            (write_latencies if kind != "list" else latencies).append(dt)

    views_before = count_views(base) if writers else 0
    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    threads += [
        threading.Thread(target=view_writer, args=(base, i, stop_at, record, seed), daemon=True)
        for i in range(writers)
    ]
    for t in threads:
        t.start()
    if kill:
        kill()
    for t in threads:
        t.join(seconds + 60)
    report = {
        "requests": counts["requests"],
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "seconds": seconds,
        "rps": round(counts["requests"] / seconds, 1),
    }
    if writers:
        after = count_views(base)
        expected = views_before + writes["save"] - writes["delete"]
        report.update(
            writers=writers,
            saves_201=writes["save"],
            deletes_200=writes["delete"],
            view_lists=writes["list"],
            views_before=views_before,
            views_after=after,
            lost_writes=expected - after,
            write_p50_ms=round(percentile(write_latencies, 50) * 1000, 1),
            write_p95_ms=round(percentile(write_latencies, 95) * 1000, 1),
            write_p99_ms=round(percentile(write_latencies, 99) * 1000, 1),
        )
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--users", type=int, default=16)
    ap.add_argument(
        "--writers", type=int, default=4, help="threads saving and deleting views (0: readers only)"
    )
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--kill-worker-at", type=float, default=None)
    ap.add_argument("--max-errors", type=int, default=0)
    args = ap.parse_args(argv)
    if not (
        1 <= args.workers <= 16
        and 1 <= args.users <= 200
        and 0 <= args.writers <= 50
        and 1 <= args.seconds <= 600
    ):
        print("error: workers 1-16, users 1-200, writers 0-50, seconds 1-600", file=sys.stderr)
        return 2
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    data_dir = tempfile.TemporaryDirectory(prefix="planmap-load-")
    proc = start_gunicorn(args.workers, port, data_dir.name)
    killed = []
    try:
        wait_ready(base, proc)

        def kill():
            if args.kill_worker_at is None:
                return

            def later():
                time.sleep(args.kill_worker_at)
                pids = worker_pids(proc.pid)
                if pids:
                    os.kill(pids[0], signal.SIGKILL)
                    killed.append(pids[0])

            threading.Thread(target=later, daemon=True).start()

        report = run_load(base, args.users, args.seconds, kill=kill, writers=args.writers)
        report.update(
            workers=args.workers,
            users=args.users,
            killed_worker=killed[0] if killed else None,
            workers_after=len(worker_pids(proc.pid)),
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
        data_dir.cleanup()
    print(json.dumps(report, ensure_ascii=False))
    print(
        f"{report['requests']} requests in {args.seconds:g}s ({report['rps']}/s) by {args.users} users on "
        f"{args.workers} workers: {report['errors']} errors; latency p50 {report['p50_ms']} ms, "
        f"p95 {report['p95_ms']} ms, p99 {report['p99_ms']} ms"
    )
    if args.writers:
        print(
            f"{args.writers} view writers: {report['saves_201']} saves (201), {report['deletes_200']} deletes (200), "
            f"{report['view_lists']} list reads; views {report['views_before']} -> {report['views_after']}: "
            f"{report['lost_writes']} lost writes; write latency p50 {report['write_p50_ms']} ms, "
            f"p95 {report['write_p95_ms']} ms, p99 {report['write_p99_ms']} ms"
        )
    return 1 if report["errors"] > args.max_errors or report.get("lost_writes", 0) != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
