"""The figure builders: what traces, how many points, which legend entries, for given filters."""
import numpy as np
import plotly.graph_objects as go

from layers import style
from layers.figure import N_BASE, MapOptions, build_figure, element_slots, element_traces, prepare_map, trace_index
from layers.filters import Filters, filter_mask


def _fig(store, filters=Filters(), **opts):
    return build_figure(store.map, filter_mask(store.elements, filters), MapOptions(**opts))


def test_base_map_has_every_prefecture_labelled(store):
    fig = _fig(store)
    index = trace_index(store.vocab)
    prefs = fig.data[index["prefectures"]]
    assert len(prefs.locations) == 29
    labels = fig.data[index["prefecture_labels"]]
    assert set(labels.text) == set(store.boundaries["prefectures"]["name"])
    assert fig.layout.geo.visible is False  # no world base map: nothing fetched from a CDN


def test_slots_are_fixed(store):
    assert len(_fig(store).data) == N_BASE + len(element_slots(store.vocab))
    assert len(_fig(store, Filters(q="没有这种东西")).data) == N_BASE + len(element_slots(store.vocab))


def test_points_match_filtered_elements(store):
    f = Filters(industry=("steel",), kind=("base", "park", "cluster", "new_area", "city_role", "project"))
    fig = _fig(store, f)
    shown = store.elements[filter_mask(store.elements, f)]
    n_units = sum(len(getattr(g, "geoms", [g])) for g in shown.geometry)
    points = [t for t in fig.data[N_BASE:] if isinstance(t, go.Scattergeo) and t.mode == "markers" and t.customdata]
    assert sum(len(t.lon) for t in points) == n_units
    ids = {c[0] for t in points for c in t.customdata}
    assert ids == set(shown["id"])


def test_legend_lists_only_what_is_shown(store):
    f = Filters(industry=("textiles",))
    fig = _fig(store, f)
    shown = store.elements[filter_mask(store.elements, f)]
    primaries = {store.vocab.industry(c)["zh"] for c in shown[shown["drawn_as"] == "point"]["primary_industry"]}
    legend = {t.name for t in fig.data[N_BASE:] if t.showlegend and t.legendgroup == "industries"}
    assert legend == primaries and "纺织服装" in legend
    kinds = {t.name for t in fig.data[N_BASE:] if t.showlegend and t.legendgroup == "kinds"}
    assert kinds <= {"基地", "园区", "新区", "产业集群", "城市定位", "重大项目"} and kinds


def test_colour_same_for_industry_everywhere(store):
    colours = style.industry_colours([i["code"] for i in store.vocab.industries])
    fig = _fig(store, Filters(industry=("steel",)))
    steel = next(t for t in fig.data[N_BASE:] if t.name == "钢铁")
    assert steel.marker.color == colours["steel"]


def test_marker_size_grows_with_target():
    assert style.marker_size(None) < style.marker_size(100) < style.marker_size(1000) <= style.SIZE_MAX


def test_areas_carry_all_shapes_but_show_filtered(store):
    f = Filters(kind=("zone",), plan=("002",))
    fig = _fig(store, f)
    zone = fig.data[trace_index(store.vocab)["area:zone"]]
    shown = store.elements[filter_mask(store.elements, f)]
    areas = shown[shown["drawn_as"] == "area"]
    assert [c[0] for c in zone.customdata] == areas["id"].tolist()   # clicks name the element
    assert set(zone.locations) == set(areas["shape_key"])             # shapes shared by same-unit zones
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
    n_markers = sum(len(t.lon) for t in full.data[N_BASE:] if t.legendgroup == "industries")
    assert n_markers < figure.MARKER_BUDGET
    copies = []
    for k in range(6):
        c = store.elements.copy()
        c["id"] = c["id"] + f"-c{k}"
        copies.append(c)
    big = pd.concat(copies, ignore_index=True).set_geometry("geometry")
    traces = element_traces(prepare_map(big, store.boundaries, store.vocab), np.ones(len(big), bool), MapOptions())
    drawn = [t for t in traces if t.get("legendgroup") == "industries"]
    prep = store.map.prepared["zh"]
    places = {(round(x, 3), round(y, 3), c) for x, y, c in zip(prep["pt_lon"], prep["pt_lat"], prep["pt_code"])}
    assert sum(len(t["lon"]) for t in drawn) == len(places) < n_markers  # one marker per place and industry
    assert any("此处另有 5 个要素" in h for t in drawn for h in t["text"])  # six copies of one element


def test_many_overlapping_zones_fade_to_outlines(store):
    few = _fig(store, Filters(q="冀中南"))
    many = _fig(store)
    i = trace_index(store.vocab)["area:zone"]
    alpha = lambda fig: float(fig.data[i].colorscale[0][1].rsplit(",", 1)[1].rstrip(")"))
    assert alpha(few) == style.AREA_FILL_ALPHA and alpha(many) < 0.05


def test_sub_tables_never_share_prepared_arrays(store):
    """Figure data belongs to one elements table: many sub-tables in a row each draw their own marks.

    (The old id()-keyed caches handed a freed table's arrays to a new one: a broadcast error after
    45 sub-tables, silently wrong marks for equal shapes.)"""
    el = store.elements
    for k in range(60):
        sub = el.iloc[k: k + 40 + (k % 3)].copy()
        md = prepare_map(sub, store.boundaries, store.vocab)
        traces = element_traces(md, np.ones(len(sub), bool), MapOptions())
        ids = {c[0] for t in traces if t.get("legendgroup") == "industries" for c in t["customdata"]}
        assert ids == set(sub[sub["drawn_as"] == "point"]["id"])


def test_traces_are_named_for_patches(store):
    fig = _fig(store)
    index = trace_index(store.vocab)
    for name, i in index.items():
        trace = fig.data[i]
        assert (trace.uid or trace.name) == name, (name, trace.uid, trace.name)
