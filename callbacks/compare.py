"""The comparison section: the difference of two plan periods on one map, its counts and its download.

Replaces the two side-by-side maps. Choosing a comparison (f-compare) draws the whole
difference figure once; a filter change patches only the difference traces (the base map
stays in the browser); the map follows the main map's zoom target (f-zoom) and its pans
and zooms (its relayoutData).
"""

from __future__ import annotations

import math

from dash import Input, Output, Patch, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from callbacks import guarded
from layers.difference import (
    STATE_COLOURS,
    STATE_SYMBOLS,
    STATES,
    counts_by_prefecture,
    diff_slots,
    diff_trace_index,
    difference,
    difference_figure,
    difference_traces,
    legend_title,
    state_counts,
    state_label,
    to_csv,
)
from layers.figure import MapOptions, view_ranges
from layers.filters import filters_to_params
from layers.i18n import t
from layers.page_state import COMPARE_RE, page_view
from layers.store import get_store

MAP_HEIGHT = 540
# the patchable keys of the areas trace: its shapes (geojson) stay in the browser
AREA_PATCH_KEYS = ("locations", "z", "text")  # and marker.line.color
HIDDEN = {"display": "none"}


def periods_of(compare, store) -> tuple[str, str] | None:
    """'2011-2015|2016-2020' -> the two periods, if both are the data's (the value comes from the browser)."""
    if not isinstance(compare, str) or not COMPARE_RE.match(compare):
        return None
    a, b = compare.split("|")
    return (a, b) if a in store.vocab.periods and b in store.vocab.periods else None


def filters_from(data):
    from callbacks.page import filters_from as parse  # callbacks.page imports the layout, which imports this

    return parse(data)


def _graph_config() -> dict:
    from callbacks.layout import GRAPH_CONFIG  # layout imports this module: read its config when used

    return GRAPH_CONFIG


def uncovered(store, period_a: str, period_b: str) -> list[str]:
    """Provinces with plans in one period but none in the other: their elements can only be new or dropped."""
    by = store.elements.groupby("plan_period")["province"].agg(set)
    a, b = by.get(period_a, set()), by.get(period_b, set())
    return sorted(a ^ b)


def title_text(store, periods, counts: dict, lang: str) -> str:
    a, b = periods
    parts = [f"{state_label(s, lang)} {counts[s]}" for s in STATES]
    return f"{legend_title(a, b, lang)} · {' · '.join(parts)}"


def note_text(store, periods, lang: str) -> str:
    """What the comparison means, and which province has no plan in one of the periods."""
    text = t("diff_scope", lang)
    missing = uncovered(store, *periods)
    if missing:
        names = (
            ", ".join({"河北省": "Hebei", "河南省": "Henan"}.get(p, p) for p in missing)
            if lang == "en"
            else "、".join(missing)
        )
        text += ("; " if lang == "en" else "；") + (
            f"the data hold plans of {names} in only one of the two periods: its elements can only show as new "
            f"or dropped"
            if lang == "en"
            else f"资料中{names}只有其中一期的规划，其要素只能显示为新增或未再列入"
        )
    return text


def counts_table(diff, lang: str) -> html.Table:
    """Per-prefecture counts, with a total row that counts each element once."""
    head = [t("diff_prefecture", lang), *(state_label(s, lang) for s in STATES)]
    provinces = set(diff["province"])

    def place(name):
        if name in provinces:
            en = {"河北省": "Hebei", "河南省": "Henan"}.get(name, name)
            return t("diff_province_wide", lang, province=en if lang == "en" else name)
        return get_store().place_en.get(name, name) if lang == "en" else name

    body = [
        html.Tr([html.Th(place(p), scope="row"), *(html.Td(str(n)) for n in counts)])
        for p, *counts in counts_by_prefecture(diff)
    ]
    total = state_counts(diff)
    return html.Table(
        className="compare-counts",
        children=[
            html.Caption(t("diff_by_prefecture", lang)),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody(body),
            html.Tfoot(
                html.Tr(
                    [html.Th(t("diff_total", lang), scope="row"), *(html.Td(str(total[s])) for s in STATES)]
                )
            ),
        ],
    )


