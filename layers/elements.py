"""Plan records + boundaries -> one GeoDataFrame of map elements.

Points (bases, parks, clusters ...) sit at the representative point of each
county they name, or of the prefecture when no county is named; `point_units`
names the unit of each point. Where each mark is drawn (`mark_lon`, `mark_lat`),
packed with the other marks of its unit and kept inside it, comes from
layers/placement.py. Belts, zones
and groups are the union of their units; axes and corridors are a line through
their units' representative points, in the order the record lists them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint

from geodata.records import LINE_KINDS, POINT_KINDS


class UnitGeometry:
    """Look up polygons and label points of gazetteer units."""

    def __init__(self, boundaries: dict[str, gpd.GeoDataFrame]):
        self.poly, self.point = {}, {}
        for _, r in boundaries["provinces"].iterrows():
            self.poly[r["name"]] = r.geometry
            self.point[r["name"]] = (r["label_lon"], r["label_lat"])
        for _, r in boundaries["prefectures"].iterrows():
            self.poly[r["name"]] = r.geometry
            self.point[r["name"]] = (r["label_lon"], r["label_lat"])
        for _, r in boundaries["counties"].iterrows():
            key = f"{r['prefecture']}/{r['name']}"
            self.poly[key] = r.geometry
            self.point[key] = (r["label_lon"], r["label_lat"])

    def most_precise(self, units) -> list:
        """Drop a prefecture or province when a unit inside it is also named."""
        counties = {u.prefecture for u in units if u.level == "county"}
        prefs = {u.province for u in units if u.level in ("county", "prefecture")}
        keep = [
            u
            for u in units
            if not (u.level == "prefecture" and u.name in counties)
            and not (u.level == "province" and u.name in prefs)
        ]
        return list(dict.fromkeys(keep))

    def geometry(self, kind: str, units) -> shapely.Geometry:
        if kind in POINT_KINDS:
            return MultiPoint([self.point[u.key] for u in self.most_precise(units)])
        if kind in LINE_KINDS and len(units) >= 2:
            return LineString([self.point[u.key] for u in units])
        return shapely.union_all([self.poly[u.key] for u in units])


def _search_text(rec: dict, labels: dict) -> str:
    parts = [
        rec["name"],
        rec.get("name_en") or "",
        *rec["places"],
        *rec["places_as_written"],
        *rec["prefectures"],
        *rec["counties"],
        *rec["industry_terms"],
        *(labels[c] for c in rec["industries"]),
        *rec["industries"],
    ]
    return " ".join(parts).lower()


def build_elements(dataset, boundaries: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """One row per record, with geometry, derived figures and a search column."""
    geo = UnitGeometry(boundaries)
    labels = {i["code"]: f"{i['zh']} {i['en']}" for i in dataset.industries}
    zh = {i["code"]: i["zh"] for i in dataset.industries}
    rows, geoms = [], []
    for rec in dataset.records:
        start, end = (int(x) for x in rec["plan_period"].split("-"))
        # a tier floor (set for a group the element belongs to) never stands in for the element's own target
        targets = [
            t for t in rec["revenue_targets"] if t["value_yi"] and t.get("scope", "element") == "element"
        ]
        top = max(targets, key=lambda t: t["value_yi"]) if targets else None
        tiers = [t for t in rec["revenue_targets"] if t["value_yi"] and t.get("scope") == "tier"]
        tier = max(tiers, key=lambda t: t["value_yi"]) if tiers else None
        geom = geo.geometry(rec["kind"], rec["units"])
        rows.append(
            {
                "id": rec["id"],
                "name": rec["name"],
                "name_en": rec["name_en"],
                "kind": rec["kind"],
                "plan": rec["plan"],
                "plan_number": rec["plan_number"],
                "plan_period": rec["plan_period"],
                "period_start": start,
                "period_end": end,
                "horizon": rec["horizon"],
                "province": rec["province"],
                "prefectures": rec["prefectures"],
                "counties": rec["counties"],
                "places": rec["places"],
                "places_as_written": rec["places_as_written"],
                "industries": rec["industries"],
                "industry_labels": [zh[c] for c in rec["industries"]],
                "industry_terms": rec["industry_terms"],
                "primary_industry": rec["industries"][0] if rec["industries"] else "",
                "revenue_yi": top["value_yi"] if top else np.nan,
                "revenue_metric": top["metric"] if top else "",
                "target_year": top["year"] if top and top["year"] else None,
                "tier_yi": tier["value_yi"] if tier else np.nan,
                "tier_group": tier["group"] if tier else "",
                "tier_group_en": (tier.get("group_en") or "") if tier else "",
                "revenue_targets": rec["revenue_targets"],
                "quote": rec["quote"],
                "more_quotes": rec["more_quotes"],
                "section": rec["section"] or "",
                "precision": rec["precision"],
                "composition_source": rec["composition_source"],
                "composition_reference": rec["composition_reference"] or "",
                "note": rec["note"] or "",
                "tags": rec["tags"],
                "lineage": rec.get("lineage") or "",
                "search_text": _search_text(rec, labels),
                # elements composed of the same units share one drawn shape (sent once)
                "shape_key": "|".join(sorted(u.key for u in rec["units"])),
                # the unit of each point of the MultiPoint, in the same order (placement keeps marks inside it)
                "point_units": [u.key for u in geo.most_precise(rec["units"])]
                if rec["kind"] in POINT_KINDS
                else [],
                "drawn_as": "point"
                if rec["kind"] in POINT_KINDS
                else ("line" if geom.geom_type == "LineString" else "area"),
            }
        )
        geoms.append(geom)
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    rep = gdf.geometry.representative_point()
    gdf["lon"], gdf["lat"] = rep.x.round(4), rep.y.round(4)
    gdf["mark_lon"], gdf["mark_lat"] = _mark_positions(gdf, boundaries)
    return gdf


def _mark_positions(gdf: gpd.GeoDataFrame, boundaries) -> tuple[list, list]:
    """Where each point of each element is drawn (lists parallel to point_units), laid out once here."""
    from layers.placement import place_marks  # placement builds on UnitGeometry above

    marks = place_marks(gdf, boundaries)
    lons, lats = [[] for _ in range(len(gdf))], [[] for _ in range(len(gdf))]
    for k, lon, lat in zip(marks["row"], marks["lon"].round(4), marks["lat"].round(4)):
        lons[k].append(float(lon))
        lats[k].append(float(lat))
    return lons, lats
