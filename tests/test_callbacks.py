"""Each callback called as Dash calls it, with good and invalid inputs (no exception, a clear answer)."""

from contextvars import copy_context

import pytest
from dash import Patch, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.exceptions import PreventUpdate

from callbacks import details, export, page, present, table
from callbacks import map as map_cb
from layers.figure import DEFAULT_LAYERS, N_BASE, element_slots, slot_name, trace_index
from layers.filters import SPECS
from layers.page_state import parse_page


def run(fn, trigger: str, *args):
    """Call a callback with `trigger` ('id.prop') as the input that fired."""

    def go():
        context_value.set(
            AttributeDict(triggered_inputs=[{"prop_id": t, "value": None} for t in trigger.split(" ")])
        )
        return fn(*args)

    return copy_context().run(go)


def test_render_page_from_link_with_notices(store):
    body = run(page.render_page, "url.pathname", "/", "?industry=steel,stee1&foo=1")["children"]
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
    out = run(
        page.sync_filters,
        "f-industry.value",
        controls(industry=["钢铁"], period=["2011-2015"], min_revenue=1000, province=["河北省"]),
        {},
        "zh",
    )
    data = out["filters"]
    assert data == {"industry": "steel", "period": "2011-2015", "min_revenue": "1000", "province": "hebei"}
    assert "显示" in out["summary"] and "钢铁" in out["summary"]
    search = run(
        page.sync_link, "filters.data", data, list(DEFAULT_LAYERS), "河北省", "", None, None, None, "zh"
    )
    assert (
        search
        == "?industry=steel&period=2011-2015&min_revenue=1000&province=hebei&view=%E6%B2%B3%E5%8C%97%E7%9C%81"
    )


def test_unchanged_filters_do_not_cascade(store):
    data = run(page.sync_filters, "f-q.value", controls(industry=["steel"]), {}, "zh")["filters"]
    again = run(page.sync_filters, "f-q.value", controls(industry=["steel"]), data, "zh")["filters"]
    assert again is no_update


def test_sync_filters_invalid_values_become_notices(store):
    out = run(
        page.sync_filters,
        "f-q.value",
        controls(
            q="x" * 1000,
            industry=["<script>"],
            period=["1999", "2030-2040"],
            year="abc",
            plan=["999"],
            min_revenue="lots",
            no_target="maybe",
            province=["mars"],
            kind=["castle"],
        ),
        None,
        "zh",
    )
    assert out["filters"] == {"q": "x" * 200}  # only the (shortened) search was understood
    text = str(out["notices"].to_plotly_json())
    for word in (
        "unknown industry",
        "unknown plan period '2030-2040'",
        "no plan period covers the year '1999'",
        "unknown plan document '999'",
        "min_revenue",
        "no_target",
        "unknown province",
        "unknown element kind",
        "too long",
    ):
        assert word in text, word


def test_update_map_patches_only_elements(store):
    p, _ = run(
        map_cb.update_map, "filters.data", {"industry": "steel"}, None, ["labels"], "all", None, "zh", None
    )
    assert isinstance(p, Patch)
    ops = p.to_plotly_json()["operations"]
    index = trace_index(store.vocab)
    names = {index["prefecture_labels"], index["context_labels"]}
    touched = {op["location"][1] for op in ops if op["location"][0] == "data"} - names
    assert min(touched) >= N_BASE  # the boundaries are never re-sent on a filter change
    assert touched == set(range(N_BASE, N_BASE + len(element_slots())))
    # of the base map, only which names are kept apart (the browser held none of them yet)
    assert {
        tuple(op["location"][2:]) for op in ops if op["location"][:2] in [["data", j] for j in names]
    } <= {("text",)}
    layout_keys = {op["location"][1] for op in ops if op["location"][0] == "layout"}
    assert layout_keys == {
        "shapes",
        "annotations",
        "legend",
        "margin",
    }  # the size key and where the legend sits


