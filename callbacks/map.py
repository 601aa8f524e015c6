"""Map callbacks: filters -> patched element traces; clicks -> selection; zoom; comparison maps."""
from __future__ import annotations

from dash import Input, Output, Patch, State, callback, clientside_callback, ctx, dcc, html, no_update

from callbacks.layout import GRAPH_CONFIG
from callbacks.state import filters_from, page_view, zoom_bounds
from layers.figure import (AREA_PATCH_KEYS, N_BASE, MapOptions, build_figure, county_lines, element_slots,
                           element_traces, highlight_trace, view_ranges)
from layers.filters import Filters, filter_mask, with_period
from layers.store import get_store


def patch_elements(filters: Filters, opts: MapOptions) -> Patch:
    """Only the element slots change; the boundaries stay in the browser."""
    store = get_store()
    traces = element_traces(store.elements, filter_mask(store.elements, filters), store.vocab, opts)
    p = Patch()
    for i, ((role, _), tr) in enumerate(zip(element_slots(store.vocab), traces)):
        j = N_BASE + i
        if role == "area":  # the areas' geometry is constant: send what is shown, not the shapes
            for key in AREA_PATCH_KEYS:
                p["data"][j][key] = tr[key]
        else:
            p["data"][j] = tr
    return p


@callback(Output("map", "figure"), Input("filters", "data"), Input("selection", "data"),
          Input("f-layers", "value"), Input("f-zoom", "value"), State("lang", "data"), prevent_initial_call=True)
def update_map(filters_data, selection, layers, zoom, lang):
    store = get_store()
    sel = selection if isinstance(selection, dict) else {}
    layers = tuple(layers or ())
    opts = MapOptions(lang=lang, layers=layers, selected=sel.get("id") if sel.get("type") == "element" else None,
                      selected_prefecture=sel.get("id") if sel.get("type") == "prefecture" else None)
    # several inputs can fire together (a table row sets the selection and the zoom at once)
    fired = set(ctx.triggered_prop_ids.values())
    if "filters" in fired:
        p = patch_elements(filters_from(filters_data), opts)
    else:
        p = Patch()
    if "selection" in fired and "filters" not in fired:  # only the ring moves: leave the elements alone
        p["data"][N_BASE + len(element_slots(store.vocab)) - 1] = highlight_trace(store.elements, opts.selected)
    if "selection" in fired:
        prefs = store.boundaries["prefectures"]["name"]
        p["data"][1]["z"] = [1 if n == opts.selected_prefecture else 0 for n in prefs]
    if "f-layers" in fired:
        lon, lat = county_lines(store.boundaries) if "counties" in layers else ([], [])
        p["data"][2]["lon"], p["data"][2]["lat"] = lon, lat
        p["data"][2]["visible"] = "counties" in layers
        for i in (0, 5):
            p["data"][i]["visible"] = "context" in layers
        p["data"][4]["visible"] = "labels" in layers
    if "f-zoom" in fired:
        rng = view_ranges(page_view(zoom, store))
        p["layout"]["geo"]["lonaxis"]["range"] = list(rng["lon"])
        p["layout"]["geo"]["lataxis"]["range"] = list(rng["lat"])
        p["layout"]["uirevision"] = f"zoom-{zoom}"  # a new zoom target overrides the user's pan
    return p


# A click selects in the browser itself (no server round trip before the details load). Every
# consumer of the selection checks the id against the data, so a forged click selects nothing.
clientside_callback(
    """function (click) {
        const nothing = window.dash_clientside.no_update;
        if (!click || !click.points || !click.points.length) { return nothing; }
        let key = click.points[0].customdata;
        if (Array.isArray(key)) { key = key[0]; }
        if (typeof key !== "string" || !key) { return nothing; }
        return key.startsWith("pref:") ? {type: "prefecture", id: key.slice(5)} : {type: "element", id: key};
    }""",
    Output("selection", "data"), Input("map", "clickData"), prevent_initial_call=True,
)


@callback(Output("selection", "data", allow_duplicate=True), Input("f-zoom", "value"), prevent_initial_call=True)
def select_zoomed_prefecture(zoom):
    """Zooming to a prefecture also lists what the plans place there."""
    if isinstance(zoom, str) and zoom in set(get_store().boundaries["prefectures"]["name"]):
        return {"type": "prefecture", "id": zoom}
    return no_update


@callback(Output("compare", "children"), Input("f-compare", "value"), Input("filters", "data"), Input("f-zoom", "value"),
          State("lang", "data"))
def compare_maps(compare, filters_data, zoom, lang):
    """Two plan periods side by side, with the same filters."""
    if not compare:
        return []
    store = get_store()
    filters = filters_from(filters_data)
    cards = []
    for period in compare.split("|"):
        f = with_period(filters, period)
        mask = filter_mask(store.elements, f)
        fig = build_figure(store.elements, mask, store.boundaries, store.vocab,
                           MapOptions(lang=lang, height=520, view=zoom_bounds(zoom or "all", store)))
        fig.update_layout(showlegend=False)
        cards.append(html.Div(className="compare-card", children=[
            html.H3(f"{period} · {int(mask.sum())}"),
            dcc.Graph(figure=fig, config=GRAPH_CONFIG, className="compare-map", style={"height": "540px"})]))
    return cards
