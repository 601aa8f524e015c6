""" "What is here": everything the map shows at one spot, answered on the server.

plotly's geo subplot reports clicks only on trace points and choropleth features; the
page turns any click into lon/lat (the subplot's d3 projection `invert`) and asks
`HitIndex.what_is_here(lon, lat, px_m)`, where px_m is metres per screen pixel at the
current zoom, so tolerances are in pixels as the reader sees them.

Distances are measured in projected metres (UTM 50N, EPSG:32650: Hebei and Henan lie within
about 7 degrees of its central meridian, so scale error stays under 0.6 %).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import Point

METRIC_CRS = "EPSG:32650"
LINE_TOL_PX = 6  # axes and corridors: a click this close to the drawn line hits it
POINT_TOL_PX = 8  # point marks: this close to the mark's centre (or its rim, for large marks)


def metres_per_pixel(lon0: float, lon1: float, width_px: int, lat: float) -> float:
    """Ground metres per screen pixel of a Mercator map spanning lon0..lon1 over width_px at latitude lat."""
    return (lon1 - lon0) / width_px * 111_320.0 * math.cos(math.radians(lat))


class HitIndex:
    """STRtrees over prefectures, counties and the element geometries, in metres; built once per store."""

    def __init__(
        self,
        elements: pd.DataFrame,
        boundaries: dict,
        marks: pd.DataFrame | None = None,
        crs: str = METRIC_CRS,
    ):
        self._to_m = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self.elements = elements
        self._n = len(elements)
        self._info = [
            {
                "id": r["id"],
                "name": r["name"],
                "name_en": r.get("name_en") or "",
                "kind": r["kind"],
                "plan_number": r.get("plan_number", ""),
            }
            for r in elements[["id", "name", "name_en", "kind", "plan_number"]].to_dict("records")
        ]

        prefs = boundaries["prefectures"]
        self._pref_names = prefs["name"].tolist()
        self._pref_en = prefs["name_en"].tolist() if "name_en" in prefs else [""] * len(prefs)
        self._pref_geom = self._project(prefs.geometry.values)
        self._pref_tree = shapely.STRtree(self._pref_geom)
        counties = boundaries["counties"]
        self._county = counties[
            ["name", "prefecture"] + (["name_en"] if "name_en" in counties else [])
        ].to_dict("records")
        self._county_geom = self._project(counties.geometry.values)
        self._county_tree = shapely.STRtree(self._county_geom)

        drawn = elements["drawn_as"].to_numpy()
        geoms = elements.geometry.values
        self._area_rows = np.nonzero(drawn == "area")[0]
        self._area_geom = self._project(geoms[self._area_rows])
        shapely.prepare(self._area_geom)
        self._area_tree = shapely.STRtree(self._area_geom)
        self._area_km2 = shapely.area(self._area_geom) / 1e6
        self._line_rows = np.nonzero(drawn == "line")[0]
        self._line_geom = self._project(geoms[self._line_rows])
        self._line_tree = shapely.STRtree(self._line_geom)
        self.set_marks(marks)

    def _project(self, geoms) -> np.ndarray:
        def fn(xy: np.ndarray) -> np.ndarray:
            x, y = self._to_m.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(np.asarray(geoms, dtype=object), fn)

    def set_marks(self, marks: pd.DataFrame | None) -> None:
        """Point marks where they are drawn: a DataFrame with lon, lat and the element (an `elem`/`row`
        column holding the element's row position, or `id`), optionally `size` (diameter, px).
        None: the element geometries' own points (one per unit)."""
        if marks is None:
            rows, lon, lat = [], [], []
            for k in np.nonzero(self.elements["drawn_as"].to_numpy() == "point")[0]:
                g = self.elements.geometry.values[k]
                for p in getattr(g, "geoms", [g]):
                    rows.append(k)
                    lon.append(p.x)
                    lat.append(p.y)
            rows, lon, lat, size = np.array(rows, dtype=int), np.array(lon), np.array(lat), None
        else:
            col = next((c for c in ("elem", "row", "element", "element_row") if c in marks.columns), None)
            if col is not None:
                rows = marks[col].to_numpy(dtype=int)
            else:
                pos = {i: k for k, i in enumerate(self.elements["id"])}
                rows = np.array([pos[i] for i in marks["id"]], dtype=int)
            lon, lat = marks["lon"].to_numpy(dtype=float), marks["lat"].to_numpy(dtype=float)
            size = marks["size"].to_numpy(dtype=float) if "size" in marks.columns else None
        x, y = self._to_m.transform(lon, lat)
        self._mark_rows = rows
        self._mark_radius_px = np.zeros(len(rows)) if size is None else size / 2
        self._mark_geom = shapely.points(np.column_stack([x, y])) if len(rows) else np.array([], dtype=object)
        self._mark_tree = shapely.STRtree(self._mark_geom)

    def _item(self, row: int, distance_m: float, px_m: float, **extra) -> dict:
        return {
            **self._info[row],
            "row": int(row),
            "distance_m": round(float(distance_m), 1),
            "distance_px": round(float(distance_m) / px_m, 1),
            **extra,
        }

    def _unit_at(self, tree, geoms, spot: Point, reach_m: float) -> int | None:
        """The polygon containing the spot; else the nearest within reach (gaps of simplified borders)."""
        hits = tree.query(spot, predicate="intersects")
        if len(hits):
            return int(hits[0])
        near = tree.query_nearest(spot, max_distance=reach_m)
        return int(near[0]) if len(near) else None

    def what_is_here(self, lon: float, lat: float, px_m: float, mask: np.ndarray | None = None) -> dict:
        """Prefecture and county at the spot, every area covering it (smallest first), lines within
        LINE_TOL_PX and point marks within POINT_TOL_PX (nearest first); `mask` (one bool per element
        row) keeps only what the filters show."""
        x, y = self._to_m.transform(lon, lat)
        spot = Point(x, y)
        shown = np.ones(self._n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        out: dict = {
            "lon": float(lon),
            "lat": float(lat),
            "px_m": float(px_m),
            "prefecture": None,
            "county": None,
            "areas": [],
            "lines": [],
            "points": [],
        }

        p = self._unit_at(self._pref_tree, self._pref_geom, spot, max(px_m, 500.0))
        if p is not None:
            out["prefecture"] = {"name": self._pref_names[p], "name_en": self._pref_en[p]}
        c = self._unit_at(self._county_tree, self._county_geom, spot, max(px_m, 500.0))
        if c is not None:
            out["county"] = dict(self._county[c])

        for j in self._area_tree.query(spot, predicate="intersects"):
            row = self._area_rows[j]
            if shown[row]:
                out["areas"].append(self._item(row, 0.0, px_m, area_km2=round(float(self._area_km2[j]), 1)))
        out["areas"].sort(key=lambda it: (it["area_km2"], it["id"]))

        reach = LINE_TOL_PX * px_m
        for j in self._line_tree.query(spot, predicate="dwithin", distance=reach):
            row = self._line_rows[j]
            if shown[row]:
                out["lines"].append(self._item(row, shapely.distance(spot, self._line_geom[j]), px_m))
        out["lines"].sort(key=lambda it: (it["distance_m"], it["id"]))

        widest = POINT_TOL_PX + (float(self._mark_radius_px.max()) if len(self._mark_rows) else 0.0)
        best: dict[int, float] = {}
        for j in self._mark_tree.query(spot, predicate="dwithin", distance=widest * px_m):
            row = int(self._mark_rows[j])
            d = float(shapely.distance(spot, self._mark_geom[j]))
            if shown[row] and d <= (max(POINT_TOL_PX, self._mark_radius_px[j] + 1)) * px_m:
                best[row] = min(d, best.get(row, math.inf))  # an element with marks in several units: nearest
        out["points"] = sorted(
            (self._item(r, d, px_m) for r, d in best.items()), key=lambda it: (it["distance_m"], it["id"])
        )
        return out
