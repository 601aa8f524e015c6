"""Saved views and presentation in a real browser: save, manage, a presentation link at 1280×720, keys."""

import uuid

import pytest
import requests

from conftest import open_map

pytestmark = pytest.mark.browser
SHOTS = "/tmp/planmap-views2"


def _unique(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:6]}"


def _saved(base: str, name: str, query: str, note: str = "") -> int:
    r = requests.post(base + "/api/views", json={"name": name, "query": query, "note": note}, timeout=10)
    assert r.status_code == 201, r.text
    return r.json()["id"]


NAMES_JS = """(ids) => Array.from(document.querySelectorAll('#manage-list li[data-view]'))
    .filter(li => ids.includes(Number(li.dataset.view))).map(li => li.querySelector('input').value)"""


def _names_in_dialog(pg, ids: list[int], expected: list[str] | None = None) -> list[str]:
    """The names of our views as the manage dialog lists them, in its order (once it shows `expected`)."""
    if expected is not None:
        try:
            pg.wait_for_function(
                f"([ids, want]) => JSON.stringify(({NAMES_JS})(ids)) === JSON.stringify(want)",
                arg=[ids, expected],
                timeout=15000,
            )
        except Exception:
            pass  # the assertion below shows what the list holds instead
    return pg.evaluate(NAMES_JS, ids)


def test_save_confirms_with_the_name_and_selects_the_view(page):
    open_map(page, "?industry=steel&province=hebei")
    name = _unique("河北钢铁")
    page.fill("#view-name", name)
    page.fill("#view-note", "十二五与十三五")
    page.click("#view-save")
    page.wait_for_function(
        "(n) => document.querySelector('#view-status').innerText.includes(n)", arg=name, timeout=15000
    )
    assert page.inner_text("#view-status") == f"已保存：{name}"
    assert page.get_attribute("#view-status", "role") == "status"
    page.wait_for_function(
        "(n) => document.querySelector('#view-pick').innerText.includes(n)", arg=name, timeout=15000
    )
    saved = [
        v for v in requests.get(page.base + "/api/views", timeout=10).json()["views"] if v["name"] == name
    ]
    assert [(v["query"], v["note"]) for v in saved] == [("?industry=steel&province=hebei", "十二五与十三五")]
    assert not page.errors


def test_manage_dialog_renames_moves_deletes_and_undoes(page):
    a, b, c = (_unique(x) for x in ("甲", "乙", "丙"))
    ids = [
        _saved(page.base, a, "?province=hebei"),
        _saved(page.base, b, "?province=henan"),
        _saved(page.base, c, "?industry=steel"),
    ]
    open_map(page)
    page.click("#manage-open")
    page.wait_for_selector("#manage-dialog:not([hidden])")
    assert page.get_attribute("#manage-dialog", "aria-modal") == "true"
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('#manage-dialog')", timeout=5000
    )
    page.wait_for_function(
        "(id) => document.querySelector(`#manage-list li[data-view='${id}']`)", arg=ids[2], timeout=15000
    )
    assert _names_in_dialog(page, ids, [a, b, c]) == [a, b, c]
    for _ in range(40):  # aria-modal: Tab never leaves the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('#manage-dialog')")

    def status_says(text):
        page.wait_for_function(
            "(t) => document.querySelector('#manage-status').innerText.includes(t)", arg=text, timeout=15000
        )

    renamed = _unique("乙改")
    field = page.locator(f"#manage-list li[data-view='{ids[1]}'] input").first
    field.fill(renamed)
    field.press("Enter")
    status_says(f"已更名：{renamed}")
    page.locator(f"#manage-list li[data-view='{ids[0]}'] button[title='下移']").click()
    status_says(f"已移动：{a}")
    assert _names_in_dialog(page, ids, [renamed, a, c]) == [renamed, a, c]
    page.locator(f"#manage-list li[data-view='{ids[2]}'] button", has_text="删除").click()
    status_says(f"已删除：{c}")
    assert _names_in_dialog(page, ids, [renamed, a]) == [renamed, a]
    page.click("#manage-undo")
    status_says(f"已恢复：{c}")
    assert _names_in_dialog(page, ids, [renamed, a, c]) == [renamed, a, c]
    assert page.is_hidden("#manage-undo")
    # the picker follows: the renamed view is listed under its new name
    page.keyboard.press("Escape")
    page.wait_for_selector("#manage-dialog[hidden]", state="attached", timeout=5000)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'manage-open'", timeout=5000
    )
    stored = [
        v["name"]
        for v in requests.get(page.base + "/api/views", timeout=10).json()["views"]
        if v["id"] in ids
    ]
    assert stored == [renamed, a, c]
    assert not page.errors


