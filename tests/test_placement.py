"""Point marks stay inside the unit the plan names, apart from each other, in the same place every run."""

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from layers.elements import UnitGeometry
from layers.placement import FLOOR_M, lonlat_to_metres, pack_in_polygon, place_marks


@pytest.fixture(scope="module")
def marks(store):
    return place_marks(store.elements, store.boundaries)


def _drawn_points(elements):
    return [
        (k, p)
        for k, (g, how) in enumerate(zip(elements.geometry.values, elements["drawn_as"]))
        if how == "point"
        for p in range(len(g.geoms))
    ]


def test_one_mark_per_point_of_every_point_element(store, marks):
    assert list(zip(marks["row"], marks.groupby("row").cumcount())) == _drawn_points(store.elements)
    assert (marks["id"].to_numpy() == store.elements["id"].to_numpy()[marks["row"]]).all()
    # every point of an element is named by its unit, in order
    for _, r in store.elements[store.elements["drawn_as"] == "point"].iterrows():
        assert len(r["point_units"]) == len(r.geometry.geoms)


def test_every_mark_inside_its_unit_and_its_prefecture(store, marks):
    geo = UnitGeometry(store.boundaries)
    prefectures = set(store.boundaries["prefectures"]["name"])
    lon, lat = marks["lon"].round(4).to_numpy(), marks["lat"].round(4).to_numpy()  # as the figure sends them
    outside = []
    for unit, x, y, eid in zip(marks["unit"], lon, lat, marks["id"]):
        pref = unit.split("/")[0]
        if not shapely.contains_xy(geo.poly[unit], x, y):
            outside.append((eid, unit))
        if pref in prefectures and not shapely.contains_xy(geo.poly[pref], x, y):
            outside.append((eid, pref))
    assert outside == []


def test_county_precise_marks_sit_in_their_county(store, marks):
    county = marks[marks["unit"].str.contains("/")]
    assert len(county) > 300  # the plans name counties for a third of the marks
    precise = store.elements.iloc[county["row"]]
    assert all(u.split("/")[1] in cs for u, cs in zip(county["unit"], precise["counties"]))


def test_shared_places_are_spread_into_distinct_positions(marks):
    assert len(marks) > 900
    assert len(set(zip(marks["lon"].round(4), marks["lat"].round(4)))) == len(marks)


def test_marks_of_one_unit_at_least_the_floor_apart(marks):
    for unit, g in marks.groupby("unit"):
        if len(g) < 2:
            continue
        xy = lonlat_to_metres(g["lon"], g["lat"])
        d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2))
        np.fill_diagonal(d, np.inf)
        assert d.min() >= FLOOR_M * 0.99, unit  # 1 %: the equal-area projection's scale error


def test_most_important_mark_at_the_unit_centre(store, marks):
    geo = UnitGeometry(store.boundaries)
    sjz = marks[marks["unit"] == "石家庄市"]
    assert len(sjz) >= 60
    top = sjz[sjz["rank"] == 0].iloc[0]
    rev = store.elements["revenue_yi"].iloc[sjz["row"]]
    assert store.elements["revenue_yi"].iat[top["row"]] == rev.max()
    centre = lonlat_to_metres(*geo.point["石家庄市"])[0]
    dist = np.hypot(*(lonlat_to_metres(sjz["lon"], sjz["lat"]) - centre).T)
    # rank follows distance from the centre: a bigger target never sits further out than a smaller one
    assert (np.diff(dist[np.argsort(sjz["rank"].to_numpy())]) >= -1).all()


def test_placement_is_deterministic_and_ignores_row_order(store, marks):
    again = place_marks(store.elements, store.boundaries)
    assert again.equals(marks)
    shuffled = store.elements.iloc[::-1]
    rev = place_marks(shuffled, store.boundaries).set_index(["id", "unit"]).sort_index()
    fwd = marks.set_index(["id", "unit"]).sort_index()
    assert np.allclose(rev[["lon", "lat"]].to_numpy(), fwd[["lon", "lat"]].to_numpy())


def _thin_crescent():
    """A 40 km x 3 km bent strip: concave, thinner than two margins in places."""
    t = np.linspace(0, np.pi, 60)
    outer = np.column_stack([20_000 * np.cos(t), 20_000 * np.sin(t)])
    inner = np.column_stack([17_000 * np.cos(t[::-1]), 17_000 * np.sin(t[::-1])])
    return Polygon(np.vstack([outer, inner]))


def test_pack_keeps_every_point_inside_a_thin_concave_polygon():
    poly = _thin_crescent()
    centre = (0.0, 18_500.0)  # on the strip, at its top
    for n in (1, 5, 20, 200):
        pts = pack_in_polygon(poly, centre, n, 9_000)
        assert pts.shape == (n, 2)
        assert shapely.contains_xy(poly, pts[:, 0], pts[:, 1]).all(), n


def test_pack_centre_outside_polygon_still_inside():
    poly = _thin_crescent()
    pts = pack_in_polygon(poly, (0.0, 0.0), 12, 9_000)  # the crescent's hollow
    assert shapely.contains_xy(poly, pts[:, 0], pts[:, 1]).all()


def test_pack_shrinks_spacing_only_as_far_as_needed():
    square = Polygon([(0, 0), (50_000, 0), (50_000, 50_000), (0, 50_000)])
    roomy = pack_in_polygon(square, (25_000, 25_000), 7, 9_000)
    crowded = pack_in_polygon(square, (25_000, 25_000), 60, 9_000)

    def closest(p):
        d = np.sqrt(((p[:, None] - p[None]) ** 2).sum(axis=2))
        np.fill_diagonal(d, np.inf)
        return d.min()

    assert closest(roomy) == pytest.approx(9_000)
    assert FLOOR_M <= closest(crowded) < 9_000
    assert (roomy[0] == (25_000, 25_000)).all()  # the first mark at the centre
    inner = square.buffer(-2_400)
    assert shapely.contains_xy(inner, crowded[:, 0], crowded[:, 1]).all()  # the margin held


def test_pack_skips_places_next_to_other_units_marks():
    square = Polygon([(0, 0), (60_000, 0), (60_000, 60_000), (0, 60_000)])
    alone = pack_in_polygon(square, (30_000, 30_000), 5, 9_000)
    beside = pack_in_polygon(square, (30_000, 30_000), 5, 9_000, avoid=alone[:1])
    assert not any(np.allclose(p, alone[0]) for p in beside)


def test_elements_carry_the_drawn_positions(store, marks):
    el = store.elements
    for k, g in marks.groupby("row"):
        assert el["mark_lon"].iat[k] == g["lon"].round(4).tolist()
        assert el["mark_lat"].iat[k] == g["lat"].round(4).tolist()
    areas = el[el["drawn_as"] != "point"]
    assert all(len(x) == 0 for x in areas["mark_lon"]) and all(len(x) == 0 for x in areas["point_units"])
