"""Derive geodata/boundaries/rivers.geojson: the two provinces' main rivers, a quiet base layer.

Source: the WDBII rivers of GSHHG 2.3.7 as Debian's `gmt-gshhg-high` package ships them
(/usr/share/gmt-gshhg/binned_river_h.nc, LGPL-3+; the Generic Mapping Tools' binned format in
HDF5, read with h5py). Run with `make geodata`; the running app reads only the small file written
here.

Steps, and why:
1. Decode GMT's binned layout: 2-degree bins, each with its segments, each segment's points as
   unsigned 16-bit offsets (1/65535 of a bin) from the bin's south-west corner.
2. Keep the permanent major rivers and the additional major rivers (WDBII classes 1 and 2;
   the Yellow River, the Hai and Huai systems): a background, not a hydrography.
3. Clip to the two provinces' bounding box, merge segments that meet, simplify to ~500 m and
   round to 1e-3 degree (invisible at province scale), so the file stays small.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, box

HERE = Path(__file__).resolve().parent
OUT = HERE / "boundaries" / "rivers.geojson"
SOURCE = Path(os.environ.get("GSHHG_RIVERS", "/usr/share/gmt-gshhg/binned_river_h.nc"))
CLASSES = {1: "permanent major river", 2: "additional major river"}
TOLERANCE_DEG = 0.005
NOTICE = """Rivers derived from GSHHG 2.3.7 (WDBII rivers, high resolution), as packaged by Debian
(gmt-gshhg-high 2.3.7-6): Copyright 2014, The GMT Team; licence LGPL-3+ (GNU Lesser General Public
License, version 3 or later). Wessel, P. and W. H. F. Smith, A Global Self-consistent, Hierarchical,
High-resolution Shoreline Database, J. Geophys. Res., 101, 8741-8743, 1996.
Derived by geodata/build_rivers.py: classes 1-2 only, clipped to Hebei and Henan's bounding box,
merged, simplified ({tol} degree) and rounded to 1e-3 degree.
"""


def provinces_bbox() -> tuple[float, float, float, float]:
    prov = gpd.read_file(HERE / "boundaries" / "provinces.geojson")
    return tuple(float(v) for v in prov[prov["role"] == "focus"].total_bounds)


def read_segments(path: Path, bbox) -> list[tuple[int, np.ndarray]]:
    """(class, n x 2 lon/lat) of every river segment in a bin that meets `bbox`."""
    import h5py  # build-time only

    with h5py.File(path, "r") as f:
        v = {k: f[k][:] for k in f.keys()}
    size = float(v["Bin_size_in_minutes"][0]) / 60.0
    nx, ny = int(v["N_bins_in_360_longitude_range"][0]), int(v["N_bins_in_180_degree_latitude_range"][0])
    dx = v["Relative_longitude_from_SW_corner_of_bin"].astype(np.uint16) / 65535.0 * size
    dy = v["Relative_latitude_from_SW_corner_of_bin"].astype(np.uint16) / 65535.0 * size
    x0, y0, x1, y1 = bbox
    out = []
    for j in range(ny):  # bins row by row from the north
        lat0 = 90.0 - (j + 1) * size
        if lat0 > y1 or lat0 + size < y0:
            continue
        for i in range(nx):
            lon0 = i * size
            if lon0 > x1 or lon0 + size < x0:
                continue
            b = i + nx * j
            first, n = int(v["Id_of_first_segment_in_a_bin"][b]), int(v["N_segments_in_a_bin"][b])
            for s in range(first, first + n):
                start = int(v["Id_of_first_point_in_a_segment"][s])
                p = slice(start, start + int(v["N_points_for_a_segment"][s]))
                xy = np.column_stack([lon0 + dx[p], lat0 + dy[p]])
                out.append((int(v["Hierarchial_level_of_a_segment"][s]), xy))
    return out


def river_lines(segments, bbox) -> gpd.GeoDataFrame:
    """The kept classes, clipped, merged, simplified and rounded."""
    frame = box(*bbox)
    rows = []
    for cls in sorted(CLASSES):
        parts = [LineString(xy) for c, xy in segments if c == cls and len(xy) >= 2]
        merged = shapely.line_merge(shapely.clip_by_rect(shapely.union_all(parts), *bbox))
        merged = shapely.set_precision(merged.simplify(TOLERANCE_DEG), 1e-3)
        for g in getattr(merged, "geoms", [merged]):
            if g.geom_type == "LineString" and g.length > 0.05 and frame.covers(g):
                rows.append({"class": cls, "geometry": g})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def main() -> int:
    if not SOURCE.exists():
        print(f"{SOURCE} not found: apt-get install gmt-gshhg-high (or set GSHHG_RIVERS)", file=sys.stderr)
        return 1
    bbox = provinces_bbox()
    rivers = river_lines(read_segments(SOURCE, bbox), bbox)
    feats = [
        {"type": "Feature", "properties": {"class": int(c)}, "geometry": json.loads(shapely.to_geojson(g))}
        for c, g in zip(rivers["class"], rivers.geometry)
    ]
    OUT.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")))
    (OUT.parent / "LICENSE-gshhg.txt").write_text(NOTICE.format(tol=TOLERANCE_DEG), encoding="utf-8")
    print(f"wrote {OUT} ({len(feats)} rivers, {OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
