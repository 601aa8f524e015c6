"""The details panel: an element with its quote inside its paragraph, or everything in a prefecture."""
from __future__ import annotations

import numpy as np
from dash import Input, Output, State, html

from callbacks import guarded
from callbacks.page import filters_from
from callbacks.reader import read_in_plan_button
from layers.filters import filter_mask
from layers.i18n import COMPOSITION_LABELS, KIND_LABELS, PRECISION_LABELS, label, t
from layers.page_state import selection_of
from layers.passages import find_passage, readable
from layers.store import get_store


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def _row(term: str, value) -> list:
    return [html.Dt(term), html.Dd(value)]


def quote_block(text: str, quote: str, lang: str, key: str) -> html.Div:
    """The paragraph with the quote marked; earlier and later paragraphs behind a disclosure."""
    p = find_passage(text, quote, context=3)
    if p is None:  # cannot happen for validated data; say so rather than show nothing
        return html.P(quote)
    p = readable(p)
    return html.Div(className="passage", children=[
        html.P(p.heading, className="passage-heading") if p.heading else None,
        html.P([p.before, html.Mark(p.quote, id=f"quote-{key}"), p.after], className="passage-para"),
        html.Details([html.Summary(t("read_more", lang)),
                      *[html.P(x, className="context") for x in p.context_before],
                      html.P([p.before, html.Mark(p.quote), p.after], className="passage-para"),
                      *[html.P(x, className="context") for x in p.context_after]]),
    ])


def element_panel(row, store, lang: str):
    en = lang == "en"
    plan = store.dataset.plans[row["plan_number"]]
    text = store.dataset.plan_texts[row["plan_number"]]
    inds = [f"{store.vocab.industry(c)['en' if en else 'zh']}" for c in row["industries"]]
    targets = [f"{x['metric']} {x['value_yi']:g} {'100m yuan' if en else '亿元'}" + (f" ({x['year']})" if x["year"] else "")
               for x in row["revenue_targets"]] or [t("no_target_stated", lang)]
    places = "、".join(row["counties"] or row["prefectures"] or row["places"])
    if row["places_as_written"]:
        places += f"（{'as written' if en else '原文'}：{'、'.join(row['places_as_written'])}）"
    comp = label(COMPOSITION_LABELS, row["composition_source"], lang)
    if row["composition_reference"]:
        comp += f" — {row['composition_reference']}"
    title = row["name"] + (f" · {row['name_en']}" if row["name_en"] else "")
    quotes = [quote_block(text, row["quote"], lang, "main")]
    quotes += [quote_block(text, q, lang, f"more-{i}") for i, q in enumerate(row["more_quotes"])]
    for i, x in enumerate(row["revenue_targets"]):
        if not any(x["quote"] in q for q in (row["quote"], *row["more_quotes"])):
            quotes.append(quote_block(text, x["quote"], lang, f"target-{i}"))
    return [
        html.H2(title, id="details-title"),
        html.Dl(className="facts", children=[
            *_row(t("kind", lang), label(KIND_LABELS, row["kind"], lang)),
            *_row(t("plan_and_period", lang), f"{plan['title']} · {row['plan_period']}"
                  + (f" · {'horizon' if en else '目标年'} {int(row['horizon'])}" if _present(row["horizon"]) else "")),
            *_row(t("places", lang), places),
            *_row(t("industries", lang), ("; " if en else "、").join(inds) or "—"),
            *_row(t("revenue_target", lang), html.Ul([html.Li(x) for x in targets])),
            *_row(t("precision", lang), label(PRECISION_LABELS, row["precision"], lang)),
            *_row(t("composition", lang), comp),
        ]),
        html.H3(t("quote", lang)),
        *quotes,
        read_in_plan_button(row["id"], lang),
        html.P(row["note"], className="note") if row["note"] else None,
    ]


def prefecture_panel(name: str, store, filters, lang: str):
    el = store.elements
    mask = filter_mask(el, filters) & np.fromiter((name in p for p in el["prefectures"]), bool, len(el))
    sub = el[mask].sort_values(["plan_period", "plan_number", "kind"])
    groups = []
    for period, grp in sub.groupby("plan_period", sort=True):
        groups.append(html.H3(f"{period}（{len(grp)}）"))
        groups.append(html.Ul([html.Li(html.Button(
            f"{r['name']} · {label(KIND_LABELS, r['kind'], lang)}", className="link-button",
            id={"type": "pick-element", "id": r["id"]}, n_clicks=0)) for _, r in grp.iterrows()]))
    return [html.H2(t("prefecture_panel", lang, name=name, n=len(sub)), id="details-title"), *groups]


def show_details(selection, filters_data, lang):
    store = get_store()
    selected, prefecture = selection_of(selection, store)
    if selected:
        return element_panel(store.elements[store.elements["id"] == selected].iloc[0], store, lang)
    if prefecture:
        return prefecture_panel(prefecture, store, filters_from(filters_data), lang)
    return [html.P(t("click_hint", lang))]


def register(app) -> None:
    app.callback(Output("details", "children"), Input("selection", "data"), Input("filters", "data"),
                 State("lang", "data"))(guarded(show_details))
