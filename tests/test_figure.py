"""The figure builders: what traces, how many points, which legend entries, for given filters."""

import numpy as np

from layers import style
from layers.figure import (
    N_BASE,
    TOP_TRACES,
    MapOptions,
    build_figure,
    element_slots,
    element_traces,
    prepare_map,
    trace_index,
)
from layers.filters import Filters, filter_mask

NO_FILTERS = Filters()


def _fig(store, filters=NO_FILTERS, **opts):
    return build_figure(store.map, filter_mask(store.elements, filters), MapOptions(**opts))


def test_base_map_has_every_prefecture_labelled(store):
    fig = _fig(store, size=(2000, 1540))  # room for every name
    index = trace_index(store.vocab)
    prefs = fig.data[index["prefectures"]]
    assert len(prefs.locations) == 29
    labels = fig.data[index["prefecture_labels"]]
    assert set(labels.text) == set(store.boundaries["prefectures"]["name"])
    assert fig.layout.geo.visible is False  # no world base map: nothing fetched from a CDN


def test_prefecture_names_that_would_collide_leave_the_smaller_out(store):
    # a laptop's map: 安阳 and 鹤壁 are too close for both names; the larger keeps its name (the hover has both)
    fig = _fig(store)
    index = trace_index(store.vocab)
    drawn = list(fig.data[index["prefecture_labels"]].text)
    assert "安阳市" in drawn and "鹤壁市" not in drawn and 25 <= sum(bool(n) for n in drawn) < 29
    assert "鹤壁市" in fig.data[index["prefectures"]].text
    # selected, the small one keeps its name
    fig = _fig(store, selected_prefecture="鹤壁市")
    assert "鹤壁市" in fig.data[index["prefecture_labels"]].text


def test_slots_are_fixed(store):
    n = N_BASE + len(element_slots()) + len(TOP_TRACES)
    assert len(_fig(store).data) == n == len(trace_index())
    assert len(_fig(store, Filters(q="没有这种东西")).data) == n


def test_points_match_filtered_elements(store):
    f = Filters(industry=("steel",), kind=("base", "park", "cluster", "new_area", "city_role", "project"))
    fig = _fig(store, f)
    shown = store.elements[filter_mask(store.elements, f)]
    n_units = sum(len(getattr(g, "geoms", [g])) for g in shown.geometry)
    points = [t for t in fig.data if (t.uid or "").startswith("points-")]
    assert sum(len(t.lon) for t in points) == n_units
    ids = {c[0] for t in points for c in t.customdata}
    assert ids == set(shown["id"])


def _points(fig):
    return [t for t in fig.data if (t.uid or "").startswith("points-")]


def test_legend_lists_only_what_is_shown(store):
    """Colour key: the sectors of the marks shown; with a few industries filtered, those industries."""
    from layers.sectors import primary_sector, sector_label

    fig = _fig(store)
    shown = store.elements[store.elements["drawn_as"] == "point"]
    sectors = {sector_label(primary_sector(c)) for c in shown["industries"]}
    legend = {t.name for t in fig.data if t.showlegend and t.legendgroup == "colours"}
    assert legend == sectors and 6 <= len(legend) <= 10
    f = Filters(industry=("textiles", "food"))
    fig = _fig(store, f, focus_industries=f.industry)
    legend = {t.name for t in fig.data if t.showlegend and t.legendgroup == "colours"}
    assert legend == {"纺织服装", "食品"}
    kinds = {t.name for t in fig.data if t.showlegend and t.legendgroup == "kinds"}
    assert kinds <= {"基地", "园区", "新区", "产业集群", "城市定位", "重大项目"} and kinds


def test_colour_is_the_sector_everywhere(store):
    """Every mark in the colour of its element's primary sector; the key's circles in the same colours."""
    from layers.sectors import primary_sector

    fig = _fig(store)
    row = dict(zip(store.elements["id"], store.elements["industries"]))
    for tr in _points(fig):
        for (eid,) in tr.customdata:
            assert tr.marker.color == style.SECTOR_COLOURS[primary_sector(row[eid])], eid
    key = {t.name: t.marker.color for t in fig.data if t.legendgroup == "colours" and t.showlegend}
    marks = {t.name: t.marker.color for t in _points(fig) if t.lon}
    assert key == {n: c for n, c in marks.items() if n in key}
    assert all(
        t.marker.symbol == "circle" for t in fig.data if t.legendgroup == "colours"
    )  # not the kind symbols