def legend_key(lang: str) -> html.Ul:
    """The three states in words beside the map (the map's legend has them too, with counts)."""
    marks = {"circle": "●", "circle-open": "○", "x": "✕"}
    return html.Ul(
        className="compare-key",
        children=[
            html.Li(
                [
                    html.Span(
                        marks[STATE_SYMBOLS[s]], style={"color": STATE_COLOURS[s], "fontWeight": "bold"}
                    ),
                    f" {state_label(s, lang)}: {t(f'diff_{s}_hint', lang)}",
                ]
            )
            for s in STATES
        ],
    )


def compare_section(store, state) -> html.Section:
    """The comparison section of the page for a PageState (hidden, and holding no figure, when off)."""
    lang = state.lang
    periods = periods_of(state.compare, store)
    if periods:
        fig = difference_figure(store, state.filters, *periods, lang=lang, view=state.view, height=MAP_HEIGHT)
        diff = difference(store.elements, state.filters, *periods)
        title, note = title_text(store, periods, state_counts(diff), lang), note_text(store, periods, lang)
        table = counts_table(diff, lang)
    else:
        fig, title, note, table = {}, "", "", []
    return html.Section(
        id="compare",
        className="compare",
        style=None if periods else HIDDEN,
        **{"aria-label": t("compare", lang)},
        children=[
            html.Div(
                className="compare-card",
                children=[
                    html.H3(title, id="compare-title"),
                    dcc.Graph(
                        id="compare-map",
                        figure=fig,
                        config=_graph_config(),
                        className="compare-map",
                        style={"height": f"{MAP_HEIGHT}px"},
                    ),
                ],
            ),
            html.Div(
                className="compare-card",
                children=[
                    html.P(note, id="compare-note", className="compare-note"),
                    legend_key(lang),
                    html.Div(table, id="compare-counts"),
                    html.Button(t("diff_download", lang), id="compare-dl", className="button", n_clicks=0),
                    dcc.Download(id="compare-download"),
                ],
            ),
        ],
    )


def patch_difference(store, diff, periods, lang: str) -> Patch:
    """A filter change: the difference traces' data only (the base map and the areas' shapes stay)."""
    index = diff_trace_index(store, periods)
    traces = difference_traces(store, diff, MapOptions(lang=lang), periods)
    p = Patch()
    for (name, _, _), tr in zip(diff_slots(store, periods), traces):
        j = index[name]
        if name == "diff-areas":
            for k in AREA_PATCH_KEYS:
                p["data"][j][k] = tr[k]
            p["data"][j]["marker"]["line"]["color"] = tr["marker"]["line"]["color"]
        else:
            p["data"][j] = tr
    return p


def zoom_patch(p: Patch, zoom) -> Patch:
    """The main map's zoom target: the same ranges; a pan copied from the main map before is undone."""
    rng = view_ranges(page_view(zoom, get_store()))
    p["layout"]["geo"]["lonaxis"]["range"] = list(rng["lon"])
    p["layout"]["geo"]["lataxis"]["range"] = list(rng["lat"])
    p["layout"]["geo"]["center"] = None
    p["layout"]["geo"]["projection"]["scale"] = None
    p["layout"]["geo"]["projection"]["rotation"] = None
    p["layout"]["uirevision"] = f"zoom-{zoom}"
    return p


# What plotly sends when the user pans or zooms a (mercator, non-scoped) geo map, as seen in
# plotly.js's geo zoom handler: the changed ones of these keys. Scale is relative to the fit of
# the lon/lat ranges, which both maps share (both follow f-zoom), so copying them shows the same view.
RELAYOUT_KEYS = {
    "geo.center.lon": ("center", "lon", -180, 180),
    "geo.center.lat": ("center", "lat", -90, 90),
    "geo.projection.scale": ("projection", "scale", 0.01, 1000),
    "geo.projection.rotation.lon": ("projection", "rotation", -180, 180),
}


