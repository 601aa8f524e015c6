"""The reader beside the map: a plan's full text with every placed phrase linked to its element (issue 17).

Stores it provides (the lead draws them on the map):
  reader-pos     {"plan": "000", "n": 125[, "jump": true]} or None (closed): the paragraph being read;
                 "jump" means: scroll the text there (a link, a button), without it the reader reports
                 where the user has scrolled (assets/reader.js).
  reader-focus   {"ids": [...], "plan", "n", "section"} while follow-the-text is on, else None:
                 the elements of the section being read (fade the others).
  hover-element  {"id": first record, "ids": [...]} while the pointer is on a highlight, else None
                 (written by assets/reader.js only).
"""

from __future__ import annotations

from functools import lru_cache

from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from callbacks import guarded
from layers.headings import heading_en
from layers.page_state import element_bounds
from layers.reader import (
    faint_spans,
    highlights,
    mark_runs,
    paragraph_of,
    parse_plan,
    reader_html,
    reader_position,
    search_text,
    section_elements,
    section_of,
)
from layers.store import get_store

TEXT = {
    "reader": ("阅读规划原文", "Read the plans"),
    "read_in_plan": ("在规划原文中阅读", "Read in the plan"),
    "follow": ("地图跟随阅读", "Map follows the text"),
    "search": ("在原文中搜索", "Search the text"),
    "close": ("关闭阅读", "Close the reader"),
    "hits": ("{n} 处", "{n} hits"),
    "no_hits": ("未找到", "not found"),
    "choose": ("这段文字涉及 {n} 个要素：", "This passage places {n} elements:"),
    "prev": ("上一处", "previous hit"),
    "next": ("下一处", "next hit"),
    "focus": ("地图突出本节 {n} 个要素", "The map shows this section's {n} elements"),
}


def tr(key: str, lang: str, **kw) -> str:
    return TEXT[key][1 if lang == "en" else 0].format(**kw)


# ---------------------------------------------------------------- cached per plan (the data never changes)


@lru_cache(maxsize=1)
def uncovered_mentions() -> dict[str, list]:
    """Place names no record covers, per plan (layers.mentions; reviewed ones included, they are still places)."""
    from layers.mentions import scan_dataset

    return {
        plan: [x.mention for x in b.labelled if x.covered_by is None]
        for plan, b in scan_dataset(get_store().dataset).items()
    }


def plan_records(plan: str) -> list[dict]:
    """The plan's records that are on the map (the targets table is not placed)."""
    store = get_store()
    return [r for r in store.dataset.records if r["plan_number"] == plan and store.has_element(r["id"])]


@lru_cache(maxsize=8)
def plan_view(plan: str):
    """(doc, highlight spans, faint spans, marks in order) for one plan."""
    doc = parse_plan(get_store().dataset.plan_texts[plan], plan)
    spans = highlights(doc, plan_records(plan))
    faint = faint_spans(doc, uncovered_mentions().get(plan, []))
    return doc, spans, faint, mark_runs(doc, spans, faint)


@lru_cache(maxsize=10)
def plan_html(plan: str, lang: str):
    doc, spans, faint, _ = plan_view(plan)
    en = lang == "en"
    names = {r["id"]: (r["name_en"] if en else r["name"]) for r in plan_records(plan)}
    titles = get_store().section_titles.get(plan, {}) if en else None
    return reader_html(doc, spans, faint, names, lang, titles=titles)


@lru_cache(maxsize=256)
def focus_ids(plan: str, n: int) -> tuple[int, tuple[str, ...]]:
    doc = plan_view(plan)[0]
    head, _ = section_of(doc, n)
    return head, tuple(section_elements(doc, plan_records(plan), n))


# ---------------------------------------------------------------- the panel


def position_of(reader: str, store) -> dict | None:
    pos = reader_position(reader, store.dataset.plan_texts) if reader else None
    return {"plan": pos[0], "n": pos[1], "jump": True} if isinstance(pos, tuple) else None


