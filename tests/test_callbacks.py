"""Each callback called as Dash calls it, with good and invalid inputs (no exception, a clear answer)."""
from contextvars import copy_context

from dash import Patch, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import details, export, map as map_cb, page, present, table
from layers.figure import N_BASE, element_slots, trace_index
from layers.filters import SPECS


def run(fn, trigger: str, *args):
    """Call a callback with `trigger` ('id.prop') as the input that fired."""
    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": t, "value": None} for t in trigger.split(" ")]))
        return fn(*args)
    return copy_context().run(go)


def test_render_page_from_link_with_notices(store):
    body = run(page.render_page, "url.pathname", "/", "?industry=steel,stee1&foo=1")
    text = str(body.to_plotly_json())
    assert "unknown industry 'stee1'" in text and "unknown link parameter 'foo'" in text
    assert "未知产业“stee1”" in text
    ind = _find(body, "f-industry")
    assert ind.value == ["steel"]


def _find(component, cid):
    if getattr(component, "id", None) == cid:
        return component
    children = getattr(component, "children", None)
    for c in children if isinstance(children, list) else ([children] if children is not None else []):
        if hasattr(c, "to_plotly_json"):
            hit = _find(c, cid)
            if hit is not None:
                return hit
    return None


def controls(**values):
    """Every filter control at its reset value, with `values` set (as the page sends them)."""
    return {s.key: values.get(s.key, s.control_value(s.default)) for s in SPECS}


def test_sync_filters_canonical_and_link(store):
    out = run(page.sync_filters, "f-industry.value",
              controls(industry=["钢铁"], period=["2011-2015"], min_revenue=1000, province=["河北省"]), {}, "zh")
    data = out["filters"]
    assert data == {"industry": "steel", "period": "2011-2015", "min_revenue": "1000", "province": "hebei"}
    assert "显示" in out["summary"] and "钢铁" in out["summary"]
    search = run(page.sync_link, "filters.data", data, ["labels", "context"], "河北省", "", None, None, None, "zh")
    assert search == "?industry=steel&period=2011-2015&min_revenue=1000&province=hebei&view=%E6%B2%B3%E5%8C%97%E7%9C%81"


def test_unchanged_filters_do_not_cascade(store):
    data = run(page.sync_filters, "f-q.value", controls(industry=["steel"]), {}, "zh")["filters"]
    again = run(page.sync_filters, "f-q.value", controls(industry=["steel"]), data, "zh")["filters"]
    assert again is no_update


def test_sync_filters_invalid_values_become_notices(store):
    out = run(page.sync_filters, "f-q.value",
              controls(q="x" * 1000, industry=["<script>"], period=["1999", "2030-2040"], year="abc", plan=["999"],
                       min_revenue="lots", no_target="maybe", province=["mars"], kind=["castle"]), None, "zh")
    assert out["filters"] == {"q": "x" * 200}  # only the (shortened) search was understood
    text = str(out["notices"].to_plotly_json())
    for word in ("unknown industry", "unknown plan period '2030-2040'", "no plan period covers the year '1999'",
                 "unknown plan document '999'", "min_revenue", "no_target",
                 "unknown province", "unknown element kind", "too long"):
        assert word in text, word


def test_update_map_patches_only_elements(store):
    p = run(map_cb.update_map, "filters.data", {"industry": "steel"}, None, ["labels"], "all", None, "zh", None)
    assert isinstance(p, Patch)
    ops = p.to_plotly_json()["operations"]
    touched = {op["location"][1] for op in ops if op["location"][0] == "data"}
    assert min(touched) >= N_BASE  # the boundaries are never re-sent on a filter change
    assert touched == set(range(N_BASE, N_BASE + len(element_slots())))
    layout_keys = {op["location"][1] for op in ops if op["location"][0] == "layout"}
    assert layout_keys == {"shapes", "annotations", "legend", "margin"}  # the size key and where the legend sits


def test_update_map_zoom_and_selection_together(store):
    rid = store.elements["id"].iloc[0]
    p = run(map_cb.update_map, "selection.data f-zoom.value", {}, {"type": "element", "id": rid}, ["labels"],
            "河北省", None, "zh", None)
    ops = {tuple(op["location"]) for op in p.to_plotly_json()["operations"]}
    assert ("layout", "geo", "lonaxis", "range") in ops and any(o[0] == "data" and o[1] >= N_BASE for o in ops)


def test_selection_alone_moves_only_the_highlight(store):
    rid = store.elements["id"].iloc[0]
    p = run(map_cb.update_map, "selection.data", {}, {"type": "element", "id": rid}, ["labels"], "all", None, "zh", None)
    slots = {op["location"][1] for op in p.to_plotly_json()["operations"] if op["location"][0] == "data"}
    index = trace_index(store.vocab)
    # prefecture fill, the ring, and the labels (the selected element is named first)
    assert slots == {index[n] for n in ("prefectures", "highlight", "labels-marks", "labels-areas", "leaders")}


def test_update_map_bad_store_is_harmless(store):
    p = run(map_cb.update_map, "filters.data", {"industry": ["??"], "min_revenue": "x"}, "junk", None, None, None, "zh", None)
    assert isinstance(p, Patch)


