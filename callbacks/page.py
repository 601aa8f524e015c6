"""Page-level callbacks: render the page from the link, keep the link in step with the controls."""
from __future__ import annotations

from dash import Input, Output, State, callback, no_update

from callbacks.layout import notice_list, page_body
from callbacks.state import (FILTER_CONTROLS, PageState, controls_to_params, filters_from, known_layers, page_query,
                             parse_page)
from layers.filters import describe, filter_mask, filters_to_params, parse_filters
from layers.i18n import t
from layers.store import get_store



@callback(Output("page-body", "children"), Input("url", "pathname"), State("url", "search"))
def render_page(_pathname, search):
    """A link opens exactly the view it names; what it gets wrong is listed as a notice."""
    store = get_store()
    state, notices = parse_page(search, store)
    return page_body(store, state, notices)


@callback(
    Output("filters", "data"), Output("summary", "children"), Output("notices", "children", allow_duplicate=True),
    *[Input(c, "value") for c in FILTER_CONTROLS], State("filters", "data"), State("lang", "data"),
    prevent_initial_call="initial_duplicate",
)
def sync_filters(q, industry, period, year, plan, min_revenue, no_target, province, kind, current, lang):
    """Controls -> the canonical filters and the summary line (notices for what was not understood)."""
    store = get_store()
    filters, notices = parse_filters(controls_to_params(q, industry, period, year, plan, min_revenue, no_target,
                                                        province, kind), store.vocab)
    params = filters_to_params(filters)
    n = int(filter_mask(store.elements, filters).sum())
    phrases = describe(filters, store.vocab, lang) or [t("no_filters", lang)]
    summary = f"{t('shown', lang, n=n, total=len(store.elements))} · {' · '.join(phrases)}"
    # an unchanged filter set must not wake the map, table and details again
    return (params if params != current else no_update, summary,
            notice_list(notices, lang) if notices else no_update)


@callback(Output("url", "search"), Input("filters", "data"), Input("f-layers", "value"), Input("f-zoom", "value"),
          Input("f-compare", "value"), Input("selection", "data"), State("lang", "data"), prevent_initial_call=True)
def sync_link(filters_data, layers, zoom, compare, selection, lang):
    """Everything the user has chosen -> the address bar, so the link reopens this view."""
    sel = selection if isinstance(selection, dict) else {}
    state = PageState(filters=filters_from(filters_data), layers=known_layers(layers),
                      view=zoom if isinstance(zoom, str) and zoom else "all",
                      compare=compare if isinstance(compare, str) else "", lang=lang,
                      selected=_str(sel.get("id")) if sel.get("type") == "element" else None,
                      prefecture=_str(sel.get("id")) if sel.get("type") == "prefecture" else None)
    return page_query(state)


def _str(value) -> str | None:
    return value if isinstance(value, str) and value else None


@callback(
    *[Output(c, "value", allow_duplicate=True) for c in FILTER_CONTROLS],
    Output("selection", "data", allow_duplicate=True),
    Input("reset", "n_clicks"), prevent_initial_call=True,
)
def reset_filters(n):
    if not n:  # buttons inserted with the page report n_clicks=0: not a click
        return (no_update,) * 10
    return "", [], [], "", [], 0, "show", [], [], None


@callback(Output("nav", "href"), Input("lang-toggle", "n_clicks"), State("url", "search"), State("lang", "data"),
          prevent_initial_call=True)
def toggle_language(n, search, lang):
    """Reload the same view in the other language (every label is rendered server-side)."""
    if not n:
        return no_update
    store = get_store()
    state, _ = parse_page(search, store)
    from dataclasses import replace
    return "/" + page_query(replace(state, lang="en" if lang == "zh" else "zh"))
