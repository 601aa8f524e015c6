"""Map callbacks: filters -> patched element traces; clicks -> selection; zoom.

(The comparison map is callbacks/compare.py.)"""

from __future__ import annotations

import hashlib

from dash import Input, Output, Patch, State, ctx, no_update
from plotly.io.json import to_json_plotly

from callbacks import guarded
from callbacks.page import filters_from
from layers.coverage import coverage_notes
from layers.figure import (
    AREA_PATCH_KEYS,
    CONTEXT_FONT,
    LABEL_SLOTS,
    PREFECTURE_FONT,
    MapOptions,
    county_lines,
    element_slots,
    fit_view,
    frame_size,
    highlight_trace,
    label_patch,
    layout_patch,
    plotly_ranges,
    slot_name,
    trace_index,
)
from layers.filters import filter_mask
from layers.i18n import t
from layers.page_state import EXTENT_RE, page_view, selection_of
from layers.store import get_store
from layers.style import PRESENT_SCALE


def map_options(store, selection, layers, lang, size, filters=None, view=None) -> MapOptions:
    """The figure options for the page's current state (sizes and selection checked)."""
    selected, prefecture = selection_of(selection, store)
    layers = tuple(x for x in layers if isinstance(x, str)) if isinstance(layers, (list, tuple)) else ()
    return MapOptions(
        lang=lang if lang in ("zh", "en") else "zh",
        layers=layers,
        selected=selected,
        selected_prefecture=prefecture,
        view=view,
        size=map_size(size),
        scale=map_scale(size),
        focus_industries=tuple(filters.industry) if filters is not None else (),
        notes=coverage_notes(filters, store.vocab, store.boundaries) if filters is not None else (),
    )


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


def map_size(size) -> tuple[int, int]:
    """The map's pixel size as the browser reported it: [w, h] or [w, h, presenting] (a default until it has)."""
    if isinstance(size, (list, tuple)) and len(size) in (2, 3) and all(_number(v) for v in size[:2]):
        w, h = (int(v) for v in size[:2])
        if 100 <= w <= 8000 and 100 <= h <= 8000:
            return w, h
    return MapOptions().size


def map_scale(size) -> float:
    """The presentation scale the browser reported with the size (assets/map.js: [w, h, 1] while the page
    is presenting): PRESENT_SCALE then, 1 for the old [w, h] form or anything else."""
    ok = isinstance(size, (list, tuple)) and len(size) == 3 and all(_number(v) for v in size)
    return PRESENT_SCALE if ok and size[2] == 1 else 1.0


def digest(value) -> str:
    """A short fingerprint of a patched value, kept in the browser (map-sent) to skip unchanged traces."""
    return hashlib.blake2b(to_json_plotly(value).encode(), digest_size=4).hexdigest()


def sent_digests(sent) -> dict:
    """The fingerprints of what the browser's map holds (a bad store: none, so everything is sent)."""
    if not isinstance(sent, dict):
        return {}
    return {k: v for k, v in sent.items() if isinstance(k, str) and isinstance(v, str)}


def patch_slots(p: Patch, index: dict, values: dict, sent: dict, roles: dict | None = None) -> dict:
    """Assign each named trace (or, for areas, their shown fields) unless the browser holds it already.

    -> the fingerprints now in the browser."""
    now = {}
    for name, tr in values.items():
        area = (roles or {}).get(name) == "area"
        value = {k: tr[k] for k in AREA_PATCH_KEYS} if area else tr
        now[name] = digest(value)
        if sent.get(name) == now[name]:
            continue  # unchanged: the browser keeps it (an industry filter leaves most key traces alone)
        if area:  # the areas' geometry is constant: send what is shown, not the shapes
            for k, v in value.items():
                p["data"][index[name]][k] = v
        else:
            p["data"][index[name]] = value
    return now