def test_a_second_filter_change_sends_only_the_traces_that_changed(store):
    """The browser keeps the fingerprints of what its map holds; an unchanged trace is not sent again,
    and what is sent is what a full patch would send."""
    first, held = run(
        map_cb.update_map, "filters.data", {"industry": "steel"}, None, ["labels"], "all", None, "zh", None
    )
    full, _ = run(
        map_cb.update_map, "filters.data", {"industry": "auto"}, None, ["labels"], "all", None, "zh", None
    )
    again, held2 = run(
        map_cb.update_map,
        "filters.data",
        {"industry": "auto"},
        None,
        ["labels"],
        "all",
        None,
        "zh",
        None,
        held,
    )
    index = trace_index(store.vocab)
    assert set(held) == {slot_name(r, k) for r, k in element_slots()} | {
        "prefecture_labels.text",
        "context_labels.text",
    }

    def sent(patch):
        return {
            tuple(op["location"]): op["params"]["value"]
            for op in patch.to_plotly_json()["operations"]
            if op["location"][0] == "data"
        }

    full_ops, again_ops = sent(full), sent(again)
    assert again_ops and len(again_ops) < len(full_ops)
    assert all(full_ops[loc] == v for loc, v in again_ops.items())  # nothing sent differs
    skipped = {loc[1] for loc in full_ops} - {loc[1] for loc in again_ops}
    by_index = {v: n for n, v in index.items()}
    key = {n: f"{n}.text" for n in ("prefecture_labels", "context_labels")}  # the base map's names: text only
    assert all(
        held[key.get(by_index[j], by_index[j])] == held2[key.get(by_index[j], by_index[j])] for j in skipped
    )  # only what the browser has
    assert index["kind_key-base"] in skipped  # bases are shown under either industry


def test_update_map_zoom_and_selection_together(store):
    rid = store.elements["id"].iloc[0]
    p, _ = run(
        map_cb.update_map,
        "selection.data f-zoom.value",
        {},
        {"type": "element", "id": rid},
        ["labels"],
        "河北省",
        None,
        "zh",
        None,
    )
    ops = {tuple(op["location"]) for op in p.to_plotly_json()["operations"]}
    assert ("layout", "geo", "lonaxis", "range") in ops and any(
        o[0] == "data" and o[1] >= N_BASE for o in ops
    )


def test_selection_alone_moves_only_the_highlight(store):
    rid = store.elements["id"].iloc[0]
    p, _ = run(
        map_cb.update_map,
        "selection.data",
        {},
        {"type": "element", "id": rid},
        ["labels"],
        "all",
        None,
        "zh",
        None,
    )
    ops = p.to_plotly_json()["operations"]
    slots = {op["location"][1] for op in ops if op["location"][0] == "data"}
    index = trace_index(store.vocab)
    # prefecture fill, the ring, and the labels (the selected element is named first); the base map's
    # names kept apart only as text (sent because this browser held none yet)
    names = {index["prefecture_labels"], index["context_labels"]}
    assert slots - names == {
        index[n] for n in ("prefectures", "highlight", "labels-marks", "labels-areas", "leaders")
    }
    assert all(
        op["location"][2:] == ["text"] for op in ops if op["location"][:2] in [["data", j] for j in names]
    )


def test_update_map_bad_store_is_harmless(store):
    p, _ = run(
        map_cb.update_map,
        "filters.data",
        {"industry": ["??"], "min_revenue": "x"},
        "junk",
        None,
        None,
        None,
        "zh",
        None,
    )
    assert isinstance(p, Patch)


def test_forged_selection_selects_nothing(store):
    """The click is turned into a selection in the browser; the server side must not trust it."""
    for sel in ({"type": "element", "id": "nope"}, {"type": "prefecture", "id": "<b>x</b>"}, {"type": 3}):
        panel = details.show_details(sel, {}, "zh")
        assert "点击" in str(panel[0].to_plotly_json())
        p, _ = run(map_cb.update_map, "selection.data", {}, sel, ["labels"], "all", None, "zh", None)
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
    sel, zoom, options = table.select_from_table(
        [{"id": rid, "name": "x"}], [{"label": "all", "value": "all"}]
    )
    assert sel == {"type": "element", "id": rid, "from": "table"} and zoom.count(",") == 3
    assert options[-1] == {"label": "要素：x", "value": zoom}
    assert table.select_from_table([], []) == (no_update,) * 3
    assert table.select_from_table([{"id": "nope"}], []) == (no_update,) * 3


def test_language_toggle_keeps_view(store):
    href = run(page.toggle_language, "lang-toggle.n_clicks", 1, "?industry=steel", "zh")
    assert href == "/?industry=steel&lang=en"
    assert run(page.toggle_language, "lang-toggle.n_clicks", 0, "?industry=steel", "zh") is no_update


@pytest.fixture
def db(tmp_path, store):
    from layers.page_state import parse_page
    from layers.views_db import ViewsDB

    return ViewsDB(
        f"sqlite:///{tmp_path / 'views.sqlite3'}",
        validate_query=lambda q: [n.text("en") for n in parse_page(q, store)[1]],
    )


LOCAL = "127.0.0.1"