def test_sizes_are_area_true_up_to_the_largest_target(store):
    """No cap below the largest target drawn: 1,000 / 1,500 / 2,000 亿 marks differ, area ~ value."""
    fig = _fig(store)
    rev = dict(zip(store.elements["id"], store.elements["revenue_yi"]))
    pairs = {
        (rev[c[0]], s) for tr in _points(fig) for c, s in zip(tr.customdata, tr.marker.size) if rev[c[0]] > 0
    }
    by_value = {}
    for v, d in pairs:
        by_value.setdefault(v, set()).add(round(d, 1))
    values = sorted(by_value)
    assert len(values) >= 4 and all(len(by_value[v]) == 1 for v in values)
    top = values[-1]
    for v in values:
        d = by_value[v].pop()
        if d > style.SIZE_FLOOR:
            assert abs((d / style.SIZE_MAX) ** 2 - v / top) < 0.02, v
    shapes = [s for s in fig.layout.shapes if s.type == "circle"]
    assert len(shapes) >= 3  # the size key, drawn to scale
    widths = sorted(round(s.x1 - s.x0, 1) for s in shapes)
    assert widths[-1] == style.SIZE_MAX


def test_marker_size_grows_with_target():
    assert (
        style.marker_size(None) < style.marker_size(100) < style.marker_size(1000) < style.marker_size(2000)
    )


def test_areas_carry_all_shapes_but_show_filtered(store):
    f = Filters(kind=("zone",), plan=("002",))
    fig = _fig(store, f)
    zone = fig.data[trace_index(store.vocab)["area-zone"]]
    shown = store.elements[filter_mask(store.elements, f)]
    areas = shown[shown["drawn_as"] == "area"]
    assert [c[0] for c in zone.customdata] == areas["id"].tolist()  # clicks name the element
    assert set(zone.locations) == set(areas["shape_key"])  # shapes shared by same-unit zones
    assert {f["id"] for f in zone.geojson["features"]} >= set(zone.locations)


def test_selection_is_highlighted(store):
    rid = store.elements[store.elements["kind"] == "base"]["id"].iloc[0]
    fig = _fig(store, selected=rid)
    hl = fig.data[-1]
    assert hl.name == "highlight" and len(hl.lon) >= 1


def test_english_labels(store):
    fig = _fig(store, Filters(industry=("steel",)), lang="en")
    assert "Steel" in {t.name for t in fig.data[N_BASE:] if t.showlegend}
    assert "Shijiazhuang" in set(fig.data[trace_index(store.vocab)["prefecture_labels"]].text)


def test_counties_layer_only_sent_when_on(store):
    off, on = _fig(store), _fig(store, layers=("labels", "counties"))
    i = trace_index(store.vocab)["counties"]
    assert len(off.data[i].lon or []) == 0 and len(on.data[i].lon) > 10000


def test_first_view_size_reasonable(store):
    """The first figure carries the boundaries once; a budget keeps the page light offline."""
    assert len(_fig(store).to_json()) < 1_200_000


def test_markers_cluster_only_beyond_the_budget(store):
    """The plans' own data is drawn marker by marker; a dataset far larger merges co-located markers."""
    import pandas as pd

    from layers import figure

    full = _fig(store)
    n_markers = sum(len(t.lon) for t in _points(full))
    assert n_markers < figure.MARKER_BUDGET
    copies = []
    for k in range(6):
        c = store.elements.copy()
        c["id"] = c["id"] + f"-c{k}"
        copies.append(c)
    big = pd.concat(copies, ignore_index=True).set_geometry("geometry")
    traces = element_traces(
        prepare_map(big, store.boundaries, store.vocab), np.ones(len(big), bool), MapOptions()
    )
    drawn = [t for t in traces if t["uid"].startswith("points-")]
    prep = store.map.prepared["zh"]
    places = {(u, prep["sector"][k]) for u, k in zip(prep["pt_unit"], prep["pt_elem"])}
    assert sum(len(t["lon"]) for t in drawn) == len(places) < n_markers  # one marker per unit and colour
    assert any("此处另有 5 个要素" in h for t in drawn for h in t["text"])  # six copies of one element


