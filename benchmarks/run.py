"""`make bench`: every figure of the dashboard beside a naive baseline, measured in the same run.

Prints a table and writes benchmarks/latest.json (one key per figure, ours and
the baseline's side by side, with the target). Numbers, not assertions: the
test suite never times anything. Loopback only; every loop is bounded.

    python -m benchmarks.run [--quick] [--only filter,compare,browser,snapshot,startup,scaling,reader]

`browser` (also `first_view`, `click`) runs the headless-Chromium figures: first view, filter click ->
map redrawn, marker click -> details.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "latest.json"
RESULTS: dict[str, dict] = {}


def record(key: str, ours, baseline, unit: str, target: str = "", note: str = "") -> None:
    ratio = (
        (baseline / ours)
        if isinstance(ours, (int, float)) and isinstance(baseline, (int, float)) and ours
        else None
    )
    RESULTS[key] = {
        "ours": ours,
        "baseline": baseline,
        "ratio": round(ratio, 1) if ratio else None,
        "unit": unit,
        "target": target,
        "note": note,
    }
    print(
        f"  {key:<38} ours {_fmt(ours):>10} {unit:<6} baseline {_fmt(baseline):>10}"
        f"{'  x' + format(ratio, '.1f') if ratio else '':>9}  {target}",
        flush=True,
    )


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.1f}" if v < 1000 else f"{v:,.0f}"
    return f"{v:,}"


def pct(values, p) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def to_json(obj) -> str:
    from plotly.io.json import to_json_plotly

    return to_json_plotly(obj)


# --- 1 and 6: filter change, and how it scales ----------------------------------------
def replicate(elements, times: int):
    import pandas as pd

    if times == 1:
        return elements
    copies = []
    for k in range(times):
        c = elements.copy()
        c["id"] = c["id"] + f"-copy{k}"
        copies.append(c)
    return pd.concat(copies, ignore_index=True).set_geometry("geometry")


def as_dash(fn, *args, triggered: str = "filters.data"):
    """Call a callback function as Dash does on one change: `triggered` is what fired."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": triggered, "value": None}]))
        return fn(*args)

    return copy_context().run(go)


def map_callback(params: dict, size=(1100, 800)):
    """The map's callback on a filter change, as Dash calls it, with its Patch serialised as Dash sends it."""
    from callbacks.map import update_map

    p = as_dash(update_map, params, None, ["labels", "context"], "all", list(size), "zh", None)
    return to_json(p.to_plotly_json())


def filter_change(times: int = 1, n: int = 120, n_naive: int = 40, label: str = "") -> None:
    from types import SimpleNamespace

    from benchmarks.dash_client import random_filters
    from benchmarks.naive import naive_figure
    from callbacks.map import patch_elements
    from layers.figure import MapOptions, prepare_map
    from layers.filters import filter_mask, filters_to_params, parse_filters
    from layers.store import get_store

    store = get_store()
    elements = replicate(store.elements, times)
    codes = [i["code"] for i in store.vocab.industries]
    rng = random.Random(7)
    combos = [parse_filters(random_filters(codes, rng), store.vocab)[0] for _ in range(n)]
    if times == 1:  # the callback itself, as Dash runs it

        def change(f):
            return map_callback(filters_to_params(f))
    else:  # the same patch over a larger elements table (prepared once, as start-up does)
        big = SimpleNamespace(map=prepare_map(elements, store.boundaries, store.vocab), vocab=store.vocab)

        def change(f):
            return to_json(patch_elements(big, filter_mask(elements, f), MapOptions()).to_plotly_json())

    ours_t, ours_b, ours_gz = [], [], []
    change(
        combos[0]
    )  # warm caches, and build the search index of this table (once per table, not per change)
    change(parse_filters({"q": "钢铁"}, store.vocab)[0])
    for f in combos:
        t0 = time.perf_counter()
        body = change(f)
        ours_t.append(time.perf_counter() - t0)
        ours_b.append(len(body))
        ours_gz.append(len(gzip.compress(body.encode())))
    naive_t, naive_b, naive_gz = [], [], []
    for f in combos[:n_naive]:
        t0 = time.perf_counter()
        body = naive_figure(elements, filter_mask(elements, f)).to_json()
        naive_t.append(time.perf_counter() - t0)
        naive_b.append(len(body))
        naive_gz.append(len(gzip.compress(body.encode())))
    sfx = f" ({times}x data)" if times > 1 else ""
    record(
        f"filter_change_p50_ms{label}",
        round(pct(ours_t, 50) * 1000, 1),
        round(pct(naive_t, 50) * 1000, 1),
        "ms",
    )
    record(
        f"filter_change_p95_ms{label}",
        round(pct(ours_t, 95) * 1000, 1),
        round(pct(naive_t, 95) * 1000, 1),
        "ms",
        "≤ 100 ms" if times == 100 else ("≤ 30 ms" if times == 1 else ""),
        note=f"{n} random combinations{sfx}; baseline over {min(n, n_naive)}",
    )
    if times == 1:
        record(
            "filter_change_kb_sent",
            round(statistics.mean(ours_b) / 1024, 1),
            round(statistics.mean(naive_b) / 1024, 1),
            "KB",
            "≤ 50 KB, ≥ 10x fewer than baseline",
            note="uncompressed JSON of the map update",
        )
        record(
            "filter_change_kb_sent_gzip",
            round(statistics.mean(ours_gz) / 1024, 1),
            round(statistics.mean(naive_gz) / 1024, 1),
            "KB",
            note="as sent with compression on (mean)",
        )
        record(
            "filter_change_kb_sent_gzip_max",
            round(max(ours_gz) / 1024, 1),
            round(max(naive_gz) / 1024, 1),
            "KB",
            note="the largest change (close to everything shown)",
        )
        linked = []
        from callbacks.table import update_linked_views

        for f in combos[:40]:
            from layers.filters import filters_to_params

            t0 = time.perf_counter()
            to_json(list(update_linked_views(filters_to_params(f), None, "zh")))
            linked.append(time.perf_counter() - t0)
        record(
            "linked_views_p95_ms",
            round(pct(linked, 95) * 1000, 1),
            None,
            "ms",
            note="table rows and the two charts, a second callback per change (no baseline: same code)",
        )