def read_in_plan_button(record_id: str, lang: str) -> html.Button:
    """For the details panel: open the reader at this record's quote."""
    return html.Button(
        tr("read_in_plan", lang),
        id={"type": "read-in-plan", "id": record_id},
        n_clicks=0,
        className="button read-in-plan",
    )


def reader_panel(store, state) -> html.Section:
    """The reader section: a header with the five plans (always shown: the way in), the text when open.

    The plan list sits in the reader's own header rather than in the filter panel: it is then
    one card with one job, visible above the table while the reader is closed, and it lets
    a reader switch plans without leaving the text."""
    lang = state.lang
    en = lang == "en"
    pos = position_of(state.reader, store)
    body = list(plan_html(pos["plan"], lang)) if pos else []
    plans = [
        html.Button(
            f"{p['number']} {p['short_en'] if en else p['short']}",
            n_clicks=0,
            id={"type": "reader-open", "plan": p["number"]},
            title=p["title_en"] if en else p["title"],
            className="button reader-plan" + (" active" if pos and pos["plan"] == p["number"] else ""),
        )
        for p in store.vocab.plans
    ]
    return html.Section(
        id="reader",
        className="reader " + ("open" if pos else "closed"),
        role="region",
        **{"aria-label": tr("reader", lang)},
        children=[
            dcc.Store(id="reader-pos", data=pos),
            dcc.Store(id="reader-shown", data=pos["plan"] if pos else None),
            dcc.Store(id="reader-focus", data=None),
            dcc.Store(id="hover-element", data=None),
            dcc.Store(id="reader-scrolled", data=None),
            dcc.Store(id="reader-painted", data=None),
            dcc.Store(id="reader-focus-seen", data=None),
            html.Div(
                className="reader-head",
                children=[
                    html.H2(tr("reader", lang), className="reader-heading"),
                    html.Div(plans, className="reader-plans"),
                    html.Button(
                        "×",
                        id="reader-close",
                        n_clicks=0,
                        className="button reader-close",
                        title=tr("close", lang),
                        **{"aria-label": tr("close", lang)},
                    ),
                ],
            ),
            html.Div(
                className="reader-tools",
                children=[
                    dcc.Checklist(
                        id="reader-follow",
                        options=[{"label": tr("follow", lang), "value": "1"}],
                        value=["1"] if state.follow else [],
                        inline=True,
                        className="checks",
                    ),
                    html.Label(tr("search", lang), htmlFor="reader-q", className="visually-hidden"),
                    dcc.Input(
                        id="reader-q",
                        type="search",
                        debounce=0.3,
                        placeholder=tr("search", lang),
                        maxLength=60,
                        className="text-input reader-q",
                    ),
                    html.Button(
                        "↑",
                        id="reader-prev",
                        n_clicks=0,
                        className="button",
                        title=tr("prev", lang),
                        **{"aria-label": tr("prev", lang)},
                    ),
                    html.Button(
                        "↓",
                        id="reader-next",
                        n_clicks=0,
                        className="button",
                        title=tr("next", lang),
                        **{"aria-label": tr("next", lang)},
                    ),
                    html.Span(id="reader-count", className="reader-count", role="status"),
                    html.Span(id="reader-focus-note", className="reader-focus-note", role="status"),
                ],
            ),
            html.Div(id="reader-hits", className="reader-hits"),
            html.Div(
                id="reader-choices", className="reader-choices", role="status", **{"aria-live": "polite"}
            ),
            html.Div(id="reader-text", className="reader-text", tabIndex="0", children=body),
        ],
    )


# ---------------------------------------------------------------- callbacks (plain functions)


