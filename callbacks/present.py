"""Presentation mode and saved views: step through views with the arrow keys, save the current one."""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from dash import Input, Output, State, ctx, no_update

from callbacks import guarded
from callbacks.page import control_outputs, controls_for
from layers.filters import SPECS
from layers.figure import DEFAULT_LAYERS
from layers.filters import filters_to_params, parse_filters
from layers.page_state import LAYER_NAMES, parse_page
from layers.store import get_store

TOUR = Path(__file__).resolve().parents[1] / "geodata" / "views.yaml"


def saved_views_path() -> Path:
    """Where the page saves views: $PLANMAP_VIEWS, else saved_views.yaml beside app.py (not in git)."""
    return Path(os.environ.get("PLANMAP_VIEWS", Path(__file__).resolve().parents[1] / "saved_views.yaml"))


def load_views() -> list[dict]:
    """The shipped tour followed by the presenter's saved views; unreadable entries are skipped."""
    views = []
    for path in (TOUR, saved_views_path()):
        if path.exists():
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError:
                continue
            views += [v for v in doc.get("views") or [] if isinstance(v, dict) and v.get("name")]
    return views


def view_controls(view: dict) -> dict:
    """A saved view -> the values of the filter controls, layers, zoom and comparison (unknown values dropped)."""
    f, _ = parse_filters(view.get("filters") or {}, get_store().vocab)
    layers = [x for x in (view.get("layers") or DEFAULT_LAYERS) if x in LAYER_NAMES]
    return {"controls": controls_for(f), "layers": layers, "zoom": view.get("view") or "all",
            "compare": view.get("compare") or ""}


def toggle_presentation(n, cls):
    if not n:
        return no_update, no_update
    on = "presenting" not in (cls or "")
    return ("presenting" if on else ""), ("true" if on else "false")


def list_or_save_views(n, name, search, lang):
    """Fill the view picker; on 'save', append the current view (from the address bar) to the saved file."""
    if ctx.triggered_id == "view-save" and n:
        state, _ = parse_page(search, get_store())
        entry = {"name": (name or "").strip()[:80] or f"视图 {len(load_views()) + 1}",
                 "filters": filters_to_params(state.filters), "layers": list(state.layers), "view": state.view}
        if state.compare:
            entry["compare"] = state.compare
        if state.selected:
            entry["sel"] = state.selected
        path = saved_views_path()
        doc = {"views": []}
        if path.exists():
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {"views": []}
        doc.setdefault("views", []).append(entry)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    views = load_views()
    key = "name_en" if lang == "en" else "name"
    return [{"label": f"{i + 1}. {v.get(key) or v['name']}", "value": i} for i, v in enumerate(views)], views


def step_views(n_prev, n_next, current, views):
    if not views or not (n_prev or n_next):
        return no_update
    step = -1 if ctx.triggered_id == "view-prev" else 1
    start = -1 if current is None and step == 1 else (0 if current is None else current)
    return (start + step) % len(views)


def open_view(index, views):
    """Opening a view sets the controls in place: no page reload."""
    if not isinstance(index, int) or not isinstance(views, list) or not 0 <= index < len(views) \
            or not isinstance(views[index], dict):
        return {"controls": {s.key: no_update for s in SPECS},
                "layers": no_update, "zoom": no_update, "compare": no_update, "selection": no_update}
    view = views[index]
    sel = view.get("sel")
    return {**view_controls(view),
            "selection": {"type": "element", "id": sel} if get_store().has_element(sel) else None}


def register(app) -> None:
    app.callback(Output("page-body", "className"), Output("present-toggle", "aria-pressed"),
                 Input("present-toggle", "n_clicks"), State("page-body", "className"),
                 prevent_initial_call=True)(guarded(toggle_presentation))
    app.callback(Output("view-pick", "options"), Output("views-data", "data"), Input("view-save", "n_clicks"),
                 State("view-name", "value"), State("url", "search"), State("lang", "data"))(
        guarded(list_or_save_views))
    app.callback(Output("view-pick", "value"), Input("view-prev", "n_clicks"), Input("view-next", "n_clicks"),
                 State("view-pick", "value"), State("views-data", "data"), prevent_initial_call=True)(
        guarded(step_views))
    app.callback(
        output={"controls": control_outputs(allow_duplicate=True),
                "layers": Output("f-layers", "value", allow_duplicate=True),
                "zoom": Output("f-zoom", "value", allow_duplicate=True),
                "compare": Output("f-compare", "value", allow_duplicate=True),
                "selection": Output("selection", "data", allow_duplicate=True)},
        inputs={"index": Input("view-pick", "value"), "views": State("views-data", "data")},
        prevent_initial_call=True)(guarded(open_view))
