"""Page state beyond the filters (selection, layers, zoom, comparison, language) and its URL spelling.

Pure functions: the callbacks and the tests use the same ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from layers.figure import DEFAULT_LAYERS
from layers.filters import Filters, _values, parse_filters, parse_query, to_query
from layers.store import Store, get_store

PAGE_KEYS = ("sel", "pref", "layers", "view", "compare", "lang")
# the filter controls, in the order the reset and saved-view callbacks set them
FILTER_CONTROLS = ("f-q", "f-industry", "f-period", "f-year", "f-plan", "f-min-revenue", "f-no-target",
                   "f-province", "f-kind")
LAYER_NAMES = ("labels", "counties", "context")
COMPARE_RE = re.compile(r"^\d{4}-\d{4}\|\d{4}-\d{4}$")


@dataclass(frozen=True)
class PageState:
    filters: Filters = Filters()
    selected: str | None = None          # element id
    prefecture: str | None = None
    layers: tuple[str, ...] = DEFAULT_LAYERS
    view: str = "all"                    # a zoom target name or "lon0,lat0,lon1,lat1"
    compare: str = ""
    lang: str = "zh"


def zoom_bounds(view: str, store: Store) -> tuple[float, float, float, float] | None:
    """A zoom target (河北省, 郑州市, 'all') or 'lon0,lat0,lon1,lat1' -> bounds with a margin; None = default."""
    if not view or view == "all":
        return None
    parts = view.split(",")
    if len(parts) == 4:
        try:
            lon0, lat0, lon1, lat1 = (float(p) for p in parts)
        except ValueError:
            return None
        if 100 <= lon0 < lon1 <= 130 and 25 <= lat0 < lat1 <= 48:
            return (lon0, lat0, lon1, lat1)
        return None
    b = store.boundaries
    for layer in ("prefectures", "provinces"):
        hit = b[layer][b[layer]["name"] == view]
        if len(hit):
            x0, y0, x1, y1 = hit.total_bounds
            mx, my = (x1 - x0) * 0.08 + 0.1, (y1 - y0) * 0.08 + 0.1
            return (round(x0 - mx, 3), round(y0 - my, 3), round(x1 + mx, 3), round(y1 + my, 3))
    return None


def page_view(view: str, store: Store):
    """A zoom target as the page shows it: its bounds widened to the map area's shape (None = default)."""
    from layers.figure import PAGE_ASPECT, fit_view

    bounds = zoom_bounds(view, store)
    return fit_view(bounds, *PAGE_ASPECT) if bounds else None


def element_bounds(element_id: str, store: Store) -> str | None:
    """'lon0,lat0,lon1,lat1' around one element (the table zooms the map there)."""
    hit = store.elements[store.elements["id"] == element_id]
    if not len(hit):
        return None
    x0, y0, x1, y1 = hit.total_bounds
    pad = max(0.6, (x1 - x0) * 0.15, (y1 - y0) * 0.15)
    return f"{x0 - pad:.2f},{y0 - pad:.2f},{x1 + pad:.2f},{y1 + pad:.2f}"


def parse_page(search: str | None, store: Store) -> tuple[PageState, list[str]]:
    """URL query -> PageState and notices for everything ignored. Never raises."""
    filters, page, notices = parse_query(search, store.vocab, PAGE_KEYS)
    state = PageState(filters=filters)
    ids = set(store.elements["id"])
    if page.get("sel"):
        if page["sel"] in ids:
            state = replace(state, selected=page["sel"])
        else:
            notices.append(f"unknown element '{page['sel'][:60]}' in the link; nothing selected")
    if page.get("pref"):
        names = set(store.boundaries["prefectures"]["name"])
        if page["pref"] in names:
            state = replace(state, prefecture=page["pref"])
        else:
            notices.append(f"unknown prefecture '{page['pref'][:60]}' in the link")
    if "layers" in page:
        layers = [x for x in page["layers"].split(",") if x]
        bad = [x for x in layers if x not in LAYER_NAMES]
        if bad:
            notices.append(f"unknown layer '{bad[0][:40]}'; known: {', '.join(LAYER_NAMES)}")
        state = replace(state, layers=tuple(x for x in layers if x in LAYER_NAMES))
    if page.get("view"):
        if page["view"] == "all" or zoom_bounds(page["view"], store):
            state = replace(state, view=page["view"])
        else:
            notices.append(f"unknown map view '{page['view'][:60]}'; showing both provinces")
    if page.get("compare"):
        if COMPARE_RE.match(page["compare"]) and all(p in store.vocab.periods for p in page["compare"].split("|")):
            state = replace(state, compare=page["compare"])
        else:
            notices.append(f"unknown comparison '{page['compare'][:40]}'")
    if page.get("lang"):
        if page["lang"] in ("zh", "en"):
            state = replace(state, lang=page["lang"])
        else:
            notices.append(f"unknown language '{page['lang'][:20]}'; known: zh, en")
    return state, notices


def page_query(state: PageState) -> str:
    """PageState -> canonical query string (what the address bar shows)."""
    page = {
        "sel": state.selected or "", "pref": state.prefecture or "",
        "layers": ",".join(state.layers) if tuple(state.layers) != DEFAULT_LAYERS else "",
        "view": state.view if state.view and state.view != "all" else "",
        "compare": state.compare, "lang": state.lang if state.lang != "zh" else "",
    }
    return to_query(state.filters, page)


def controls_to_params(q, industry, period, year, plan, min_revenue, no_target, province, kind) -> dict:
    """The filter controls' values -> the mapping parse_filters reads (same keys as the URL).

    Values pass through as they come: parse_filters accepts strings, lists and
    None, and reports anything else, so no control value can break it.
    """
    return {"q": q if isinstance(q, str) else "", "industry": industry, "period": _values(period) + _values(year),
            "plan": plan, "min_revenue": min_revenue, "no_target": no_target, "province": province, "kind": kind}


def known_layers(layers) -> tuple[str, ...]:
    return tuple(x for x in layers if x in LAYER_NAMES) if isinstance(layers, (list, tuple)) else ()


def filters_from(data: dict | None) -> Filters:
    """The `filters` store holds canonical params; parsing them again cannot fail."""
    return parse_filters(data if isinstance(data, dict) else {}, get_store().vocab)[0]