def patch_elements(store, mask, opts: MapOptions, p: Patch | None = None, sent=None) -> tuple[Patch, dict]:
    """Only the element slots and the size key change; the boundaries stay in the browser, and so do
    the slots it holds already (`sent`: their fingerprints). -> (patch, fingerprints now held)."""
    index = trace_index(store.vocab)
    parts = layout_patch(store.map, mask, opts)
    p = Patch() if p is None else p
    names = [slot_name(role, key) for role, key in element_slots()]
    roles = {slot_name(role, key): role for role, key in element_slots()}
    now = patch_slots(p, index, dict(zip(names, parts["traces"])), sent_digests(sent), roles)
    p["layout"]["shapes"] = parts["shapes"]
    p["layout"]["annotations"] = parts["annotations"]
    for k, v in parts["legend"].items():
        p["layout"]["legend"][k] = v
    p["layout"]["margin"]["r"] = parts["margin_r"]
    now.update(base_label_texts(p, index, parts, sent_digests(sent)))
    return p, now


def base_label_texts(p: Patch, index: dict, parts: dict, sent: dict) -> dict:
    """The base map's names kept apart in the frame the labels were just placed in (a new legend width,
    zoom or scale may keep others), sent when they differ from what the browser holds. -> fingerprints."""
    now = {}
    for name, texts in parts["base_labels"].items():
        key = f"{name}.text"
        now[key] = digest(texts)
        if sent.get(key) != now[key]:
            p["data"][index[name]]["text"] = texts
    return now


def update_map(filters_data, selection, layers, zoom, size, lang, extent, sent=None):
    """Filters, selection, layers, zoom or the map's size changed: patch what they touch.

    -> (patch, fingerprints of the element traces the browser then holds)."""
    store = get_store()
    index = trace_index(store.vocab)
    filters = filters_from(filters_data)
    fired = set(ctx.triggered_prop_ids.values())
    w, h = map_size(size)
    zoom = zoom if isinstance(zoom, str) else "all"
    frame = frame_size((w, h), scale=map_scale(size))
    view = page_view(zoom, store, frame) or fit_view(None, *frame)
    opts = map_options(store, selection, layers, lang, size, filters, view)
    p = Patch()
    mask = filter_mask(store.elements, filters)
    held = sent_digests(sent)
    if fired & {"filters", "f-layers", "map-size"}:
        # the elements and their labels, placed for this view, size, layers and (map-size carries it,
        # assets/map.js) presentation scale; traces the browser holds unchanged are not sent again
        p, now = patch_elements(store, mask, opts, p, held)
        held = {**held, **now}
    elif fired & {"selection", "f-zoom"}:  # same elements: only their labels move
        parts = label_patch(store.map, mask, opts)
        held = {**held, **patch_slots(p, index, {n: parts["traces"][n] for n in LABEL_SLOTS}, held)}
        for k, v in parts["legend"].items():  # a new frame may have another empty corner
            p["layout"]["legend"][k] = v
        p["layout"]["margin"]["r"] = parts["margin_r"]
        held = {**held, **base_label_texts(p, index, parts, held)}
    if "map-size" in fired:  # names and the selection ring of the base map, at the reported scale
        for name, font in {"prefecture_labels": PREFECTURE_FONT, "context_labels": CONTEXT_FONT}.items():
            p["data"][index[name]]["textfont"]["size"] = font * opts.scale
        p["data"][index["highlight"]]["marker"]["size"] = highlight_trace(store.map, None, opts.scale)[
            "marker"
        ]["size"]
    if "selection" in fired:
        p["data"][index["highlight"]] = highlight_trace(store.map, opts.selected, opts.scale)
        p["data"][index["prefectures"]]["z"] = [
            1 if n == opts.selected_prefecture else 0 for n in store.boundaries["prefectures"]["name"]
        ]
    if "f-layers" in fired:
        lon, lat = county_lines(store.map) if "counties" in opts.layers else ([], [])
        p["data"][index["counties"]]["lon"], p["data"][index["counties"]]["lat"] = lon, lat
        p["data"][index["counties"]]["visible"] = "counties" in opts.layers
        for name in ("context", "context_labels"):
            p["data"][index[name]]["visible"] = "context" in opts.layers
        p["data"][index["rivers"]]["visible"] = "rivers" in opts.layers
        p["data"][index["prefecture_labels"]]["visible"] = "labels" in opts.layers
    # a new zoom target (or a new frame shape) sets the ranges; the user's own pans never come back
    if ("f-zoom" in fired and zoom not in panned(extent)) or "map-size" in fired:
        rng = plotly_ranges(view)  # drawn exactly as `view` (plotly centres on the mid-latitude in degrees)
        p["layout"]["geo"]["lonaxis"]["range"] = list(rng["lon"])
        p["layout"]["geo"]["lataxis"]["range"] = list(rng["lat"])
        p["layout"]["uirevision"] = f"zoom-{zoom}-{w}x{h}"
    return p, held


