"""The page's state as one pure value, and its URL spelling.

`PageState` holds everything a link reopens: the filters, the selection, the
layers, the map extent, the comparison and the language. `parse_page(query)`
reads a URL query (never raising: what it cannot read becomes a notice);
`page_query(state)` writes the canonical one. The callbacks, the command line
and the saved views all use these, so a link, a saved view and an export agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from layers.figure import DEFAULT_LAYERS, PAGE_ASPECT, fit_view
from layers.filters import Filters, parse_query, to_query
from layers.i18n import Notice
from layers.reader import reader_position
from layers.store import Store

PAGE_KEYS = ("sel", "pref", "layers", "view", "compare", "lang", "reader", "follow", "present", "tour")
LAYER_NAMES = ("labels", "counties", "context", "rivers")
COMPARE_RE = re.compile(r"^\d{4}-\d{4}\|\d{4}-\d{4}$")
EXTENT_RE = re.compile(r"^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$")
# a view to open: a tour entry (t1, t2, ... in geodata/views.yaml order) or a saved view's number
TOUR_ID_RE = re.compile(r"^(t[1-9]\d{0,3}|[1-9]\d{0,15})$")


@dataclass(frozen=True)
class PageState:
    filters: Filters = Filters()
    selected: str | None = None  # element id
    prefecture: str | None = None  # a selected prefecture (its list in the details panel)
    layers: tuple[str, ...] = DEFAULT_LAYERS
    view: str = "all"  # a zoom target name or "lon0,lat0,lon1,lat1"
    compare: str = ""  # "2011-2015|2016-2020" or ""
    lang: str = "zh"
    reader: str = ""  # the plan being read and the paragraph: "000:125" (layers.reader)
    follow: bool = False  # the map follows the paragraph being read
    present: bool = False  # open in presentation mode (?present=1)
    tour: str = ""  # the view to open: "t1".. (tour) or a saved view's id

    @property
    def selection(self) -> dict | None:
        """The selection as the page's `selection` store holds it."""
        if self.selected:
            return {"type": "element", "id": self.selected}
        if self.prefecture:
            return {"type": "prefecture", "id": self.prefecture}
        return None


def zoom_bounds(view: str, store: Store) -> tuple[float, float, float, float] | None:
    """A zoom target (河北省, 郑州市, 'all') or 'lon0,lat0,lon1,lat1' -> bounds with a margin; None = default."""
    if not isinstance(view, str) or not view or view == "all":
        return None
    if EXTENT_RE.match(view):
        lon0, lat0, lon1, lat1 = (float(p) for p in view.split(","))
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


def page_view(view: str, store: Store, aspect: tuple[int, int] = PAGE_ASPECT):
    """A zoom target as the page shows it: its bounds widened to the map area's shape (None = default)."""
    bounds = zoom_bounds(view, store)
    return fit_view(bounds, *aspect) if bounds else None


def element_bounds(element_id: str, store: Store) -> str | None:
    """'lon0,lat0,lon1,lat1' around one element (the table zooms the map there)."""
    hit = store.elements[store.elements["id"] == element_id]
    if not len(hit):
        return None
    x0, y0, x1, y1 = hit.total_bounds
    pad = max(0.6, (x1 - x0) * 0.15, (y1 - y0) * 0.15)
    return f"{x0 - pad:.2f},{y0 - pad:.2f},{x1 + pad:.2f},{y1 + pad:.2f}"


def parse_page(search: str | None, store: Store) -> tuple[PageState, list[Notice]]:
    """URL query -> PageState and notices for everything ignored. Never raises."""
    filters, page, notices = parse_query(search, store.vocab, PAGE_KEYS)
    state = PageState(filters=filters)
    if page.get("sel"):
        if store.has_element(page["sel"]):
            state = replace(state, selected=page["sel"])
        else:
            notices.append(Notice("unknown_element", value=page["sel"][:60]))
    if page.get("pref"):
        if store.has_prefecture(page["pref"]):
            state = replace(state, prefecture=page["pref"])
        else:
            notices.append(Notice("unknown_prefecture", value=page["pref"][:60]))
    if "layers" in page:
        layers = [x for x in page["layers"].split(",") if x]
        bad = [x for x in layers if x not in LAYER_NAMES]
        if bad:
            notices.append(Notice("unknown_layer", value=bad[0][:40], known=", ".join(LAYER_NAMES)))
        state = replace(state, layers=tuple(x for x in layers if x in LAYER_NAMES))
    if page.get("view"):
        if page["view"] == "all" or zoom_bounds(page["view"], store):
            state = replace(state, view=page["view"])
        elif TOUR_ID_RE.match(page["view"]) and not page.get("tour"):
            # ?view=<id> (a saved view's number, or t1..): what a presenter types; the same as ?tour=<id>
            state = replace(state, tour=page["view"])
        else:
            notices.append(Notice("unknown_view", value=page["view"][:60]))
    if page.get("compare"):
        if COMPARE_RE.match(page["compare"]) and all(
            p in store.vocab.periods for p in page["compare"].split("|")
        ):
            state = replace(state, compare=page["compare"])
        else:
            notices.append(Notice("unknown_compare", value=page["compare"][:40]))
    if page.get("lang"):
        if page["lang"] in ("zh", "en"):
            state = replace(state, lang=page["lang"])
        else:
            notices.append(Notice("unknown_lang", value=page["lang"][:20]))
    if page.get("reader"):
        pos = reader_position(page["reader"], store.dataset.plan_texts)
        if isinstance(pos, tuple):
            state = replace(state, reader=f"{pos[0]}:{pos[1]}")
        else:
            notices.append(Notice(pos, value=page["reader"][:40]))
    if page.get("follow"):
        if page["follow"] == "1":
            state = replace(state, follow=True)
        else:
            notices.append(Notice("bad_follow", value=page["follow"][:20]))
    if page.get("present"):
        if page["present"] in ("1", "0"):
            state = replace(state, present=page["present"] == "1")
        else:
            notices.append(Notice("bad_present", value=page["present"][:20]))
    if page.get("tour"):
        if TOUR_ID_RE.match(page["tour"]):
            state = replace(state, tour=page["tour"])
        else:
            notices.append(Notice("bad_tour", value=page["tour"][:40]))
    return state, notices


def page_query(state: PageState) -> str:
    """PageState -> canonical query string (what the address bar shows)."""
    page = {
        "sel": state.selected or "",
        "pref": state.prefecture or "",
        "layers": ",".join(state.layers) if tuple(state.layers) != DEFAULT_LAYERS else "",
        "view": state.view if state.view and state.view != "all" else "",
        "compare": state.compare,
        "lang": state.lang if state.lang != "zh" else "",
        "reader": state.reader,
        "follow": "1" if state.follow else "",
        "present": "1" if state.present else "",
        "tour": state.tour,
    }
    return to_query(state.filters, page)


def known_layers(layers) -> tuple[str, ...]:
    return tuple(x for x in layers if x in LAYER_NAMES) if isinstance(layers, (list, tuple)) else ()


def selection_of(selection, store: Store) -> tuple[str | None, str | None]:
    """The `selection` store's value -> (element id, prefecture), each checked against the data.

    The browser writes the selection (a click), so nothing in it is trusted."""
    sel = selection if isinstance(selection, dict) else {}
    sid = sel.get("id")
    if not isinstance(sid, str):
        return None, None
    if sel.get("type") == "element" and store.has_element(sid):
        return sid, None
    if sel.get("type") == "prefecture" and store.has_prefecture(sid):
        return None, sid
    return None, None
