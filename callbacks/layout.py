"""Page layout: small factories, one per card. Labels and aria attributes live here."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from callbacks.compare import compare_section
from callbacks.present import present_pieces
from layers.coverage import coverage_notes
from layers.figure import MapOptions, build_figure
from layers.filters import SPECS, FilterSpec, filter_mask, filters_to_params
from layers.i18n import dropdown_labels, t
from layers.page_state import page_view
from layers.store import Store
from layers.style import PRESENT_SCALE

GRAPH_CONFIG = {
    "topojsonURL": "/assets/topojson/",  # never the CDN: the app works offline
    # the toolbar keeps only what works here: zoom, reset, save a picture; nothing reaches another host
    "displaylogo": False,
    "scrollZoom": True,
    "responsive": True,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showTips": False,
    "modeBarButtonsToRemove": [
        "select2d",
        "lasso2d",
        "sendDataToCloud",
        "editInChartStudio",
        "toggleHover",
        "hoverClosestGeo",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _with_value(options: list[dict], value) -> list[dict]:
    """Options plus the current value when it is not one of them (a custom minimum, a map extent)."""
    if value in (None, "") or any(o["value"] == value for o in options):
        return options
    return options + [{"label": f"{value:g}" if isinstance(value, float) else str(value), "value": value}]


def _labelled(label_text: str, control, control_id: str, help_id: str | None = None) -> html.Div:
    return html.Div(
        [
            html.Label(label_text, htmlFor=control_id, id=f"{control_id}-label", className="control-label"),
            control,
        ],
        className="control",
    )


def zoom_options(store: Store, lang: str) -> list[dict]:
    prefs = store.boundaries["prefectures"]
    opts = [
        {"label": t("zoom_all", lang), "value": "all"},
        {"label": "河北省" if lang == "zh" else "Hebei", "value": "河北省"},
        {"label": "河南省" if lang == "zh" else "Henan", "value": "河南省"},
    ]
    for _, r in prefs.sort_values(["province", "adcode"]).iterrows():
        # in English the label is English; the Chinese name still finds it when typed (`search`)
        opts.append(
            {"label": r["name"], "value": r["name"]}
            if lang == "zh"
            else {"label": r["name_en"], "value": r["name"], "search": f"{r['name_en']} {r['name']}"}
        )
    return opts


def control_options(store: Store, lang: str) -> dict:
    """Options of the page controls that are not filters (layers, zoom, comparison)."""
    return {
        "layers": [
            {"label": t("layer_labels", lang), "value": "labels"},
            {"label": t("layer_counties", lang), "value": "counties"},
            {"label": t("layer_context", lang), "value": "context"},
            {"label": t("layer_rivers", lang), "value": "rivers"},
        ],
        "zoom": zoom_options(store, lang),
        "compare": [
            {"label": t("compare_off", lang), "value": ""},
            {"label": "2011-2015 ↔ 2016-2020", "value": "2011-2015|2016-2020"},
            {"label": "2011-2015 ↔ 2015-2025", "value": "2011-2015|2015-2025"},
            {"label": "2015-2025 ↔ 2016-2020", "value": "2015-2025|2016-2020"},
        ],
    }


def filter_control(spec: FilterSpec, vocab, lang: str, value):
    """The page control for one filter spec, showing `value` (a Filters value)."""
    c = spec.control
    en = lang == "en"
    v = spec.control_value(value)
    options = c.options(vocab, lang) if c.options else []
    placeholder = c.placeholder[1 if en else 0] or None
    cid = spec.control_id
    if c.kind == "search":
        return dcc.Input(
            id=cid,
            type="search",
            debounce=0.4,
            value=v,
            placeholder=placeholder,
            className="text-input",
            maxLength=200,
        )
    if c.kind in ("multi", "single"):
        return dcc.Dropdown(
            id=cid,
            options=options,
            value=v,
            multi=c.kind == "multi",
            searchable=True,
            clearable=c.kind == "multi",
            placeholder=placeholder,
            labels=dropdown_labels(lang),
        )
    if c.kind == "checks":
        return dcc.Checklist(id=cid, options=options, value=v, inline=True, className="checks")
    if c.kind == "radio":
        return dcc.RadioItems(
            id=cid, options=_with_value(options, v), value=v, inline=True, className="checks"
        )
    raise ValueError(f"filter '{spec.key}': unknown control kind '{c.kind}'")


def notice_list(notices: list, lang: str):
    """Notices in the page's language (the Chinese page keeps the English wording beside, for reports)."""
    if not notices:
        return []

    def item(n):
        if lang == "en":
            return html.Li(n.text("en"))
        return html.Li([n.text("zh"), html.Span(f"（{n.text('en')}）", className="notice-original")])

    return html.Div(
        className="notice",
        children=[html.Strong(t("notice_title", lang) + ": "), html.Ul([item(n) for n in notices])],
    )


