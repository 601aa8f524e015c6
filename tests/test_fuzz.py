"""Property-based bad input: malformed values at the URL parser, every callback and the CLI.

Each must answer with a notice, a no-op or a clear error; never an exception.
"""

from contextvars import copy_context
from urllib.parse import urlencode

from dash._callback_context import context_value
from dash._utils import AttributeDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callbacks import details, page, present, table
from callbacks import map as map_cb
from layers.filters import SPECS, filter_keys, filters_to_params, parse_filters, parse_query, to_query
from layers.i18n import Notice
from layers.page_state import page_query, parse_page

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
junk_text = st.text(max_size=300) | st.sampled_from(
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "%00",
        "１０００",
        "1e309",
        "NaN",
        "-1",
        "钢铁",
        "steel,,,",
    ]
)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | junk_text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(junk_text, inner, max_size=4),
    max_leaves=12,
)


def run(fn, trigger, *args):
    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": trigger, "value": None}]))
        return fn(*args)

    return copy_context().run(go)


@SETTINGS
@given(st.text(max_size=500))
def test_url_query_never_raises_and_round_trips(store, query):
    """Oracle: whatever a link says, the state read from it writes a link that reads back as the same state."""
    filters, page_vals, notices = parse_query(query, store.vocab, ["sel", "view"])
    assert all(isinstance(n, Notice) and n.text("zh") and n.text("en") for n in notices)
    state, notices = parse_page(query, store)
    assert all(isinstance(n, Notice) for n in notices)
    again, more = parse_page(page_query(state), store)
    assert again == state and more == []


@SETTINGS
@given(st.dictionaries(st.sampled_from(filter_keys()), junk, max_size=8))
def test_filter_values_never_raise_and_are_canonical(store, params):
    """Oracle: the canonical spelling of what was understood parses to the same filters, with no notice."""
    f, notices = parse_filters(params, store.vocab)
    assert all(isinstance(n, Notice) for n in notices)
    back, more = parse_filters(filters_to_params(f), store.vocab)
    assert back == f and more == []
    assert parse_query(to_query(f), store.vocab)[0] == f


@SETTINGS
@given(st.fixed_dictionaries({s.key: junk for s in SPECS}), junk, junk, junk, junk)
def test_sync_filters_any_controls(store, controls, layers, zoom, compare, selection):
    """Oracle: the filters the page keeps (and puts in the link) are the ones parsed from the controls."""
    out = run(page.sync_filters, "f-q.value", controls, None, "zh")
    assert isinstance(out["summary"], str)
    expected = filters_to_params(parse_filters(controls, store.vocab)[0])
    assert out["filters"] == expected
    link = run(
        page.sync_link, "filters.data", out["filters"], layers, zoom, compare, selection, None, None, "zh"
    )
    state, _ = parse_page(link, store)
    assert state.filters == parse_filters(controls, store.vocab)[0]


@SETTINGS
@given(junk, junk, st.sampled_from(["filters.data", "selection.data", "f-layers.value", "f-zoom.value"]))
def test_update_map_any_state(store, filters_data, selection, trigger):
    run(
        map_cb.update_map,
        trigger,
        filters_data,
        selection,
        ["labels", "counties"],
        "河北省",
        None,
        "zh",
        None,
    )


@SETTINGS
@given(junk, junk)
def test_details_and_click_any_input(store, selection, click):
    panel = details.show_details(selection, {}, "en")
    assert panel
    run(map_cb.update_map, "selection.data", {}, click, ["labels"], "all", None, "zh", None)


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
    present.open_view(index, present.load_tour(), "zh")


@SETTINGS
@given(junk, junk, junk)
def test_saved_views_callbacks_any_input(store, view_id, views, start):
    """Whatever the browser sends as the picker, its views or the start, the answer is a no-op or a view."""
    present.open_view(view_id, views, "en")
    present.manage_rows(views, "zh")
    run(present.step_views, "view-next.n_clicks", 0, 1, view_id, views)
    tour = start if isinstance(start, str) else ""
    state, _ = parse_page("?" + urlencode({"tour": tour}), store)
    assert present.open_link(_empty_db(), state).state.tour in ("", tour)


def _empty_db():
    from layers.views_db import ViewsDB

    return ViewsDB("sqlite://")


CLI_FLAGS = [
    "--industry",
    "--period",
    "--plan",
    "--min-revenue",
    "--no-target",
    "--province",
    "--kind",
    "--q",
    "--size",
    "--scale",
    "--view",
    "--lang",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(CLI_FLAGS), junk_text.filter(lambda s: not s.startswith("-"))), max_size=4
    )
)
def test_cli_options_never_crash(tmp_path_factory, capsys, flags):
    """Oracle: the CLI writes a file exactly when every filter value parses strictly; otherwise exit 2 and a message."""
    from app import main
    from layers.filters import FilterError

    out = tmp_path_factory.mktemp("cli") / "x.csv"
    filter_flags = [(f, v) for f, v in flags if f not in ("--size", "--scale", "--view", "--lang")]
    argv = ["export-data", "--out", str(out)] + [x for pair in filter_flags for x in pair]
    try:
        code = main(argv)
    except SystemExit as e:  # argparse: usage error with status 2
        code = e.code
    raw = {}
    for flag, v in filter_flags:
        spec = next(s for s in SPECS if s.cli_flag == flag)
        raw[spec.key] = raw.get(spec.key, []) + [v] if spec.multi else v
    try:
        parse_filters(raw, store_vocab(), strict=True)
        valid = True
    except FilterError:
        valid = False
    assert code == (0 if valid else 2)
    assert out.exists() == valid
    if not valid:
        assert "error" in capsys.readouterr().err


def store_vocab():
    from layers.store import get_store

    return get_store().vocab
