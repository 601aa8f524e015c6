"""Presentation mode and saved views: step through views with the arrow keys, save the current one."""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from dash import Input, Output, State, callback, ctx, no_update

from callbacks.state import FILTER_CONTROLS, LAYER_NAMES
from layers.figure import DEFAULT_LAYERS
from layers.filters import parse_filters
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


def controls_for(view: dict) -> tuple:
    """A saved view -> values of the filter controls, layers and zoom (unknown values dropped)."""
    f, _ = parse_filters(view.get("filters") or {}, get_store().vocab)
    layers = [x for x in (view.get("layers") or DEFAULT_LAYERS) if x in LAYER_NAMES]
    return (f.q, list(f.industries), list(f.periods), str(f.year or ""), list(f.plans), f.min_revenue or 0,
            f.no_target, list(f.provinces), list(f.kinds), layers, view.get("view") or "all", view.get("compare") or "")


@callback(Output("page-body", "className"), Output("present-toggle", "aria-pressed"),
          Input("present-toggle", "n_clicks"), State("page-body", "className"), prevent_initial_call=True)
def toggle_presentation(n, cls):
    if not n:
        return no_update, no_update
    on = "presenting" not in (cls or "")
    return ("presenting" if on else ""), ("true" if on else "false")


@callback(Output("view-pick", "options"), Output("views-data", "data"), Input("view-save", "n_clicks"),
          State("view-name", "value"), State("url", "search"), State("lang", "data"))
def list_or_save_views(n, name, search, lang):
    """Fill the view picker; on 'save', append the current view (from the address bar) to the saved file."""
    from callbacks.state import parse_page
    from layers.filters import filters_to_params

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


@callback(Output("view-pick", "value"), Input("view-prev", "n_clicks"), Input("view-next", "n_clicks"),
          State("view-pick", "value"), State("views-data", "data"), prevent_initial_call=True)
def step_views(n_prev, n_next, current, views):
    if not views or not (n_prev or n_next):
        return no_update
    step = -1 if ctx.triggered_id == "view-prev" else 1
    start = -1 if current is None and step == 1 else (0 if current is None else current)
    return (start + step) % len(views)


@callback(*[Output(c, "value", allow_duplicate=True) for c in FILTER_CONTROLS],
          Output("f-layers", "value", allow_duplicate=True), Output("f-zoom", "value", allow_duplicate=True),
          Output("f-compare", "value", allow_duplicate=True), Output("selection", "data", allow_duplicate=True),
          Input("view-pick", "value"), State("views-data", "data"), prevent_initial_call=True)
def open_view(index, views):
    """Opening a view sets the controls in place: no page reload."""
    if index is None or not views or not 0 <= index < len(views):
        return (no_update,) * 13
    view = views[index]
    sel = view.get("sel")
    selection = {"type": "element", "id": sel} if sel in set(get_store().elements["id"]) else None
    return (*controls_for(view), selection)
