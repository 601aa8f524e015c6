"""The data contract: filtered elements as table rows, CSV and GeoJSON (page downloads and `export-data`)."""
from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import shapely

CONTRACT_FIELDS = ("id", "name", "name_en", "kind", "plan", "plan_period", "province", "prefectures",
                   "counties", "industries", "industry_labels", "revenue_target_yi", "revenue_metric",
                   "target_year", "tier_floor_yi", "tier_group", "quote", "precision", "composition_source",
                   "composition_reference", "section", "places_as_written", "lineage")
LIST_FIELDS = ("prefectures", "counties", "industries", "industry_labels", "places_as_written")


def _yi(value) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def contract_records(elements: pd.DataFrame) -> list[dict]:
    """One dict per element with exactly CONTRACT_FIELDS (lists stay lists, NaN becomes None)."""
    out = []
    for r in elements.itertuples(index=False):
        d = r._asdict()
        rev = d["revenue_yi"]
        d["revenue_target_yi"] = _yi(rev)  # the element's own target only
        d["tier_floor_yi"] = _yi(d["tier_yi"])  # a floor set for a group it belongs to
        d["target_year"] = int(d["target_year"]) if d["target_year"] and not pd.isna(d["target_year"]) else None
        out.append({k: (list(d[k]) if k in LIST_FIELDS else d[k]) for k in CONTRACT_FIELDS})
    return out


def to_csv(elements: pd.DataFrame) -> str:
    """CSV with list fields joined by '|' (UTF-8 with BOM so spreadsheet programs read Chinese)."""
    rows = contract_records(elements)
    df = pd.DataFrame(rows, columns=list(CONTRACT_FIELDS))
    for k in LIST_FIELDS:
        df[k] = df[k].map(lambda v: "|".join(v))
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return "\ufeff" + buf.getvalue()


def to_geojson(elements: pd.DataFrame) -> str:
    feats = []
    for props, geom in zip(contract_records(elements), elements.geometry.values):
        feats.append({"type": "Feature", "id": props["id"], "properties": props,
                      "geometry": json.loads(shapely.to_geojson(shapely.set_precision(geom, 1e-5)))})
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)


def grid_rows(elements: pd.DataFrame, vocab, lang: str = "zh") -> list[dict]:
    """Rows for the page's table: short, display-ready strings."""
    from layers.i18n import KIND_LABELS, label

    sep = ", " if lang == "en" else "、"
    rows = []
    for r in elements.itertuples(index=False):
        rows.append({
            "id": r.id, "name": r.name_en if lang == "en" and r.name_en else r.name,
            "kind": label(KIND_LABELS, r.kind, lang),
            "plan": next(p for p in vocab.plans if p["file"] == r.plan)["short_en" if lang == "en" else "short"],
            "period": r.plan_period, "prefectures": sep.join(r.prefectures), "counties": sep.join(r.counties),
            "industries": sep.join(vocab.industry(c)["en" if lang == "en" else "zh"] for c in r.industries),
            "revenue": None if np.isnan(r.revenue_yi) else float(r.revenue_yi),
        })
    return rows
