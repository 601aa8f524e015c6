""" "What is here" on the real store: the prefecture and county under a click, every zone covering
it, lines and marks within a few screen pixels, only what the filters show, at displayed positions."""

import time

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import Point

from layers.hit import LINE_TOL_PX, METRIC_CRS, POINT_TOL_PX, HitIndex, metres_per_pixel

TO_M = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
TO_DEG = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
# the page's default view (109.6-121.2 E) on a 1440 px wide map: ~720 m per pixel
PX_M = metres_per_pixel(109.6, 121.2, 1440, 37.0)


@pytest.fixture(scope="module")
def index(store):
    t0 = time.perf_counter()
    idx = HitIndex(store.elements, store.boundaries)
    print(f"\nHitIndex build: {(time.perf_counter() - t0) * 1000:.1f} ms over {len(store.elements)} elements")
    return idx


def _all_marks_m(elements):
    rows, xs, ys = [], [], []
    for k, (g, how) in enumerate(zip(elements.geometry.values, elements["drawn_as"])):
        if how == "point":
            for p in getattr(g, "geoms", [g]):
                x, y = TO_M.transform(p.x, p.y)
                rows.append(k)
                xs.append(x)
                ys.append(y)
    return np.array(rows), np.array(xs), np.array(ys)


def test_px_scale_is_plausible():
    assert 600 < PX_M < 800


def test_empty_ground_in_handan_names_prefecture_and_county(store, index):
    prefs, counties = store.boundaries["prefectures"], store.boundaries["counties"]
    handan = prefs[prefs["name"] == "邯郸市"].iloc[0]
    rows, mx, my = _all_marks_m(store.elements)
    # walk a grid inside 邯郸 outwards from its representative point to the first spot far from any mark
    lon0, lat0 = handan["label_lon"], handan["label_lat"]
    grid = [
        (lon0 + dx, lat0 + dy) for dx in np.arange(-1.5, 1.51, 0.02) for dy in np.arange(-1.2, 1.21, 0.02)
    ]
    grid.sort(key=lambda p: (p[0] - lon0) ** 2 + (p[1] - lat0) ** 2)
    hd_counties = counties[counties["prefecture"] == "邯郸市"]
    spot = county = None
    for lon, lat in grid:
        if not handan.geometry.contains(Point(lon, lat)):
            continue
        x, y = TO_M.transform(lon, lat)
        if np.hypot(mx - x, my - y).min() < 3 * POINT_TOL_PX * PX_M:
            continue
        inside = hd_counties[hd_counties.geometry.contains(Point(lon, lat))]
        if len(inside) == 1:
            spot, county = (lon, lat), inside.iloc[0]["name"]
            break
    assert spot is not None
    out = index.what_is_here(*spot, PX_M)
    assert out["prefecture"]["name"] == "邯郸市"
    assert out["county"]["name"] == county and out["county"]["prefecture"] == "邯郸市"
    assert out["points"] == []


def test_overlapping_zones_of_plan_002_are_all_listed(store, index):
    el = store.elements
    zones = el[(el["plan_number"] == "002") & (el["kind"] == "zone") & (el["drawn_as"] == "area")]
    counties = store.boundaries["counties"]
    spots = [Point(x, y) for x, y in zip(counties["label_lon"], counties["label_lat"])]
    covering = [set(zones["id"][zones.geometry.covers(p)]) for p in spots]
    best = max(range(len(spots)), key=lambda i: (len(covering[i]), -i))
    assert len(covering[best]) >= 3
    out = index.what_is_here(spots[best].x, spots[best].y, PX_M)
    listed = {a["id"] for a in out["areas"]}
    assert {a["id"] for a in out["areas"] if a["plan_number"] == "002" and a["kind"] == "zone"} == covering[
        best
    ]
    geom = dict(zip(el["id"], el.geometry))
    assert all(geom[i].covers(spots[best]) for i in listed)  # nothing listed that does not cover the spot
    sizes = [a["area_km2"] for a in out["areas"]]
    assert sizes == sorted(sizes)  # the most specific area first


def test_a_spot_on_a_mark_returns_it_and_exactly_the_marks_within_8px(store, index):
    el = store.elements
    rows, mx, my = _all_marks_m(el)
    k = next(k for k in range(len(el)) if el["drawn_as"].iat[k] == "point" and el["counties"].iat[k])
    p = el.geometry.iat[k].geoms[0] if hasattr(el.geometry.iat[k], "geoms") else el.geometry.iat[k]
    out = index.what_is_here(p.x, p.y, PX_M)
    assert out["points"][0]["distance_m"] == 0
    assert el["id"].iat[k] in {it["id"] for it in out["points"]}
    x, y = TO_M.transform(p.x, p.y)
    near = set(el["id"].to_numpy()[rows[np.hypot(mx - x, my - y) <= POINT_TOL_PX * PX_M]])
    assert {it["id"] for it in out["points"]} == near
    d = [it["distance_m"] for it in out["points"]]
    assert d == sorted(d)


