"""Linked views: the table, the small charts, downloads, and picking an element from a list."""
from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, no_update

from callbacks import guarded
from callbacks.page import filters_from
from layers.charts import counts_by_industry, counts_by_prefecture
from layers.filters import filter_mask
from layers.page_state import element_bounds
from layers.store import get_store
from layers.table import grid_rows, to_csv, to_geojson


def prefecture_names_en(store) -> dict:
    prefs = store.boundaries["prefectures"]
    provs = store.boundaries["provinces"]
    return {**dict(zip(prefs["name"], prefs["name_en"])), **dict(zip(provs["name"], provs["name_en"]))}


def linked_views(store, filters, lang: str) -> tuple:
    """Table rows and the two charts for one filter set (the page renders them first, callbacks after)."""
    shown = store.elements[filter_mask(store.elements, filters)]
    # with a search, the best matches first, each saying why it matched
    return (grid_rows(shown, store.vocab, lang, q=filters.q), counts_by_industry(shown, store.vocab, lang),
            counts_by_prefecture(shown, lang, prefecture_names_en(store)))


def update_linked_views(filters_data, _summary, lang):
    """Fills after the map: the summary is written once the page is up, and on every filter change.

    (The table sits below the map; keeping its ~960 rows out of the page's first response keeps
    the map's first drawing fast.)"""
    return linked_views(get_store(), filters_from(filters_data), lang)


def search_grid(text, options):
    options = dict(options or {})
    options["quickFilterText"] = (text or "")[:200]
    return options


def select_from_table(rows, zoom_options):
    """Selecting a row selects the element on the map and zooms there."""
    if not rows or not isinstance(rows, list) or not isinstance(rows[0], dict):
        return no_update, no_update, no_update
    element_id = rows[0].get("id")
    bounds = element_bounds(element_id, get_store())
    if not bounds:
        return no_update, no_update, no_update
    options = [o for o in zoom_options or [] if "," not in str(o["value"])] + [{"label": "⌖ " + rows[0].get("name", ""), "value": bounds}]
    return {"type": "element", "id": element_id}, bounds, options


def pick_from_list(clicks, pref_clicks=None):
    """A name in a list (a prefecture's elements, what is at a clicked spot) selects it."""
    if not ctx.triggered_id or not any(c for c in (clicks or []) + (pref_clicks or []) if c):
        return no_update
    kind = "prefecture" if ctx.triggered_id.get("type") == "pick-prefecture" else "element"
    return {"type": kind, "id": ctx.triggered_id["id"]}


def download(n_csv, n_geojson, filters_data):
    """The filtered set, same contract as `app.py export-data`; the file name is built here, never taken from input."""
    if not (n_csv or n_geojson):
        return no_update
    store = get_store()
    shown = store.elements[filter_mask(store.elements, filters_from(filters_data))]
    if ctx.triggered_id == "dl-geojson":
        return dict(content=to_geojson(shown), filename=f"plan-elements-{len(shown)}.geojson",
                    type="application/geo+json")
    return dict(content=to_csv(shown), filename=f"plan-elements-{len(shown)}.csv", type="text/csv")


def register(app) -> None:
    app.callback(Output("grid", "rowData"), Output("chart-industry", "children"), Output("chart-prefecture", "children"),
                 Input("filters", "data"), Input("summary", "children"), State("lang", "data"),
                 prevent_initial_call=True)(guarded(update_linked_views))
    app.callback(Output("grid", "dashGridOptions"), Input("grid-search", "value"), State("grid", "dashGridOptions"),
                 prevent_initial_call=True)(guarded(search_grid))
    app.callback(Output("selection", "data", allow_duplicate=True), Output("f-zoom", "value", allow_duplicate=True),
                 Output("f-zoom", "options", allow_duplicate=True), Input("grid", "selectedRows"),
                 State("f-zoom", "options"), prevent_initial_call=True)(guarded(select_from_table))
    app.callback(Output("selection", "data", allow_duplicate=True),
                 Input({"type": "pick-element", "id": ALL}, "n_clicks"),
                 Input({"type": "pick-prefecture", "id": ALL}, "n_clicks"), prevent_initial_call=True)(
        guarded(pick_from_list))
    app.callback(Output("download", "data"), Input("dl-csv", "n_clicks"), Input("dl-geojson", "n_clicks"),
                 State("filters", "data"), prevent_initial_call=True)(guarded(download))
