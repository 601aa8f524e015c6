"""Element labels that never collide: greedy placement in screen pixels.

The map is plotly's geo Mercator with lonaxis/lataxis ranges set: plotly scales
the ranges' Mercator box to fit the frame (keeping the aspect) and puts the
ranges' mean longitude and mean latitude at the frame's centre (checked against
a kaleido render in tests/test_labels.py). `project`/`unproject` reproduce that,
so labels are laid out in the pixels the reader sees.

Placement is the usual greedy one: candidates by priority (selected, revenue
target, kind), eight positions at the marker's edge (right, left, above, below,
diagonals), the first that overlaps no placed label, no obstacle (prefecture
labels, legend) and stays in the frame wins; failing those, the same eight
directions further out with a leader line; stop when the zoom's budget is spent.
Given the markers' centres, a position that hides none of them is preferred.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np

KIND_ORDER = ("base", "new_area", "park", "cluster", "project", "city_role")
PAD = 2.0  # px between the marker's edge and its label
GAP = 1.0  # px kept between two labels (and a label and an obstacle)
DISPLACE_EM = 2.0  # how much further out a displaced label sits, in font sizes (clears a 1.45 em box)
CJK_EM, LATIN_EM = 1.0, 0.65  # em: CJK and full-width glyphs; a Latin letter not in LATIN_WIDTHS
# Advance widths (em) of the page font's Latin glyphs (Noto Sans CJK SC at 100 px in chromium),
# rounded up to 0.05 em: at 11 px a label's box is at most ~0.5 px per letter wider than drawn.
# Its "…", curly quotes and "·" are CJK glyphs, 1 em wide (they are "ambiguous" in Unicode).
_WIDTH_GROUPS = {
    0.25: " ",
    0.3: "',.:;Iijl|",
    0.35: "!()-[]ft{}",
    0.4: "/\\r",
    0.45: "*",
    0.5: '"?Ycsxz',
    0.55: "FJLTVekvy–",
    0.6: "0123456789#$+<=>ESXZ^_abgo~",
    0.65: "ABCKPR`dhnpqu",
    0.7: "&DG",
    0.75: "HNOQU",
    0.85: "Mw",
    0.9: "W—",
    0.95: "%@m",
}
LATIN_WIDTHS = {ch: em for em, chars in _WIDTH_GROUPS.items() for ch in chars}
# The box plotly's text occupies (its SVG bounding box: the font's ascent + descent), 1.45 em tall,
# and where its bottom falls below the trace's point for each vertical textposition (chromium).
LINE_EM = 16 / 11
BOTTOM_EM = {-1: 0.04, 0: 0.55, 1: 1.05}  # v: -1 "top", 0 "middle", 1 "bottom"

# (h, v): h -1 left / 0 centre / 1 right, v -1 above / 0 middle / 1 below; the order they are tried
DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))
_V_WORD = {-1: "top", 0: "middle", 1: "bottom"}
_H_WORD = {-1: "left", 0: "center", 1: "right"}


# --- projection ----------------------------------------------------------------
def _merc(lat):
    lat = np.clip(np.asarray(lat, float), -85.0, 85.0)
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _frame(view, width: float, height: float):
    lon0, lat0, lon1, lat1 = view
    k = min(width / math.radians(lon1 - lon0), height / float(_merc(lat1) - _merc(lat0)))
    return k, math.radians((lon0 + lon1) / 2), float(_merc((lat0 + lat1) / 2))


def project(lon, lat, view, width: float, height: float):
    """lon/lat -> px (x right, y down) in a width x height map with geo ranges `view` = (lon0, lat0, lon1, lat1)."""
    k, cx, cy = _frame(view, width, height)
    x = width / 2 + k * (np.radians(np.asarray(lon, float)) - cx)
    y = height / 2 - k * (_merc(lat) - cy)
    return x, y


def unproject(x, y, view, width: float, height: float):
    """px -> lon/lat, the inverse of `project`."""
    k, cx, cy = _frame(view, width, height)
    lon = np.degrees(cx + (np.asarray(x, float) - width / 2) / k)
    lat = np.degrees(2 * np.arctan(np.exp(cy - (np.asarray(y, float) - height / 2) / k)) - np.pi / 2)
    return lon, lat


# --- boxes -----------------------------------------------------------------------
def _char_em(ch: str) -> float:
    if ch in LATIN_WIDTHS:
        return LATIN_WIDTHS[ch]
    return CJK_EM if unicodedata.east_asian_width(ch) in "WFA" else LATIN_EM


def text_size(text: str, font_size: float) -> tuple[float, float]:
    """(width, height) px of one line as the browser draws it (its SVG bounding box, see LATIN_WIDTHS)."""
    return sum(_char_em(ch) for ch in text) * font_size, LINE_EM * font_size


def centred_box(x: float, y: float, text: str, font_size: float) -> tuple[float, float, float, float]:
    """The box of a text drawn "middle center" at (x, y): prefecture labels as obstacles."""
    w, h = text_size(text, font_size)
    y1 = y + BOTTOM_EM[0] * font_size
    return (x - w / 2, y1 - h, x + w / 2, y1)


def textposition(h: int, v: int) -> str:
    return f"{_V_WORD[v]} {_H_WORD[h]}"


def _box(x, y, w, h, direction, gap):
    """Box of a w x h label beside a marker at (x, y), `gap` px from its centre, towards `direction`."""
    dh, dv = direction
    g = gap / math.sqrt(2) if dh and dv else gap  # diagonals: the box corner on the circle
    x0 = x + g if dh > 0 else (x - g - w if dh < 0 else x - w / 2)
    y0 = y + g if dv > 0 else (y - g - h if dv < 0 else y - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def _text_anchor(box, direction, font_size: float) -> tuple[float, float]:
    """Where a plotly text-only trace with this textposition must sit to draw the text in `box`.

    plotly lays text out from its point with no offset when the trace has no
    markers: "middle right" starts at the point, "top center" ends about at it;
    vertically the font's box sits as BOTTOM_EM says.
    """
    x0, y0, x1, y1 = box
    dh, dv = direction
    x = x0 if dh > 0 else (x1 if dh < 0 else (x0 + x1) / 2)
    return x, y1 - BOTTOM_EM[dv] * font_size


# --- placement -------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    text: str
    x: float  # marker centre, px
    y: float
    radius: float = 0.0  # marker radius, px
    font_size: float = 12.0  # px
    selected: bool = False
    revenue_yi: float = float("nan")
    kind: str = ""
    key: str = ""  # the element id, handed back in Placed


@dataclass(frozen=True)
class Placed:
    text: str
    key: str
    x: float  # px where a mode="text" trace with `textposition` draws the text in `box`
    y: float
    textposition: str  # plotly's terms: "middle right", "top center" ...
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 px (y down)
    leader: bool  # displaced: draw a line from `anchor` to the box
    anchor: tuple[float, float]  # the marker centre


def priority(c: Candidate) -> tuple:
    """Sort key: selected first, then larger revenue target (none last), then kind, then id."""
    rev = -c.revenue_yi if c.revenue_yi == c.revenue_yi else math.inf  # NaN: no target
    kind = KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER else len(KIND_ORDER)
    return (not c.selected, rev, kind, c.key, c.text)


def _hits(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each box (k x 4), whether it comes within GAP of any of `others` (one numpy pass for all
    of a label's positions: a selection re-places the labels, and this was most of its time)."""
    if not len(others):
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], others[None, :, :]
    return (
        (o[..., 0] < b[..., 2] + GAP)
        & (b[..., 0] - GAP < o[..., 2])
        & (o[..., 1] < b[..., 3] + GAP)
        & (b[..., 1] - GAP < o[..., 3])
    ).any(axis=1)