# --- the comparison: one difference patch per filter change vs two whole figures ---------------
def compare_change(n: int = 60, n_naive: int = 10) -> None:
    from benchmarks.dash_client import random_filters
    from callbacks.compare import update_compare
    from layers.figure import MapOptions, build_figure
    from layers.filters import filter_mask, parse_filters, with_period
    from layers.store import get_store

    store = get_store()
    codes = [i["code"] for i in store.vocab.industries]
    rng = random.Random(11)
    combos = [{}] + [random_filters(codes, rng) for _ in range(n - 1)]  # {} first: the largest change
    pair = "2011-2015|2016-2020"

    sizes, gz, times = [], [], []
    for params in combos:
        t0 = time.perf_counter()
        out = as_dash(update_compare, pair, params, "all", None, "zh")
        body = to_json(out["figure"].to_plotly_json()).encode()
        times.append(time.perf_counter() - t0)
        sizes.append(len(body))
        gz.append(len(gzip.compress(body)))
    naive = []
    for params in combos[:n_naive]:  # what the side-by-side comparison sent: two whole figures
        f = parse_filters(params, store.vocab)[0]
        naive.append(
            sum(
                len(
                    build_figure(
                        store.map, filter_mask(store.elements, with_period(f, p)), MapOptions(height=520)
                    )
                    .to_json()
                    .encode()
                )
                for p in pair.split("|")
            )
        )
    record(
        "compare_change_kb_sent",
        round(statistics.mean(sizes) / 1024, 1),
        round(statistics.mean(naive) / 1024, 1),
        "KB",
        "≤ 100 KB",
        note=f"difference patch, {pair}, {n} random filter sets (UTF-8 JSON); "
        "baseline: the two side-by-side figures it replaced",
    )
    record(
        "compare_change_kb_sent_max",
        round(max(sizes) / 1024, 1),
        round(max(naive) / 1024, 1),
        "KB",
        "≤ 100 KB",
        note="the largest change (no filters)",
    )
    record(
        "compare_change_kb_sent_gzip",
        round(statistics.mean(gz) / 1024, 1),
        None,
        "KB",
        note="compressed (mean)",
    )
    record(
        "compare_change_p95_ms",
        round(pct(times, 95) * 1000, 1),
        None,
        "ms",
        note="difference, patch and counts table per filter change",
    )


# --- 2 and 3: first view and click to detail, in headless Chromium ----------------------
def _start(cmd: list[str], port: int):
    import requests

    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server {' '.join(cmd)} did not start")


MARKER_JS = """(id) => {
    // the drawn marker of element `id`: match plotly's data to its rendered SVG point, centre of its box
    const gd = document.querySelector('#map .js-plotly-plot');
    for (const t of gd._fullData) {  // the marks themselves, not their labels
      if (t.type !== 'scattergeo' || !t.customdata || !(t.uid || '').startsWith('points-')) continue;
      const i = Array.from(t.customdata).findIndex(c => c === id || (c && c[0] === id));
      if (i < 0) continue;
      for (const el of gd.querySelectorAll('.scattergeo .point')) {
        const d = el.__data__;
        if (d && d.lonlat && Math.abs(d.lonlat[0] - t.lon[i]) < 1e-6 && Math.abs(d.lonlat[1] - t.lat[i]) < 1e-6) {
          const r = el.getBoundingClientRect();
          return {x: r.left + r.width / 2, y: r.top + r.height / 2};
        }
      }
    }
    return null; }"""


