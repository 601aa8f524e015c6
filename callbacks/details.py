"""The details panel: an element with its quote inside its paragraph, or everything in a prefecture."""

from __future__ import annotations

import numpy as np
from dash import Input, Output, State, html

from callbacks import guarded
from callbacks.page import filters_from
from callbacks.reader import read_in_plan_button
from layers.display import display_name
from layers.filters import filter_mask
from layers.headings import section_en
from layers.i18n import COMPOSITION_LABELS, KIND_LABELS, PRECISION_LABELS, label, t, zh_marked
from layers.page_state import selection_of
from layers.passages import find_passage, for_display, readable
from layers.store import get_store
from layers.targets import target_lines


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def _row(term: str, value) -> list:
    return [html.Dt(term), html.Dd(value)]


def quote_block(text: str, quote: str, lang: str, key: str) -> html.Div:
    """The paragraph with the quote marked; earlier and later paragraphs behind a disclosure."""
    p = find_passage(text, quote, context=3)
    if p is None:  # cannot happen for validated data; say so rather than show nothing
        return html.P(quote, lang="zh")
    p = readable(p)
    return html.Div(
        className="passage",
        lang="zh",
        children=[
            html.P(p.heading, className="passage-heading") if p.heading else None,
            html.P([p.before, html.Mark(p.quote, id=f"quote-{key}"), p.after], className="passage-para"),
            html.Details(
                [
                    html.Summary(t("read_more", lang)),
                    *[html.P(x, className="context") for x in p.context_before],
                    html.P([p.before, html.Mark(p.quote), p.after], className="passage-para"),
                    *[html.P(x, className="context") for x in p.context_after],
                ]
            ),
        ],
    )


def element_panel(row, store, lang: str):
    en = lang == "en"
    plan = store.dataset.plans[row["plan_number"]]
    text = store.dataset.plan_texts[row["plan_number"]]
    inds = [f"{store.vocab.industry(c)['en' if en else 'zh']}" for c in row["industries"]]
    targets = target_lines(row, lang) or [t("no_target_stated", lang)]  # a tier floor is said to be one
    places = place_names(row, store, lang)
    if row["places_as_written"] and en:
        places = [places, " (as written: ", html.Span("、".join(row["places_as_written"]), lang="zh"), ")"]
    elif row["places_as_written"]:
        places += f"（原文：{'、'.join(row['places_as_written'])}）"
    comp = label(COMPOSITION_LABELS, row["composition_source"], lang)
    if row["composition_reference"]:
        comp = (
            [comp, " — ", *zh_marked(row["composition_reference"])]
            if en
            else (comp + f" — {row['composition_reference']}")
        )
    if en and row["name_en"]:
        title = [row["name_en"], " · ", html.Span(display_name(row), lang="zh")]
    else:
        title = display_name(row) + (f" · {row['name_en']}" if row["name_en"] else "")
    quotes = [quote_block(text, row["quote"], lang, "main")]
    quotes += [quote_block(text, q, lang, f"more-{i}") for i, q in enumerate(row["more_quotes"])]
    for i, x in enumerate(row["revenue_targets"]):
        if not any(x["quote"] in q for q in (row["quote"], *row["more_quotes"])):
            quotes.append(quote_block(text, x["quote"], lang, f"target-{i}"))
    return [
        html.H2(title, id="details-title"),
        html.Dl(
            className="facts",
            children=[
                *_row(t("kind", lang), label(KIND_LABELS, row["kind"], lang)),
                *_row(
                    t("plan_and_period", lang),
                    f"{plan['title_en' if en else 'title']} · {row['plan_period']}"
                    + (
                        f" · {'horizon' if en else '目标年'} {int(row['horizon'])}"
                        if _present(row["horizon"])
                        else ""
                    ),
                ),
                *_row(t("section", lang), section_line(row, store, lang)),
                *_row(t("places", lang), places),
                *_row(t("industries", lang), ("; " if en else "、").join(inds) or "—"),
                *_row(t("revenue_target", lang), html.Ul([html.Li(x) for x in targets])),
                *_row(t("precision", lang), label(PRECISION_LABELS, row["precision"], lang)),
                *_row(t("composition", lang), comp),
            ],
        ),
        html.H3(t("quote", lang)),
        *quotes,
        read_in_plan_button(row["id"], lang),
        *lineage_block(row, store, lang),
        html.P(zh_marked(row["note"]) if en else row["note"], className="note") if row["note"] else None,
    ]


def section_line(row, store, lang: str) -> str:
    """Where in the plan the quote stands: its heading path, in English from geodata/sections_en.yaml."""
    if not row["section"]:
        return "—"
    if lang == "en":
        return section_en(row["plan_number"], row["section"], store.section_titles)
    return for_display(row["section"])


def place_names(row, store, lang: str) -> str:
    """The element's counties (or prefectures) in the page's language: pinyin names in English."""
    names = list(row["counties"] or row["prefectures"] or row["places"])
    if lang != "en":
        return "、".join(names)
    return ", ".join(store.place_en.get(n) or n for n in names)


