"""The plans' province- and industry-level targets as rows, a table and a small chart (pure).

The same rows feed the page's targets card (callbacks/targets.py) and `python app.py
export-targets`, so the page and the file always list the same targets, each with its quote.
Where a plan states one target with two figures (a `pair-…` tag in the records), both rows
are kept, next to each other, and marked as a pair. `target_lines` words an element's own
revenue targets and the tier floors it shares with its group, for the details panel.
"""

from __future__ import annotations

import io
import json

import pandas as pd
from dash import html

from layers.filters import in_period
from layers.i18n import metric_label

COLUMNS = (
    "id",
    "plan",
    "plan_number",
    "plan_period",
    "province",
    "subject",
    "subject_en",
    "industries",
    "metric",
    "value_yi",
    "year",
    "quote",
    "scope",
    "pair",
)
MAX_BARS = 20


def target_rows(dataset) -> list[dict]:
    """One row per target in file order, the two figures of a pair side by side."""
    rows = [
        {
            "id": t["id"],
            "plan": t["plan"],
            "plan_number": t["plan_number"],
            "plan_period": t["plan_period"],
            "province": t["province"],
            "subject": t["subject"] or "",
            "subject_en": t.get("subject_en") or "",
            "industries": list(t["industries"]),
            "metric": t["metric"] or "",
            "value_yi": t["value_yi"],
            "year": t["year"],
            "quote": t["quote"],
            "scope": t["scope"],
            "pair": next((g for g in t.get("tags") or [] if str(g).startswith("pair-")), ""),
        }
        for t in dataset.targets
    ]
    out, done = [], set()
    for r in rows:
        if r["id"] in done:
            continue
        mates = [x for x in rows if r["pair"] and x["pair"] == r["pair"]] or [r]
        out += mates
        done |= {x["id"] for x in mates}
    return out


def filter_targets(rows: list[dict], f) -> list[dict]:
    """The filters that mean something for a province/industry target: industry, period, year, plan,
    province. (Kinds, search text and revenue thresholds judge map elements, not these.)"""
    keep = []
    for r in rows:
        if f.industry and not set(f.industry) & set(r["industries"]):
            continue
        if f.period and r["plan_period"] not in f.period:
            continue
        if f.year and not in_period(f.year, r["plan_period"]):
            continue
        if f.plan and r["plan_number"] not in f.plan:
            continue
        if f.province and r["province"] not in f.province:
            continue
        keep.append(r)
    return keep


def to_csv(rows: list[dict]) -> str:
    """CSV (UTF-8 with BOM for spreadsheet programs); industries joined by '|'."""
    df = pd.DataFrame([{**r, "industries": "|".join(r["industries"])} for r in rows], columns=list(COLUMNS))
    df["year"] = df["year"].astype("Int64")  # a target with no stated year stays empty, not 2015.0
    df["value_yi"] = df["value_yi"].map(lambda v: f"{v:.12g}")
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return "\ufeff" + buf.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps([{k: r[k] for k in COLUMNS} for r in rows], ensure_ascii=False, indent=1)


# --- words -----------------------------------------------------------------------
def _yi(value: float, lang: str) -> str:
    return f"{value:,.12g} {'(100m yuan)' if lang == 'en' else '亿元'}"


def target_lines(row, lang: str = "zh") -> list[str]:
    """An element's revenue targets as the details panel lists them: its own figures first, then any
    tier floor it shares with its group, said to be one ("≥100 亿元，所列41个县域特色产业集群的层级目标")."""
    en = lang == "en"
    targets = list(row["revenue_targets"])
    own = [t for t in targets if t.get("scope", "element") == "element"]
    tiers = [t for t in targets if t.get("scope") == "tier"]
    lines = [
        f"{metric_label(t['metric'], lang)} {t['value_yi']:g} {'100m yuan' if en else '亿元'}"
        + (f" ({t['year']})" if t["year"] else "")
        for t in own
    ]
    for t in tiers:
        when = "，".join(x for x in (metric_label(t["metric"], lang), str(t["year"] or "")) if x)
        if en:
            lines.append(
                f"≥ {t['value_yi']:g} (100m yuan), tier of {t['group_en'] or t['group']}"
                + (f" ({when.replace('，', ', ')})" if when else "")
            )
        else:
            lines.append(f"≥{t['value_yi']:g} 亿元，{t['group']}的层级目标" + (f"（{when}）" if when else ""))
    return lines


def _plan_label(vocab, number: str, lang: str) -> str:
    p = vocab.plan(number)
    return f"{number} {p['short_en' if lang == 'en' else 'short']}"