def test_saved_view_opens_controls(store, db):
    db.create("唐山钢铁", "?industry=steel&view=唐山市", "讲钢铁")
    views = present.catalogue(db)
    assert [v["id"] for v in views[:2]] == ["t1", "t2"] and views[-1]["name"] == "唐山钢铁"
    out = present.open_view("t1", views, "zh")
    assert out["controls"]["plan"] == ["000"] and out["zoom"] == "115.6,37.6,120.2,40.6"
    assert set(out["controls"]) == {s.key for s in SPECS}
    assert out["caption"][0].children == views[0]["name"]
    saved = present.open_view(views[-1]["id"], views, "zh")
    assert saved["controls"]["industry"] == ["steel"] and saved["zoom"] == "唐山市"
    assert saved["caption"][1].children == "讲钢铁"
    nothing = present.open_view("t99", views, "zh")
    assert all(v is no_update for v in nothing["controls"].values()) and nothing["zoom"] is no_update


def test_picker_lists_tour_then_saved_views(db):
    db.create("我的视图", "?province=henan")
    options = present.picker_options(present.catalogue(db), "en")
    assert options[0]["value"] == "t1" and options[0]["label"].endswith("(tour)")
    assert options[-1] == {"label": f"{len(options)}. 我的视图", "value": str(db.list_views()[0]["id"])}


def test_save_view_confirms_and_selects_it(db):
    out = present.save_view(
        db,
        1,
        " 钢铁视图 ",
        "给领导看",
        "?industry=steel&present=1&tour=t2&lang=en",
        "zh",
        None,
        remote_addr=LOCAL,
    )
    [saved] = db.list_views()
    assert out["message"] == "已保存：钢铁视图" and out["pick"] == str(saved["id"])
    # the saved query is the view itself: no language, no presentation keys
    assert saved["query"] == "?industry=steel" and saved["note"] == "给领导看"
    assert out["options"][-1]["value"] == out["pick"] and "钢铁视图" in out["options"][-1]["label"]
    assert [v["id"] for v in out["views"]][-1] == out["pick"]
    unnamed = present.save_view(db, 2, "", None, "?province=hebei", "en", None, remote_addr=LOCAL)
    assert unnamed["message"] == "Saved: View 2"


def test_save_view_refusals_are_messages(db, monkeypatch, tmp_path):
    from layers.views_db import ViewsDB

    full = ViewsDB(f"sqlite:///{tmp_path / 'full.sqlite3'}", max_views=1)
    full.create("一", "?industry=steel")
    out = present.save_view(full, 1, "二", None, "?industry=steel", "zh", None, remote_addr=LOCAL)
    assert (
        out["message"].startswith("未能保存：") and "at most 1" in out["message"] and out["pick"] is no_update
    )
    monkeypatch.setenv("PLANMAP_PUBLIC", "1")
    monkeypatch.setenv("PLANMAP_EDIT_TOKEN", "s3cret-token")
    assert (
        present.save_view(db, 1, "x", None, "", "zh", None, remote_addr=LOCAL)["message"]
        == "本服务器需要编辑口令才能保存：请在“管理视图”中输入"
    )
    assert (
        present.save_view(db, 1, "x", None, "", "en", "guess", remote_addr=LOCAL)["message"]
        == "the edit token is wrong"
    )
    assert db.list_views() == []
    assert (
        present.save_view(db, 1, "x", None, "", "en", "s3cret-token", remote_addr=LOCAL)["message"]
        == "Saved: x"
    )
    monkeypatch.delenv("PLANMAP_EDIT_TOKEN")
    assert (
        "PLANMAP_EDIT_TOKEN"
        in present.save_view(db, 1, "y", None, "", "en", "any", remote_addr=LOCAL)["message"]
    )


def test_manage_rename_note_move_delete_undo(db):
    a, b, c = (
        db.create(n, q)["id"]
        for n, q in (("甲", "?province=hebei"), ("乙", "?province=henan"), ("丙", "?industry=steel"))
    )
    names = lambda: [v["name"] for v in db.list_views()]  # noqa: E731
    out = present.rename_view(db, b, "乙：河南", None, "zh", remote_addr=LOCAL)
    assert out["message"] == "已更名：乙：河南" and names() == ["甲", "乙：河南", "丙"]
    present.note_view(db, a, "先看这个", None, "zh", remote_addr=LOCAL)
    assert db.get(a)["note"] == "先看这个"
    present.move_view(db, c, -1, None, "zh", remote_addr=LOCAL)
    assert names() == ["甲", "丙", "乙：河南"]
    present.move_view(db, a, -1, None, "zh", remote_addr=LOCAL)  # already first: stays
    assert names() == ["甲", "丙", "乙：河南"]
    gone = present.delete_view(db, c, None, "en", remote_addr=LOCAL)
    assert gone["message"] == "Deleted: 丙" and gone["undo"]["id"] == c and names() == ["甲", "乙：河南"]
    back = present.undo_delete(db, 1, gone["undo"], None, "en", remote_addr=LOCAL)
    assert back["message"] == "Restored: 丙" and back["undo"] is None and names() == ["甲", "丙", "乙：河南"]
    bad = present.rename_view(db, a, "   ", None, "en", remote_addr=LOCAL)
    assert bad["message"].startswith("Not saved: name must be 1 to 80") and names()[0] == "甲"
    with pytest.raises(PreventUpdate):  # the list re-rendering sends the same name: nothing is written
        present.rename_view(db, a, "甲", None, "en", remote_addr=LOCAL)
    rows = present.manage_rows(present.catalogue(db), "zh")[0].children
    assert [r.children[1].children[1].value for r in rows] == ["甲", "丙", "乙：河南"]
    assert rows[0].children[3].disabled and rows[-1].children[4].disabled


