"""Small charts for the current filters: elements by industry and by prefecture.

Drawn as HTML bars rather than plotly figures: they need no chart library
(the page ships plotly's geo-only bundle), read well in both languages, and
screen readers get the numbers as text. Each bar is a button: a click (or Enter) filters
the page by it (callbacks/table.py).
"""

from __future__ import annotations

from collections import Counter

from dash import html

from layers import style
from layers.i18n import t
from layers.sectors import sector_of

MAX_BARS = 20


def _bars(
    title: str, items: list[tuple[str, int, str, dict]], chart_id: str, lang: str = "zh"
) -> html.Figure:
    """items: (label, count, colour, button id); the button's accessible name says what a press does."""
    top = max((n for _, n, _, _ in items), default=0)
    rows = [
        html.Li(
            className="bar-row",
            children=html.Button(
                id=bid,
                className="bar-button",
                n_clicks=0,
                type="button",
                title=t("filter_by", lang, name=name, n=n),
                **{"aria-label": t("filter_by", lang, name=name, n=n)},
                children=[
                    html.Span(name, className="bar-label"),
                    html.Span(
                        className="bar-track",
                        children=html.Span(
                            className="bar",
                            style={"width": f"{100 * n / top:.1f}%" if top else "0", "background": colour},
                        ),
                    ),
                    html.Span(str(n), className="bar-value"),
                ],
            ),
        )
        for name, n, colour, bid in items[:MAX_BARS]
    ]
    more = len(items) - MAX_BARS
    return html.Figure(
        id=chart_id,
        className="bars",
        children=[
            html.Figcaption(title),
            html.Ol(rows, className="bar-list") if rows else html.P("—"),
            html.P(f"+{more}", className="bar-more") if more > 0 else None,
        ],
    )


def counts_by_industry(shown, vocab, lang: str = "zh") -> html.Figure:
    """Elements per industry code (an element with several industries counts for each)."""
    counts = Counter(c for codes in shown["industries"] for c in codes)
    # each bar in its industry's sector colour: the same colour the map gives its points
    items = [
        (
            vocab.industry(c)["en" if lang == "en" else "zh"],
            n,
            style.SECTOR_COLOURS[sector_of(c)],
            {"type": "bar-industry", "code": c},
        )
        for c, n in counts.most_common()
    ]
    return _bars(t("by_industry", lang), items, "chart-industry-bars", lang)


def counts_by_prefecture(shown, lang: str = "zh", names_en: dict | None = None) -> html.Figure:
    """Elements per prefecture; `names_en` (prefecture -> pinyin) labels the bars in English."""
    counts = Counter(p for prefs in shown["prefectures"] for p in prefs)
    items = [
        (
            (names_en or {}).get(p, p) if lang == "en" else p,
            n,
            "#6b7b8c",
            {"type": "bar-prefecture", "name": p},
        )
        for p, n in counts.most_common()
    ]
    return _bars(t("by_prefecture", lang), items, "chart-prefecture-bars", lang)
