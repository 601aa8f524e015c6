"""The difference view of two plan periods: its counts against a set computation on the records,
its legend, its map marks, the patch a filter change sends, its zoom, and its download."""

from contextvars import copy_context

import pytest
from dash import Patch, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

from callbacks import compare
from layers.difference import (
    STATES,
    counts_by_prefecture,
    diff_slots,
    diff_trace_index,
    difference,
    difference_figure,
    state_counts,
    to_csv,
)
from layers.figure import N_BASE, view_ranges
from layers.filters import Filters
from layers.page_state import page_view, parse_page

PAIR = ("2011-2015", "2016-2020")


def run(fn, trigger: str, *args):
    """Call a callback as Dash does, with `trigger` ('id.prop', space-separated) as what fired."""

    def go():
        context_value.set(
            AttributeDict(triggered_inputs=[{"prop_id": t, "value": None} for t in trigger.split(" ")])
        )
        return fn(*args)

    return copy_context().run(go)


def by_records(store, period_a, period_b, industry=None):
    """The three states re-derived with plain sets over the records and the lineage file."""
    member_of = {m: lid for lid, entry in store.dataset.lineages.items() for m in entry["members"]}

    def shown(period):
        return {
            r["id"]: r
            for r in store.dataset.records
            if r["plan_period"] == period and (industry is None or industry in r["industries"])
        }

    a, b = shown(period_a), shown(period_b)
    same = {rid: member_of.get(rid, "self:" + rid) for rid in (*a, *b)}
    lineages_a, lineages_b = {same[x] for x in a}, {same[x] for x in b}
    continued = {x for x in b if same[x] in lineages_a}
    return {
        "continued": continued,
        "new": set(b) - continued,
        "dropped": {x for x in a if same[x] not in lineages_b},
    }, {**a, **b}


@pytest.mark.parametrize(
    "pair, industry",
    [
        (PAIR, None),
        (PAIR, "steel"),
        (("2015-2025", "2016-2020"), None),
        (("2011-2015", "2015-2025"), "equipment"),
    ],
)
def test_counts_equal_a_set_computation_on_the_records(store, pair, industry):
    expected, records = by_records(store, *pair, industry)
    filters = Filters(industry=(industry,)) if industry else Filters()
    diff = difference(store.elements, filters, *pair)
    for state in STATES:
        assert set(diff.loc[diff["state"] == state, "id"]) == expected[state], state
    assert state_counts(diff) == {s: len(expected[s]) for s in STATES}
    assert diff["id"].is_unique  # one row per element shown in either period

    # per prefecture: the same sets, restricted to the elements naming it (province-wide ones under the province)
    table = {p: (c, n, d) for p, c, n, d in counts_by_prefecture(diff)}
    places = {p for rid in records for p in (records[rid]["prefectures"] or [records[rid]["province"]])}
    assert set(table) == {
        p
        for p in places
        if any(
            p in (records[x]["prefectures"] or [records[x]["province"]]) for s in STATES for x in expected[s]
        )
    }
    for place, got in table.items():
        want = tuple(
            sum(1 for x in expected[s] if place in (records[x]["prefectures"] or [records[x]["province"]]))
            for s in STATES
        )
        assert got == want, place


def test_continued_pairs_are_one_lineage_across_the_two_periods(store):
    diff = difference(store.elements, Filters(), *PAIR)
    periods = dict(zip(store.elements["id"], store.elements["plan_period"]))
    continued = diff[diff["state"] == "continued"]
    assert len(continued)
    for r in continued.itertuples():
        members = store.dataset.lineages[r.lineage]["members"]
        assert r.a_id in members and r.b_id == r.id in members
        assert (periods[r.a_id], periods[r.b_id]) == PAIR
    caofeidian = continued[continued["lineage"] == "caofeidian-new-area"].iloc[0]
    assert (caofeidian["a_id"], caofeidian["b_id"]) == (
        "hb12-caofeidian-new-area",
        "hbpz-caofeidian-district",
    )
    assert set(diff.loc[diff["state"] == "new", "a_id"]) == {""}
    assert set(diff.loc[diff["state"] == "dropped", "b_id"]) == {""}


def test_overlapping_periods_are_compared_by_plan_not_by_year(store):
    """2015-2025 (plan 001) overlaps 2016-2020 in years; the comparison is by the plans chosen."""
    diff = difference(store.elements, Filters(year=2018, period=("2011-2015",)), "2015-2025", "2016-2020")
    assert set(diff.loc[diff["state"] == "dropped", "plan_number"]) <= {"001"}
    assert set(diff.loc[diff["state"] != "dropped", "plan_number"]) == {"002", "003"}
    # the year and period filters are replaced by the two periods, so they change nothing
    assert state_counts(diff) == state_counts(difference(store.elements, Filters(), "2015-2025", "2016-2020"))


@pytest.mark.parametrize(
    "lang, words", [("zh", ("延续", "新增", "未再列入")), ("en", ("Continued", "New", "Dropped"))]
)
def test_legend_names_the_three_states_with_counts(store, lang, words):
    fig = difference_figure(store, Filters(industry=("steel",)), *PAIR, lang=lang)
    counts = state_counts(difference(store.elements, Filters(industry=("steel",)), *PAIR))
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == [
        f"{w} ({counts[s]})" for s, w in zip(("dropped", "continued", "new"), (words[2], words[0], words[1]))
    ]
    assert [t.marker.symbol for t in fig.data if t.showlegend] == ["x", "circle", "circle-open"]
    assert "2011-2015" in fig.layout.legend.title.text and "2016-2020" in fig.layout.legend.title.text