def test_link_opens_presentation_at_a_view(db, store):
    """?present=1&tour=t8 is rendered at t8 by the server in one update: its comparison, its caption,
    the picker at t8 and the presenting class (not by setting controls after the page has drawn)."""
    out = run(page.render_page, "url.search", "/", "?present=1&tour=t8", None, db)
    assert out["className"] == "presenting"
    body = out["children"]
    t8 = present.find_view(present.load_tour(), "t8")
    assert "compare=" in t8["query"]  # the tour's comparison view
    compare = _find(body, "compare")
    assert compare.style is None and "延续" in _find(body, "compare-title").children
    assert _find(body, "f-compare").value == parse_page(t8["query"], store)[0].compare
    assert _find(body, "view-pick").value == "t8"
    assert t8["name"] in str(_find(body, "present-caption").to_plotly_json())
    assert _find(body, "present-toggle").to_plotly_json()["props"]["aria-pressed"] == "true"
    missing = run(page.render_page, "url.search", "/", "?lang=en&tour=42", None, db)
    assert missing["className"] == "" and _find(missing["children"], "view-pick").value is None
    assert "no view with id '42'" in str(missing["children"].to_plotly_json())
    plain = run(page.render_page, "url.search", "/", "?industry=steel", None, db)
    assert _find(plain["children"], "compare").style == {"display": "none"}


def test_present_and_tour_in_the_link(store):
    from layers.page_state import page_query, parse_page

    state, notices = parse_page("?present=1&tour=t3&industry=steel", store)
    assert (state.present, state.tour, notices) == (True, "t3", [])
    assert page_query(state) == "?industry=steel&present=1&tour=t3"
    state, notices = parse_page("?present=yes&tour=../x", store)
    assert (state.present, state.tour) == (False, "")
    assert [n.code for n in notices] == ["bad_present", "bad_tour"]
    # ?view=<id>, as a presenter would type it, opens the view like ?tour=<id>; a place or extent stays a zoom
    assert parse_page("?present=1&view=12", store)[0].tour == "12"
    assert parse_page("?view=t8", store)[0].tour == "t8"
    assert parse_page("?view=石家庄市", store)[0].view == "石家庄市"
    assert [n.code for n in parse_page("?view=t0x", store)[1]] == ["unknown_view"]


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

    code = (
        "import sys, app; assert not hasattr(app, 'server') and not hasattr(app, 'app'); "
        "assert 'layers.store' not in sys.modules and 'callbacks.page' not in sys.modules"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=__import__("pathlib").Path(__file__).parents[1]
    )


@pytest.mark.export
def test_export_preview_draws_the_page_small_before_rendering(store):
    """The dialog shows the page as it will print: a PNG at the preset's proportions, and nothing while closed."""
    import base64
    import struct

    from dash import html

    assert export.export_preview(True, "a4-landscape", "", {}, "all", ["labels"], "zh") is no_update
    img = export.export_preview(
        False, "a4-portrait", "河北钢铁", {"industry": "steel"}, "河北省", ["labels"], "zh"
    )
    assert isinstance(img, html.Img) and img.src.startswith("data:image/png;base64,")
    png = base64.b64decode(img.src.split(",", 1)[1])
    w, h = struct.unpack(">II", png[16:24])
    assert w == export.PREVIEW_WIDTH and abs(h / w - 1123 / 794) < 0.02  # portrait proportions


def test_switching_the_rivers_layer_patches_only_its_visibility(store):
    index = trace_index(store.vocab)
    for layers, shown in ((["labels", "context"], False), (["labels", "rivers"], True)):
        p, _ = run(map_cb.update_map, "f-layers.value", {}, None, layers, "all", None, "zh", None)
        ops = {tuple(op["location"]): op["params"]["value"] for op in p.to_plotly_json()["operations"]}
        assert ops[("data", index["rivers"], "visible")] is shown
