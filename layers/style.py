"""One place for colours, symbols, sizes and fonts: map, legend, table and export all read them here."""
from __future__ import annotations

import math

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

# Okabe-Ito (colour-blind safe) first, then ColorBrewer Dark2 and muted extras.
# Industries are given colours in vocabulary order; the most common industries
# come first in geodata/industries.yaml so they get the most distinct hues.
PALETTE = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    "#1B9E77", "#7570B3", "#E7298A", "#66A61E", "#A6761D", "#666666", "#D95F02", "#1F78B4",
    "#B15928", "#6A3D9A", "#33A02C", "#FB9A99", "#CAB2D6", "#8DD3C7", "#BEBADA", "#80B1D3",
    "#FDB462", "#B3DE69", "#FCCDE5", "#BC80BD", "#CCEBC5", "#FFED6F", "#9E0142", "#5E4FA2",
    "#3288BD",
]
NO_INDUSTRY_COLOUR = "#7f7f7f"

# Record kinds: marker symbols for points, fill colours for areas, colours for lines.
KIND_SYMBOLS = {
    "base": "circle", "park": "square", "new_area": "star", "cluster": "diamond",
    "city_role": "triangle-up", "project": "x",
}
AREA_COLOURS = {"zone": "#4C72B0", "belt": "#DD8452", "group": "#55A868"}
AREA_FILL_ALPHA = 0.22


def area_fill_alpha(n_shown: int) -> float:
    """Fill opacity of zones and belts: a few are filled, many overlapping ones fade to outlines,
    so that stacked fills never bury the points (the plans' zones overlap heavily)."""
    if n_shown <= 6:
        return AREA_FILL_ALPHA
    return round(max(0.015, AREA_FILL_ALPHA * 6 / n_shown), 3)


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"
LINE_COLOURS = {"axis": "#8B1A1A", "corridor": "#6A3D9A"}

# Base map: quiet, so colour is kept for plan elements.
CONTEXT_FILL = "#ececec"
CONTEXT_LINE = "#ffffff"
PREFECTURE_FILL = "#faf7f0"
PREFECTURE_LINE = "#bdb6a6"
PREFECTURE_SELECTED_FILL = "#fff3c4"
PROVINCE_LINE = "#555555"
COUNTY_LINE = "#d8d2c4"
LABEL_COLOUR = "#444444"
CONTEXT_LABEL_COLOUR = "#9a9a9a"
HIGHLIGHT = "#ff2d55"

# Marker size by revenue target: area proportional to the target, between bounds.
SIZE_NO_TARGET = 9
SIZE_MIN, SIZE_MAX = 11, 34
SIZE_LEGEND_TIERS = (100, 500, 1000, 5000)


def industry_colours(codes: list[str]) -> dict[str, str]:
    """Code -> colour, in vocabulary order (stable for every figure and table)."""
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def marker_size(revenue_yi: float | None) -> float:
    """Marker diameter in px for a revenue target in 亿元 (area ~ value)."""
    if revenue_yi is None or not revenue_yi > 0:
        return SIZE_NO_TARGET
    # 100 亿 -> SIZE_MIN, 10000 亿 -> SIZE_MAX, area-true in between
    d = SIZE_MIN * math.sqrt(revenue_yi / 100.0)
    return float(min(SIZE_MAX, max(SIZE_MIN, d)))
