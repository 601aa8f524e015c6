"""Linked views: the table, the small charts, downloads, and picking an element from a list."""

from __future__ import annotations

import re

from dash import ALL, Input, Output, State, ctx, dcc, no_update

from callbacks import guarded
from callbacks.page import filters_from
from layers.charts import counts_by_industry, counts_by_prefecture
from layers.filters import filter_mask, filters_to_params
from layers.i18n import t
from layers.page_state import element_bounds
from layers.store import get_store
from layers.table import grid_rows, to_csv, to_geojson


def linked_views(store, filters, lang: str) -> tuple:
    """Table rows and the two charts for one filter set (the page renders them first, callbacks after)."""
    shown = store.elements[filter_mask(store.elements, filters)]
    # with a search, the best matches first, each saying why it matched
    return (
        grid_rows(shown, store.vocab, lang, q=filters.q),
        counts_by_industry(shown, store.vocab, lang),
        counts_by_prefecture(shown, lang, store.place_en),
    )


def update_linked_views(filters_data, _summary, lang):
    """Fills after the map: the summary is written once the page is up, and on every filter change.

    (The table sits below the map; keeping its ~960 rows out of the page's first response keeps
    the map's first drawing fast.)"""
    return linked_views(get_store(), filters_from(filters_data), lang)


def select_from_table(rows, zoom_options, selection=None, lang="zh"):
    """Selecting a row selects the element on the map and zooms there.

    The grid also reports a selection the page made (a click on a mark selects its row): then the
    element is already the selection and nothing more happens (no zoom, no loop)."""
    if not rows or not isinstance(rows, list) or not isinstance(rows[0], dict):
        return no_update, no_update, no_update
    element_id = rows[0].get("id")
    if (
        isinstance(selection, dict)
        and selection.get("type") == "element"
        and selection.get("id") == element_id
    ):
        return no_update, no_update, no_update
    bounds = element_bounds(element_id, get_store())
    if not bounds:
        return no_update, no_update, no_update
    # text, not a glyph: the page's fonts have no ⌖ (it showed as ☒)
    label = t(
        "select_element", lang if lang in ("zh", "en") else "zh", name=str(rows[0].get("name", ""))[:60]
    )
    options = [o for o in zoom_options or [] if "," not in str(o["value"])] + [
        {"label": label, "value": bounds}
    ]
    return {"type": "element", "id": element_id, "from": "table"}, bounds, options


def row_of_selection(selection, _row_data, selected_rows):
    """The page's selection -> the grid's selected row, scrolled to the middle of the grid (mark -> row).

    Also after the rows change (a filter, the first fill): the selected element keeps its row."""
    element_id = (
        selection.get("id") if isinstance(selection, dict) and selection.get("type") == "element" else None
    )
    current = (
        [r.get("id") for r in selected_rows if isinstance(r, dict)]
        if isinstance(selected_rows, list)
        else None
    )
    if element_id is None:
        return ({"ids": []} if current else no_update), no_update
    if not get_store().has_element(element_id):
        return no_update, no_update
    if current == [element_id] and ctx.triggered_id == "selection":
        return no_update, no_update  # the row made this selection: it is selected and in view
    return {"ids": [element_id]}, {"rowId": element_id, "rowPosition": "middle"}


def _clicks_of(hit: dict, ids: list, clicks: list) -> int:
    """n_clicks of the bar that fired, found by its id (Dash's triggered value is None for a CJK id)."""
    for entry, n in zip(ids or [], clicks or []):
        if isinstance(entry, dict) and entry.get("id") == hit:
            return n or 0
    return 0


def bar_filter(industry_clicks, prefecture_clicks):
    """A click on a bar filters by it: an industry bar sets the industry filter, a prefecture bar the prefecture one."""
    hit = ctx.triggered_id
    if not isinstance(hit, dict):
        return no_update, no_update
    ids = ctx.inputs_list if isinstance(ctx.inputs_list, list) else []
    store = get_store()
    # bars drawn anew report n_clicks=0: not a click
    if hit.get("type") == "bar-industry" and _clicks_of(hit, ids[0] if ids else [], industry_clicks):
        code = store.vocab.industry_code(str(hit.get("code", "")))
        return ([code], no_update) if code else (no_update, no_update)
    if hit.get("type") == "bar-prefecture" and _clicks_of(
        hit, ids[1] if len(ids) > 1 else [], prefecture_clicks
    ):
        name = str(hit.get("name", ""))
        return (no_update, [name]) if store.has_prefecture(name) else (no_update, no_update)
    return no_update, no_update


def pick_from_list(clicks, pref_clicks=None):
    """A name in a list (a prefecture's elements, what is at a clicked spot) selects it."""
    if not ctx.triggered_id or not any(c for c in (clicks or []) + (pref_clicks or []) if c):
        return no_update
    kind = "prefecture" if ctx.triggered_id.get("type") == "pick-prefecture" else "element"
    return {"type": kind, "id": ctx.triggered_id["id"]}


