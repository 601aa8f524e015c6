"""The map figure: one pure function serves the page, the snapshot and the command line.

The figure's traces come in two blocks:
- base traces (N_BASE of them): neighbouring provinces, prefectures, county
  borders, province borders, labels. They carry all the geometry and are sent
  to the browser once.
- element slots (a fixed list, see `element_slots`): area kinds, line kinds, one
  point trace per industry, kind and size legend keys, the highlight. A filter
  change rebuilds only these and patches them into place (dash.Patch), so the
  boundaries never travel again.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from layers import style
from layers.elements import spread_points
from layers.i18n import KIND_LABELS, label, t

BASE_TRACES = ("context", "prefectures", "counties", "province_borders", "prefecture_labels", "context_labels")
N_BASE = len(BASE_TRACES)
AREA_ORDER = ("zone", "belt", "group")
LINE_ORDER = ("axis", "corridor")
POINT_KIND_ORDER = ("base", "park", "new_area", "cluster", "city_role", "project")
DEFAULT_LAYERS = ("labels", "context")  # county borders are off until asked for
DEFAULT_RANGE = {"lon": (109.6, 121.2), "lat": (31.0, 43.0)}


@dataclass(frozen=True)
class MapOptions:
    lang: str = "zh"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    selected: str | None = None           # element id
    selected_prefecture: str | None = None
    view: tuple[float, float, float, float] | None = None  # lon0, lat0, lon1, lat1
    height: int | None = None
    font_scale: float = 1.0
    extra: dict = field(default_factory=dict)


def _rings(geom) -> tuple[list, list]:
    """Exterior and interior rings of (multi)polygons as None-separated lon/lat lists."""
    lons, lats = [], []
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            lons += [*xy[:, 0].tolist(), None]
            lats += [*xy[:, 1].tolist(), None]
    return lons, lats


def _lines_of(geoms) -> tuple[list, list]:
    lons, lats = [], []
    for g in geoms:
        lo, la = _rings(g)
        lons += lo
        lats += la
    return lons, lats


def _geojson(gdf: gpd.GeoDataFrame, id_col: str, grid: float = 1e-3) -> dict:
    """Features with rounded coordinates (1e-3 degree ~ 100 m: invisible at province scale)."""
    geoms = shapely.set_precision(gdf.geometry.values, grid)
    feats = [{"type": "Feature", "id": str(i), "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
             for i, g in zip(gdf[id_col], geoms)]
    return {"type": "FeatureCollection", "features": feats}


_BASE_CACHE: dict = {}


def _base_geometry(boundaries: dict[str, gpd.GeoDataFrame]) -> dict:
    """Geometry of the base map, computed once per boundaries object (read-only afterwards)."""
    key = id(boundaries["prefectures"])
    if key not in _BASE_CACHE:
        prov = boundaries["provinces"]
        outline = prov[(prov["role"] == "focus") | prov["name"].isin(["北京市", "天津市"])]
        _BASE_CACHE[key] = {
            "context": _geojson(prov[prov["role"] == "context"], "name"),
            "prefectures": _geojson(boundaries["prefectures"], "name"),
            "counties": _lines_of(shapely.set_precision(boundaries["counties"].geometry.values, 1e-3)),
            "borders": _lines_of(shapely.set_precision(outline.geometry.values, 1e-3)),
        }
    return _BASE_CACHE[key]


def county_lines(boundaries) -> tuple[list, list]:
    """County borders as lon/lat lists (patched in when the layer is switched on)."""
    return _base_geometry(boundaries)["counties"]


def _name(row, lang: str) -> str:
    return row["name_en"] if lang == "en" and row.get("name_en") else row["name"]


# --- base map ----------------------------------------------------------------
def base_traces(boundaries: dict[str, gpd.GeoDataFrame], opts: MapOptions) -> list:
    lang, fs = opts.lang, opts.font_scale
    prov = boundaries["provinces"]
    ctx = prov[prov["role"] == "context"]
    focus = prov[prov["role"] == "focus"]
    prefs = boundaries["prefectures"]
    counties = boundaries["counties"]
    show_ctx = "context" in opts.layers

    geom = _base_geometry(boundaries)
    context = go.Choropleth(
        geojson=geom["context"], locations=ctx["name"].tolist(), z=[0] * len(ctx),
        colorscale=[[0, style.CONTEXT_FILL], [1, style.CONTEXT_FILL]], showscale=False,
        marker_line_color=style.CONTEXT_LINE, marker_line_width=0.8, hoverinfo="skip",
        name="context", visible=show_ctx, showlegend=False)
    z = [1 if n == opts.selected_prefecture else 0 for n in prefs["name"]]
    pref_names = [f"{_name(r, lang)}" for _, r in prefs.iterrows()]
    prefectures = go.Choropleth(
        geojson=geom["prefectures"], locations=prefs["name"].tolist(), z=z, zmin=0, zmax=1,
        colorscale=[[0, style.PREFECTURE_FILL], [1, style.PREFECTURE_SELECTED_FILL]], showscale=False,
        marker_line_color=style.PREFECTURE_LINE, marker_line_width=0.7,
        customdata=[[f"pref:{n}"] for n in prefs["name"]], text=pref_names,
        hovertemplate="%{text}<extra></extra>", name="prefectures", showlegend=False)
    clon, clat = geom["counties"] if "counties" in opts.layers else ([], [])
    county_lines = go.Scattergeo(
        lon=clon, lat=clat, mode="lines", line=dict(color=style.COUNTY_LINE, width=0.5),
        hoverinfo="skip", name="counties", showlegend=False, visible="counties" in opts.layers)
    plon, plat = geom["borders"]
    borders = go.Scattergeo(lon=plon, lat=plat, mode="lines", line=dict(color=style.PROVINCE_LINE, width=1.3),
                            hoverinfo="skip", name="province_borders", showlegend=False)
    labels = go.Scattergeo(
        lon=prefs["label_lon"], lat=prefs["label_lat"], mode="text", text=pref_names,
        textfont=dict(size=11 * fs, color=style.LABEL_COLOUR), hoverinfo="skip",
        name="prefecture_labels", showlegend=False, visible="labels" in opts.layers)
    ctx_lab = prov[prov["role"] == "context"]
    ctx_labels = go.Scattergeo(
        lon=ctx_lab["label_lon"], lat=ctx_lab["label_lat"], mode="text",
        text=[_name(r, lang) for _, r in ctx_lab.iterrows()],
        textfont=dict(size=12 * fs, color=style.CONTEXT_LABEL_COLOUR), hoverinfo="skip",
        name="context_labels", showlegend=False, visible=show_ctx)
    return [context, prefectures, county_lines, borders, labels, ctx_labels]


# --- plan elements -----------------------------------------------------------
def _hover(row, vocab, lang: str) -> str:
    plan = next(p for p in vocab.plans if p["file"] == row["plan"])
    places = "、".join(row["counties"] or row["prefectures"] or row["places"])
    inds = ("; " if lang == "en" else "、").join(
        vocab.industry(c)["en" if lang == "en" else "zh"] for c in row["industries"])
    target = ""
    if not np.isnan(row["revenue_yi"]):
        unit = "100m yuan" if lang == "en" else "亿元"
        year = f" ({row['target_year']})" if row["target_year"] else ""
        target = f"<br>{row['revenue_metric']} {row['revenue_yi']:g} {unit}{year}"
    return (f"<b>{_name(row, lang)}</b><br>{label(KIND_LABELS, row['kind'], lang)} · "
            f"{plan['short_en' if lang == 'en' else 'short']} · {row['plan_period']}"
            f"<br>{places}" + (f"<br>{inds}" if inds else "") + target)


def element_slots(vocab) -> list[tuple[str, str]]:
    """The fixed list of element trace slots: (role, key). Same for every figure."""
    slots = [("area", k) for k in AREA_ORDER] + [("line", k) for k in LINE_ORDER]
    slots += [("points", i["code"]) for i in vocab.industries] + [("points", "")]
    slots += [("kind_key", k) for k in POINT_KIND_ORDER]
    slots += [("size_key", str(v)) for v in style.SIZE_LEGEND_TIERS]
    slots += [("highlight", "")]
    return slots


_AREA_CACHE: dict = {}


def _area_geojson(elements: pd.DataFrame, kind: str) -> dict:
    """All areas of one kind, shown or not: sent once; a filter change only changes `locations`."""
    key = (id(elements), kind)
    if key not in _AREA_CACHE:
        sub = elements[_area_rows(elements, kind)].drop_duplicates("shape_key")
        sub = sub.set_geometry(sub.geometry.simplify(0.03, preserve_topology=True))  # ~3 km: invisible at province scale
        _AREA_CACHE[key] = _geojson(sub, "shape_key", 5e-3)
    return _AREA_CACHE[key]


def _area_rows(df: pd.DataFrame, kind: str) -> pd.Series:
    # an axis or corridor with a single unit cannot be a line: it is drawn with the zones
    kinds = (kind,) + (LINE_ORDER if kind == "zone" else ())
    return df["drawn_as"].eq("area") & df["kind"].isin(kinds)


AREA_PATCH_KEYS = ("locations", "z", "customdata", "text", "showlegend")


def element_traces(elements: pd.DataFrame, mask: np.ndarray, vocab, opts: MapOptions) -> list:
    """Traces for the filtered elements, one per slot of `element_slots` (empty slots stay hidden).

    Area slots carry the geometry of every area of their kind (constant, so a
    patch can leave it in the browser); only AREA_PATCH_KEYS change with filters.
    """
    lang = opts.lang
    shown = elements[mask]
    colours = style.industry_colours([i["code"] for i in vocab.industries])
    ind_name = {i["code"]: i["en" if lang == "en" else "zh"] for i in vocab.industries}
    traces = []
    kinds_shown = set(shown["kind"])

    for kind in AREA_ORDER:
        sub = shown[_area_rows(shown, kind)]
        colour = style.AREA_COLOURS[kind]
        traces.append(go.Choropleth(
            geojson=_area_geojson(elements, kind),
            locations=sub["shape_key"].tolist(), z=[1] * len(sub), zmin=0, zmax=1,
            colorscale=[[0, colour], [1, colour]], showscale=False, marker_opacity=style.AREA_OPACITY,
            marker_line_color=colour, marker_line_width=1.2,
            customdata=[[i] for i in sub["id"]], text=[_hover(r, vocab, lang) for _, r in sub.iterrows()],
            hovertemplate="%{text}<extra></extra>", name=label(KIND_LABELS, kind, lang),
            legendgroup="areas", legendgrouptitle_text=t("legend_area", lang),
            showlegend=len(sub) > 0, visible=True))
    for kind in LINE_ORDER:
        sub = shown[shown["kind"].eq(kind) & shown["drawn_as"].eq("line")]
        lons, lats, ids, texts = [], [], [], []
        for _, r in sub.iterrows():
            xy = np.asarray(r.geometry.coords)
            hover = _hover(r, vocab, lang)
            lons += [*xy[:, 0].round(4).tolist(), None]
            lats += [*xy[:, 1].round(4).tolist(), None]
            ids += [r["id"]] * len(xy) + [None]
            texts += [hover] * len(xy) + [None]
        traces.append(go.Scattergeo(
            lon=lons, lat=lats, mode="lines+markers", line=dict(color=style.LINE_COLOURS[kind], width=4),
            marker=dict(size=7, color=style.LINE_COLOURS[kind]), opacity=0.85,
            customdata=[[i] for i in ids], text=texts, hovertemplate="%{text}<extra></extra>",
            name=label(KIND_LABELS, kind, lang), legendgroup="areas",
            legendgrouptitle_text=t("legend_area", lang), showlegend=len(sub) > 0))

    points = shown[shown["drawn_as"].eq("point")]
    rows = []
    for _, r in points.iterrows():
        for p in getattr(r.geometry, "geoms", [r.geometry]):
            rows.append((r, p.x, p.y))
    lons = np.array([x for _, x, _ in rows]) if rows else np.array([])
    lats = np.array([y for _, _, y in rows]) if rows else np.array([])
    if rows:
        lons, lats = spread_points(lons, lats)
    for code in [i["code"] for i in vocab.industries] + [""]:
        idx = [k for k, (r, _, _) in enumerate(rows) if r["primary_industry"] == code]
        sel = [rows[k][0] for k in idx]
        traces.append(go.Scattergeo(
            lon=lons[idx].round(4).tolist() if idx else [], lat=lats[idx].round(4).tolist() if idx else [],
            mode="markers",
            marker=dict(color=colours.get(code, style.NO_INDUSTRY_COLOUR),
                        size=[style.marker_size(r["revenue_yi"]) for r in sel],
                        symbol=[style.KIND_SYMBOLS[r["kind"]] for r in sel],
                        line=dict(color="white", width=0.8), opacity=0.92),
            customdata=[[r["id"]] for r in sel], text=[_hover(r, vocab, lang) for r in sel],
            hovertemplate="%{text}<extra></extra>",
            name=ind_name.get(code, "—"),
            legendgroup="industries", legendgrouptitle_text=t("legend_industry", lang),
            showlegend=bool(idx)))
    for kind in POINT_KIND_ORDER:  # legend keys: symbols in neutral grey, no data
        traces.append(go.Scattergeo(
            lon=[None], lat=[None], mode="markers",
            marker=dict(symbol=style.KIND_SYMBOLS[kind], color="#777777", size=10),
            name=label(KIND_LABELS, kind, lang), legendgroup="kinds",
            legendgrouptitle_text=t("legend_kind", lang), showlegend=kind in kinds_shown, hoverinfo="skip"))
    has_target = points["revenue_yi"].notna().any() if len(points) else False
    for tier in style.SIZE_LEGEND_TIERS:
        traces.append(go.Scattergeo(
            lon=[None], lat=[None], mode="markers",
            marker=dict(symbol="circle-open", color="#555555", size=style.marker_size(tier)),
            name=f"{tier:,}", legendgroup="sizes", legendgrouptitle_text=t("legend_size", lang),
            showlegend=bool(has_target), hoverinfo="skip"))
    traces.append(highlight_trace(elements, opts.selected))
    return traces


def highlight_trace(elements: pd.DataFrame, selected: str | None) -> go.Scattergeo:
    """A ring around the selected element's points, or its outline for areas and lines."""
    lons, lats, mode = [], [], "markers"
    row = elements[elements["id"] == selected] if selected else elements.iloc[0:0]
    if len(row):
        g = row.geometry.iloc[0]
        if g.geom_type in ("Polygon", "MultiPolygon"):
            lons, lats = _rings(g)
            mode = "lines"
        elif g.geom_type == "LineString":
            xy = np.asarray(g.coords)
            lons, lats, mode = xy[:, 0].tolist(), xy[:, 1].tolist(), "lines"
        else:
            lons = [p.x for p in getattr(g, "geoms", [g])]
            lats = [p.y for p in getattr(g, "geoms", [g])]
    return go.Scattergeo(lon=lons, lat=lats, mode=mode, name="highlight", showlegend=False,
                         hoverinfo="skip",
                         marker=dict(size=26, symbol="circle-open", color=style.HIGHLIGHT, line=dict(width=3)),
                         line=dict(color=style.HIGHLIGHT, width=3))


