"""Small charts for the current filters: elements by industry and by prefecture."""
from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go

from layers import style
from layers.i18n import t


def _bar(labels: list[str], values: list[int], colours, title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color=colours,
                           hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_layout(title=dict(text=title, font_size=13), height=max(220, 18 * len(labels) + 60),
                      margin=dict(l=8, r=8, t=32, b=8), font_family=style.FONT_FAMILY,
                      yaxis=dict(autorange="reversed", automargin=True), xaxis=dict(dtick=5 if max(values or [0]) > 10 else 1),
                      plot_bgcolor="white", paper_bgcolor="white")
    return fig


def counts_by_industry(shown, vocab, lang: str = "zh") -> go.Figure:
    """Elements per industry code (an element with several industries counts for each)."""
    counts = Counter(c for codes in shown["industries"] for c in codes)
    colours = style.industry_colours([i["code"] for i in vocab.industries])
    codes = [c for c, _ in counts.most_common()]
    labels = [vocab.industry(c)["en" if lang == "en" else "zh"] for c in codes]
    return _bar(labels, [counts[c] for c in codes], [colours[c] for c in codes], t("by_industry", lang))


def counts_by_prefecture(shown, lang: str = "zh", names_en: dict | None = None) -> go.Figure:
    """Elements per prefecture; `names_en` (prefecture -> pinyin) labels the bars in English."""
    counts = Counter(p for prefs in shown["prefectures"] for p in prefs)
    names = [p for p, _ in counts.most_common()]
    labels = [f"{(names_en or {}).get(p, p)}" if lang == "en" else p for p in names]
    return _bar(labels, [counts[p] for p in names], "#6b7b8c", t("by_prefecture", lang))