def shown_rows(store, filters, order_ids=None):
    """The elements the table shows, in its order: the filters' set, ranked as grid_rows ranks a search;
    `order_ids` (the grid's own rows after its column filters and sorts) narrows and orders it further.
    Ids the filters do not show are ignored: the browser cannot add rows."""
    shown = store.elements[filter_mask(store.elements, filters)]
    if filters.q and filters.q.strip():
        from layers.search import rank_order

        shown = shown.iloc[rank_order(shown, filters.q)]
    if isinstance(order_ids, list) and order_ids:
        pos = {eid: i for i, eid in enumerate(shown["id"])}
        keep = [pos[e] for e in dict.fromkeys(x for x in order_ids if isinstance(x, str)) if e in pos]
        shown = shown.iloc[keep]
    return shown


def file_name(filters, ext: str, n: int) -> str:
    """'plan-elements-industry-steel-period-2011-2015.csv': the parsed filters, ascii letters, digits and CJK only,
    at most 80 characters (a long filter set is cut, the row count keeps names apart)."""
    parts = []
    for key, text in filters_to_params(filters).items():
        parts += [
            key.replace("_", "-"),
            re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9\u4e00-\u9fff.]+", "-", text)).strip("-."),
        ]
    stem = "-".join(["plan-elements", *[p for p in parts if p]]) if parts else f"plan-elements-all-{n}"
    room = 80 - len(ext) - 1
    if len(stem) > room:
        stem = stem[: room - len(str(n)) - 1].rstrip("-") + f"-{n}"
    return f"{stem}.{ext}"


def download(n_csv, n_geojson, filters_data, virtual_rows=None):
    """Exactly the rows the table shows, in its order (same contract as `app.py export-data`).
    The file name is built here from the parsed filters, never taken from input."""
    if not (n_csv or n_geojson):
        return no_update
    store = get_store()
    filters = filters_from(filters_data)
    ids = (
        [r.get("id") for r in virtual_rows if isinstance(r, dict)] if isinstance(virtual_rows, list) else None
    )
    shown = shown_rows(store, filters, ids)
    if ctx.triggered_id == "dl-geojson":
        return dict(
            content=to_geojson(shown),
            filename=file_name(filters, "geojson", len(shown)),
            type="application/geo+json",
        )
    return dict(content=to_csv(shown), filename=file_name(filters, "csv", len(shown)), type="text/csv")


def selection_pieces():
    """Page pieces of the shared selection: the target of the clientside scroll (no data)."""
    return dcc.Store(id="map-scrolled")


# the selection came from the table: bring the map into view (it may be scrolled away above the table)
SCROLL_MAP_JS = """function (sel) {
    if (sel && sel.from === 'table') {
        var m = document.getElementById('map');
        if (m) m.scrollIntoView({block: 'nearest', behavior: 'smooth'});
    }
    return window.dash_clientside.no_update;
}"""


def register(app) -> None:
    app.callback(
        Output("grid", "rowData"),
        Output("chart-industry", "children"),
        Output("chart-prefecture", "children"),
        Input("filters", "data"),
        Input("summary", "children"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(update_linked_views))
    app.callback(
        Output("selection", "data", allow_duplicate=True),
        Output("f-zoom", "value", allow_duplicate=True),
        Output("f-zoom", "options", allow_duplicate=True),
        Input("grid", "selectedRows"),
        State("f-zoom", "options"),
        State("selection", "data"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(select_from_table))
    app.callback(
        Output("grid", "selectedRows"),
        Output("grid", "scrollTo"),
        Input("selection", "data"),
        Input("grid", "rowData"),
        State("grid", "selectedRows"),
    )(guarded(row_of_selection))
    app.clientside_callback(
        SCROLL_MAP_JS, Output("map-scrolled", "data"), Input("selection", "data"), prevent_initial_call=True
    )
    app.callback(
        Output("f-industry", "value", allow_duplicate=True),
        Output("f-prefecture", "value", allow_duplicate=True),
        Input({"type": "bar-industry", "code": ALL}, "n_clicks"),
        Input({"type": "bar-prefecture", "name": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(guarded(bar_filter))
    app.callback(
        Output("selection", "data", allow_duplicate=True),
        Input({"type": "pick-element", "id": ALL}, "n_clicks"),
        Input({"type": "pick-prefecture", "id": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )(guarded(pick_from_list))
    app.callback(
        Output("download", "data"),
        Input("dl-csv", "n_clicks"),
        Input("dl-geojson", "n_clicks"),
        State("filters", "data"),
        State("grid", "virtualRowData"),
        prevent_initial_call=True,
    )(guarded(download))