def filter_panel(store: Store, lang: str, state) -> html.Div:
    """One control per filter spec, then the page's own controls (layers, zoom, comparison)."""
    o = control_options(store, lang)
    i = 1 if lang == "en" else 0
    controls = [
        _labelled(
            spec.label[i],
            filter_control(spec, store.vocab, lang, getattr(state.filters, spec.key)),
            spec.control_id,
        )
        for spec in SPECS
    ]
    return html.Div(
        id="filter-panel",
        className="panel filters",
        role="search",
        **{"aria-label": t("filters", lang)},
        children=[
            *controls,
            _labelled(
                t("layers", lang),
                dcc.Checklist(
                    id="f-layers",
                    options=o["layers"],
                    value=list(state.layers),
                    inline=True,
                    className="checks",
                ),
                "f-layers",
            ),
            _labelled(
                t("zoom", lang),
                dcc.Dropdown(
                    id="f-zoom",
                    options=_with_value(o["zoom"], state.view),
                    value=state.view,
                    clearable=False,
                    placeholder=t("zoom_placeholder", lang),
                    labels=dropdown_labels(lang),
                ),
                "f-zoom",
            ),
            _labelled(
                t("compare", lang),
                dcc.Dropdown(
                    id="f-compare",
                    options=_with_value(o["compare"], state.compare),
                    value=state.compare,
                    clearable=False,
                    labels=dropdown_labels(lang),
                    placeholder=t("compare_placeholder", lang),
                ),
                "f-compare",
            ),
            html.Button(
                t("reset", lang),
                id="reset",
                className="button",
                n_clicks=0,
                **{"aria-label": t("reset", lang)},
            ),
        ],
    )


def header(lang: str, presenting: bool = False) -> html.Header:
    return html.Header(
        className="header",
        children=[
            html.Div(
                [
                    html.H1(t("app_title", lang), id="app-title"),
                    html.P(t("subtitle", lang), id="app-subtitle"),
                ]
            ),
            html.Div(
                className="header-buttons",
                children=[
                    html.Button(t("export", lang), id="open-export", className="button", n_clicks=0),
                    html.Button(
                        t("present", lang),
                        id="present-toggle",
                        className="button",
                        n_clicks=0,
                        title="F / Esc",
                        **{"aria-pressed": "true" if presenting else "false"},
                    ),
                    html.Button(
                        # the button names the other language in that language
                        html.Span(t("language", lang), lang="zh") if lang == "en" else t("language", lang),
                        id="lang-toggle",
                        className="button",
                        n_clicks=0,
                        **{
                            "aria-label": "Switch to Chinese"
                            if lang == "en"
                            else "Switch language / 切换语言"
                        },
                    ),
                ],
            ),
        ],
    )


