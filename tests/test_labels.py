"""Element labels: never on each other, an obstacle or the frame's edge; the important ones first."""

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from layers.labels import (
    BOX_TOP_EM,
    Candidate,
    centred_box,
    label_budget,
    leader_line,
    map_box,
    place_labels,
    priority,
    project,
    text_size,
    unproject,
)

DEFAULT_VIEW = (109.6, 31.0, 121.2, 43.0)  # layers.figure.DEFAULT_RANGE


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def crowd(n=120, seed=7):
    """Marks bunched like the plans' cities: a few dense clusters, varied names and targets."""
    rng = np.random.default_rng(seed)
    centres = [(200, 150), (420, 300), (610, 210), (300, 470)]
    names = [
        "钢铁基地",
        "唐山曹妃甸",
        "石家庄装备制造基地",
        "Zhengzhou",
        "安阳 A区",
        "新区",
        "正定新区高端装备园",
    ]
    out = []
    for i in range(n):
        cx, cy = centres[i % len(centres)]
        out.append(
            Candidate(
                text=names[i % len(names)] + str(i),
                x=float(cx + rng.normal(0, 25)),
                y=float(cy + rng.normal(0, 25)),
                radius=float(rng.uniform(3, 12)),
                font_size=12.0,
                selected=(i == 57),
                revenue_yi=float(rng.choice([np.nan, 50, 300, 1200, 5000])),
                kind=["base", "park", "cluster", "project", "new_area", "city_role"][i % 6],
                key=f"e{i:03d}",
            )
        )
    return out


OBSTACLES = [centred_box(420, 300, "石家庄市", 11), centred_box(200, 150, "保定市", 11), (650, 0, 800, 160)]


@pytest.fixture(scope="module")
def placed():
    return place_labels(crowd(), OBSTACLES, 800, 600, 40)


def test_no_two_labels_overlap(placed):
    assert len(placed) >= 20  # the crowd leaves room for many, not a handful
    for a, b in itertools.combinations(placed, 2):
        assert not overlap(a.box, b.box), (a.text, b.text)


def test_no_label_on_an_obstacle_or_off_the_frame(placed):
    for p in placed:
        assert not any(overlap(p.box, o) for o in OBSTACLES), p.text
        x0, y0, x1, y1 = p.box
        assert 0 <= x0 < x1 <= 800 and 0 <= y0 < y1 <= 600, p.text


def test_budget_respected_and_spent_on_the_most_important():
    cands = [
        Candidate(f"园区{i}", 40.0 + 70 * i, 300.0, 4, 12, revenue_yi=float(i), key=f"k{i}")
        for i in range(10)
    ]
    got = place_labels(cands, [], 800, 600, budget=4)
    assert [p.key for p in got] == ["k9", "k8", "k7", "k6"]  # largest targets, in order
    assert len(place_labels(cands, [], 800, 600, budget=0)) == 0


def test_selected_wins_the_only_free_spot():
    # a marker walled in on all sides but its right: only one label fits there
    walls = [(0, 0, 800, 285), (0, 315, 800, 600), (0, 285, 400, 315), (470, 285, 800, 315)]
    big = Candidate("大项目", 400, 300, 5, 12, revenue_yi=9000, kind="base", key="big")
    chosen = Candidate("选中", 400, 300, 5, 12, selected=True, kind="project", key="sel")
    got = place_labels([big, chosen], walls, 800, 600, 10)
    assert [p.key for p in got] == ["sel"] and got[0].textposition == "middle right"


def test_priority_order_selection_target_kind():
    a = Candidate("a", 0, 0, kind="city_role", revenue_yi=10, key="a")
    b = Candidate("b", 0, 0, kind="project", revenue_yi=10, key="b")
    c = Candidate("c", 0, 0, kind="base", key="c")  # no target: after any target
    d = Candidate("d", 0, 0, kind="city_role", selected=True, key="d")
    e = Candidate("e", 0, 0, kind="park", revenue_yi=500, key="e")
    assert [x.key for x in sorted([a, b, c, d, e], key=priority)] == ["d", "e", "b", "a", "c"]


def test_placed_in_priority_order(placed):
    keys = [priority(c) for c in crowd()]
    by_key = dict(zip((c.key for c in crowd()), keys))
    order = [by_key[p.key] for p in placed]
    assert order == sorted(order)
    assert placed[0].key == "e057"  # the selected element