def open_reader(read, plans, close):
    """A 'read in the plan' button, a plan button or × -> the reader position (None = closed)."""
    trig = ctx.triggered_id
    if not trig or not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update
    store = get_store()
    if trig == "reader-close":
        return None
    if (
        isinstance(trig, dict)
        and trig.get("type") == "reader-open"
        and trig.get("plan") in store.dataset.plan_texts
    ):
        return {"plan": trig["plan"], "n": plan_view(trig["plan"])[0].paragraphs[0].n, "jump": True}
    if isinstance(trig, dict) and trig.get("type") == "read-in-plan" and store.has_element(trig.get("id")):
        row = store.elements[store.elements["id"] == trig["id"]].iloc[0]
        n = paragraph_of(plan_view(row["plan_number"])[0], row["quote"])
        return {"plan": row["plan_number"], "n": n, "jump": True} if n is not None else no_update
    return no_update


def show_reader(pos, shown, lang):
    """Render the plan's text when the plan changes (scrolling within it re-renders nothing)."""
    store = get_store()
    plan = pos.get("plan") if isinstance(pos, dict) else None
    plans = ["button reader-plan" + (" active" if p["number"] == plan else "") for p in store.vocab.plans]
    if plan not in store.dataset.plan_texts:
        return {
            "body": [],
            "shown": None,
            "class": "reader closed",
            "hits": [],
            "choices": [],
            "plans": plans,
        }
    if plan == shown:
        return {
            "body": no_update,
            "shown": no_update,
            "class": "reader open",
            "hits": no_update,
            "choices": no_update,
            "plans": [no_update] * len(plans),
        }
    return {
        "body": list(plan_html(plan, lang if lang in ("zh", "en") else "zh")),
        "shown": plan,
        "class": "reader open",
        "hits": [],
        "choices": [],
        "plans": plans,
    }


def select_element(element_id: str, zoom_options):
    """Select an element and zoom the map to it (as the table does)."""
    store = get_store()
    bounds = element_bounds(element_id, store)
    if not bounds:
        return no_update, no_update, no_update
    name = store.elements.loc[store.elements["id"] == element_id, "name"].iloc[0]
    options = [o for o in zoom_options or [] if "," not in str(o["value"])] + [
        {"label": "⌖ " + name, "value": bounds}
    ]
    return {"type": "element", "id": element_id}, bounds, options