def test_many_overlapping_zones_fade_to_outlines(store):
    few = _fig(store, Filters(kind=("group",)))
    many = _fig(store)
    index = trace_index(store.vocab)

    def alpha(fig, kind):
        return float(fig.data[index[f"area-{kind}"]].colorscale[0][1].rsplit(",", 1)[1].rstrip(")"))

    assert alpha(few, "group") == style.AREA_FILL_ALPHA and alpha(many, "zone") <= 0.1


def test_sub_tables_never_share_prepared_arrays(store):
    """Figure data belongs to one elements table: many sub-tables in a row each draw their own marks.

    (The old id()-keyed caches handed a freed table's arrays to a new one: a broadcast error after
    45 sub-tables, silently wrong marks for equal shapes.)"""
    el = store.elements
    for k in range(60):
        sub = el.iloc[k : k + 40 + (k % 3)].copy()
        md = prepare_map(sub, store.boundaries, store.vocab)
        traces = element_traces(md, np.ones(len(sub), bool), MapOptions())
        ids = {c[0] for t in traces if t["uid"].startswith("points-") for c in t["customdata"]}
        assert ids == set(sub[sub["drawn_as"] == "point"]["id"])


def test_traces_are_named_for_patches(store):
    fig = _fig(store)
    index = trace_index(store.vocab)
    for name, i in index.items():
        trace = fig.data[i]
        assert (trace.uid or trace.name) == name, (name, trace.uid, trace.name)


def test_every_area_colorscale_spans_0_to_1_and_gives_each_area_its_fill(store):
    """A one-area trace once got [[0, c], [0, c]]: plotly then drew it in its default dark blue."""
    from layers.figure import _area_styles

    for f in (
        Filters(industry=("steel", "petrochem"), period=("2011-2015",)),
        Filters(kind=("group",)),
        NO_FILTERS,
    ):
        fig = _fig(store, f)
        styles = _area_styles(store.map.prepared["zh"], filter_mask(store.elements, f))
        for kind in ("zone", "belt", "group"):
            tr = fig.data[trace_index()[f"area-{kind}"]]
            scale = tr.colorscale
            assert scale[0][0] == 0 and scale[-1][0] == 1, (kind, scale)
            n = len(tr.locations)
            for z in range(n):  # the colour plotly gives z: the step holding (z - zmin) / (zmax - zmin)
                pos = (z - tr.zmin) / (tr.zmax - tr.zmin)
                colour = next(
                    c for lo, c in scale[::2] if lo <= pos + 1e-9 and pos <= lo + 1 / (len(scale) // 2) + 1e-9
                )
                assert colour.startswith("rgba"), colour
            fills = {st["fill"] for st in styles.values()}
            assert all(any(style.rgba(fl, 0)[:-2] in c for fl in fills) for _, c in scale) or not n


def test_rivers_are_a_quiet_layer_under_the_marks_and_can_be_switched_off(store):
    index = trace_index(store.vocab)
    fig = _fig(store)  # the default layers: as the page opens and as an export draws
    rivers = fig.data[index["rivers"]]
    assert rivers.visible is True and rivers.hoverinfo == "skip" and rivers.line.width <= 1.2
    assert sum(v is None for v in rivers.lon) == len(store.boundaries["rivers"])  # every river drawn
    drawn_under = [
        n for n, i in index.items() if i > index["rivers"] and n.startswith(("points-", "labels-"))
    ]
    assert len(drawn_under) == len([n for n in index if n.startswith(("points-", "labels-"))])
    off = _fig(store, layers=("labels", "context"))
    assert off.data[index["rivers"]].visible is False
