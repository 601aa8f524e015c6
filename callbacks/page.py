"""Page-level callbacks: render the page from the link, keep the link in step with the controls."""

from __future__ import annotations

from dataclasses import replace

from dash import Input, Output, State, no_update

from callbacks import guarded
from callbacks.layout import notice_list, page_body
from callbacks.present import open_link
from layers.coverage import coverage_phrase
from layers.filters import SPECS, describe, filter_mask, filters_to_params, parse_filters
from layers.i18n import t, zh_marked
from layers.page_state import PageState, known_layers, page_query, parse_page, selection_of
from layers.reader import reader_position
from layers.store import get_store


def control_inputs() -> dict:
    """Every filter control's value, by filter key: the group the callbacks take and return
    (read from SPECS when the app is built, so a new spec gets its control wired)."""
    return {s.key: Input(s.control_id, "value") for s in SPECS}


def control_outputs(**kw) -> dict:
    return {s.key: Output(s.control_id, "value", **kw) for s in SPECS}


def controls_for(filters) -> dict:
    """A Filters value -> the value of every filter control (saved views, reset)."""
    return {s.key: s.control_value(getattr(filters, s.key)) for s in SPECS}


def filters_from(data):
    """The `filters` store holds canonical params; parsing them again cannot fail."""
    return parse_filters(data if isinstance(data, dict) else {}, get_store().vocab)[0]


def shown_state(filters_data, layers, zoom, compare, selection, lang) -> PageState:
    """The state the page is showing, from its stores and controls (what the link must say)."""
    store = get_store()
    selected, prefecture = selection_of(selection, store)
    return PageState(
        filters=filters_from(filters_data),
        layers=known_layers(layers),
        view=zoom if isinstance(zoom, str) and zoom else "all",
        compare=compare if isinstance(compare, str) else "",
        lang=lang if lang in ("zh", "en") else "zh",
        selected=selected,
        prefecture=prefecture,
    )


def render_page(pathname, search, shown_query=None, db=None):
    """A link opens exactly the view it names; what it gets wrong is listed as a notice.

    The address bar also changes when the page writes it (sync_link): then it names what is shown
    and nothing is re-rendered. Back and Forward name another state: the page is rebuilt from it,
    so the page after Back equals a fresh load of that URL. ?tour=<id> and ?present=1 are rendered
    here too (the view's state, the caption, the presenting class), in the same single update."""
    if shown_query is not None and (search or "") == shown_query:
        return {"children": no_update, "className": no_update}
    store = get_store()
    state, notices = parse_page(search, store)
    opening = open_link(db, state) if db is not None else None
    if opening:
        state, notices = opening.state, notices + opening.notices
    return {
        "children": page_body(store, state, notices, opening),
        "className": "presenting" if state.present else "",
    }


def sync_filters(controls, current, lang):
    """Controls -> the canonical filters and the summary line (notices for what was not understood)."""
    store = get_store()
    filters, notices = parse_filters(controls if isinstance(controls, dict) else {}, store.vocab)
    params = filters_to_params(filters)
    n = int(filter_mask(store.elements, filters).sum())
    phrases = describe(filters, store.vocab, lang) or [t("no_filters", lang)]
    phrases += [
        x for x in [coverage_phrase(filters, store.vocab, lang)] if x
    ]  # e.g. no Henan plan for 2016-2020
    summary = f"{t('shown', lang, n=n, total=len(store.elements))} · {' · '.join(phrases)}"
    # an unchanged filter set must not wake the map, table and details again
    return {
        "filters": params if params != current else no_update,
        # on the English page a search typed in Chinese is echoed as Chinese: marked so
        "summary": zh_marked(summary) if lang == "en" else summary,
        "notices": notice_list(notices, lang) if notices else no_update,
    }


def sync_link(filters_data, layers, zoom, compare, selection, reader=None, follow=None, lang="zh"):
    """Everything the user has chosen -> the address bar, so the link reopens this view."""
    store = get_store()
    state = replace(
        shown_state(filters_data, layers, zoom, compare, selection, lang),
        reader=reader_link(reader, store),
        follow=bool(follow),
    )
    return page_query(state)


def link_and_shown(*args):
    """The link, written to the address bar and remembered as what the page shows (see render_page)."""
    query = sync_link(*args)
    return query, query


def reader_link(pos, store) -> str:
    """The reader store (written by the browser as it scrolls) -> '000:125', or '' when closed or invalid."""
    if not isinstance(pos, dict):
        return ""
    value = f"{pos.get('plan')}:{pos.get('n')}"
    return value if isinstance(reader_position(value, store.dataset.plan_texts), tuple) else ""


def reset_filters(n):
    if not n:  # buttons inserted with the page report n_clicks=0: not a click
        return {"controls": {s.key: no_update for s in SPECS}, "selection": no_update}
    return {"controls": {s.key: s.control_value(s.default) for s in SPECS}, "selection": None}


def toggle_language(n, search, lang):
    """Reload the same view in the other language (every label is rendered server-side)."""
    if not n:
        return no_update
    state, _ = parse_page(search, get_store())
    return "/" + page_query(replace(state, lang="en" if lang == "zh" else "zh"))


def register(app) -> None:
    db = app.server.config["VIEWS_DB"]

    def render_linked_page(pathname, search, shown_query):
        return render_page(pathname, search, shown_query, db)

    app.callback(
        output={
            "children": Output("page-body", "children"),
            "className": Output("page-body", "className", allow_duplicate=True),
        },
        inputs={
            "pathname": Input("url", "pathname"),
            "search": Input("url", "search"),
            "shown_query": State("shown-query", "data"),
        },
        prevent_initial_call="initial_duplicate",
    )(guarded(render_linked_page))
    app.callback(
        output={
            "filters": Output("filters", "data"),
            "summary": Output("summary", "children"),
            "notices": Output("notices", "children", allow_duplicate=True),
        },
        inputs={
            "controls": control_inputs(),
            "current": State("filters", "data"),
            "lang": State("lang", "data"),
        },
        prevent_initial_call="initial_duplicate",
    )(guarded(sync_filters))
    app.callback(
        Output("url", "search"),
        Output("shown-query", "data"),
        Input("filters", "data"),
        Input("f-layers", "value"),
        Input("f-zoom", "value"),
        Input("f-compare", "value"),
        Input("selection", "data"),
        Input("reader-pos", "data"),
        Input("reader-follow", "value"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(link_and_shown))
    app.callback(
        output={
            "controls": control_outputs(allow_duplicate=True),
            "selection": Output("selection", "data", allow_duplicate=True),
        },
        inputs={"n": Input("reset", "n_clicks")},
        prevent_initial_call=True,
    )(guarded(reset_filters))
    app.callback(
        Output("nav", "href"),
        Input("lang-toggle", "n_clicks"),
        State("url", "search"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(toggle_language))