def relayout_patch(p: Patch, relayout) -> bool:
    """Copy the main map's pan / zoom into the patch; False when the event says nothing about the view.

    An event with geo keys but none of the view's (plotly's reset) puts the view back to the ranges."""
    if not isinstance(relayout, dict):
        return False
    geo = {k: v for k, v in relayout.items() if isinstance(k, str) and k.startswith("geo.")}
    if not geo:
        return False
    changed = False
    for key, (group, attr, lo, hi) in RELAYOUT_KEYS.items():
        v = geo.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and lo <= v <= hi:
            if key == "geo.projection.rotation.lon":
                p["layout"]["geo"]["projection"]["rotation"]["lon"] = float(v)
            else:
                p["layout"]["geo"][group][attr] = float(v)
            changed = True
    if not changed and not any(k in geo for k in RELAYOUT_KEYS):  # a reset: back to the ranges
        p["layout"]["geo"]["center"] = None
        p["layout"]["geo"]["projection"]["scale"] = None
        changed = True
    return changed


def update_compare(compare, filters_data, zoom, relayout, lang):
    """The comparison for what fired: a new comparison (whole figure), a filter change (patch), a zoom (patch)."""
    store = get_store()
    periods = periods_of(compare, store)
    fired = set(ctx.triggered_prop_ids.values()) if ctx.triggered_id else {"f-compare"}
    keep = {
        "figure": no_update,
        "title": no_update,
        "counts": no_update,
        "note": no_update,
        "style": no_update,
    }
    if "f-compare" in fired:
        if not periods:
            return {**keep, "figure": {}, "title": "", "counts": [], "note": "", "style": HIDDEN}
        filters = filters_from(filters_data)
        diff = difference(store.elements, filters, *periods)
        fig = difference_figure(store, filters, *periods, lang=lang, view=zoom, height=MAP_HEIGHT)
        return {
            "figure": fig,
            "title": title_text(store, periods, state_counts(diff), lang),
            "counts": counts_table(diff, lang),
            "note": note_text(store, periods, lang),
            "style": None,
        }
    if not periods:
        raise PreventUpdate
    out = dict(keep)
    p = Patch()
    touched = False
    if "filters" in fired:
        diff = difference(store.elements, filters_from(filters_data), *periods)
        p = patch_difference(store, diff, periods, lang)
        out["title"] = title_text(store, periods, state_counts(diff), lang)
        out["counts"] = counts_table(diff, lang)
        touched = True
    if "f-zoom" in fired:
        zoom_patch(p, zoom)
        touched = True
    elif "map" in fired:  # a zoom target overrides a pan that arrives with it
        touched = relayout_patch(p, relayout) or touched
    if not touched:
        raise PreventUpdate
    out["figure"] = p
    return out


def difference_file_name(periods, filters) -> str:
    """'difference-2011-2015-to-2016-2020-industry-steel.csv': the periods and the filters that applied."""
    from callbacks.export import file_stem

    params = {k: v for k, v in filters_to_params(filters).items() if k not in ("period", "year")}  # replaced
    parts = [f"{k}-{v}" for k, v in params.items()]
    return file_stem(" ".join(["difference", periods[0], "to", periods[1], *parts])) + ".csv"


def download_difference(n, compare, filters_data):
    if not n:
        return no_update
    store = get_store()
    periods = periods_of(compare, store)
    if not periods:
        return no_update
    filters = filters_from(filters_data)
    diff = difference(store.elements, filters, *periods)
    return dict(content=to_csv(diff), filename=difference_file_name(periods, filters), type="text/csv")


def register(app) -> None:
    app.callback(
        output={
            "figure": Output("compare-map", "figure"),
            "title": Output("compare-title", "children"),
            "counts": Output("compare-counts", "children"),
            "note": Output("compare-note", "children"),
            "style": Output("compare", "style"),
        },
        inputs={
            "compare": Input("f-compare", "value"),
            "filters_data": Input("filters", "data"),
            "zoom": Input("f-zoom", "value"),
            "relayout": Input("map", "relayoutData"),
            "lang": State("lang", "data"),
        },
        prevent_initial_call=True,
    )(guarded(update_compare))
    app.callback(
        Output("compare-download", "data"),
        Input("compare-dl", "n_clicks"),
        State("f-compare", "value"),
        State("filters", "data"),
        prevent_initial_call=True,
    )(guarded(download_difference))