def test_mask_keeps_only_what_the_filters_show(store, index):
    el = store.elements
    k = next(k for k in range(len(el)) if el["drawn_as"].iat[k] == "point" and el["counties"].iat[k])
    g = el.geometry.iat[k]
    p = g.geoms[0] if hasattr(g, "geoms") else g
    mask = np.ones(len(el), dtype=bool)
    mask[k] = False
    out = index.what_is_here(p.x, p.y, PX_M, mask)
    assert el["id"].iat[k] not in {it["id"] for it in out["points"]}
    nothing = index.what_is_here(p.x, p.y, PX_M, np.zeros(len(el), dtype=bool))
    assert nothing["points"] == nothing["areas"] == nothing["lines"] == []
    assert nothing["prefecture"] is not None  # the base map is always there


def test_displayed_positions_are_used_when_given(store):
    el = store.elements
    k = next(
        k
        for k in range(len(el))
        if el["drawn_as"].iat[k] == "point" and len(getattr(el.geometry.iat[k], "geoms", [0])) == 1
    )
    p = el.geometry.iat[k].geoms[0]
    marks = pd.DataFrame({"elem": [k], "id": [el["id"].iat[k]], "lon": [p.x + 0.3], "lat": [p.y]})
    idx = HitIndex(el, store.boundaries, marks)
    assert [it["id"] for it in idx.what_is_here(p.x + 0.3, p.y, PX_M)["points"]] == [el["id"].iat[k]]
    assert idx.what_is_here(p.x, p.y, PX_M)["points"] == []  # nothing left at the old spot
    by_id = HitIndex(el, store.boundaries, marks.drop(columns="elem"))
    assert [it["id"] for it in by_id.what_is_here(p.x + 0.3, p.y, PX_M)["points"]] == [el["id"].iat[k]]


def test_a_click_on_the_rim_of_a_large_mark_hits_it(store):
    el = store.elements
    k = next(k for k in range(len(el)) if el["drawn_as"].iat[k] == "point")
    p = getattr(el.geometry.iat[k], "geoms", [el.geometry.iat[k]])[0]
    x, y = TO_M.transform(p.x, p.y)
    lon, lat = TO_DEG.transform(x + 15 * PX_M, y)  # 15 px east: outside 8 px, inside a 40 px mark
    small = HitIndex(el, store.boundaries, pd.DataFrame({"elem": [k], "lon": [p.x], "lat": [p.y]}))
    big = HitIndex(
        el, store.boundaries, pd.DataFrame({"elem": [k], "lon": [p.x], "lat": [p.y], "size": [40.0]})
    )
    assert small.what_is_here(lon, lat, PX_M)["points"] == []
    assert [it["id"] for it in big.what_is_here(lon, lat, PX_M)["points"]] == [el["id"].iat[k]]


def test_corridors_hit_within_6px_of_the_line(store, index):
    el = store.elements
    k = next(k for k in range(len(el)) if el["drawn_as"].iat[k] == "line")
    xy = np.column_stack(TO_M.transform(*np.asarray(el.geometry.iat[k].coords).T))
    (x0, y0), (x1, y1) = xy[0], xy[1]
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    nx, ny = np.array([-(y1 - y0), x1 - x0]) / np.hypot(x1 - x0, y1 - y0)  # unit normal
    rid = el["id"].iat[k]
    near = index.what_is_here(*TO_DEG.transform(mx + nx * 4 * PX_M, my + ny * 4 * PX_M), PX_M)
    far = index.what_is_here(
        *TO_DEG.transform(mx + nx * (LINE_TOL_PX + 4) * PX_M, my + ny * (LINE_TOL_PX + 4) * PX_M), PX_M
    )
    hit = next(it for it in near["lines"] if it["id"] == rid)
    assert hit["distance_px"] == pytest.approx(4, abs=0.1)
    assert rid not in {it["id"] for it in far["lines"]}
    # zoomed in 4x, the same ground distance is 16 px: no longer a hit
    assert rid not in {
        it["id"]
        for it in index.what_is_here(*TO_DEG.transform(mx + nx * 4 * PX_M, my + ny * 4 * PX_M), PX_M / 4)[
            "lines"
        ]
    }


def test_random_spots_name_the_right_prefecture_and_report_timing(store, index):
    """Timing is measured and printed, not asserted (brief: build < 1 s, query < 5 ms)."""
    rng = np.random.default_rng(11)
    lons, lats = rng.uniform(110.5, 119.8, 300), rng.uniform(31.5, 42.5, 300)
    t0 = time.perf_counter()
    outs = [index.what_is_here(lon, lat, PX_M) for lon, lat in zip(lons, lats)]
    per = (time.perf_counter() - t0) / len(lons) * 1000
    hd = store.boundaries["prefectures"].set_index("name").loc["邯郸市"]
    t0 = time.perf_counter()
    for _ in range(100):
        index.what_is_here(hd["label_lon"], hd["label_lat"], PX_M)
    dense = (time.perf_counter() - t0) / 100 * 1000
    print(f"\nwhat_is_here: {per:.2f} ms per random spot, {dense:.2f} ms at 邯郸's crowded centre")
    prefs = store.boundaries["prefectures"]
    for lon, lat, out in zip(lons, lats, outs):
        inside = prefs["name"][prefs.geometry.contains(Point(lon, lat))].tolist()
        if inside:
            assert out["prefecture"]["name"] == inside[0]
        elif out["prefecture"] is not None:  # only a border sliver may snap to the nearest prefecture
            assert (
                prefs.set_index("name").geometry[out["prefecture"]["name"]].distance(Point(lon, lat)) < 0.01
            )