def test_forged_selection_selects_nothing(store):
    """The click is turned into a selection in the browser; the server side must not trust it."""
    for sel in ({"type": "element", "id": "nope"}, {"type": "prefecture", "id": "<b>x</b>"}, {"type": 3}):
        panel = details.show_details(sel, {}, "zh")
        assert "点击" in str(panel[0].to_plotly_json())
        p = run(map_cb.update_map, "selection.data", {}, sel, ["labels"], "all", None, "zh", None)
        ops = {op["location"][1]: op["params"]["value"] for op in p.to_plotly_json()["operations"]}
        assert ops[trace_index(store.vocab)["highlight"]]["lon"] == []


def test_details_show_quote_in_paragraph(store):
    row = store.elements[store.elements["name"].str.contains("清河羊绒")].iloc[0]
    panel = details.show_details({"type": "element", "id": row["id"]}, {}, "zh")
    text = str([c.to_plotly_json() for c in panel if c is not None])
    assert row["quote"] in text and "Mark" in text and row["name"] in text


def test_details_prefecture_lists_by_period(store):
    panel = details.show_details({"type": "prefecture", "id": "唐山市"}, {}, "zh")
    text = str([c.to_plotly_json() for c in panel])
    assert "唐山市" in text and "2011-2015" in text and "2016-2020" in text


def test_details_unknown_selection_shows_hint(store):
    panel = details.show_details({"type": "element", "id": "../../etc/passwd"}, {}, "zh")
    assert "点击" in str(panel[0].to_plotly_json())


def test_linked_views(store):
    rows, by_ind, by_pref = table.update_linked_views({"industry": "textiles"}, "…", "zh")
    assert rows and all("纺织服装" in r["industries"] for r in rows)
    assert "纺织服装" in str(by_ind.to_plotly_json()) and "邢台市" in str(by_pref.to_plotly_json())


def test_download_csv_contract(store):
    out = run(table.download, "dl-csv.n_clicks", 1, 0, {"industry": "steel"})
    assert out["filename"].endswith(".csv") and "revenue_target_yi" in out["content"]
    out = run(table.download, "dl-geojson.n_clicks", 0, 1, {"industry": "steel"})
    assert out["filename"].endswith(".geojson") and '"FeatureCollection"' in out["content"]


def test_table_row_selects_and_zooms(store):
    rid = store.elements["id"].iloc[0]
    sel, zoom, options = table.select_from_table([{"id": rid, "name": "x"}], [{"label": "all", "value": "all"}])
    assert sel == {"type": "element", "id": rid} and zoom.count(",") == 3 and options[-1]["value"] == zoom
    assert table.select_from_table([], []) == (no_update,) * 3
    assert table.select_from_table([{"id": "nope"}], []) == (no_update,) * 3


def test_language_toggle_keeps_view(store):
    href = run(page.toggle_language, "lang-toggle.n_clicks", 1, "?industry=steel", "zh")
    assert href == "/?industry=steel&lang=en"
    assert run(page.toggle_language, "lang-toggle.n_clicks", 0, "?industry=steel", "zh") is no_update


def test_saved_view_opens_controls(store):
    views = present.load_views()
    assert len(views) >= 6
    out = present.open_view(0, views)
    assert out["controls"]["plan"] == ["000"] and out["zoom"] == "115.6,37.6,120.2,40.6"
    assert set(out["controls"]) == {s.key for s in SPECS}
    nothing = present.open_view(99, views)
    assert all(v is no_update for v in nothing["controls"].values()) and nothing["zoom"] is no_update


def test_save_view_appends(store, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANMAP_VIEWS", str(tmp_path / "views.yaml"))
    n = len(present.load_views())
    options, views = run(present.list_or_save_views, "view-save.n_clicks", 1, "钢铁视图", "?industry=steel", "zh")
    assert len(views) == n + 1 and views[-1]["filters"] == {"industry": "steel"} and "钢铁视图" in options[-1]["label"]


def test_export_file_names_are_safe():
    assert export.file_stem("../../etc/passwd") == "etc-passwd"
    assert export.file_stem("河北 钢铁：2011-2015") == "河北-钢铁-2011-2015"
    assert export.file_stem("") == "map"


def test_passage_heading_is_the_section_not_a_box_above(store):
    from layers.passages import find_passage

    text = store.dataset.plan_texts["004"]
    p = find_passage(text, "壮大漯河、郑州、许昌、商丘、周口、驻马店等食品工业基地的规模和实力")
    assert p.heading == "4.食品工业"
    assert p.before.endswith("培育具有国际影响力的沿京广食品产业带，")


def test_reset_sets_every_filter_control(store):
    out = page.reset_filters(1)
    assert out["controls"] == {s.key: s.control_value(s.default) for s in SPECS} and out["selection"] is None
    assert all(v is no_update for v in page.reset_filters(0)["controls"].values())


def test_each_create_app_is_complete():
    """Registration is per app: a second app has every callback too (it had none before)."""
    import app as app_module

    a, b = app_module.create_app(), app_module.create_app()
    assert len(a.callback_map) == len(b.callback_map) >= 20
    assert set(a.callback_map) == set(b.callback_map)


def test_importing_app_builds_nothing():
    import subprocess
    import sys

    code = ("import sys, app; assert not hasattr(app, 'server') and not hasattr(app, 'app'); "
            "assert 'layers.store' not in sys.modules and 'callbacks.page' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=__import__("pathlib").Path(__file__).parents[1])