def export_dialog(lang: str) -> html.Div:
    return html.Div(
        id="export-dialog",
        className="dialog",
        hidden=True,
        role="dialog",
        **{"aria-modal": "true", "aria-labelledby": "export-heading"},
        children=[
            html.H2(t("export", lang), id="export-heading"),
            _labelled(
                t("export_title", lang),
                dcc.Input(
                    id="x-title",
                    type="text",
                    className="text-input",
                    maxLength=120,
                    placeholder=t("export_title_placeholder", lang),
                ),
                "x-title",
            ),
            _labelled(
                t("export_format", lang),
                dcc.RadioItems(
                    id="x-format", options=["png", "svg", "pdf"], value="png", inline=True, className="checks"
                ),
                "x-format",
            ),
            _labelled(
                t("export_size", lang),
                dcc.Dropdown(
                    id="x-size",
                    clearable=False,
                    value="a4-landscape",
                    labels=dropdown_labels(lang),
                    placeholder=t("export_size_placeholder", lang),
                    options=[
                        {"label": "A4 landscape" if lang == "en" else "A4 横向", "value": "a4-landscape"},
                        {"label": "A4 portrait" if lang == "en" else "A4 纵向", "value": "a4-portrait"},
                        {"label": "16:9", "value": "16x9"},
                        {"label": "1600×1000", "value": "1600x1000"},
                    ],
                ),
                "x-size",
            ),
            _labelled(
                t("export_scale", lang),
                dcc.RadioItems(id="x-scale", options=[1, 2, 3], value=2, inline=True, className="checks"),
                "x-scale",
            ),
            html.Div(
                className="dialog-buttons",
                children=[
                    html.Button(t("export_go", lang), id="x-go", className="button primary", n_clicks=0),
                    # dialog-close: Esc presses it (assets/keys.js)
                    html.Button(
                        "×",
                        id="x-close",
                        className="button dialog-close",
                        n_clicks=0,
                        **{"aria-label": t("close", lang)},
                    ),
                ],
            ),
            dcc.Loading(html.Div(id="x-status", role="status", **{"aria-live": "polite"})),
            # what the file will show, drawn small before anything is rendered at size (callbacks/export.py)
            dcc.Loading(html.Div(id="x-preview", className="export-preview")),
            dcc.Download(id="x-download"),
        ],
    )


def grid(lang: str) -> dag.AgGrid:
    cols = [
        ("name", "名称", "Name", 2),
        ("kind", "类型", "Kind", 1),
        ("plan", "规划", "Plan", 1.4),
        ("period", "规划期", "Period", 1),
        ("prefectures", "地市", "Prefectures", 1.3),
        ("counties", "县区", "Counties", 1.3),
        ("industries", "产业", "Industries", 2),
        ("revenue", "收入目标(亿元)", "Target (100m yuan)", 1),
        ("why", "搜索匹配", "Search match", 1.6),
    ]
    return dag.AgGrid(
        id="grid",
        rowData=[],
        getRowId="params.data.id",
        columnDefs=[
            {
                "field": f,
                "headerName": en if lang == "en" else zh,
                "flex": flex,
                "filter": "agNumberColumnFilter" if f == "revenue" else True,
                "sortable": True,
                # a match can quote a Chinese name or the plan's words: marked lang="zh" (assets/grid.js)
                **({"cellRenderer": "ZhMarked"} if f == "why" and lang == "en" else {}),
            }
            for f, zh, en, flex in cols
        ],
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "animateRows": False,
        },
        defaultColDef={"resizable": True, "minWidth": 80},
        style={"height": "360px", "width": "100%"},
        className="ag-theme-alpine",
    )


def app_shell() -> html.Div:
    """What Dash serves first: the page body is rendered from the URL by callbacks.page."""
    return html.Div(
        id="page",
        children=[
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="shown-query"),  # the query the page shows: a URL change to anything else re-renders
            dcc.Location(id="nav", refresh=True),
            html.Div(id="page-body", children=html.Div(className="loading", children="…")),
        ],
    )