@pytest.fixture
def room(browser, live_server):
    """A projector's screen: 1280×720."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.base = live_server
    yield pg
    ctx.close()


def _legend_size(pg) -> float:
    return pg.evaluate("() => document.querySelector('#map .js-plotly-plot')._fullLayout.legend.font.size")


def test_presentation_link_opens_at_a_tour_view_at_1280x720(room):
    import yaml

    from callbacks.present import TOUR

    first = yaml.safe_load(TOUR.read_text(encoding="utf-8"))["views"][0]
    open_map(room, "?present=1&tour=t1")
    room.wait_for_selector("#page-body.presenting")
    room.wait_for_function(
        "(n) => document.querySelector('#present-caption').innerText.includes(n)",
        arg=first["name"],
        timeout=15000,
    )
    room.wait_for_function("document.querySelector('#summary').innerText.includes('组团')", timeout=15000)
    room.wait_for_timeout(800)
    room.screenshot(path=f"{SHOTS}-t1.png")
    caption = room.locator(".caption-title").bounding_box()
    assert caption and caption["height"] >= 34  # large type for a room
    assert room.locator("#details").bounding_box() is None  # nothing selected: no empty panel
    assert room.locator("#filter-panel").bounding_box() is None
    box = room.locator("#map").bounding_box()
    assert box["width"] >= 1200 and box["height"] >= 380 and box["y"] + box["height"] <= 720
    bar = room.locator("#present-bar").bounding_box()
    assert bar["y"] + bar["height"] <= 720  # the views bar stays on screen
    assert _legend_size(room) > 15  # legend scaled up for the room (11 on a laptop)
    room.keyboard.press("Escape")
    room.wait_for_selector("#page-body:not(.presenting)")
    room.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot')._fullLayout.legend.font.size < 12", timeout=5000
    )
    assert not room.errors


def test_presented_comparison_fits_the_screen(room):
    # Hebei steel, 2011-2015 against 2016-2020: the difference map replaces the main map in the room
    room.goto(room.base + "/?present=1&tour=t8")
    room.wait_for_selector("#page-body.presenting", timeout=30000)
    room.wait_for_selector("#compare-map .geo", timeout=30000)
    room.wait_for_function(
        "(n) => document.querySelector('#present-caption').innerText.includes(n)", arg="钢铁", timeout=15000
    )
    assert "延续" in room.inner_text("#compare-title")  # the counts: continued, new, dropped
    assert room.locator("#map").bounding_box() is None  # the comparison is shown instead of the map
    room.wait_for_function(
        "() => { const g = document.querySelector('#compare-map .js-plotly-plot');"
        " return g && g._fullLayout && g._fullLayout.height < 520; }",
        timeout=15000,
    )
    room.screenshot(path=f"{SHOTS}-t8.png")
    bar = room.locator("#present-bar").bounding_box()
    box = room.locator("#compare-map .main-svg").first.bounding_box()  # the drawn map, not only its box
    assert box["y"] + box["height"] <= bar["y"] + 1 and box["width"] > 500
    assert not room.errors


def test_keys_do_nothing_in_a_dropdown_or_outside_presentation(page):
    open_map(page, "?industry=steel")
    url, summary = page.url, page.inner_text("#summary")
    page.locator("body").press("ArrowRight")  # not presenting: arrows are the page's own
    page.wait_for_timeout(800)
    assert (page.url, page.inner_text("#summary")) == (url, summary)
    page.locator("#page-body").evaluate("el => el.ownerDocument.activeElement.blur()")
    page.keyboard.press("f")
    page.wait_for_selector("#page-body.presenting", timeout=5000)
    page.click("#view-pick")  # a dropdown has the focus: → is its own
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1000)
    assert (page.url, page.inner_text("#summary")) == (url, summary)
    assert page.is_visible("#page-body.presenting")
    page.keyboard.press("Escape")  # closes the dropdown, stays presenting
    page.wait_for_timeout(300)
    assert page.is_visible("#page-body.presenting")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("ArrowRight")  # from the page itself → steps to the tour's first view
    page.wait_for_function("document.querySelector('#summary').innerText.includes('组团')", timeout=15000)
    page.keyboard.press("f")  # F leaves too
    page.wait_for_selector("#page-body:not(.presenting)", timeout=5000)
    page.focus("#view-name")
    page.keyboard.type("fF")  # typing in a field never toggles presentation
    page.wait_for_timeout(300)
    assert page.input_value("#view-name") == "fF" and not page.is_visible("#page-body.presenting")
    assert not page.errors


@pytest.fixture(scope="module")
def public_server(tmp_path_factory):
    """A server reachable by others (PLANMAP_PUBLIC=1): saving needs the edit token."""
    import os
    import subprocess
    import sys

    from benchmarks.load import free_port
    from conftest import ROOT, wait_for

    port = free_port()
    env = dict(
        os.environ,
        PLANMAP_DATA=str(tmp_path_factory.mktemp("public-views")),
        PLANMAP_PUBLIC="1",
        PLANMAP_EDIT_TOKEN="room-42-secret",
    )
    proc = subprocess.Popen(
        [sys.executable, "app.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # never an unread pipe
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def test_public_server_asks_for_the_edit_token_once(browser, public_server):
    ctx = browser.new_context(viewport={"width": 1500, "height": 950})
    pg = ctx.new_page()
    pg.base = public_server
    try:
        open_map(pg, "?industry=steel")
        pg.fill("#view-name", "公开服务器")
        pg.click("#view-save")
        pg.wait_for_function(
            "document.querySelector('#view-status').innerText.includes('编辑口令')", timeout=15000
        )
        assert requests.get(public_server + "/api/views", timeout=10).json()["views"] == []
        pg.click("#manage-open")
        pg.fill("#edit-token-input", "wrong")
        pg.keyboard.press("Escape")
        pg.wait_for_function(  # the page keeps the token for the tab once it has taken it
            "(t) => (sessionStorage.getItem('edit-token') || '').includes(t)", arg="wrong", timeout=15000
        )
        pg.click("#view-save")
        pg.wait_for_function(
            "document.querySelector('#view-status').innerText.includes('编辑口令不正确')", timeout=15000
        )
        pg.click("#manage-open")
        pg.fill("#edit-token-input", "room-42-secret")
        pg.keyboard.press("Escape")
        pg.wait_for_function(  # the page keeps the token for the tab once it has taken it
            "(t) => (sessionStorage.getItem('edit-token') || '').includes(t)",
            arg="room-42-secret",
            timeout=15000,
        )
        pg.click("#view-save")
        pg.wait_for_function(
            "document.querySelector('#view-status').innerText === '已保存：公开服务器'", timeout=15000
        )
        pg.reload()  # the token is kept for the tab (sessionStorage), not asked again
        pg.wait_for_selector("#map .geo", timeout=30000)
        pg.fill("#view-name", "第二个")
        pg.click("#view-save")
        pg.wait_for_function(
            "document.querySelector('#view-status').innerText === '已保存：第二个'", timeout=15000
        )
        names = [v["name"] for v in requests.get(public_server + "/api/views", timeout=10).json()["views"]]
        assert names == ["公开服务器", "第二个"]
    finally:
        ctx.close()


ROOM_JS = """(circleIds) => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const names = Array.from(document.querySelectorAll('#map .scattergeo text'))
    .filter(n => n.textContent.trim() && n.getBoundingClientRect().width > 0);
  const boxes = names.map(n => {
    const r = n.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom, n.textContent];
  });
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    const ox = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), oy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    if (ox > 1 && oy > 1) overlaps.push([a[4], b[4], ox, oy]);
  }));
  // the size key: its circles (layout shapes) in px, with the values written under them
  const shapes = gd._fullLayout.shapes;
  const values = gd._fullLayout.annotations.map(a => a.text.replace(/,/g, ''))
    .filter(t => /^[0-9.]+$/.test(t)).map(Number);
  const key = Array.from(gd.querySelectorAll('.shapelayer path'))
    .filter(n => shapes[Number(n.getAttribute('data-index'))].type === 'circle')
    .map((n, i) => [values[i], n.getBoundingClientRect().width]);
  // the round-mark (circle symbol) marks by element id, in px
  const marks = {};
  gd.querySelectorAll('.scattergeo path.point').forEach(n => {
    const tr = (n.closest('.trace').__data__ || [{}])[0].trace;
    if (!tr || !String(tr.uid).startsWith('points-')) return;
    const id = (tr.customdata[n.__data__.i] || [])[0];
    const v = circleIds[id];
    if (v !== undefined) (marks[v] = marks[v] || []).push(n.getBoundingClientRect().width);
  });
  const legend = gd.querySelector('.legend').getBoundingClientRect();
  return {names: boxes.length, overlaps, key, marks, legend: legend.height, map: gd.getBoundingClientRect().height,
          font: (gd._fullData.find(t => t.uid === 'labels-marks') || {textfont: {}}).textfont.size};
}"""


def _round_marks(store) -> dict:
    """Element id -> its revenue target, for the marks drawn as plain circles (bases), whose pixel
    width is their diameter."""
    el = store.elements
    rows = el[(el["kind"] == "base") & el["revenue_yi"].notna() & el["drawn_as"].eq("point")]
    return {i: float(v) for i, v in zip(rows["id"], rows["revenue_yi"])}


def _room_state(pg, store) -> dict:
    return pg.evaluate(ROOM_JS, _round_marks(store))


def _check_room(state, *, scaled: bool) -> None:
    assert state["names"] > 20
    assert not state["overlaps"], state["overlaps"][:5]  # no name on another (≤ 1 px)
    assert state["legend"] <= state["map"]  # the legend fits inside the map
    assert state["font"] == (16.5 if scaled else 11)
    compared, marks = 0, {float(v): px for v, px in state["marks"].items()}
    for value, px in state["key"]:  # each key circle is as wide as the marks of its value
        for mark_px in marks.get(float(value), []):
            assert abs(mark_px - px) <= 1, (value, px, mark_px)
            compared += 1
    assert compared >= 1


@pytest.mark.parametrize("query", ["?present=1", "?present=1&tour=t4"])
def test_room_names_apart_and_key_true_then_laptop_sizes_after_escape(room, store, query):
    open_map(room, query)
    room.wait_for_selector("#page-body.presenting")
    wait_js = (
        "(f) => { const gd = document.querySelector('#map .js-plotly-plot');"
        " const t = gd._fullData.find(t => t.uid === 'labels-marks'); return t && t.textfont.size === f; }"
    )
    room.wait_for_function(wait_js, arg=16.5, timeout=15000)  # the server drew it for the room
    room.wait_for_timeout(800)
    presented = _room_state(room, store)
    _check_room(presented, scaled=True)
    room.keyboard.press("Escape")  # leaves presentation: map.js reports it, the server redraws at 1
    room.wait_for_selector("#page-body:not(.presenting)")
    room.wait_for_function(wait_js, arg=11, timeout=15000)
    room.wait_for_timeout(800)
    laptop = _room_state(room, store)
    _check_room(laptop, scaled=False)
    big = max(px for _, px in presented["key"])
    assert big == pytest.approx(1.5 * max(px for _, px in laptop["key"]), abs=1)  # marks back to scale 1
    assert not room.errors
