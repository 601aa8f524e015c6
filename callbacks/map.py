"""Map callbacks: filters -> patched element traces; clicks -> selection; zoom (the comparison: callbacks/compare.py)."""
from __future__ import annotations

from dash import Input, Output, Patch, State, ctx, no_update

from callbacks import guarded
from callbacks.page import filters_from
from layers.figure import (AREA_PATCH_KEYS, MapOptions, county_lines, element_slots, element_traces,
                           highlight_trace, slot_name, trace_index, view_ranges)
from layers.filters import Filters, filter_mask
from layers.page_state import page_view, selection_of
from layers.store import get_store


def patch_elements(filters: Filters, opts: MapOptions) -> Patch:
    """Only the element slots change; the boundaries stay in the browser."""
    store = get_store()
    index = trace_index(store.vocab)
    traces = element_traces(store.map, filter_mask(store.elements, filters), opts)
    p = Patch()
    for (role, key), tr in zip(element_slots(store.vocab), traces):
        j = index[slot_name(role, key)]
        if role == "area":  # the areas' geometry is constant: send what is shown, not the shapes
            for k in AREA_PATCH_KEYS:
                p["data"][j][k] = tr[k]
        else:
            p["data"][j] = tr
    return p


def update_map(filters_data, selection, layers, zoom, lang):
    store = get_store()
    index = trace_index(store.vocab)
    selected, prefecture = selection_of(selection, store)
    layers = tuple(layers) if isinstance(layers, (list, tuple)) else ()
    opts = MapOptions(lang=lang, layers=layers, selected=selected, selected_prefecture=prefecture)
    # several inputs can fire together (a table row sets the selection and the zoom at once)
    fired = set(ctx.triggered_prop_ids.values())
    p = patch_elements(filters_from(filters_data), opts) if "filters" in fired else Patch()
    if "selection" in fired and "filters" not in fired:  # only the ring moves: leave the elements alone
        p["data"][index["highlight"]] = highlight_trace(store.map, selected)
    if "selection" in fired:
        p["data"][index["prefectures"]]["z"] = [1 if n == prefecture else 0
                                                 for n in store.boundaries["prefectures"]["name"]]
    if "f-layers" in fired:
        lon, lat = county_lines(store.map) if "counties" in layers else ([], [])
        p["data"][index["counties"]]["lon"], p["data"][index["counties"]]["lat"] = lon, lat
        p["data"][index["counties"]]["visible"] = "counties" in layers
        for name in ("context", "context_labels"):
            p["data"][index[name]]["visible"] = "context" in layers
        p["data"][index["prefecture_labels"]]["visible"] = "labels" in layers
    if "f-zoom" in fired:
        rng = view_ranges(page_view(zoom, store))
        p["layout"]["geo"]["lonaxis"]["range"] = list(rng["lon"])
        p["layout"]["geo"]["lataxis"]["range"] = list(rng["lat"])
        p["layout"]["uirevision"] = f"zoom-{zoom}"  # a new zoom target overrides the user's pan
    return p


# A click selects in the browser itself (no server round trip before the details load). Every
# consumer of the selection checks the id against the data, so a forged click selects nothing.
CLICK_TO_SELECTION = """function (click) {
    const nothing = window.dash_clientside.no_update;
    if (!click || !click.points || !click.points.length) { return nothing; }
    let key = click.points[0].customdata;
    if (Array.isArray(key)) { key = key[0]; }
    if (typeof key !== "string" || !key) { return nothing; }
    return key.startsWith("pref:") ? {type: "prefecture", id: key.slice(5)} : {type: "element", id: key};
}"""


def select_zoomed_prefecture(zoom):
    """Zooming to a prefecture also lists what the plans place there."""
    if get_store().has_prefecture(zoom):
        return {"type": "prefecture", "id": zoom}
    return no_update


def register(app) -> None:
    app.callback(Output("map", "figure"), Input("filters", "data"), Input("selection", "data"),
                 Input("f-layers", "value"), Input("f-zoom", "value"), State("lang", "data"),
                 prevent_initial_call=True)(guarded(update_map))
    app.clientside_callback(CLICK_TO_SELECTION, Output("selection", "data"), Input("map", "clickData"),
                            prevent_initial_call=True)
    app.callback(Output("selection", "data", allow_duplicate=True), Input("f-zoom", "value"),
                 prevent_initial_call=True)(guarded(select_zoomed_prefecture))