def test_marks_sit_at_the_elements_drawn_positions(store):
    fig = difference_figure(store, Filters(industry=("steel",)), *PAIR)
    diff = difference(store.elements, Filters(industry=("steel",)), *PAIR)
    el = store.elements.set_index("id")
    for state in STATES:
        ids = diff.loc[(diff["state"] == state) & (diff["drawn_as"] == "point"), "id"]
        want = sorted((lo, la) for i in ids for lo, la in zip(el.at[i, "mark_lon"], el.at[i, "mark_lat"]))
        got = sorted(
            (lo, la)
            for t in fig.data
            if (t.uid or "").startswith(f"diff-points-{state}-")
            for lo, la in zip(t.lon, t.lat)
            if lo is not None
        )
        assert got == want and want, state


def test_a_filter_change_sends_a_small_patch_of_the_difference_traces_only(store):
    fig = difference_figure(store, Filters(), *PAIR)
    uids = [t.uid for t in fig.data]
    index = diff_trace_index(store, PAIR)
    assert all(uids[index[name]] == name for name, _, _ in diff_slots(store, PAIR))  # the patch's addresses
    for lang in ("zh", "en"):
        out = run(compare.update_compare, "filters.data", "|".join(PAIR), {}, "all", None, lang)
        assert isinstance(out["figure"], Patch)
        ops = out["figure"].to_plotly_json()["operations"]
        assert {op["location"][0] for op in ops} == {"data"}
        assert min(op["location"][1] for op in ops) >= N_BASE  # the base map stays in the browser
        size = len(to_json_plotly(out["figure"].to_plotly_json()).encode())
        assert size <= 100 * 1024, size  # no filter: the largest change
    whole = len(to_json_plotly(fig.to_plotly_json()).encode())
    assert size * 4 < whole


def test_a_new_comparison_draws_the_whole_map_and_off_hides_it(store):
    out = run(
        compare.update_compare, "f-compare.value", "|".join(PAIR), {"industry": "steel"}, "all", None, "zh"
    )
    assert {t.uid for t in out["figure"].data} >= {name for name, _, _ in diff_slots(store, PAIR)}
    assert "延续 6" in out["title"] and out["style"] is None
    off = run(compare.update_compare, "f-compare.value", "", {}, "all", None, "zh")
    assert off["figure"] == {} and off["style"] == {"display": "none"}
    with pytest.raises(PreventUpdate):  # no comparison: a filter change costs nothing
        run(compare.update_compare, "filters.data", "", {"industry": "steel"}, "all", None, "zh")
    with pytest.raises(PreventUpdate):  # a forged comparison is no comparison
        run(compare.update_compare, "filters.data", "1900-1901|2016-2020", {}, "all", None, "zh")


def test_the_page_without_a_comparison_carries_no_second_map(store):
    state, _ = parse_page("?industry=steel", store)
    section = compare.compare_section(store, state)
    assert section.style == {"display": "none"}
    assert "choropleth" not in str(section.to_plotly_json())
    state, _ = parse_page("?compare=2011-2015|2016-2020&lang=en", store)
    text = str(compare.compare_section(store, state).to_plotly_json())
    assert "Continued" in text and "Download the differences (CSV)" in text
    assert "Henan" in text  # the data hold no 2016-2020 plan of Henan: the note says why all of it is dropped


def test_the_map_follows_the_main_maps_zoom_and_pans(store):
    out = run(compare.update_compare, "f-zoom.value", "|".join(PAIR), {}, "唐山市", None, "zh")
    ops = {
        tuple(op["location"]): op["params"]["value"] for op in out["figure"].to_plotly_json()["operations"]
    }
    rng = view_ranges(page_view("唐山市", store))
    assert ops[("layout", "geo", "lonaxis", "range")] == list(rng["lon"])
    assert ops[("layout", "geo", "center")] is None  # an earlier pan copied from the main map is undone

    pan = {
        "geo.center.lon": 118.2,
        "geo.center.lat": 39.6,
        "geo.projection.scale": 2.5,
        "geo.projection.rotation.lon": 118.2,
        "geo.fitbounds": False,
    }
    out = run(compare.update_compare, "map.relayoutData", "|".join(PAIR), {}, "all", pan, "zh")
    ops = {
        tuple(op["location"]): op["params"]["value"] for op in out["figure"].to_plotly_json()["operations"]
    }
    assert ops == {
        ("layout", "geo", "center", "lon"): 118.2,
        ("layout", "geo", "center", "lat"): 39.6,
        ("layout", "geo", "projection", "scale"): 2.5,
        ("layout", "geo", "projection", "rotation", "lon"): 118.2,
    }
    for junk in (
        {"autosize": True},
        {"geo.center.lon": "x"},
        {"geo.projection.scale": float("nan")},
        "x",
        None,
    ):
        with pytest.raises(PreventUpdate):
            run(compare.update_compare, "map.relayoutData", "|".join(PAIR), {}, "all", junk, "zh")


def test_the_differences_download_as_csv_named_for_periods_and_filters(store):
    got = compare.download_difference(1, "|".join(PAIR), {"industry": "steel", "province": "hebei"})
    assert got["filename"].startswith("difference-2011-2015-to-2016-2020-industry-steel")
    assert got["filename"].endswith(".csv") and got["type"] == "text/csv"
    lines = got["content"].lstrip("\ufeff").splitlines()
    assert lines[0].startswith("state,state_zh,id,name")
    diff = difference(store.elements, Filters(industry=("steel",), province=("河北省",)), *PAIR)
    assert len(lines) == 1 + len(diff) and got["content"] == to_csv(diff)
    assert any(line.startswith("continued,延续,") for line in lines)
    assert compare.download_difference(0, "|".join(PAIR), {}) is no_update  # not a click: no download
