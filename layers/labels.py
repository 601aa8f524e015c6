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
DISPLACE_EM = 1.75  # how much further out a displaced label sits, in font sizes: clear of its own line box
CJK_EM, LATIN_EM, LINE_EM = 1.0, 0.55, 1.45  # 1.45: chromium's text box for Noto Sans CJK (measured)
# Where that box's top sits, in em from the point plotly draws a text-only trace's text at, by the
# textposition's vertical part (below / middle / above; measured in chromium): plotly places lines by
# their glyphs, so the box reaches 0.4 em above a text "below" its point.
BOX_TOP_EM = {1: -0.4, 0: -0.9, -1: -1.4}

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
def text_size(text: str, font_size: float) -> tuple[float, float]:
    """Estimated (width, height) px of one line: CJK and full-width about 1 em, the rest about 0.55 em."""
    # ambiguous-width marks (“ ” …) are drawn full width by the CJK font the map uses (measured)
    ems = sum(CJK_EM if unicodedata.east_asian_width(ch) in "WFA" else LATIN_EM for ch in text)
    return ems * font_size, LINE_EM * font_size


def centred_box(x: float, y: float, text: str, font_size: float) -> tuple[float, float, float, float]:
    """The box of a text drawn "middle center" at (x, y): prefecture labels as obstacles."""
    w, h = text_size(text, font_size)
    top = y + BOX_TOP_EM[0] * font_size
    return (x - w / 2, top, x + w / 2, top + h)


def textposition(h: int, v: int) -> str:
    return f"{_V_WORD[v]} {_H_WORD[h]}"


def _box(x, y, w, h, direction, gap):
    """Box of a w x h label beside a marker at (x, y), `gap` px from its centre, towards `direction`."""
    dh, dv = direction
    g = gap / math.sqrt(2) if dh and dv else gap  # diagonals: the box corner on the circle
    x0 = x + g if dh > 0 else (x - g - w if dh < 0 else x - w / 2)
    y0 = y + g if dv > 0 else (y - g - h if dv < 0 else y - h / 2)
    return (x0, y0, x0 + w, y0 + h)


def _text_anchor(box, direction) -> tuple[float, float]:
    """Where a plotly text-only trace with this textposition must sit to draw the text in `box`.

    plotly lays text out from its point with no offset when the trace has no
    markers: "middle right" starts at the point, "top center" ends above it.
    """
    x0, y0, x1, y1 = box
    dh, dv = direction
    x = x0 if dh > 0 else (x1 if dh < 0 else (x0 + x1) / 2)
    y = y0 - BOX_TOP_EM[dv] * (y1 - y0) / LINE_EM  # the box's top is BOX_TOP_EM from the text's point
    return x, y


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


def _hits(box, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    x0, y0, x1, y1 = box
    return bool(
        (
            (boxes[:, 0] < x1 + GAP)
            & (x0 - GAP < boxes[:, 2])
            & (boxes[:, 1] < y1 + GAP)
            & (y0 - GAP < boxes[:, 3])
        ).any()
    )


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
        best = None
        for direction, gap, leader in tries:
            box = _box(c.x, c.y, w, h, direction, gap)
            if box[0] < fx0 or box[1] < fy0 or box[2] > fx1 or box[3] > fy1:
                continue
            if _hits(box, taken) or _hits(box, blocked):
                continue
            hidden = _covered(box, centres, (c.x, c.y))
            if best is None or hidden < best[0]:
                best = (hidden, direction, box, leader)
            if hidden == 0:
                break
        if best is None:
            continue
        _, direction, box, leader = best
        ax, ay = _text_anchor(box, direction)
        out.append(Placed(c.text, c.key, ax, ay, textposition(*direction), box, leader, (c.x, c.y)))
        taken = np.vstack([taken, box])
        texts.add(c.text)
    return out


def keep_apart(boxes, order) -> list[bool]:
    """Which of these fixed boxes (names drawn where they are, e.g. the prefectures') to keep so that
    none touches another: greedily, in `order` (indices, most wanted first)."""
    kept, taken = [False] * len(boxes), np.empty((0, 4))
    for i in order:
        if not _hits(boxes[i], taken):
            kept[i] = True
            taken = np.vstack([taken, boxes[i]])
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
