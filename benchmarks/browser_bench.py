"""Browser-side figures: a filter click until the map is redrawn, a marker click until its quote shows.

Timed inside the page with performance.now(): the start is the user's mousedown (a capture listener on
the document, before any handler of the page), the end is the map's next `plotly_afterplot` that shows
a different set of marks, or the MutationObserver on #details seeing a new highlighted quote. So the
figures are what the browser saw, not Playwright's round-trips. Ours and the naive baseline are driven
in turn (one action on each, then the next), so a busy moment of the machine falls on both alike.
"""

from __future__ import annotations

import random

# once per page (idempotent): the start and end hooks. `arm` starts a measurement at the next mousedown.
HOOKS_JS = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const marks = () => gd.querySelectorAll('.scattergeo .point').length;
    window.__bench = window.__bench || {};
    if (!gd.__benchHooked) {
      gd.__benchHooked = true;
      gd.on('plotly_afterplot', () => {  // the redraw that shows the change, not any other repaint
        const b = window.__bench;
        if (b.t0 != null && b.drawn == null && marks() !== b.marksBefore) b.drawn = performance.now();
      });
    }
    if (!window.__benchDown) {
      window.__benchDown = true;
      document.addEventListener('mousedown', () => {
        const b = window.__bench;
        if (b.armed) { b.armed = false; b.t0 = performance.now(); }
      }, true);
    }
    return true; }"""

ARM_FILTER_JS = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    window.__bench = {armed: true, marksBefore: gd.querySelectorAll('.scattergeo .point').length};
    return window.__bench.marksBefore; }"""

ARM_DETAILS_JS = """() => {
    const box = document.getElementById('details');
    const quote = () => { const m = box.querySelector('mark'); return m ? m.textContent : null; };
    const before = quote();
    const b = window.__bench = {armed: true};
    const obs = new MutationObserver(() => {
      const q = quote();
      if (b.t0 != null && q && q !== before) { b.shown = performance.now(); obs.disconnect(); }
    });
    obs.observe(box, {childList: true, subtree: true, characterData: true});
    return before; }"""

# every drawn point marker with its element id and screen centre (ours: the `points-` traces, not labels;
# the baseline's plotly express traces carry the id as their first custom datum)
POINTS_JS = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const ours = gd._fullData.some(t => (t.uid || '').startsWith('points-'));
    const byPlace = new Map();
    for (const t of gd._fullData) {
      if (t.type !== 'scattergeo' || !t.customdata || !t.lon) continue;
      if (ours && !(t.uid || '').startsWith('points-')) continue;
      Array.from(t.customdata).forEach((c, i) => {
        const id = Array.isArray(c) ? c[0] : c;
        if (typeof id === 'string') byPlace.set(t.lon[i].toFixed(6) + ',' + t.lat[i].toFixed(6), id);
      });
    }
    const out = [];
    for (const el of gd.querySelectorAll('.scattergeo .point')) {
      const d = el.__data__;
      if (!d || !d.lonlat) continue;
      const id = byPlace.get(d.lonlat[0].toFixed(6) + ',' + d.lonlat[1].toFixed(6));
      const r = el.getBoundingClientRect();
      if (id && r.width > 0) out.push({id, x: r.left + r.width / 2, y: r.top + r.height / 2});
    }
    return out; }"""


def pick_markers(
    points: list[dict], quotes: dict, n: int, width: int, height: int, seed: int = 5
) -> list[str]:
    """n element ids whose markers stand alone (no other marker within 16 px, or 13, 10 if too few do)
    and whose quotes differ, so each click selects exactly that element and shows a new quote."""
    inside = [p for p in points if 40 < p["x"] < width - 40 and 40 < p["y"] < height - 40]

    def nearest(p):
        return min(
            ((p["x"] - o["x"]) ** 2 + (p["y"] - o["y"]) ** 2 for o in points if o is not p), default=1e9
        )

    gaps = {p["id"]: nearest(p) for p in inside}
    for px in (16, 13, 10):
        lonely = [rid for rid, d in gaps.items() if d >= px**2]
        random.Random(seed).shuffle(lonely)
        chosen, seen = [], set()
        for rid in lonely:
            q = quotes.get(rid)
            if q and q not in seen:
                seen.add(q)
                chosen.append(rid)
        if len(chosen) >= n:
            break
    return chosen[:n]


def _choose_industry(page, label: str, search: str) -> None:
    """Open the industry dropdown if it is closed and show the option (typing filters the list)."""
    option = page.locator(".dash-dropdown-option", has_text=label)
    if not option.count() or not option.first.is_visible():
        page.click("#f-industry")
        page.keyboard.type(search)
        option.first.wait_for(timeout=10000)


def filter_click_ms(page, label: str = "钢铁 · Steel", search: str = "钢铁") -> float | None:
    """One filter action: click the industry's option (select, or deselect if chosen) -> map redrawn."""
    page.evaluate(HOOKS_JS)
    _choose_industry(page, label, search)
    page.evaluate(ARM_FILTER_JS)
    page.locator(".dash-dropdown-option", has_text=label).first.click()
    try:
        page.wait_for_function("window.__bench.drawn != null", timeout=30000)
    except Exception:
        return None
    return page.evaluate("window.__bench.drawn - window.__bench.t0")


def marker_click_ms(page, rid: str) -> float | None:
    """One marker click (on the drawn mark of `rid`) -> a new quote highlighted in #details."""
    page.evaluate(HOOKS_JS)
    pos = next((p for p in page.evaluate(POINTS_JS) if p["id"] == rid), None)
    if not pos:
        return None
    page.evaluate(ARM_DETAILS_JS)
    page.mouse.click(pos["x"], pos["y"])
    try:
        page.wait_for_function("window.__bench.shown != null", timeout=30000)
    except Exception:
        return None
    return page.evaluate("window.__bench.shown - window.__bench.t0")


def settle(page, ms: int = 700) -> None:
    """Let the action's other callbacks (table, charts, link) finish before the next one."""
    page.wait_for_timeout(ms)