def test_first_choice_is_right_of_the_marker_at_its_edge():
    (p,) = place_labels([Candidate("邯郸", 100, 100, radius=6, font_size=10)], [], 400, 300, 5)
    w, h = text_size("邯郸", 10)
    assert p.textposition == "middle right" and not p.leader
    assert p.box == pytest.approx((108, 100 - h / 2, 108 + w, 100 + h / 2))
    # where plotly starts a "middle right" text so that its line box (top 0.9 em above the point) is p.box
    assert (p.x, p.y + BOX_TOP_EM[0] * 10) == pytest.approx((108, p.box[1]))
    assert BOX_TOP_EM[0] == pytest.approx(
        -0.9
    )  # measured in chromium (tests/test_browser_views.py checks it)


def test_falls_back_further_out_with_a_leader_line():
    c = Candidate("邯郸钢铁", 400, 300, radius=5, font_size=12)
    w, h = text_size(c.text, 12)
    ring = (400 - 7 - w - 2, 300 - 7 - h - 2, 400 + 7 + w + 2, 300 + 7 + h + 2)  # all eight adjacent spots
    (p,) = place_labels([c], [ring], 800, 600, 5)
    assert p.leader and not overlap(p.box, ring) and p.anchor == (400, 300)
    start, end = leader_line(p)
    assert start == (400, 300)
    assert p.box[0] <= end[0] <= p.box[2] and p.box[1] <= end[1] <= p.box[3]
    assert np.hypot(end[0] - 400, end[1] - 300) > 5 + 12  # out past the marker and the adjacent spots


def test_label_at_the_frame_edge_goes_inwards():
    (p,) = place_labels([Candidate("承德市高新区", 795, 5, 4, 12)], [], 800, 600, 5)
    assert p.textposition == "bottom left"


def test_text_size_cjk_wider_than_latin():
    assert text_size("石家庄", 12) == pytest.approx((36, 17.4))  # chromium's line box: 1.45 em
    assert text_size("ABC1", 10) == pytest.approx((22, 14.5))


def test_budget_adapts_to_zoom():
    assert label_budget(11.6) == 12
    assert 22 <= label_budget(6.5) <= 26
    assert label_budget(1.5) == 40
    spans = [0.5, 1, 2, 4, 8, 11.6, 20]
    budgets = [label_budget(s) for s in spans]
    assert budgets == sorted(budgets, reverse=True)


@pytest.mark.parametrize(
    "view, w, h",
    [
        (DEFAULT_VIEW, 1100, 900),
        ((113.3, 37.3, 115.6, 38.8), 1440, 900),
        ((110.3, 31.3, 116.7, 36.4), 700, 900),
    ],
)
def test_project_unproject_round_trip(view, w, h):
    lon = np.linspace(view[0], view[2], 7)
    lat = np.linspace(view[1], view[3], 7)
    x, y = project(lon, lat, view, w, h)
    lo, la = unproject(x, y, view, w, h)
    assert np.allclose(lo, lon, atol=1e-9) and np.allclose(la, lat, atol=1e-9)
    cx, cy = project((view[0] + view[2]) / 2, (view[1] + view[3]) / 2, view, w, h)
    assert (cx, cy) == pytest.approx((w / 2, h / 2))
    # the ranges fill the frame along one side and fit inside it along the other
    x0, y0 = project(view[0], view[1], view, w, h)
    x1, y1 = project(view[2], view[3], view, w, h)
    assert max((x1 - x0) / w, (y0 - y1) / h) == pytest.approx(1)


# --- against plotly's own drawing ---------------------------------------------------
def _translate(s):
    m = re.search(r"translate\(([-\d.e]+)[, ]+([-\d.e]+)\)", s or "")
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def _render_svg(traces, view, w, h):
    import plotly.graph_objects as go
    import plotly.io as pio

    from conftest import ROOT

    pio.defaults.topojson = Path(ROOT / "assets" / "topojson").resolve().as_uri() + "/"
    fig = go.Figure(traces)
    fig.update_layout(
        margin=dict(l=0, r=0, t=0, b=0),
        showlegend=False,
        geo=dict(
            projection_type="mercator",
            visible=False,
            fitbounds=False,
            showframe=False,
            lonaxis_range=[view[0], view[2]],
            lataxis_range=[view[1], view[3]],
        ),
    )
    return ET.fromstring(fig.to_image(format="svg", width=w, height=h).decode())