def panned(extent) -> list[str]:
    """The extents the user's recent pans and wheel-zooms produced (assets/map.js keeps the last few)."""
    recent = extent.get("recent") if isinstance(extent, dict) else None
    return [e for e in recent if isinstance(e, str)] if isinstance(recent, list) else []


def follow_extent(extent, options):
    """A pan or wheel-zoom becomes the page's view: in the zoom control, so the link and exports carry it."""
    extent = extent.get("extent") if isinstance(extent, dict) else None
    if not isinstance(extent, str) or not EXTENT_RE.match(extent):
        return no_update, no_update
    options = [
        o for o in options or [] if isinstance(o, dict) and not EXTENT_RE.match(str(o.get("value", "")))
    ]
    return extent, options + [{"label": t("zoom_here", "zh") + " / " + t("zoom_here", "en"), "value": extent}]


def click_to_selection(click, filters_data):
    """A click anywhere: the mark under it is selected; elsewhere the spot is, and the details list what is there."""
    if not isinstance(click, dict):
        return no_update
    try:
        lon, lat, px_m = float(click["lon"]), float(click["lat"]), float(click.get("px_m") or 1000)
    except (KeyError, TypeError, ValueError):
        return no_update
    if not (100 <= lon <= 130 and 25 <= lat <= 48 and 1 <= px_m <= 100_000):
        return no_update
    store = get_store()
    here = store.hits.what_is_here(lon, lat, px_m, filter_mask(store.elements, filters_from(filters_data)))
    at = [round(lon, 5), round(lat, 5), round(px_m, 1)]
    if here["points"]:
        return {"type": "element", "id": here["points"][0]["id"], "at": at}
    return {"type": "spot", "at": at}


def select_zoomed_prefecture(zoom):
    """Zooming to a prefecture also lists what the plans place there."""
    if get_store().has_prefecture(zoom):
        return {"type": "prefecture", "id": zoom}
    return no_update


def register(app) -> None:
    app.callback(
        Output("map", "figure"),
        Output("map-sent", "data"),
        Input("filters", "data"),
        Input("selection", "data"),
        Input("f-layers", "value"),
        Input("f-zoom", "value"),
        Input("map-size", "data"),
        State("lang", "data"),
        State("map-extent", "data"),
        State("map-sent", "data"),
        prevent_initial_call=True,
    )(guarded(update_map))
    # clicks and pans are read in the browser (assets/map.js) and answered here
    app.callback(
        Output("selection", "data"),
        Input("map-click", "data"),
        State("filters", "data"),
        prevent_initial_call=True,
    )(guarded(click_to_selection))
    app.callback(
        Output("f-zoom", "value", allow_duplicate=True),
        Output("f-zoom", "options", allow_duplicate=True),
        Input("map-extent", "data"),
        State("f-zoom", "options"),
        prevent_initial_call=True,
    )(guarded(follow_extent))
    app.callback(
        Output("selection", "data", allow_duplicate=True), Input("f-zoom", "value"), prevent_initial_call=True
    )(guarded(select_zoomed_prefecture))