def resource_name(url: str) -> str:
    """A resource's name without host, query and Dash's version stamp (callbacks: their output)."""
    import re

    path = url.split("?")[0].split("/", 3)[-1]
    return re.sub(r"\.v\d[\w]*?m\d+(\.\d+)*", "", path)


def first_view(browser, port: int) -> tuple[float, int, dict]:
    """One cold first view: seconds to all prefectures drawn, bytes on the wire, bytes by resource."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 950})
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    t0 = time.perf_counter()
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_function(
        "document.querySelectorAll('#map .choroplethlocation').length >= 29", timeout=60000
    )
    drawn = time.perf_counter() - t0
    page.wait_for_timeout(1500)  # let the remaining callbacks finish before counting bytes
    by: dict[str, int] = {}
    for rid, n in list(sizes.items()):
        name = resource_name(urls.get(rid, "?"))
        by[name] = by.get(name, 0) + n
    ctx.close()
    return drawn, sum(by.values()), by


def interactions(browser, ports: dict, actions: int, warm: int = 2) -> dict:
    """Filter clicks and marker clicks, timed in the page, one action on each app in turn."""
    from benchmarks.browser_bench import POINTS_JS, filter_click_ms, marker_click_ms, pick_markers, settle
    from layers.store import get_store

    store = get_store()
    quotes = dict(zip(store.elements["id"], store.elements["quote"]))
    w, h = 1500, 950
    pages = {}
    for name, port in ports.items():
        page = browser.new_context(viewport={"width": w, "height": h}).new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function(
            "document.querySelectorAll('#map .choroplethlocation').length >= 29", timeout=60000
        )
        settle(page, 1500)
        # the markers to click, chosen on the unfiltered map (the filter loop below ends unfiltered)
        pages[name] = (page, pick_markers(page.evaluate(POINTS_JS), quotes, actions + warm, w, h))
    out = {name: {"filter": [], "marker": [], "missed": 0} for name in ports}
    n_filter = warm + actions + (warm + actions) % 2  # even: every app ends with the industry deselected
    for i in range(n_filter):
        for name, (page, _) in pages.items():
            ms = filter_click_ms(page)
            settle(page)
            if ms is None:
                out[name]["missed"] += 1
            elif i >= warm:
                out[name]["filter"].append(ms)
    for page, _ in pages.values():
        page.keyboard.press("Escape")  # close the dropdown before clicking marks
        settle(page)
    for i in range(warm + actions):
        for name, (page, ids) in pages.items():
            if i >= len(ids):
                continue
            ms = marker_click_ms(page, ids[i])
            settle(page)
            if ms is None:
                out[name]["missed"] += 1
            elif i >= warm:
                out[name]["marker"].append(ms)
    for page, _ in pages.values():
        page.context.close()
    return out


def browser_views(runs: int = 3, actions: int = 20) -> None:
    """First view (bytes by resource, time to drawn) and the two clicks, ours and the baseline together."""
    from playwright.sync_api import sync_playwright

    from benchmarks.load import free_port
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    ports = {"ours": free_port(), "naive": free_port()}
    servers = [
        _start([sys.executable, "app.py", "serve", "--port", str(ports["ours"])], ports["ours"]),
        _start([sys.executable, "-m", "benchmarks.naive", str(ports["naive"])], ports["naive"]),
    ]
    views, acts = {}, {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for name, port in ports.items():
                views[name] = [first_view(browser, port) for _ in range(runs)]
            acts = interactions(browser, ports, actions)
            browser.close()
    finally:
        for s in servers:
            s.terminate()

    def med(name, k):
        return statistics.median(v[k] for v in views[name])

    o_mb, n_mb = med("ours", 1) / 1e6, med("naive", 1) / 1e6
    record(
        "first_view_mb",
        round(o_mb, 2),
        round(n_mb, 2),
        "MB",
        "≤ 1.5 MB",
        note="bytes on the wire for the first page, cache off, median of runs",
    )
    by = views["ours"][0][2]
    RESULTS["first_view_by_resource_kb"] = {
        "ours": {k: round(v / 1000) for k, v in sorted(by.items(), key=lambda kv: -kv[1]) if v >= 5000},
        "note": "first run, resources of 5 KB or more (callbacks summed under _dash-update-component)",
    }
    print(
        "    by resource (KB):",
        ", ".join(f"{k} {v}" for k, v in RESULTS["first_view_by_resource_kb"]["ours"].items()),
    )
    record(
        "first_view_map_drawn_s",
        round(med("ours", 0), 2),
        round(med("naive", 0), 2),
        "s",
        "≤ 2 s",
        note="navigation to all prefectures drawn",
    )
    for key, what, note in (
        (
            "filter",
            "filter_click_to_map_redrawn",
            "industry option clicked (select/deselect 钢铁) -> "
            "next plotly_afterplot showing other marks; both apps through the same industry dropdown",
        ),
        (
            "marker",
            "marker_click_to_details",
            "mousedown on a marker -> a new quote highlighted in #details; a different marker each click",
        ),
    ):
        o, n = acts["ours"][key], acts["naive"][key]
        for p in (50, 95):
            record(
                f"{what}_p{p}_ms",
                round(pct(o, p)) if o else None,
                round(pct(n, p)) if n else None,
                "ms",
                "≤ 300 ms p50" if p == 50 else "",
                note=f"{note}; in-page performance.now(); {len(o)} ours / {len(n)} baseline after warm-up"
                + (
                    f"; missed: ours {acts['ours']['missed']}, baseline {acts['naive']['missed']}"
                    if p == 95
                    else ""
                ),
            )


# --- 4: snapshots --------------------------------------------------------------------
def snapshots() -> None:
    """Warm renderer vs a Chromium per file, the batch of ten, page sizes: see benchmarks/export_bench.py."""
    from benchmarks.export_bench import run

    run(record)


# --- 5: start-up and memory ---------------------------------------------------------------
STARTUP = """
import time, random, json, sys
t0 = time.perf_counter()
{build}
t1 = time.perf_counter()
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024
r0 = rss()
from benchmarks.dash_client import random_filters
from layers.filters import parse_filters, filter_mask
from layers.store import get_store
store = get_store()
codes = [i['code'] for i in store.vocab.industries]
rng = random.Random(3)
for i in range({n}):
    f = parse_filters(random_filters(codes, rng), store.vocab)[0]
    {change}
    if i == 99: r100 = rss()
