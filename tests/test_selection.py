"""One selection for map, table, details and charts (issue 12): the callbacks called as Dash calls them."""

import csv
import io
import json
from contextvars import copy_context

from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import table
from layers.filters import Filters, parse_filters
from layers.table import grid_rows


def run(fn, trigger, *args, inputs_list=None):
    """Call a callback with `trigger` (a prop id, or a pattern id dict plus prop) as the input that fired."""

    def go():
        prop = (
            trigger
            if isinstance(trigger, str)
            else json.dumps(trigger[0], separators=(",", ":")) + "." + trigger[1]
        )
        # as Dash sends it: the triggered value is None for an id with Chinese text, the values are in the lists
        context_value.set(
            AttributeDict(triggered_inputs=[{"prop_id": prop, "value": None}], inputs_list=inputs_list or [])
        )
        return fn(*args)

    return copy_context().run(go)


def _bars(kind, key, names):
    return [{"id": {"type": kind, key: n}, "property": "n_clicks"} for n in names]


def _some_element(store):
    return store.elements["id"].iloc[3]


def test_a_mark_selects_its_row_and_scrolls_to_it(store):
    rid = _some_element(store)
    rows, scroll = run(table.row_of_selection, "selection.data", {"type": "element", "id": rid}, [], [])
    assert rows == {"ids": [rid]} and scroll == {"rowId": rid, "rowPosition": "middle"}
    # new rows (a filter) keep the selected element's row selected
    rows, _ = run(table.row_of_selection, "grid.rowData", {"type": "element", "id": rid}, [], [{"id": rid}])
    assert rows == {"ids": [rid]}
    # a prefecture or a spot clears the grid's selection; junk does nothing
    assert run(
        table.row_of_selection, "selection.data", {"type": "spot", "at": [1, 2, 3]}, [], [{"id": rid}]
    )[0] == {"ids": []}
    assert (
        run(table.row_of_selection, "selection.data", {"type": "element", "id": "../x"}, [], [])
        == (no_update,) * 2
    )


def test_no_loop_between_row_and_selection(store):
    """The grid reports the row the page selected: that must not select, zoom or scroll again."""
    rid = _some_element(store)
    sel = {"type": "element", "id": rid}
    assert table.select_from_table([{"id": rid, "name": "x"}], [], sel, "zh") == (no_update,) * 3
    assert (
        run(table.row_of_selection, "selection.data", {**sel, "from": "table"}, [], [{"id": rid}])
        == (no_update,) * 2
    )
    # a row the user picks while another element is selected does select it (and says where it came from)
    other = store.elements["id"].iloc[4]
    got, zoom, options = table.select_from_table([{"id": other, "name": "y"}], [], sel, "en")
    assert got == {"type": "element", "id": other, "from": "table"} and options[-1]["label"] == "Element: y"


def test_a_bar_click_sets_its_filter(store):
    codes = [i["code"] for i in store.vocab.industries[:2]]
    ind = _bars("bar-industry", "code", codes)
    pref = _bars("bar-prefecture", "name", ["邯郸市", "唐山市"])
    lists = [ind, pref]
    hit = ({"type": "bar-industry", "code": codes[1]}, "n_clicks")
    assert run(table.bar_filter, hit, [0, 1], [0, 0], inputs_list=lists) == ([codes[1]], no_update)
    hit = ({"type": "bar-prefecture", "name": "唐山市"}, "n_clicks")
    assert run(table.bar_filter, hit, [0, 0], [0, 1], inputs_list=lists) == (no_update, ["唐山市"])
    # bars drawn anew (n_clicks 0) and names the data does not know change nothing
    assert run(table.bar_filter, hit, [0, 0], [0, 0], inputs_list=lists) == (no_update,) * 2
    bad = [ind, _bars("bar-prefecture", "name", ["北京市"])]
    assert (
        run(
            table.bar_filter,
            ({"type": "bar-prefecture", "name": "北京市"}, "n_clicks"),
            [0, 0],
            [1],
            inputs_list=bad,
        )
        == (no_update,) * 2
    )


def test_bars_are_labelled_buttons(store):
    rows, by_ind, by_pref = table.update_linked_views({"industry": "steel"}, "…", "zh")
    text = str(by_ind.to_plotly_json())
    assert "'type': 'bar-industry', 'code': 'steel'" in text and "筛选：钢铁" in text
    assert "'type': 'bar-prefecture', 'name': '唐山市'" in str(by_pref.to_plotly_json())


def test_download_is_the_table_in_its_order(store):
    """With a search the table ranks best matches first: the download has the same rows in the same order."""
    params = {"q": "钢铁", "industry": "steel"}
    f = parse_filters(params, store.vocab)[0]
    expected = [
        r["id"]
        for r in grid_rows(
            store.elements[__import__("layers.filters", fromlist=["x"]).filter_mask(store.elements, f)],
            store.vocab,
            "zh",
            q=f.q,
        )
    ]
    out = run(table.download, "dl-csv.n_clicks", 1, 0, params, None)
    ids = [r["id"] for r in csv.DictReader(io.StringIO(out["content"].lstrip("\ufeff")))]
    assert ids == expected and len(ids) > 1
    # the grid's own order (a column sort, a column filter) wins, but it cannot add rows the filters hide
    mine = list(reversed(expected[:5])) + ["not-an-element", store.elements["id"].iloc[0]]
    shown = table.shown_rows(store, f, mine)
    assert list(shown["id"]) == [i for i in mine if i in set(expected)]


def test_download_file_name_says_the_filters(store):
    f = Filters(industry=("steel",), period=("2011-2015",))
    assert table.file_name(f, "csv", 58) == "plan-elements-industry-steel-period-2011-2015.csv"
    assert (
        table.file_name(Filters(prefecture=("唐山市",)), "geojson", 3)
        == "plan-elements-prefecture-唐山市.geojson"
    )
    assert table.file_name(Filters(), "csv", 960) == "plan-elements-all-960.csv"
    long = Filters(
        q="../../etc/passwd " + "x" * 150, industry=tuple(i["code"] for i in store.vocab.industries)
    )
    name = table.file_name(long, "csv", 7)
    assert len(name) <= 80 and name.endswith("-7.csv") and "/" not in name and ".." not in name
    assert ".." not in table.file_name(Filters(q="a..b"), "csv", 1)


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for c in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(c, "to_plotly_json"):
            yield from _walk(c)


def test_every_text_control_has_a_placeholder_in_the_pages_language(store):
    """Inputs and dropdowns say what they take, in the page's language; dropdown search boxes too."""
    from dash import dcc

    from callbacks.layout import page_body
    from layers.page_state import parse_page

    for lang, search in (("zh", "输入以搜索"), ("en", "Type to search")):
        state, _ = parse_page(f"?lang={lang}", store)
        controls = [c for c in _walk(page_body(store, state, [])) if isinstance(c, (dcc.Input, dcc.Dropdown))]
        assert len(controls) >= 10
        missing = [c.id for c in controls if not getattr(c, "placeholder", None)]
        assert missing == [], (lang, missing)
        for c in controls:
            if isinstance(c, dcc.Dropdown):
                assert c.labels["search"] == search, c.id
        if lang == "en":
            assert not any(any("\u4e00" <= ch <= "\u9fff" for ch in c.placeholder) for c in controls), (
                "Chinese placeholder on the English page"
            )
        assert not any(c.id == "grid-search" for c in controls)  # one search for the page: q
