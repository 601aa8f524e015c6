"""Labels as the reader sees them: bounding boxes read back from the SVG chromium draws (the page's
map, and an exported SVG opened in chromium), not the boxes the placement meant."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CHROMIUM_ARGS, ROOT, open_map  # noqa: F401  (CHROMIUM_ARGS: same browser flags)

pytestmark = pytest.mark.browser

VIEWS = {
    "default": "",
    "prefecture": "?view=石家庄市",
    "zones": "?plan=002&kind=zone&view=河北省",
    "coastal belt": "?plan=000&kind=belt,new_area,group&view=115.6,37.6,120.2,40.6",
    "english": "?lang=en",
}
SIZES = [(1280, 720), (1440, 900)]
TOLERANCE = 1.0  # px two boxes may share

# Every drawn text of the element labels and of the prefecture labels, with its box on screen; the
# traces are told apart through plotly's own binding of each trace group to its _fullData entry.
PAGE_BOXES = """() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const texts = {};
  gd.querySelectorAll('g.trace.scattergeo').forEach(g => {
    const tr = g.__data__ && g.__data__[0] && g.__data__[0].trace;
    if (!tr || tr.visible !== true) return;
    const name = (tr.uid || '').startsWith('labels-') ? tr.uid : tr.name;
    texts[name] = Array.from(g.querySelectorAll('text')).filter(t => t.textContent && t.getBBox().width > 0)
      .map(t => [t.textContent, box(t)]);
  });
  const legend = gd.querySelector('.legend .bg');
  return {labels: (texts['labels-marks'] || []).concat(texts['labels-areas'] || []),
          prefectures: texts['prefecture_labels'] || [],
          keys: [legend ? box(legend) : null].concat(
            Array.from(gd.querySelectorAll('.shapelayer path, .annotation')).map(box)).filter(Boolean),
          frame: box(gd.querySelector('.geo .layer.bg rect'))};
}"""


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE


def collisions(drawn: dict) -> list:
    """What a reader would see wrong: labels on labels, on prefecture names, on the legend or the size
    key, or cut by the map's edge."""
    labels, out = drawn["labels"], []
    fx0, fy0, fx1, fy1 = drawn["frame"]
    for i, (text, b) in enumerate(labels):
        out += [("label", text, other) for other, ob in labels[i + 1 :] if _overlap(b, ob)]
        out += [("prefecture", text, name) for name, pb in drawn["prefectures"] if _overlap(b, pb)]
        out += [("legend or size key", text, k) for k in drawn["keys"] if _overlap(b, k)][:1]
        if (
            b[0] < fx0 - TOLERANCE
            or b[1] < fy0 - TOLERANCE
            or b[2] > fx1 + TOLERANCE
            or b[3] > fy1 + TOLERANCE
        ):
            out.append(("outside the map", text, b))
    return out


@pytest.fixture(scope="module", params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def sized_page(request, browser, live_server):
    ctx = browser.new_context(viewport={"width": request.param[0], "height": request.param[1]})
    pg = ctx.new_page()
    pg.base = live_server
    yield pg
    ctx.close()


def drawn_labels(pg, query: str) -> dict:
    open_map(pg, query)
    pg.wait_for_timeout(300)  # the last start-up patch has been drawn
    return pg.evaluate(PAGE_BOXES)


@pytest.mark.parametrize("view", list(VIEWS))
def test_labels_collide_with_nothing_on_the_page(sized_page, view):
    drawn = drawn_labels(sized_page, VIEWS[view])
    # names the frame would cut, or that would touch a larger one, are left out (layers.figure.base_labels)
    assert len(drawn["labels"]) >= 5 and len(drawn["prefectures"]) >= 3
    assert collisions(drawn) == []


def test_a_prefecture_zoom_names_more_marks_than_the_province(sized_page):
    province = drawn_labels(sized_page, "?view=河北省")["labels"]
    prefecture = drawn_labels(sized_page, "?view=石家庄市")["labels"]
    assert len(prefecture) > len(province) + 5, (len(province), len(prefecture))


# In an exported SVG the traces have no plotly binding: a trace's group is the one whose texts are the
# figure's own label texts for that trace.
SVG_BOXES = """(want) => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const groups = Array.from(document.querySelectorAll('g.trace.scattergeo')).map(g =>
    Array.from(g.querySelectorAll('text')).filter(t => t.textContent).map(t => [t.textContent, box(t)]));
  const find = texts => groups.find(g => g.length && g.length === texts.length
    && g.every(([t], i) => t === texts[i])) || null;
  const legend = document.querySelector('.legend .bg');
  return {marks: find(want.marks), areas: find(want.areas), prefectures: find(want.prefectures),
          keys: legend ? [box(legend)] : [],
          frame: box(document.querySelector('.geo .layer.bg rect'))};
}"""


@pytest.mark.parametrize(
    "args", [["--lang", "zh"], ["--lang", "en", "--view", "石家庄市"]], ids=["zh", "en-prefecture"]
)
def test_exported_svg_labels_collide_with_nothing(browser, store, tmp_path, args):
    from layers.filters import Filters
    from layers.page_state import zoom_bounds
    from layers.snapshot import figure_for, parse_size

    out = tmp_path / "map.svg"
    subprocess.run(
        [sys.executable, "app.py", "snapshot", "--out", str(out), *args], cwd=ROOT, check=True, timeout=240
    )
    lang = args[1]
    view = args[3] if len(args) > 2 else "all"
    fig = figure_for(
        store, Filters(), lang=lang, view=zoom_bounds(view, store), size=parse_size("a4-landscape")
    )
    # the names left out to keep others apart are empty texts, which the SVG does not draw
    text_of = {(tr.uid or tr.name): [x for x in tr.text or [] if x] for tr in fig.data}
    want = {
        "marks": text_of["labels-marks"],
        "areas": text_of["labels-areas"],
        "prefectures": text_of["prefecture_labels"],
    }
    pg = browser.new_page(viewport={"width": 1200, "height": 850})
    pg.goto(Path(out).as_uri())
    got = pg.evaluate(SVG_BOXES, want)
    pg.close()
    assert got["marks"] is not None and got["prefectures"] is not None, "label traces not found in the SVG"
    drawn = {
        "labels": got["marks"] + (got["areas"] or []),
        "prefectures": got["prefectures"],
        "keys": got["keys"],
        "frame": got["frame"],
    }
    assert len(drawn["labels"]) >= 10
    assert collisions(drawn) == []
