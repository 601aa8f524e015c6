"""Where each point mark is drawn: inside its own unit, never in a neighbour's.

The plans name dozens of elements at one prefecture with no county (70 at
石家庄市, 52 at 郑州市), so their marks share one coordinate. A fixed angular
fan-out in degrees pushed many of them into the next prefecture or province.

Approach: a hexagonal lattice clipped to the unit, in projected metres.
- Work in an Albers equal-area projection centred on the two provinces
  (CRS below): a kilometre is a kilometre everywhere, so one spacing reads the
  same in the north of Hebei and the south of Henan.
- The lattice is anchored at the unit's representative point (the label point
  the boundary layer carries) and clipped to the unit's polygon shrunk by a
  margin. Marks take the lattice points nearest the centre, the most important
  mark (largest revenue target, then kind, then id) at the centre itself.
- Why a clipped hex lattice rather than a sunflower spiral: a hex lattice keeps
  every pair of marks at least one spacing apart by construction, and clipping
  it to a concave or thin unit just drops points; a clipped spiral leaves holes
  and loses its even spacing once renumbered.
- When a unit is too small for its marks, the spacing shrinks step by step to
  FLOOR_M; past that the margin shrinks to MIN_MARGIN_M (so the marks use the
  whole unit); only then does the spacing go below the floor. A mark is never
  placed outside its unit.
- County marks are placed first, then prefecture marks, then province marks;
  each later mark skips lattice points already next to a placed mark, so a
  prefecture's cluster does not sit on top of its counties' marks.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from layers.elements import UnitGeometry

CRS = "+proj=aea +lat_1=30 +lat_2=42 +lat_0=36 +lon_0=114 +datum=WGS84 +units=m"
SPACING_M = 9_000.0  # ~ one marker diameter at the default view (~1.1 km per px)
FLOOR_M = 2_500.0  # closest two marks of one unit may get (tiny urban districts)
MARGIN_M = 2_500.0  # keep marks this far inside the unit's border
MIN_MARGIN_M = 150.0  # survives the figure's 4-decimal (~10 m) rounding and 1e-3° border precision
SHRINK = 0.85  # spacing step when a lattice does not fit
AVOID = 0.8  # a lattice point this close (x spacing) to an earlier mark is taken
KIND_ORDER = ("base", "new_area", "park", "cluster", "project", "city_role")
LEVEL_ORDER = {"county": 0, "prefecture": 1, "province": 2}

_TO_M = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
_TO_DEG = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


def to_metres(geom):
    return shapely.transform(geom, lambda xy: np.column_stack(_TO_M.transform(xy[:, 0], xy[:, 1])))


def lonlat_to_metres(lon, lat) -> np.ndarray:
    x, y = _TO_M.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.column_stack([x, y])


def metres_to_lonlat(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xy = np.asarray(xy, float).reshape(-1, 2)
    lon, lat = _TO_DEG.transform(xy[:, 0], xy[:, 1])
    return np.asarray(lon), np.asarray(lat)


def hex_lattice(polygon_m, centre_m, spacing_m: float) -> np.ndarray:
    """Lattice points inside `polygon_m`, nearest `centre_m` first (ties by angle, so it is deterministic)."""
    if polygon_m.is_empty:
        return np.empty((0, 2))
    cx, cy = centre_m
    x0, y0, x1, y1 = polygon_m.bounds
    row_h = spacing_m * math.sqrt(3) / 2
    j = np.arange(math.floor((y0 - cy) / row_h), math.ceil((y1 - cy) / row_h) + 1)
    # rows alternate half a spacing, so neighbours sit at 60° and all six are one spacing away
    shift = (j % 2) * spacing_m / 2
    i_lo = math.floor((x0 - cx) / spacing_m) - 1
    i = np.arange(i_lo, math.ceil((x1 - cx) / spacing_m) + 2)
    xs = cx + i[None, :] * spacing_m + shift[:, None]
    ys = np.broadcast_to(cy + j[:, None] * row_h, xs.shape)
    xs, ys = xs.ravel(), ys.ravel()
    inside = shapely.contains_xy(polygon_m, xs, ys)
    pts = np.column_stack([xs[inside], ys[inside]])
    d = np.hypot(pts[:, 0] - cx, pts[:, 1] - cy).round(3)
    ang = np.arctan2(pts[:, 1] - cy, pts[:, 0] - cx).round(9)
    return pts[np.lexsort((ang, d))]


def _free(pts: np.ndarray, avoid: np.ndarray | None, radius: float) -> np.ndarray:
    if avoid is None or not len(avoid) or not len(pts):
        return pts
    d2 = ((pts[:, None, :] - avoid[None, :, :]) ** 2).sum(axis=2).min(axis=1)
    return pts[d2 >= radius * radius]


def _inner(polygon_m, margin_m: float):
    """The polygon shrunk by `margin_m`, or by less when that would leave nothing (small units)."""
    m = margin_m
    while m > MIN_MARGIN_M:
        inner = polygon_m.buffer(-m)
        if not inner.is_empty and inner.area > 0:
            return inner
        m /= 2
    return polygon_m.buffer(-MIN_MARGIN_M)


def pack_in_polygon(
    polygon_m,
    centre_m,
    n: int,
    spacing_m: float = SPACING_M,
    *,
    floor_m: float = FLOOR_M,
    margin_m: float = MARGIN_M,
    avoid: np.ndarray | None = None,
) -> np.ndarray:
    """n positions (metres) inside `polygon_m` on a hex lattice around `centre_m`, nearest first.

    Spacing starts at `spacing_m` and shrinks to `floor_m` if the unit is too
    small; then the margin gives way; only as a last resort does spacing go
    below the floor. `avoid`: marks already placed (other units), whose
    neighbourhood is skipped while there is room elsewhere.
    """
    if n <= 0:
        return np.empty((0, 2))
    inner = _inner(polygon_m, margin_m)
    tight = polygon_m.buffer(-MIN_MARGIN_M)
    if tight.is_empty:  # a unit narrower than 300 m: use its own representative point
        tight = inner = polygon_m.buffer(0)
    s = max(spacing_m, floor_m)
    while s > floor_m:  # 1. the full margin, spacing shrinking to the floor
        free = _free(hex_lattice(inner, centre_m, s), avoid, AVOID * s)
        if len(free) >= n:
            return free[:n]
        s = max(s * SHRINK, floor_m)
    s = floor_m
    while s > floor_m / 64:  # 2. at the floor the margin gives way; 3. then the spacing, below the floor
        for region in (inner, tight):
            lattice = hex_lattice(region, centre_m, s)
            free = _free(lattice, avoid, AVOID * s)
            if len(free) >= n:
                return free[:n]
            if (
                len(lattice) >= n
            ):  # crowded by other units' marks: sit among them, still apart from each other
                return lattice[:n]
        s *= SHRINK
    # nothing fits even at 1/64 of the floor: a unit with no area to speak of
    p = tight.representative_point()
    return np.repeat([[p.x, p.y]], n, axis=0)


def importance_order(elements: pd.DataFrame) -> np.ndarray:
    """Row positions, most important first: revenue target desc (none last), kind, id."""
    rev = elements["revenue_yi"].to_numpy(dtype=float)
    kind = elements["kind"].map({k: i for i, k in enumerate(KIND_ORDER)}).fillna(len(KIND_ORDER)).to_numpy()
    ids = elements["id"].astype(str).to_numpy()
    return np.lexsort((ids, kind, np.where(np.isnan(rev), np.inf, -rev)))


def _level(key: str, prefectures: set) -> str:
    if "/" in key:
        return "county"
    return "prefecture" if key in prefectures else "province"


def place_marks(elements: pd.DataFrame, boundaries, spacing_m: float = SPACING_M) -> pd.DataFrame:
    """One row per drawn point mark: row (position in `elements`), id, unit, lon, lat, rank in its unit.

    Rows come in element order, then in the order of each element's points, the
    order the figure walks them. Positions do not depend on the row order of
    `elements`: ranks follow importance, units are laid out by level then key.
    """
    geo = UnitGeometry(boundaries)
    prefectures = set(boundaries["prefectures"]["name"])
    points = elements["drawn_as"].to_numpy() == "point"
    order = importance_order(elements)
    members: dict[str, list[tuple[int, int]]] = {}  # unit -> [(row, point index)], most important first
    for k in order:
        if points[k]:
            for p, unit in enumerate(elements["point_units"].iat[k]):
                members.setdefault(unit, []).append((int(k), p))
    placed: dict[tuple[int, int], tuple[str, int, float, float]] = {}
    taken = np.empty((0, 2))
    for unit in sorted(members, key=lambda u: (LEVEL_ORDER[_level(u, prefectures)], u)):
        rows = members[unit]
        centre = lonlat_to_metres(*geo.point[unit])[0]
        xy = pack_in_polygon(to_metres(geo.poly[unit]), centre, len(rows), spacing_m, avoid=taken)
        taken = np.vstack([taken, xy])
        lon, lat = metres_to_lonlat(xy)
        for rank, (rk, a, b) in enumerate(zip(rows, lon, lat)):
            placed[rk] = (unit, rank, float(a), float(b))
    out = []
    ids = elements["id"].to_numpy()
    for k in np.nonzero(points)[0]:
        for p in range(len(elements["point_units"].iat[k])):
            unit, rank, lon, lat = placed[(int(k), p)]
            out.append((int(k), ids[k], unit, lon, lat, rank))
    return pd.DataFrame(out, columns=["row", "id", "unit", "lon", "lat", "rank"])