print(json.dumps({{"startup_s": t1 - t0, "rss_mb": r0, "rss_after_100_mb": r100, "rss_after_mb": rss()}}))
"""


def startup_memory(n_ours: int = 1000, n_naive: int = 200) -> None:
    ours = STARTUP.format(
        build="import app; app.create_app()",  # the store loads in create_app, as a worker starts
        n=n_ours,
        change=(
            "from benchmarks.run import map_callback; from layers.filters import filters_to_params; "
            "map_callback(filters_to_params(f))"
        ),
    )
    naive = STARTUP.format(
        build="from benchmarks.naive import naive_app, fine_prefectures; naive_app(); fine_prefectures()",
        n=n_naive,
        change="from benchmarks.naive import naive_figure; "
        "naive_figure(store.elements, filter_mask(store.elements, f)).to_json()",
    )
    res = {}
    for name, code in (("ours", ours), ("naive", naive)):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=1800
        )
        res[name] = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else None
        if out.returncode:
            print(out.stderr[-1500:])
    o, n = res["ours"], res["naive"]
    record(
        "startup_s",
        round(o["startup_s"], 2),
        round(n["startup_s"], 2),
        "s",
        "≤ 3 s",
        note="import and build the app",
    )
    record(
        "worker_rss_mb",
        round(o["rss_mb"]),
        round(n["rss_mb"]),
        "MB",
        "≤ 300 MB",
        note="resident after start-up",
    )
    record(
        "rss_growth_mb",
        round(o["rss_after_mb"] - o["rss_after_100_mb"], 1),
        round(n["rss_after_mb"] - n["rss_after_100_mb"], 1),
        "MB",
        "no growth",
        note=f"from change 100 to change {n_ours} (baseline: to {n_naive})",
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="dashboard benchmarks against a naive baseline")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    ap.add_argument("--only", default="filter,compare,scaling,browser,snapshot,startup,reader")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    q = args.quick
    sys.path.insert(0, str(ROOT))
    print(f"{'figure':<40} {'ours':>15} {'baseline':>19} {'ratio':>8}  target")
    if "filter" in only:
        filter_change(1, n=40 if q else 200, n_naive=10 if q else 40)
    if "compare" in only:
        compare_change(20 if q else 60, 3 if q else 10)
    if "scaling" in only:
        filter_change(10, n=20 if q else 60, n_naive=3 if q else 10, label="_10x")
        filter_change(100, n=10 if q else 40, n_naive=1 if q else 3, label="_100x")
    if only & {"browser", "first_view", "click"}:
        browser_views(runs=1 if q else 3, actions=6 if q else 20)
    if "snapshot" in only:
        snapshots()
    if "startup" in only:
        startup_memory(200 if q else 1000, 30 if q else 200)
    if "reader" in only:
        from benchmarks.reader_bench import run as reader_run

        reader_run(record, q)
    previous = json.loads(OUT.read_text()) if OUT.exists() else {}
    previous.update(RESULTS)
    OUT.write_text(json.dumps(previous, indent=1, ensure_ascii=False))
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