@pytest.mark.export
@pytest.mark.parametrize(
    "view, w, h",
    [
        (DEFAULT_VIEW, 1440, 900),
        ((113.3, 37.3, 115.6, 38.8), 1100, 800),
        ((110.3, 31.3, 116.7, 36.4), 600, 900),
    ],
)
def test_project_matches_plotly_render(view, w, h):
    import plotly.graph_objects as go

    lon = np.array(
        [view[0] + 0.1, view[2] - 0.1, (view[0] + view[2]) / 2, view[0] + 0.3 * (view[2] - view[0])]
    )
    lat = np.array(
        [view[1] + 0.1, view[3] - 0.1, view[1] + 0.7 * (view[3] - view[1]), (view[1] + view[3]) / 2]
    )
    # labels placed by us, drawn by plotly as text at unproject(x, y) with our textposition
    cands = [
        Candidate(name, *np.array(project(lo, la, view, w, h)).tolist(), 5, 12, key=name)
        for name, lo, la in zip(("石家庄", "郑州"), lon[2:], lat[2:])
    ]
    labels = place_labels(cands, [], w, h, 5)
    tl, ta = unproject([p.x for p in labels], [p.y for p in labels], view, w, h)
    traces = [go.Scattergeo(lon=lon, lat=lat, mode="markers")]
    traces += [
        go.Scattergeo(
            lon=[a], lat=[b], mode="text", text=[p.text], textposition=p.textposition, textfont=dict(size=12)
        )
        for p, a, b in zip(labels, tl, ta)
    ]
    svg = _render_svg(traces, view, w, h)
    drawn = [_translate(e.get("transform")) for e in svg.iter() if e.get("class") == "point"]
    x, y = project(lon, lat, view, w, h)
    assert len(drawn) == len(lon)
    assert np.abs(np.array(drawn) - np.column_stack([x, y])).max() < 2
    parents = {c: p for p in svg.iter() for c in p}
    texts = [e for e in svg.iter() if e.tag.endswith("text") and e.text in ("石家庄", "郑州")]
    assert len(texts) == len(labels) == 2
    for e, p in zip(texts, labels):
        tx, ty = _translate(e.get("transform"))
        dx, _ = _translate(parents[e].get("transform"))  # plotly's own offset: none without markers
        assert abs(tx - p.x) < 2 and abs(ty - p.y) < 2 and abs(dx) < 0.5
    # the drawn map (plotly's clip box) is map_box: labels outside it would be cut off
    clip = next(e for e in svg.iter() if e.tag.endswith("clipPath") and e.get("id", "").endswith("geo"))
    r = next(iter(clip))
    x0, y0 = float(r.get("x")), float(r.get("y"))
    drawn_box = (x0, y0, x0 + float(r.get("width")), y0 + float(r.get("height")))
    assert np.abs(np.array(drawn_box) - map_box(view, w, h)).max() < 2


def test_prefers_a_side_that_hides_no_other_marker():
    c = Candidate("沧州临港", 300, 300, radius=4, font_size=12)
    neighbour = (330, 300)  # just right of it, where the first choice would go
    (p,) = place_labels([c], [], 800, 600, 5, marks=[(300, 300), neighbour])
    assert p.textposition == "middle left"
    x0, y0, x1, y1 = p.box
    assert not (x0 <= neighbour[0] <= x1 and y0 <= neighbour[1] <= y1)


def test_frame_limits_labels_to_the_drawn_map():
    view = (113.3, 37.3, 115.6, 38.8)  # taller than wide at 1440 x 900: plotly draws a narrower box
    box = map_box(view, 1440, 900)
    assert box[0] > 100 and box[2] < 1340 and box[1:4:2] == pytest.approx((0, 900))
    c = Candidate("安平丝网基地", box[2] - 10, 450, radius=5, font_size=12)
    (p,) = place_labels([c], [], 1440, 900, 5, frame=box)
    assert p.box[2] <= box[2] and p.textposition == "middle left"


def test_a_name_is_labelled_once():
    twins = [Candidate("石家庄国家生物产业基地", 200, 200 + 60 * i, 5, 12, key=f"t{i}") for i in range(2)]
    assert [p.key for p in place_labels(twins, [], 800, 600, 5)] == ["t0"]
