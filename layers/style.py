"""One place for colours, symbols, sizes and fonts: map, legend, table and export all read them here."""

from __future__ import annotations

import functools
import math

FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

# --- point colours ---------------------------------------------------------------
# Points are coloured by sector (geodata/sectors.yaml): ten hues a reader can tell apart.
# Okabe-Ito's seven hues, its yellow darkened to L* 86 (visible on the cream prefecture fill,
# and below every area colour's lightness), plus black (钢铁 = 黑色金属), a dark grey for the
# plans' general / mixed industry, and brick for building materials.
# Closest pair (CIEDE2000, layers/colour.py): 20.5 (orange/yellow); simulated deuteranopia 9.5,
# protanopia 12.3, tritanopia 11.1 (Machado 2009). tests/test_palette.py keeps it >= 15 / >= 8.
SECTOR_COLOURS = {
    "equipment_mfg": "#0072B2",  # blue
    "consumer": "#E69F00",  # orange
    "general": "#555555",  # dark grey: no one sector
    "green_tech": "#009E73",  # bluish green
    "chem_energy": "#CC79A7",  # reddish purple
    "metallurgy": "#000000",  # black
    "digital": "#56B4E9",  # sky blue
    "services": "#E7DB38",  # yellow, darkened
    "health": "#D55E00",  # vermillion
    "building_materials": "#863C2A",  # brick
}
# When the user filters to a few industries, those industries get these, in filter order
# (closest pair 20.5, the same orange/yellow).
INDUSTRY_FOCUS_PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#E7DB38",
    "#000000",
]
INDUSTRY_FOCUS_MAX = len(INDUSTRY_FOCUS_PALETTE)


def point_colour_key(filtered_industries: tuple[str, ...] = ()) -> tuple[str, dict[str, str]]:
    """How points are coloured: ("industry", {code: colour}) when the user filtered to 1-8 industries
    (in filter order), else ("sector", SECTOR_COLOURS). `layers.sectors.colour_code` picks the key per point."""
    codes = list(dict.fromkeys(c for c in filtered_industries if c))
    if 0 < len(codes) <= INDUSTRY_FOCUS_MAX:
        return "industry", dict(zip(codes, INDUSTRY_FOCUS_PALETTE))
    return "sector", dict(SECTOR_COLOURS)


# --- area colours -------------------------------------------------------------------
# Zones, belts and groups: light, low-chroma fills that never compete with the points.
# Chosen by farthest-point sampling in CIELAB over L* 88-95, C* <= 28, at least 8.5 away from the
# prefecture fills and white, spreading first by min(normal, 2 x deuteranopia, 2 x protanopia)
# so that short prefixes suit colour-blind readers too (first 3: 25.7 normal, >= 11.4 simulated).
# 9 colours, closest pair 10.5; all lighter (L* >= 88) than every point colour (L* <= 86) and
# >= 18 from each of them. Beyond 9, colours repeat with another outline dash:
# plotly's choropleth has no fill pattern, so outlines and labels carry identity.
AREA_PALETTE = [
    "#9CECDC",
    "#FDDAAE",
    "#D3DCFF",
    "#E6F6D9",
    "#D4F3FD",
    "#FFE5EB",
    "#FED4C3",
    "#F9D1F4",
    "#97EAF6",
]
AREA_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
AREA_PATTERNS = ["", "/", "\\", "x", ".", "+", "-", "|"]  # for bar charts / export, where fills take patterns


def area_palette(n: int) -> list[str]:
    """n area fill colours: pairwise distinct (CIEDE2000 >= 10) up to len(AREA_PALETTE), then repeating."""
    return [AREA_PALETTE[i % len(AREA_PALETTE)] for i in range(max(0, n))]


@functools.lru_cache(maxsize=256)  # a few palette colours, asked for every shown area on every filter change
def area_outline(fill: str) -> str:
    """A darker colour of the same hue for an area's outline and label (L* 45, chroma x 1.6)."""
    from layers.colour import (
        hex_to_lab,
        lab_to_hex,
    )  # local: style stays importable without numpy work at import

    lab = hex_to_lab(fill)
    return lab_to_hex([45.0, lab[1] * 1.6, lab[2] * 1.6])