def lineage_block(row, store, lang: str) -> list:
    """The same element in the other plans (geodata/lineage.yaml): each plan's name, target and quote
    side by side, oldest plan first, so a planner sees what carried over and how its target changed."""
    lid = row.get("lineage") or ""
    if not lid:
        return []
    el = store.elements
    others = el[(el["lineage"] == lid) & (el["id"] != row["id"])].sort_values(["period_start", "plan_number"])
    if not len(others):
        return []
    en = lang == "en"
    entry = store.dataset.lineages.get(lid, {})
    cards = []
    for _, o in others.iterrows():
        plan = store.dataset.plans[o["plan_number"]]
        targets = target_lines(o, lang) or [t("no_target_stated", lang)]
        cards.append(
            html.Div(
                className="lineage-card",
                children=[
                    html.H4(
                        [
                            t(
                                "also_in_plan",
                                lang,
                                plan=f"{o['plan_number']} {plan['short_en' if en else 'short']}",
                                period=o["plan_period"],
                            ),
                            " · ",
                            html.Button(
                                o["name_en"] if en else display_name(o),
                                className="link-button",
                                n_clicks=0,
                                id={"type": "pick-element", "id": o["id"]},
                            ),
                        ]
                    ),
                    html.Ul([html.Li(x) for x in targets], className="lineage-targets"),
                    html.Blockquote(for_display(o["quote"]), className="lineage-quote", lang="zh-CN"),
                ],
            )
        )
    note = entry.get("note")
    return [
        html.H3(t("lineage_heading", lang), id="lineage-heading"),
        html.P(zh_marked(note) if en else note, className="note") if note else None,
        html.Div(cards, className="lineage", id="lineage"),
    ]


def prefecture_panel(name: str, store, filters, lang: str):
    el = store.elements
    mask = filter_mask(el, filters) & np.fromiter((name in p for p in el["prefectures"]), bool, len(el))
    sub = el[mask].sort_values(["plan_period", "plan_number", "kind"])
    en = lang == "en"
    groups = []
    for period, grp in sub.groupby("plan_period", sort=True):
        groups.append(html.H3(f"{period} ({len(grp)})" if en else f"{period}（{len(grp)}）"))
        groups.append(
            html.Ul(
                [
                    html.Li(
                        html.Button(
                            f"{(r['name_en'] if en else '') or display_name(r)} · "
                            f"{label(KIND_LABELS, r['kind'], lang)}",
                            className="link-button",
                            id={"type": "pick-element", "id": r["id"]},
                            n_clicks=0,
                        )
                    )
                    for _, r in grp.iterrows()
                ]
            )
        )
    shown = store.place_en.get(name, name) if en else name
    return [html.H2(t("prefecture_panel", lang, name=shown, n=len(sub)), id="details-title"), *groups]


def spot_of(selection) -> tuple[float, float, float] | None:
    """The clicked spot a selection carries (lon, lat, metres per pixel), checked."""
    at = selection.get("at") if isinstance(selection, dict) else None
    if isinstance(at, list) and len(at) == 3 and all(isinstance(v, (int, float)) for v in at):
        lon, lat, px_m = (float(v) for v in at)
        if 100 <= lon <= 130 and 25 <= lat <= 48 and 1 <= px_m <= 100_000:
            return lon, lat, px_m
    return None


def _gloss(unit: dict) -> list:
    """A place's English name with its Chinese beside it, marked lang="zh"."""
    zh = html.Span(unit["name"], lang="zh")
    return [unit["name_en"], " ", zh] if unit.get("name_en") else [zh]


def here_list(here: dict, store, lang: str, skip: str | None = None) -> list:
    """Everything at a clicked spot, each selectable: the prefecture and county, the areas covering it
    (smallest first), the lines and marks near it."""
    en = lang == "en"
    out = []
    pref, county = here.get("prefecture"), here.get("county")
    if pref:
        units = [pref, county] if county else [pref]
        if en:  # English names, each with its Chinese beside it as a gloss
            name = [x for i, u in enumerate(units) for x in ([" · "] if i else []) + _gloss(u)]
        else:
            name = " · ".join(u["name"] for u in units)
        out.append(
            html.P(
                html.Button(
                    name,
                    className="link-button",
                    n_clicks=0,
                    id={"type": "pick-prefecture", "id": pref["name"]},
                ),
                className="here-place",
            )
        )
    groups = [
        ("points", t("here_points", lang)),
        ("areas", t("here_areas", lang)),
        ("lines", t("here_lines", lang)),
    ]
    for key, heading in groups:
        items = [it for it in here.get(key) or [] if it["id"] != skip]
        if not items:
            continue
        out.append(html.H3(f"{heading}（{len(items)}）" if not en else f"{heading} ({len(items)})"))
        out.append(
            html.Ul(
                [
                    html.Li(
                        html.Button(
                            f"{(it.get('name_en') if en else '') or it['name']} · "
                            f"{label(KIND_LABELS, it['kind'], lang)}",
                            className="link-button",
                            id={"type": "pick-element", "id": it["id"]},
                            n_clicks=0,
                        )
                    )
                    for it in items
                ]
            )
        )
    return out


def show_details(selection, filters_data, lang):
    store = get_store()
    selected, prefecture = selection_of(selection, store)
    spot = spot_of(selection)
    mask = filter_mask(store.elements, filters_from(filters_data))
    if selected:
        panel = element_panel(store.elements[store.elements["id"] == selected].iloc[0], store, lang)
        if spot:  # the click also landed on other things: list them under the element
            more = here_list(store.hits.what_is_here(*spot, mask), store, lang, skip=selected)
            if more:
                panel += [html.Details([html.Summary(t("also_here", lang)), *more], className="also-here")]
        return panel
    if prefecture:
        return prefecture_panel(prefecture, store, filters_from(filters_data), lang)
    if isinstance(selection, dict) and selection.get("type") == "spot" and spot:
        here = store.hits.what_is_here(*spot, mask)
        return [html.H2(t("here_title", lang), id="details-title"), *here_list(here, store, lang)]
    return [html.P(t("click_hint", lang))]


def register(app) -> None:
    app.callback(
        Output("details", "children"),
        Input("selection", "data"),
        Input("filters", "data"),
        State("lang", "data"),
    )(guarded(show_details))
