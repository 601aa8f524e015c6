"""The data contract: filtered elements as table rows, CSV and GeoJSON (page downloads and `export-data`)."""

from __future__ import annotations

import io
import json
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from layers.display import display_name, fmt_number, fmt_year, plain_number

# `name` is the name as shown (&8226; artefacts cleaned), `name_as_written` the record's own;
# `plan` is the text file, `plan_number` / `plan_title` / `plan_title_en` say which plan it is
CONTRACT_FIELDS = (
    "id",
    "name",
    "name_as_written",
    "name_en",
    "kind",
    "plan",
    "plan_number",
    "plan_title",
    "plan_title_en",
    "plan_period",
    "province",
    "prefectures",
    "counties",
    "industries",
    "industry_labels",
    "revenue_target_yi",
    "revenue_metric",
    "target_year",
    "tier_floor_yi",
    "tier_group",
    "quote",
    "precision",
    "composition_source",
    "composition_reference",
    "section",
    "places_as_written",
    "lineage",
)
LIST_FIELDS = ("prefectures", "counties", "industries", "industry_labels", "places_as_written")


@lru_cache(maxsize=1)
def _plans() -> dict[str, dict]:
    from geodata.records import load_plans

    return load_plans()


def _yi(value) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def contract_records(elements: pd.DataFrame) -> list[dict]:
    """One dict per element with exactly CONTRACT_FIELDS (lists stay lists, NaN becomes None)."""
    out = []
    plans = _plans()
    for r in elements.itertuples(index=False):
        d = r._asdict()
        plan = plans.get(d["plan_number"], {})
        d.update(
            name=display_name(d),
            name_as_written=d["name"],
            plan_title=plan.get("title", ""),
            plan_title_en=plan.get("title_en", ""),
        )
        rev = d["revenue_yi"]
        d["revenue_target_yi"] = _yi(rev)  # the element's own target only
        d["tier_floor_yi"] = _yi(d["tier_yi"])  # a floor set for a group it belongs to
        d["target_year"] = (
            int(d["target_year"]) if d["target_year"] and not pd.isna(d["target_year"]) else None
        )
        out.append({k: (list(d[k]) if k in LIST_FIELDS else d[k]) for k in CONTRACT_FIELDS})
    return out


def to_csv(elements: pd.DataFrame) -> str:
    """CSV with list fields joined by '|' (UTF-8 with BOM so spreadsheet programs read Chinese).

    Numbers as written: 2015 not 2015.0, 1000 not 1000.0 (a column with gaps would print floats)."""
    rows = contract_records(elements)
    df = pd.DataFrame(rows, columns=list(CONTRACT_FIELDS))
    for k in LIST_FIELDS:
        df[k] = df[k].map(lambda v: "|".join(v))
    df["target_year"] = [fmt_year(v) for v in df["target_year"]]
    df["revenue_target_yi"] = [plain_number(v) for v in df["revenue_target_yi"]]
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return "\ufeff" + buf.getvalue()


def to_geojson(elements: pd.DataFrame) -> str:
    feats = []
    for props, geom in zip(contract_records(elements), elements.geometry.values):
        feats.append(
            {
                "type": "Feature",
                "id": props["id"],
                "properties": props,
                "geometry": json.loads(shapely.to_geojson(shapely.set_precision(geom, 1e-5))),
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)


def grid_rows(elements: pd.DataFrame, vocab, lang: str = "zh", q: str = "") -> list[dict]:
    """Rows for the page's table: short, display-ready strings.

    With search text `q`: best matches first, and a `why` column ("named in the passage: …")."""
    from layers.i18n import KIND_LABELS, label

    why = None
    if q and q.strip():
        from layers.search import rank_order, search_table, why_text

        res = search_table(elements, q)
        order = rank_order(elements, q)
        elements = elements.iloc[order]
        why = [why_text(res, int(i), lang) for i in order]
    sep = ", " if lang == "en" else "、"
    rows = []
    for k, r in enumerate(elements.itertuples(index=False)):
        rows.append(
            {
                "id": r.id,
                "name": r.name_en if lang == "en" and r.name_en else display_name(r._asdict()),
                "kind": label(KIND_LABELS, r.kind, lang),
                "plan": next(p for p in vocab.plans if p["file"] == r.plan)[
                    "short_en" if lang == "en" else "short"
                ],
                "period": r.plan_period,
                "prefectures": sep.join(r.prefectures_en if lang == "en" else r.prefectures),
                "counties": sep.join(r.counties_en if lang == "en" else r.counties),
                "industries": sep.join(
                    vocab.industry(c)["en" if lang == "en" else "zh"] for c in r.industries
                ),
                "revenue": None
                if np.isnan(r.revenue_yi)
                else float(r.revenue_yi),  # a number: the grid sorts it
                "revenue_label": fmt_number(r.revenue_yi, lang),  # 1,000 for a formatter
            }
        )
        if why is not None:
            rows[-1]["why"] = why[k]
    return rows