def area_style(i: int) -> dict[str, str]:
    """Fill, outline and dash of the i-th area shown: colour cycles first, then the dash changes."""
    n = len(AREA_PALETTE)
    fill = AREA_PALETTE[i % n]
    return {
        "fill": fill,
        "outline": area_outline(fill),
        "dash": AREA_DASHES[(i // n) % len(AREA_DASHES)],
        "pattern": AREA_PATTERNS[(i // n) % len(AREA_PATTERNS)],
    }


NO_INDUSTRY_COLOUR = "#7f7f7f"

AREA_FILL_ALPHA = 0.55  # few areas: their light fills read clearly


def area_fill_alpha(n_shown: int) -> float:
    """Fill opacity of zones and belts: a few are filled, many overlapping ones fade to outlines,
    so that stacked fills never bury the points (the plans' zones overlap heavily)."""
    if n_shown <= 6:
        return AREA_FILL_ALPHA
    return round(max(0.06, AREA_FILL_ALPHA * 6 / n_shown), 3)


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


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
MARK_LABEL_COLOUR = "#222222"
LABEL_HALO = (
    "1px 1px 1px #fff, -1px -1px 1px #fff, 1px -1px 1px #fff, -1px 1px 1px #fff"  # white halo behind names
)

# Marker size by revenue target (亿元): area-true, diameter = SIZE_MAX * sqrt(value / vmax),
# where vmax is the largest target in view (size_vmax), so nothing below it is ever capped.
# The floor keeps a small target visible; it bites only below vmax * (SIZE_FLOOR / SIZE_MAX)^2
# (80 亿 when vmax is the plans' largest, 2,000 亿), i.e. never for the plans' 100 亿 and up.
SIZE_NO_TARGET = 7  # points without a revenue target: smaller than any target mark
SIZE_FLOOR = 8
SIZE_MAX = 40
SIZE_VMAX_FLOOR = 500  # a view showing only small targets does not blow a 100 亿 mark up to SIZE_MAX
SIZE_VMAX_DEFAULT = 2000

# Presentation for a room (?present=1, the Present button): every size the map draws -- marks, the
# size key, labels, the legend -- is this many times the laptop's, drawn by the server so that labels
# are placed for the text the room sees (MapOptions.scale). The legend may stay smaller when it
# would not fit the map's height (layers/figure.legend_font).
PRESENT_SCALE = 1.5


def size_vmax(values) -> float:
    """The value drawn at SIZE_MAX: the largest finite target among those shown (at least SIZE_VMAX_FLOOR)."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v)) and float(v) > 0]
    return max([SIZE_VMAX_FLOOR, *finite])


def marker_size(revenue_yi: float | None, vmax: float | None = None, factor: float = 1.0) -> float:
    """Marker diameter in px for a revenue target in 亿元: area proportional to the value.
    `factor`: the presentation scale (1 on a laptop), applied to every diameter alike."""
    if revenue_yi is None or not revenue_yi > 0 or not math.isfinite(revenue_yi):
        return float(SIZE_NO_TARGET * factor)
    vmax = SIZE_VMAX_DEFAULT if vmax is None else vmax
    return float(max(SIZE_FLOOR, SIZE_MAX * math.sqrt(revenue_yi / vmax)) * factor)


def _nice_steps(lo: float, hi: float) -> list[float]:
    """1-2-5 values from the first at or above lo to the last at or below hi."""
    out, e = [], math.floor(math.log10(lo))
    while True:
        for m in (1, 2, 5):
            v = m * 10.0**e
            if v > hi * (1 + 1e-9):
                return out
            if v >= lo * (1 - 1e-9):
                out.append(int(v) if v >= 1 else v)
        e += 1


def size_key_values(vmin: float, vmax: float, scale: float | None = None) -> list[float]:
    """3-4 round values (1-2-5 steps) for the size key, spread over the targets shown [vmin, vmax],
    e.g. 100, 500, 2,000. `scale` is the vmax given to marker_size (default vmax); values it would
    draw at the floor size are left out, so every circle in the key is drawn to scale."""
    vmax = max(float(vmax), 1.0)
    scale = vmax if scale is None else float(scale)
    true_from = scale * (SIZE_FLOOR / SIZE_MAX) ** 2  # below this, marker_size returns the floor
    lo = min(max(float(vmin), true_from, 1.0), vmax)
    steps = _nice_steps(lo, vmax)
    if len(steps) < 3:  # a narrow range: take the round values around it that are drawn to scale
        ladder = _nice_steps(max(true_from, 1.0), max(vmax, scale))
        top = max([i for i, v in enumerate(ladder) if v <= vmax] or [0])
        start = max(0, min(top - 2, len(ladder) - 3))
        steps = ladder[start : start + 3]
    if len(steps) <= 4:
        return steps
    k = 3 if len(steps) <= 5 else 4
    idx = sorted({round(i * (len(steps) - 1) / (k - 1)) for i in range(k)})
    return [steps[i] for i in idx]


def size_key(
    vmin: float, vmax: float, scale: float | None = None, factor: float = 1.0
) -> list[tuple[float, float]]:
    """(value, diameter px) for the size key, drawn by the same marker_size (and factor) as the marks."""
    scale = vmax if scale is None else scale
    return [(v, marker_size(v, scale, factor)) for v in size_key_values(vmin, vmax, scale)]
