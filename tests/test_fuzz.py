"""Property-based bad input: malformed values at the URL parser, every callback and the CLI.

Each must answer with a notice, a no-op or a clear error; never an exception.
"""
from contextvars import copy_context

from dash._callback_context import context_value
from dash._utils import AttributeDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app as app_module  # noqa: F401
from callbacks import details, map as map_cb, page, present, table
from callbacks.state import parse_page
from layers.filters import FILTER_KEYS, parse_filters, parse_query

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
junk_text = st.text(max_size=300) | st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd",
                                                      "%00", "１０００", "1e309", "NaN", "-1", "钢铁", "steel,,,"])
junk = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | junk_text,
                    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(junk_text, inner, max_size=4),
                    max_leaves=12)


def run(fn, trigger, *args):
    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": trigger, "value": None}]))
        return fn(*args)
    return copy_context().run(go)


@SETTINGS
@given(st.text(max_size=500))
def test_url_query_never_raises(store, query):
    filters, page_vals, notices = parse_query(query, store.vocab, ["sel", "view"])
    assert all(isinstance(n, str) for n in notices)
    state, notices = parse_page(query, store)
    assert all(isinstance(n, str) for n in notices)


@SETTINGS
@given(st.dictionaries(st.sampled_from(FILTER_KEYS), junk, max_size=8))
def test_filter_values_never_raise(store, params):
    f, notices = parse_filters(params, store.vocab)
    assert all(isinstance(n, str) for n in notices)


@SETTINGS
@given(junk_text, junk, junk, junk, junk, junk, junk, junk, junk, junk, junk, junk, junk)
def test_sync_filters_any_controls(store, q, industry, period, year, plan, min_revenue, no_target, province, kind,
                                   layers, zoom, compare, selection):
    args = [q, industry, period, year, plan, min_revenue, no_target, province, kind]
    args = [a if isinstance(a, (str, list, int, float, type(None))) else str(a) for a in args]
    out = run(page.sync_filters, "f-q.value", *args, None, "zh")
    assert isinstance(out[0], dict) and isinstance(out[1], str)
    link = run(page.sync_link, "filters.data", out[0], layers if isinstance(layers, list) else None,
               zoom if isinstance(zoom, (str, type(None))) else None, compare if isinstance(compare, str) else "",
               selection, "zh")
    assert isinstance(link, str)


@SETTINGS
@given(junk, junk, st.sampled_from(["filters.data", "selection.data", "f-layers.value", "f-zoom.value"]))
def test_update_map_any_state(store, filters_data, selection, trigger):
    run(map_cb.update_map, trigger, filters_data, selection, ["labels", "counties"], "河北省", "zh")


@SETTINGS
@given(junk, junk)
def test_details_and_click_any_input(store, selection, click):
    panel = details.show_details(selection, {}, "en")
    assert panel
    run(map_cb.update_map, "selection.data", {}, click, ["labels"], "all", "zh")


@SETTINGS
@given(junk)
def test_linked_views_and_downloads_any_filters(store, filters_data):
    table.update_linked_views(filters_data, None, "zh")
    run(table.download, "dl-csv.n_clicks", 1, 0, filters_data)


@SETTINGS
@given(junk, junk)
def test_table_selection_and_views_any_input(store, rows, index):
    rows = rows if isinstance(rows, list) and all(isinstance(r, dict) for r in rows) else None
    table.select_from_table(rows, [])
    present.open_view(index if isinstance(index, int) else None, present.load_views())


CLI_FLAGS = ["--industry", "--period", "--plan", "--min-revenue", "--no-target", "--province", "--kind", "--q",
             "--size", "--scale", "--view", "--lang"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(CLI_FLAGS), junk_text.filter(lambda s: not s.startswith("-"))), max_size=4))
def test_cli_options_never_crash(tmp_path_factory, flags):
    from app import main

    out = tmp_path_factory.mktemp("cli") / "x.csv"
    argv = ["export-data", "--out", str(out)] + [x for pair in flags for x in pair
                                                 if pair[0] not in ("--size", "--scale", "--view", "--lang")]
    try:
        code = main(argv)
    except SystemExit as e:  # argparse: usage error with status 2
        code = e.code
    assert code in (0, 2)
