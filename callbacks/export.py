"""The export dialog: render the current view as PNG/SVG/PDF and send it as a download."""

from __future__ import annotations

import base64
import logging
import re

from dash import Input, Output, State, ctx, dcc, html, no_update

from callbacks import guarded
from callbacks.page import filters_from
from layers.page_state import selection_of, zoom_bounds
from layers.snapshot import SnapshotError, default_title, figure_for, parse_size, render
from layers.store import get_store

log = logging.getLogger("planmap")


def toggle_dialog(n_open, n_close, filters_data, lang):
    if not (n_open or n_close):
        return no_update, no_update
    if ctx.triggered_id == "open-export":
        return False, default_title(filters_from(filters_data), get_store().vocab, lang)
    return True, no_update


PREVIEW_WIDTH = 420  # px: the preview's width in the dialog


def page_figure(store, filters, lang, zoom, layers, selection, title, size):
    """The figure the dialog's preview and its export both draw: the page's view on paper of `size`."""
    return figure_for(
        store,
        filters,
        lang=lang,
        view=zoom_bounds(zoom or "all", store),
        layers=layers,
        selected=selection_of(selection, store)[0],
        title=(title or "").strip()[:120] or None,
        size=size,
    )


def export_preview(hidden, size, title, filters_data, zoom, layers, lang, selection=None):
    """The page as it will print, drawn small (a PNG at the preset's proportions) when the dialog opens
    or its size or title change: the briefing reader sees the frame, legend and labels before rendering."""
    if hidden is not False:  # only an open dialog draws a preview
        return no_update
    store = get_store()
    try:
        width, height = parse_size(size or "a4-landscape")
        fig = page_figure(
            store, filters_from(filters_data), lang, zoom, layers, selection, title, (width, height)
        )
        data = render(fig, "png", width, height, PREVIEW_WIDTH / width)
    except SnapshotError as e:
        return html.P(str(e), className="export-preview-error")
    except Exception:  # the preview is a courtesy: a failure is said, never a 500
        log.exception("export preview failed")
        return html.P("预览失败 / preview failed", className="export-preview-error")
    alt = "导出预览" if lang != "en" else "Export preview"
    return html.Img(
        src="data:image/png;base64," + base64.b64encode(data).decode(),
        alt=alt,
        style={"width": f"{PREVIEW_WIDTH}px", "maxWidth": "100%", "border": "1px solid #ccc"},
    )


def file_stem(title: str) -> str:
    """A safe file name from the title (letters, digits, CJK, '-'): nothing from the request reaches the disk."""
    stem = re.sub(r"[^\w\u4e00-\u9fff-]+", "-", title or "map").strip("-")[:60]
    return stem or "map"


def export_snapshot(n, fmt, size, scale, title, filters_data, zoom, layers, lang, selection=None):
    """The view on screen as a file: its extent (a pan is in the zoom control), filters, layers,
    selection, labels and language."""
    if not n:
        return no_update, no_update
    store = get_store()
    try:
        width, height = parse_size(size or "a4-landscape")
        scale = float(scale or 1)
        if fmt not in ("png", "svg", "pdf") or not 0.5 <= scale <= 4:
            raise SnapshotError("format must be png, svg or pdf and scale between 0.5 and 4")
        filters = filters_from(filters_data)
        fig = page_figure(store, filters, lang, zoom, layers, selection, title, (width, height))
        data = render(fig, fmt, width, height, scale)  # the process's warm renderer; scale is PNG pixels only
    except SnapshotError as e:
        return no_update, str(e)
    except Exception as e:  # never a 500 for an export: say it in the dialog, keep the trace in the log
        log.exception("export failed")
        return no_update, f"rendering failed: {type(e).__name__}"
    name = f"{file_stem(title or default_title(filters, store.vocab, lang))}.{fmt}"
    return dcc.send_bytes(data, name), f"✓ {name} ({len(data) // 1024} KB)"


def register(app) -> None:
    app.callback(
        Output("x-preview", "children"),
        Input("export-dialog", "hidden"),
        Input("x-size", "value"),
        Input("x-title", "value"),
        State("filters", "data"),
        State("f-zoom", "value"),
        State("f-layers", "value"),
        State("lang", "data"),
        State("selection", "data"),
        prevent_initial_call=True,
    )(guarded(export_preview))
    app.callback(
        Output("export-dialog", "hidden"),
        Output("x-title", "value"),
        Input("open-export", "n_clicks"),
        Input("x-close", "n_clicks"),
        State("filters", "data"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(toggle_dialog))
    app.callback(
        Output("x-download", "data"),
        Output("x-status", "children"),
        Input("x-go", "n_clicks"),
        State("x-format", "value"),
        State("x-size", "value"),
        State("x-scale", "value"),
        State("x-title", "value"),
        State("filters", "data"),
        State("f-zoom", "value"),
        State("f-layers", "value"),
        State("lang", "data"),
        State("selection", "data"),
        prevent_initial_call=True,
    )(guarded(export_snapshot))