# --- layout ------------------------------------------------------------------
def view_ranges(view) -> dict:
    if not view:
        return {"lon": DEFAULT_RANGE["lon"], "lat": DEFAULT_RANGE["lat"]}
    lon0, lat0, lon1, lat1 = view
    return {"lon": (lon0, lon1), "lat": (lat0, lat1)}


def layout(opts: MapOptions) -> dict:
    rng = view_ranges(opts.view)
    fs = opts.font_scale
    return dict(
        font=dict(family=style.FONT_FAMILY, size=12 * fs, color="#222"),
        margin=dict(l=0, r=0, t=0, b=0), paper_bgcolor="white", height=opts.height,
        uirevision="map",  # keep the user's zoom across filter changes
        clickmode="event", hoverlabel=dict(font_family=style.FONT_FAMILY, bgcolor="white"),
        legend=dict(x=1.0, xanchor="right", y=1.0, yanchor="top", bgcolor="rgba(255,255,255,0.85)",
                    bordercolor="#ddd", borderwidth=1, font=dict(size=11 * fs), groupclick="toggleitem",
                    itemsizing="trace", tracegroupgap=6),
        geo=dict(projection_type="mercator", visible=False, fitbounds=False,
                 lonaxis_range=list(rng["lon"]), lataxis_range=list(rng["lat"]),
                 bgcolor="white", showframe=False),
    )


def build_figure(elements: pd.DataFrame, shown_mask: np.ndarray, boundaries, vocab,
                 opts: MapOptions = MapOptions()) -> go.Figure:
    """The whole map for the elements `shown_mask` selects."""
    fig = go.Figure(data=base_traces(boundaries, opts) + element_traces(elements, shown_mask, vocab, opts))
    fig.update_layout(**layout(opts))
    return fig