def click_quote(clicks, pos, zoom_options, lang):
    """A highlight clicked -> its element selected and zoomed to; a phrase shared by several records offers each."""
    trig = ctx.triggered_id
    none = (no_update,) * 4
    if not isinstance(trig, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
        return none
    store = get_store()
    rid, k = trig.get("id"), trig.get("n")
    if not store.has_element(rid):
        return none
    ids = (rid,)
    plan = pos.get("plan") if isinstance(pos, dict) else None
    if plan in store.dataset.plan_texts and isinstance(k, int):
        runs = plan_view(plan)[3]
        if 0 <= k < len(runs) and runs[k][3][0] == rid:
            ids = runs[k][3]
    sel, bounds, options = select_element(rid, zoom_options)
    choices = []
    if len(ids) > 1:
        names = dict(zip(store.elements["id"], store.elements["name_en" if lang == "en" else "name"]))
        choices = [
            html.Span(tr("choose", lang, n=len(ids))),
            *[
                html.Button(
                    names.get(i, i),
                    id={"type": "quote-pick", "id": i},
                    n_clicks=0,
                    className="link-button" + (" active" if i == rid else ""),
                )
                for i in ids
            ],
        ]
    return sel, bounds, options, choices


def pick_quote(clicks, zoom_options):
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update, no_update, no_update
    if not get_store().has_element(trig.get("id")):
        return no_update, no_update, no_update
    return select_element(trig["id"], zoom_options)


def follow_focus(pos, follow):
    """Follow-the-text on: the ids of the elements quoted in the section being read."""
    store = get_store()
    if not follow or not isinstance(pos, dict) or pos.get("plan") not in store.dataset.plan_texts:
        return None
    n = pos.get("n")
    if not isinstance(n, int) or n not in plan_view(pos["plan"])[0].by_n:
        return None
    head, ids = focus_ids(pos["plan"], n)
    doc = plan_view(pos["plan"])[0]
    return {
        "ids": list(ids),
        "plan": pos["plan"],
        "n": n,
        "section": doc.by_n[head].title if head >= 0 else "",
    }


def focus_note(focus, lang):
    """Say what the map shows while following the text."""
    if not isinstance(focus, dict):
        return ""
    note = tr("focus", lang, n=len(focus.get("ids") or []))
    section = focus.get("section")
    if not section:
        return note
    if lang == "en":
        return f"{note} ({heading_en(str(focus.get('plan')), section, get_store().section_titles)})"
    return f"{note}（{section}）"


def search_reader(q, pos, lang):
    """Hits listed (each scrolls there; ↑/↓ step through them in assets/reader.js)."""
    plan = pos.get("plan") if isinstance(pos, dict) else None
    if not q or plan not in get_store().dataset.plan_texts:
        return [], ""
    hits = search_text(plan_view(plan)[0], q[:60])
    items = [
        html.Button(
            [html.Span(f"¶{h.n}", className="hit-n"), " ", h.snippet],
            n_clicks=0,
            className="link-button reader-hit",
            **{"data-target": f"p-{plan}-{h.n}"},
        )
        for h in hits
    ]
    return items, (tr("hits", lang, n=len(hits)) if hits else tr("no_hits", lang))


def register(app) -> None:
    app.callback(
        Output("reader-pos", "data", allow_duplicate=True),
        Input({"type": "read-in-plan", "id": ALL}, "n_clicks"),
        Input({"type": "reader-open", "plan": ALL}, "n_clicks"),
        Input("reader-close", "n_clicks"),
        prevent_initial_call=True,
    )(guarded(open_reader))
    app.callback(
        output={
            "body": Output("reader-text", "children"),
            "shown": Output("reader-shown", "data"),
            "class": Output("reader", "className"),
            "hits": Output("reader-hits", "children"),
            "choices": Output("reader-choices", "children"),
            "plans": Output({"type": "reader-open", "plan": ALL}, "className"),
        },
        inputs={
            "pos": Input("reader-pos", "data"),
            "shown": State("reader-shown", "data"),
            "lang": State("lang", "data"),
        },
        prevent_initial_call=True,
    )(guarded(show_reader))
    app.callback(
        Output("selection", "data", allow_duplicate=True),
        Output("f-zoom", "value", allow_duplicate=True),
        Output("f-zoom", "options", allow_duplicate=True),
        Output("reader-choices", "children", allow_duplicate=True),
        Input({"type": "quote-link", "id": ALL, "n": ALL}, "n_clicks"),
        State("reader-pos", "data"),
        State("f-zoom", "options"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(click_quote))
    app.callback(
        Output("selection", "data", allow_duplicate=True),
        Output("f-zoom", "value", allow_duplicate=True),
        Output("f-zoom", "options", allow_duplicate=True),
        Input({"type": "quote-pick", "id": ALL}, "n_clicks"),
        State("f-zoom", "options"),
        prevent_initial_call=True,
    )(guarded(pick_quote))
    app.callback(
        Output("reader-focus", "data"), Input("reader-pos", "data"), Input("reader-follow", "value")
    )(guarded(follow_focus))
    app.callback(
        Output("reader-focus-note", "children"), Input("reader-focus", "data"), State("lang", "data")
    )(guarded(focus_note))
    app.clientside_callback(
        ClientsideFunction("reader", "focus"),
        Output("reader-focus-seen", "data"),
        Input("reader-focus", "data"),
    )
    app.callback(
        Output("reader-hits", "children", allow_duplicate=True),
        Output("reader-count", "children"),
        Input("reader-q", "value"),
        State("reader-pos", "data"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(guarded(search_reader))
    # scroll to the paragraph a link or a button names, once its text is on the page
    app.clientside_callback(
        ClientsideFunction("reader", "jump"),
        Output("reader-scrolled", "data"),
        Input("reader-pos", "data"),
        Input("reader-text", "children"),
    )
    app.clientside_callback(
        ClientsideFunction("reader", "paint"),
        Output("reader-painted", "data"),
        Input("reader-q", "value"),
        Input("reader-text", "children"),
    )