def page_body(store: Store, state, notices: list[str], opening=None):
    """The whole page for one PageState (filters, selection, layers, view, language) from a link."""
    from callbacks.reader import reader_panel  # the reader's own module (issue 17)
    from callbacks.table import selection_pieces  # one selection for map, table, details, charts (issue 12)

    lang = state.lang
    opts = MapOptions(
        lang=lang,
        layers=tuple(state.layers),
        selected=state.selected,
        selected_prefecture=state.prefecture,
        view=page_view(state.view, store),
        focus_industries=tuple(state.filters.industry),
        notes=coverage_notes(state.filters, store.vocab, store.boundaries),
        scale=PRESENT_SCALE if state.present else 1.0,  # ?present=1: drawn for the room from the start
    )
    fig = build_figure(store.map, filter_mask(store.elements, state.filters), opts)
    f = state.filters
    return html.Div(
        lang="en" if lang == "en" else "zh-CN",
        className="page",
        children=[
            dcc.Store(id="lang", data=lang),
            dcc.Store(id="filters", data=filters_to_params(f)),
            dcc.Store(id="selection", data=state.selection),
            dcc.Store(id="map-size"),
            dcc.Store(id="map-extent"),
            dcc.Store(id="map-click"),  # from assets/map.js
            dcc.Store(id="present", data=False),
            header(lang, state.present),
            html.Div(
                id="notices",
                role="status",
                **{"aria-live": "polite"},
                className="notices",
                children=notice_list(notices, lang),
            ),
            html.Div(
                className="main",
                children=[
                    filter_panel(store, lang, state),
                    html.Main(
                        className="map-col",
                        children=[
                            html.Div(
                                id="summary", className="summary", role="status", **{"aria-live": "polite"}
                            ),
                            html.Div(
                                role="region",
                                **{"aria-label": t("app_title", lang)},
                                children=dcc.Graph(
                                    id="map",
                                    figure=fig,
                                    config=GRAPH_CONFIG,
                                    className="map",
                                    style={"height": "calc(100vh - 150px)"},
                                ),
                            ),
                            # the views bar, the presentation caption, the manage dialog
                            present_pieces(state, opening),
                            dcc.Store(id="map-sent", data={}),  # what the map holds (callbacks/map.py)
                        ],
                    ),
                    html.Aside(
                        id="details",
                        className="panel details",
                        role="region",
                        tabIndex="-1",
                        **{"aria-label": t("details", lang)},
                        children=[html.P(t("click_hint", lang))],
                    ),
                    reader_panel(store, state),
                ],
            ),
            compare_section(store, state),
            html.Section(
                className="lower",
                children=[
                    html.Div(
                        className="charts",
                        children=[
                            html.Div(id="chart-industry", className="chart"),
                            html.Div(id="chart-prefecture", className="chart"),
                        ],
                    ),
                    html.Div(
                        className="table-card",
                        children=[
                            html.Div(
                                className="table-head",
                                children=[
                                    html.H2(t("table", lang), id="table-heading"),
                                    html.Button(
                                        t("download_csv", lang), id="dl-csv", className="button", n_clicks=0
                                    ),
                                    html.Button(
                                        t("download_geojson", lang),
                                        id="dl-geojson",
                                        className="button",
                                        n_clicks=0,
                                    ),
                                    html.Span(t("step_hint", lang), className="table-hint"),
                                    dcc.Download(id="download"),
                                ],
                            ),
                            grid(lang),
                        ],
                    ),
                    html.Div(id="targets", className="targets"),
                ],
            ),
            export_dialog(lang),
            selection_pieces(),
            html.Footer(id="footer", className="footer", children=footer(store, lang)),
        ],
    )


def footer(store: Store, lang: str):
    if lang != "en":
        plans = "；".join(f"{p['number']} {p['title']}" for p in store.vocab.plans)
        return [html.P(t("source_note", lang, plans=plans))]
    # English titles, each with the plan's own title beside it as a gloss
    plans = []
    for p in store.vocab.plans:
        plans += [
            "; " if plans else "",
            f"{p['number']} {p['title_en']} (",
            html.Span(p["title"], lang="zh"),
            ")",
        ]
    before, after = t("source_note", lang, plans="\0").split("\0")
    return [html.P([before, *plans, after])]
