"""Proportional symbols: a mark's area is proportional to its revenue target, nothing below the
largest target in view is capped, and the size key is drawn to the same scale as the marks."""

import math

import numpy as np
import pytest

from layers import style
from layers.size_key import size_key_layout


def test_large_targets_are_told_apart():
    """The user's case: 1,000-2,000 亿 used to hit the cap (~955 亿) and draw alike."""
    d = [style.marker_size(v, 2000) for v in (1000, 1200, 1500, 2000)]
    assert all(a < b for a, b in zip(d, d[1:]))
    assert d[-1] - d[0] > 10  # px: visibly different, not a rounding step


@pytest.mark.parametrize("vmax", [1000, 2000, 5000])
def test_area_ratios_equal_value_ratios(vmax):
    values = [v for v in (100, 150, 200, 300, 500, 700, 1000, 1200, 1500, 2000, 5000) if v <= vmax]
    floor_below = vmax * (style.SIZE_FLOOR / style.SIZE_MAX) ** 2
    values = [v for v in values if v >= floor_below]
    for a in values:
        for b in values:
            area_ratio = (style.marker_size(a, vmax) / style.marker_size(b, vmax)) ** 2
            assert area_ratio == pytest.approx(a / b, rel=0.01)


def test_the_largest_target_in_view_gets_the_largest_mark_and_nothing_is_capped():
    assert style.marker_size(2000, 2000) == pytest.approx(style.SIZE_MAX)
    assert style.marker_size(5000, 5000) == pytest.approx(style.SIZE_MAX)
    # a value above the scale (a caller's stale vmax) still grows: no silent cap
    assert style.marker_size(3000, 2000) > style.marker_size(2000, 2000)


def test_plans_smallest_targets_are_area_true_at_the_plans_scale(store):
    """With every target shown, 100 亿 (the smallest) is drawn to scale, above the floor."""
    values = store.elements["revenue_yi"].dropna().to_numpy()
    vmax = style.size_vmax(values)
    assert vmax == values.max()
    smallest = style.marker_size(values.min(), vmax)
    assert smallest > style.SIZE_FLOOR
    assert (smallest / style.SIZE_MAX) ** 2 == pytest.approx(values.min() / vmax, rel=0.01)


def test_floor_and_no_target():
    assert style.marker_size(1, 2000) == style.SIZE_FLOOR
    assert style.marker_size(None, 2000) == style.SIZE_NO_TARGET
    assert style.marker_size(float("nan"), 2000) == style.SIZE_NO_TARGET
    assert style.marker_size(0, 2000) == style.SIZE_NO_TARGET
    assert style.SIZE_NO_TARGET < style.SIZE_FLOOR  # a mark without a target never looks like a target


def test_vmax_comes_from_the_view_with_a_floor():
    assert style.size_vmax([100, 1200, None, float("nan")]) == 1200
    assert style.size_vmax([100, 200]) == style.SIZE_VMAX_FLOOR  # a lone 100 亿 is not blown up to 40 px
    assert style.size_vmax([]) == style.SIZE_VMAX_FLOOR


def _is_125(v: float) -> bool:
    m = v / 10 ** math.floor(math.log10(v))
    return any(math.isclose(m, k) for k in (1, 2, 5))


@pytest.mark.parametrize(
    "vmin,vmax",
    [(100, 2000), (100, 1000), (100, 5000), (1000, 1200), (200, 800), (100, 20000), (30, 70), (100, 100)],
)
def test_size_key_values_are_few_round_and_in_range(vmin, vmax):
    values = style.size_key_values(vmin, vmax, style.size_vmax([vmax]))
    assert 3 <= len(values) <= 4
    assert values == sorted(set(values))
    assert all(_is_125(v) for v in values)
    assert values[0] <= vmax  # at least one circle a reader can match to a shown mark
    scale = style.size_vmax([vmax])
    assert all(style.marker_size(v, scale) >= style.SIZE_FLOOR for v in values)


def test_size_key_values_examples():
    assert style.size_key_values(100, 2000) == [100, 500, 2000]
    assert style.size_key_values(100, 1000) == [100, 200, 500, 1000]
    # a key never shows values the marks would draw at the floor (they would look alike)
    assert style.size_key_values(100, 20000) == [1000, 5000, 20000]


def test_size_key_is_drawn_with_the_marks_function():
    key = size_key_layout(100, 2000, title="目标（亿元）")
    circles = [s for s in key["shapes"] if s["type"] == "circle"]
    assert len(circles) == len(key["values"]) == 3
    for s, v in zip(circles, key["values"]):
        assert s["xsizemode"] == "pixel" and s["ysizemode"] == "pixel"  # screen pixels, like marker.size
        assert s["x1"] - s["x0"] == pytest.approx(style.marker_size(v, 2000))
        assert s["y1"] - s["y0"] == pytest.approx(style.marker_size(v, 2000))
    assert [round(d, 1) for d in key["diameters"]] == [8.9, 20.0, 40.0]
    texts = [a["text"] for a in key["annotations"]]
    assert texts == ["100", "500", "2,000", "目标（亿元）"]


def test_size_key_circles_do_not_overlap_and_sit_on_one_baseline():
    key = size_key_layout(100, 1000, 1000)
    circles = [s for s in key["shapes"] if s["type"] == "circle"]
    assert len({round(s["y0"], 6) for s in circles}) == 1
    for a, b in zip(circles, circles[1:]):
        assert a["x1"] < b["x0"]
    assert key["width_px"] > max(s["x1"] for s in circles)
    assert key["height_px"] > max(s["y1"] for s in circles)


def test_legend_cannot_show_sizes_over_16px():
    """Why the key is drawn with shapes: the vendored plotly.js clamps legend marker sizes to 2-16 px."""
    from pathlib import Path

    js = (Path(__file__).resolve().parents[1] / "assets/vendor/plotly-geo-4.1.1.min.js").read_text(
        encoding="utf-8"
    )
    assert 're("marker.size",ni.mean,[2,16],pF)' in js
    assert np.all(np.array(size_key_layout(100, 2000)["diameters"][1:]) > 16)
