"""Page geometry of a snapshot, without rendering: sizes, wrapping, scale bar, legend corner, locator."""

import math

import pytest

from layers.filters import parse_filters
from layers.snapshot import (
    PAGE_PRESETS,
    SnapshotError,
    drawn_view,
    emptiest_corner,
    figure_for,
    map_width_km,
    nice_distance_km,
    page_layout,
    page_points,
    parse_size,
    text_em,
    wrap_text,
)


@pytest.mark.parametrize(
    "size, points",
    [
        ("a4-landscape", (841.89, 595.28)),
        ("a4-portrait", (595.28, 841.89)),
        ("a3-landscape", (1190.55, 841.89)),
        ("a3-portrait", (841.89, 1190.55)),
        ("16x9", (960, 540)),
        ("297x210mm", (841.89, 595.28)),
        ("1600x1000", (1200, 750)),
    ],
)
def test_page_sizes_in_points(size, points):
    got = page_points(*parse_size(size))
    assert abs(got[0] - points[0]) <= 1 and abs(got[1] - points[1]) <= 1


@pytest.mark.parametrize("bad", ["huge", "10x10", "20x5000mm", "a5", "12.5x300"])
def test_bad_sizes_refused(bad):
    with pytest.raises(SnapshotError, match="unknown size"):
        parse_size(bad)


def test_presets_keep_old_names():
    assert {"a4-landscape", "a4-portrait", "16x9", "a3-landscape", "a3-portrait"} <= set(PAGE_PRESETS)


def test_wrap_keeps_every_line_within_width():
    title = "河北沿海经济隆起带 2011-2015：钢铁与石化、装备制造和 renewable energy industries 的布局"
    lines = wrap_text(title, 20)
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(text_em(x) <= 20 for x in lines)
    assert not any(x.startswith(("，", "：", "、")) for x in lines)


def test_top_margin_grows_with_title_lines():
    short = page_layout(1280, 720, "钢铁", None, "筛选", "资料来源")
    long = page_layout(1280, 720, "钢铁" * 60, "副标题", "筛选", "资料来源")
    assert len(long.title_lines) >= 3 and long.margin["t"] >= short.margin["t"] + 2 * 22 * long.fs


@pytest.mark.parametrize("span, km", [(1700, 500), (900, 200), (420, 100), (140, 20), (60, 10), (2600, 500)])
def test_scale_bar_is_a_125_length_near_a_fifth(span, km):
    got = nice_distance_km(span)
    assert got == km
    assert 0.1 <= got / span <= 0.32
    mantissa = got / 10 ** math.floor(math.log10(got))
    assert mantissa in (1, 2, 5)


@pytest.mark.parametrize("view", ["all", "河北省", "石家庄市"])
def test_scale_bar_against_real_map_width(store, view):
    from layers.page_state import zoom_bounds

    fig = figure_for(
        store,
        parse_filters({"industry": "steel"}, store.vocab)[0],
        size=(1123, 794),
        view=zoom_bounds(view, store),
    )
    bar = next(t for t in fig.data if t.name == "scale-bar")
    label = next(t for t in fig.data if t.name == "scale-label")
    lon0, lat0, lon1, lat1 = drawn_view(fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range)
    km = float(label.text[0].split()[0])
    frac = (bar.lon[-1] - bar.lon[0]) / (lon1 - lon0)  # of the map frame's width
    assert 0.12 <= frac <= 0.32, (view, km, frac)
    assert (
        abs(km / map_width_km((lon0, lat0, lon1, lat1), bar.lat[1]) - frac) < 0.01
    )  # true length at its latitude


def test_emptiest_corner():
    crowded_top_right = [(0.9, 0.9)] * 5 + [(0.1, 0.9)] * 2 + [(0.9, 0.1)]
    assert emptiest_corner(crowded_top_right, 0.3, 0.3) == "bottom-left"
    assert emptiest_corner([], 0.3, 0.3) == "top-right"


def test_locator_only_for_a_close_up(store):
    from layers.page_state import zoom_bounds

    f = parse_filters({"industry": "steel"}, store.vocab)[0]
    whole = figure_for(store, f, size=(1123, 794))
    close = figure_for(store, f, size=(1123, 794), view=zoom_bounds("石家庄市", store))
    assert (
        not any((t.name or "").startswith("locator") for t in whole.data)
        and "geo2" not in whole.to_dict()["layout"]
    )
    frame = next(t for t in close.data if t.name == "locator-frame")
    lon0, lon1 = close.layout.geo.lonaxis.range
    assert (
        frame.geo == "geo2"
        and min(frame.lon) == pytest.approx(lon0)
        and max(frame.lon) == pytest.approx(lon1)
    )
    x0, x1 = close.layout.geo2.domain.x
    assert 0 < x1 - x0 <= 0.25  # a small inset, inside the map frame


def test_plotly_lat_range_round_trip():
    from layers.snapshot import plotly_lat_range

    a, b = plotly_lat_range(31.0, 43.0)
    assert (a + b) / 2 > 37.0  # centred on the frame's Mercator middle, north of the degree middle
    assert drawn_view((110, 120), (a, b))[1::2] == pytest.approx((31.0, 43.0), abs=1e-6)
