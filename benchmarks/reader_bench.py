"""The reader (issue 17): opening the longest plan and jumping to a paragraph, beside a plain text page.

Server side: parse + highlight + render + serialise the longest plan (what the reader's callback
does the first time a plan is opened) against the same text as one html.Pre; and the paragraph
jump's server work (the section's elements for follow-the-text). Browser side (headless
Chromium): click a plan in the reader -> its text shown, then a contents link -> the paragraph
in view; against a page holding the plain text as one <pre>, scrolled to the same line.

    python -m benchmarks.reader_bench [--quick] [--no-browser]
"""

from __future__ import annotations

import argparse
import html as html_lib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def longest_plan(store) -> str:
    return max(store.dataset.plan_texts, key=lambda p: len(store.dataset.plan_texts[p]))


def server_side(record, n: int = 20) -> tuple[str, int]:
    from dash import html
    from plotly.io.json import to_json_plotly

    from callbacks.reader import plan_records, uncovered_mentions
    from layers.passages import for_display
    from layers.reader import (
        faint_spans,
        highlights,
        mark_runs,
        parse_plan,
        reader_html,
        section_elements,
        toc,
    )
    from layers.store import get_store

    store = get_store()
    plan = longest_plan(store)
    text = store.dataset.plan_texts[plan]
    records = plan_records(plan)
    mentions = uncovered_mentions()[plan]  # the gazetteer scan runs once per process, at first use
    names = {r["id"]: r["name"] for r in records}
    out = {}

    def ours():
        doc = parse_plan(text, plan)
        spans, faint = highlights(doc, records), faint_spans(doc, mentions)
        mark_runs(doc, spans, faint)
        out["json"] = to_json_plotly(list(reader_html(doc, spans, faint, names, "zh")))

    def plain():
        out["plain"] = to_json_plotly(html.Pre(for_display(text)))

    t_ours, t_plain = _ms(ours, n), _ms(plain, n)
    doc = parse_plan(text, plan)
    entries = toc(doc)
    target = entries[len(entries) * 3 // 4][0]  # a section three quarters into the plan
    t_jump = _ms(lambda: section_elements(doc, records, target), n)
    t_scan = _ms(
        lambda: __import__("layers.mentions", fromlist=["scan_dataset"]).scan_dataset(store.dataset), 3
    )
    record(
        "reader_open_server_ms",
        round(t_ours, 1),
        round(t_plain, 1),
        "ms",
        "≤ 1 s (with the browser)",
        note=f"plan {plan} ({len(text):,} chars): parse, highlight, render, serialise vs one html.Pre",
    )
    record(
        "reader_payload_kb",
        round(len(out["json"]) / 1024),
        round(len(out["plain"]) / 1024),
        "kB",
        "",
        note="JSON the callback sends (before gzip)",
    )
    record(
        "reader_jump_server_ms",
        round(t_jump, 2),
        None,
        "ms",
        "",
        note="the section's elements for follow-the-text (cached after the first time)",
    )
    record(
        "reader_mention_scan_ms",
        round(t_scan),
        None,
        "ms",
        "",
        note="uncovered place names, once per process",
    )
    return plan, target


PLAIN_PAGE = """<!doctype html><meta charset="utf-8"><title>plain</title>
<pre style="font-size:16px;line-height:1.7;white-space:pre-wrap;height:90vh;overflow:auto" id="box">{lines}</pre>"""


def browser_side(record, plan: str, target: int, runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.load import free_port
    from benchmarks.run import _start
    from layers.store import get_store
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    text = get_store().dataset.plan_texts[plan]
    lines = "\n".join(f'<span id="L{i}">{html_lib.escape(x)}</span>' for i, x in enumerate(text.split("\n")))
    port = free_port()
    server = _start([sys.executable, "app.py", "serve", "--port", str(port)], port)
    in_view = """(id) => { const el = document.getElementById(id); if (!el) return false;
        const box = el.closest('#reader-text') || document.getElementById('box');
        const b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
        return r.top >= b.top - 2 && r.top < b.bottom - 10; }"""
    opens, jumps, links, plains = [], [], [], []
    # timed inside the page (performance.now, until the next frame is painted): no driver overhead
    open_js = """async (plan) => { const t0 = performance.now();
        document.querySelectorAll('#reader button.reader-plan')[+plan].click();
        const frame = () => new Promise(r => requestAnimationFrame(r));
        const painted = () => document.querySelector(`#reader-text .reader-paragraphs[data-plan='${plan}']`);
        for (let i = 0; i < 1800 && !painted(); i++)
            await frame();
        await frame(); return performance.now() - t0; }"""
    jump_js = """async ([plan, n]) => { document.querySelector('#reader .reader-toc details').open = true;
        const frame = () => new Promise(r => requestAnimationFrame(r)); await frame();
        const t0 = performance.now();
        document.querySelector(`#reader a.toc-link[data-n='${n}']`).click();
        const el = document.getElementById(`p-${plan}-${n}`), box = document.getElementById('reader-text');
        const seen = () => { const b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
            return r.top >= b.top - 2 && r.top < b.bottom - 10; };
        for (let i = 0; i < 600 && !seen(); i++) await frame();
        await frame(); return performance.now() - t0; }"""
    plain_js = """async ([html, n]) => { const t0 = performance.now();
        document.body.innerHTML = html; document.getElementById('L' + n).scrollIntoView();
        await new Promise(r => requestAnimationFrame(r)); return performance.now() - t0; }"""
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1500, "height": 950})
                page = ctx.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector("#map .geo", timeout=60000)
                page.wait_for_timeout(1500)
                opens.append(page.evaluate(open_js, plan) / 1000)
                page.wait_for_timeout(800)
                jumps.append(page.evaluate(jump_js, [plan, target]) / 1000)
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/?reader={plan}:{target}")
                page.wait_for_function(in_view, arg=f"p-{plan}-{target}", timeout=60000)
                links.append(time.perf_counter() - t0)
                page.goto("about:blank")
                plains.append(page.evaluate(plain_js, [PLAIN_PAGE.format(lines=lines), target]) / 1000)
                ctx.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    med = statistics.median
    record(
        "reader_open_longest_plan_s",
        round(med(opens), 2),
        round(med(plains), 2),
        "s",
        "≤ 1 s",
        note=f"click plan {plan} in the reader -> its text painted; "
        "baseline: the text as one <pre>, scrolled to the line",
    )
    record(
        "reader_jump_ms",
        round(med(jumps) * 1000),
        None,
        "ms",
        "≤ 1 s",
        note="contents link -> the paragraph in view (reader open)",
    )
    record(
        "reader_link_open_s",
        round(med(links), 2),
        None,
        "s",
        "",
        note="a link ?reader=plan:paragraph -> the paragraph in view, whole page and map included",
    )


def run(record, quick: bool = False, browser: bool = True) -> None:
    plan, target = server_side(record, n=5 if quick else 20)
    if browser:
        browser_side(record, plan, target, runs=1 if quick else 3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import record

    run(record, args.quick, not args.no_browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