def _covered(box, marks: np.ndarray, own: tuple[float, float]) -> int:
    """How many other markers' centres the box hides."""
    if not len(marks):
        return 0
    x0, y0, x1, y1 = box
    inside = (marks[:, 0] >= x0) & (marks[:, 0] <= x1) & (marks[:, 1] >= y0) & (marks[:, 1] <= y1)
    inside &= (marks[:, 0] != own[0]) | (marks[:, 1] != own[1])
    return int(inside.sum())


def map_box(view, width: float, height: float) -> tuple[float, float, float, float]:
    """The part of the frame plotly draws (and clips text to): the ranges' Mercator box, scaled and centred.

    plotly centres this box in the frame, though it puts the mean latitude (not
    the Mercator middle) at the centre: the drawn map is this box, not the
    projected corners of the ranges.
    """
    lon0, lat0, lon1, lat1 = view
    k = _frame(view, width, height)[0]
    half_w = k * math.radians(lon1 - lon0) / 2
    half_h = k * float(_merc(lat1) - _merc(lat0)) / 2
    return (width / 2 - half_w, height / 2 - half_h, width / 2 + half_w, height / 2 + half_h)


def place_labels(
    candidates,
    obstacles,
    width: float,
    height: float,
    budget: int,
    *,
    frame: tuple[float, float, float, float] | None = None,
    marks=(),
) -> list[Placed]:
    """Greedy labels, highest priority first: no overlaps, none on an obstacle, all inside the frame.

    obstacles: boxes (x0, y0, x1, y1) px no label may touch (prefecture labels, the legend).
    frame: the drawable box, (0, 0, width, height) unless given (see `map_box`).
    marks: marker centres (x, y) px; a position hiding none of them is preferred,
    even at the cost of a leader line, but a label may cover a marker when
    nothing else fits. A name already labelled is not labelled again.
    """
    fx0, fy0, fx1, fy1 = frame if frame is not None else (0.0, 0.0, float(width), float(height))
    blocked = np.asarray(list(obstacles), float).reshape(-1, 4)
    centres = np.asarray(list(marks), float).reshape(-1, 2)
    taken = np.empty((0, 4))
    texts: set[str] = set()
    out: list[Placed] = []
    for c in sorted(candidates, key=priority):
        if len(out) >= budget:
            break
        if c.text in texts or not (fx0 <= c.x <= fx1 and fy0 <= c.y <= fy1):
            continue  # named already, or its marker is off the map
        w, h = text_size(c.text, c.font_size)
        near = c.radius + PAD
        tries = [(d, near, False) for d in DIRECTIONS]
        tries += [(d, near + DISPLACE_EM * c.font_size, True) for d in DIRECTIONS]
        boxes = np.array([_box(c.x, c.y, w, h, direction, gap) for direction, gap, _ in tries])
        free = (boxes[:, 0] >= fx0) & (boxes[:, 1] >= fy0) & (boxes[:, 2] <= fx1) & (boxes[:, 3] <= fy1)
        free &= ~_hits(boxes, taken) & ~_hits(boxes, blocked)
        best = None
        for i in np.nonzero(free)[0]:
            direction, _, leader = tries[i]
            box = tuple(float(v) for v in boxes[i])
            hidden = _covered(box, centres, (c.x, c.y))
            if best is None or hidden < best[0]:
                best = (hidden, direction, box, leader)
            if hidden == 0:
                break
        if best is None:
            continue
        _, direction, box, leader = best
        ax, ay = _text_anchor(box, direction, c.font_size)
        out.append(Placed(c.text, c.key, ax, ay, textposition(*direction), box, leader, (c.x, c.y)))
        taken = np.vstack([taken, box])
        texts.add(c.text)
    return out


def keep_apart(boxes, order) -> list[bool]:
    """Which of these fixed boxes (names drawn where they are, e.g. the prefectures') to keep so that
    none touches another: greedily, in `order` (indices, most wanted first)."""
    kept, taken = [False] * len(boxes), np.empty((0, 4))
    for i in order:
        box = np.asarray(boxes[i], dtype=float).reshape(1, 4)
        if not _hits(box, taken)[0]:
            kept[i] = True
            taken = np.vstack([taken, box])
    return kept


def label_budget(view_span_deg: float) -> int:
    """How many element labels a view can carry: ~12 for both provinces, ~25 for one, ~40 for a prefecture."""
    spans = np.log([1.5, 6.0, 11.6])
    return round(float(np.interp(math.log(max(view_span_deg, 1e-3)), spans, [40, 25, 12])))


def leader_line(p: Placed) -> tuple[tuple[float, float], tuple[float, float]]:
    """px ends of a displaced label's leader: the marker centre (drawn under the markers) and the box's
    nearest point."""
    ax, ay = p.anchor
    x0, y0, x1, y1 = p.box
    return (ax, ay), (min(max(ax, x0), x1), min(max(ay, y0), y1))