def _subject(r: dict, lang: str) -> str:
    return (r["subject_en"] or r["subject"]) if lang == "en" else r["subject"]


def _industries(r: dict, vocab, lang: str) -> str:
    return (", " if lang == "en" else "、").join(
        vocab.industry(c)["en" if lang == "en" else "zh"] for c in r["industries"]
    )


# --- the card --------------------------------------------------------------------------
HEAD = (
    ("plan", "规划", "Plan"),
    ("period", "规划期", "Period"),
    ("subject", "目标对象", "Subject"),
    ("industries", "产业", "Industries"),
    ("value", "目标值（亿元）", "Target (100m yuan)"),
    ("year", "年份", "Year"),
    ("metric", "指标", "Metric"),
    ("quote", "规划原文", "The plan's words"),
)


def targets_table(rows: list[dict], vocab, lang: str = "zh") -> html.Table:
    """Every target with its verbatim quote; the two figures of a pair carry the same mark."""
    en = lang == "en"
    pair_note = "one target, two figures in the plan" if en else "同一目标，规划给出两个数字"
    body = []
    for r in rows:
        subject = [_subject(r, lang)]
        if r["pair"]:
            subject += [
                " ",
                html.Span("⇄", className="target-pair", title=pair_note, **{"aria-label": pair_note}),
            ]
        body.append(
            html.Tr(
                className="target-row pair" if r["pair"] else "target-row",
                **{"data-target": r["id"], "data-pair": r["pair"]},
                children=[
                    html.Td(_plan_label(vocab, r["plan_number"], lang)),
                    html.Td(r["plan_period"]),
                    html.Td(subject),
                    html.Td(_industries(r, vocab, lang)),
                    html.Td(f"{r['value_yi']:,.12g}", className="num"),
                    html.Td(str(r["year"]) if r["year"] else "—"),
                    html.Td(metric_label(r["metric"], lang)),
                    html.Td(html.Q(r["quote"], className="target-quote", lang="zh")),
                ],
            )
        )
    return html.Table(
        id="targets-table",
        className="targets-table",
        children=[
            html.Caption(
                f"{len(rows)} {'targets' if en else '项目标'}"
                + (f" · ⇄ {pair_note}" if any(r["pair"] for r in rows) else "")
            ),
            html.Thead(html.Tr([html.Th(en_ if en else zh, scope="col") for _, zh, en_ in HEAD])),
            html.Tbody(body),
        ],
    )


def targets_chart(rows: list[dict], vocab, lang: str = "zh") -> html.Figure:
    """Industry targets by size, as HTML bars (as layers/charts.py): plan and industry on each bar."""
    en = lang == "en"
    items = sorted((r for r in rows if r["scope"] == "industry"), key=lambda r: -r["value_yi"])
    top = max((r["value_yi"] for r in items), default=0)
    bars = [
        html.Li(
            className="bar-row",
            children=[
                html.Span(
                    f"{r['plan_number']} {_subject(r, lang)}" + (" ⇄" if r["pair"] else ""),
                    className="bar-label",
                ),
                html.Span(
                    className="bar-track",
                    children=html.Span(
                        className="bar",
                        style={
                            "width": f"{100 * r['value_yi'] / top:.1f}%" if top else "0",
                            "background": "#6b7b8c",
                        },
                    ),
                ),
                html.Span(f"{r['value_yi']:,.12g}", className="bar-value"),
            ],
        )
        for r in items[:MAX_BARS]
    ]
    more = len(items) - MAX_BARS
    return html.Figure(
        id="targets-chart",
        className="bars",
        children=[
            html.Figcaption("Industry targets (100m yuan)" if en else "行业目标（亿元）"),
            html.Ol(bars, className="bar-list") if bars else html.P("—"),
            html.P(f"+{more}", className="bar-more") if more > 0 else None,
        ],
    )


def targets_view(rows: list[dict], vocab, lang: str = "zh") -> list:
    """The page's targets card: heading, chart, table (or a line saying none match)."""
    from layers.i18n import t

    en = lang == "en"
    if not rows:
        return [
            html.H2(t("targets", lang), id="targets-heading"),
            html.P(
                "No province or industry target matches the filters."
                if en
                else "没有符合筛选条件的省级或行业目标。",
                id="targets-empty",
            ),
        ]
    return [
        html.H2(t("targets", lang), id="targets-heading"),
        targets_chart(rows, vocab, lang),
        targets_table(rows, vocab, lang),
    ]
