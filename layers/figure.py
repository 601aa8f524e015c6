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
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from geodata.kinds import AREA_KINDS, KINDS_BY_CODE, LINE_KINDS, POINT_KINDS
from layers import style
from layers.elements import spread_points
from layers.i18n import KIND_LABELS, label, t

BASE_TRACES = ("context", "prefectures", "counties", "province_borders", "prefecture_labels", "context_labels")
N_BASE = len(BASE_TRACES)
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


def _base_geometry(boundaries: dict[str, gpd.GeoDataFrame]) -> dict:
    """Geometry of the base map as the browser receives it."""
    prov = boundaries["provinces"]
    outline = prov[(prov["role"] == "focus") | prov["name"].isin(["北京市", "天津市"])]
    return {
        "context": _geojson(prov[prov["role"] == "context"], "name"),
        "prefectures": _geojson(boundaries["prefectures"], "name"),
        "counties": _lines_of(shapely.set_precision(boundaries["counties"].geometry.values, 1e-3)),
        "borders": _lines_of(shapely.set_precision(outline.geometry.values, 1e-3)),
    }


@dataclass(frozen=True)
class MapData:
    """Everything the figure functions need, prepared once per process from the store (read-only).

    Built before gunicorn forks (the store is loaded at start-up), shared by every request;
    a sub-table (tests, benchmarks) gets a MapData of its own, so no cache can hand one
    table's arrays to another."""

    elements: gpd.GeoDataFrame
    boundaries: dict
    vocab: object
    base: dict
    areas: dict          # kind -> geojson of every area of that kind
    prepared: dict       # lang -> per-element arrays (see _prepare)


def prepare_map(elements: gpd.GeoDataFrame, boundaries: dict, vocab) -> MapData:
    """Per-process figure data for one elements table (both languages)."""
    return MapData(elements, boundaries, vocab, _base_geometry(boundaries),
                   {kind: _area_geojson(elements, kind) for kind in AREA_KINDS},
                   {lang: _prepare(elements, vocab, lang) for lang in ("zh", "en")})


def county_lines(md: MapData) -> tuple[list, list]:
    """County borders as lon/lat lists (patched in when the layer is switched on)."""
    return md.base["counties"]


def _name(row, lang: str) -> str:
    return row["name_en"] if lang == "en" and row.get("name_en") else row["name"]


# --- base map ----------------------------------------------------------------
def base_traces(md: MapData, opts: MapOptions) -> list:
    lang = opts.lang
    boundaries = md.boundaries
    prov = boundaries["provinces"]
    ctx = prov[prov["role"] == "context"]
    prefs = boundaries["prefectures"]
    show_ctx = "context" in opts.layers

    geom = md.base
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
        textfont=dict(size=11, color=style.LABEL_COLOUR), hoverinfo="skip",
        name="prefecture_labels", showlegend=False, visible="labels" in opts.layers)
    ctx_lab = prov[prov["role"] == "context"]
    ctx_labels = go.Scattergeo(
        lon=ctx_lab["label_lon"], lat=ctx_lab["label_lat"], mode="text",
        text=[_name(r, lang) for _, r in ctx_lab.iterrows()],
        textfont=dict(size=12, color=style.CONTEXT_LABEL_COLOUR), hoverinfo="skip",
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
    slots = [("area", k) for k in AREA_KINDS] + [("line", k) for k in LINE_KINDS]
    slots += [("points", i["code"]) for i in vocab.industries] + [("points", "")]
    slots += [("kind_key", k) for k in POINT_KINDS]
    slots += [("size_key", str(v)) for v in style.SIZE_LEGEND_TIERS]
    slots += [("area_key", k) for k in AREA_KINDS]
    slots += [("highlight", "")]
    return slots


def slot_name(role: str, key: str) -> str:
    return f"{role}:{key}" if key else role


def trace_index(vocab) -> dict[str, int]:
    """Trace name -> its index in every figure: base traces by name, element slots as 'role:key'.

    Patches address traces through this, never by a bare number."""
    names = list(BASE_TRACES) + [slot_name(r, k) for r, k in element_slots(vocab)]
    return {n: i for i, n in enumerate(names)}


def _area_geojson(elements: pd.DataFrame, kind: str) -> dict:
    """All areas of one kind, shown or not: sent once; a filter change only changes `locations`."""
    sub = elements[_area_rows(elements, kind)].drop_duplicates("shape_key")
    sub = sub.set_geometry(sub.geometry.simplify(0.03, preserve_topology=True))  # ~3 km: invisible at province scale
    return _geojson(sub, "shape_key", 5e-3)


def _area_rows(df: pd.DataFrame, kind: str) -> pd.Series:
    # an axis or corridor with a single unit cannot be a line: it is drawn with the zones
    kinds = (kind,) + (LINE_KINDS if kind == "zone" else ())
    return df["drawn_as"].eq("area") & df["kind"].isin(kinds)


AREA_PATCH_KEYS = ("locations", "z", "customdata", "text", "showlegend", "colorscale")


def _prepare(elements: pd.DataFrame, vocab, lang: str) -> dict:
    """Per-element arrays computed once per elements table and language, so a filter change is array slicing."""
    codes = [i["code"] for i in vocab.industries]
    code_index = {c: k for k, c in enumerate(codes)}
    hover = np.array([_hover(r, vocab, lang) for _, r in elements.iterrows()], dtype=object)
    ids = elements["id"].to_numpy(dtype=object)
    elem, lon, lat = [], [], []
    for k, (g, how) in enumerate(zip(elements.geometry.values, elements["drawn_as"])):
        if how == "point":
            for p in getattr(g, "geoms", [g]):
                elem.append(k)
                lon.append(p.x)
                lat.append(p.y)
    elem = np.array(elem, dtype=int)
    primary = elements["primary_industry"].to_numpy(dtype=object)
    prep = {
        "hover": hover, "ids": ids, "kinds": elements["kind"].to_numpy(dtype=object),
        "shape_key": elements["shape_key"].to_numpy(dtype=object),
        "areas": {kind: _area_rows(elements, kind).to_numpy() for kind in AREA_KINDS},
        "lines": {kind: (elements["kind"].eq(kind) & elements["drawn_as"].eq("line")).to_numpy() for kind in LINE_KINDS},
        "line_xy": {k: np.asarray(g.coords).round(4) for k, (g, how) in
                    enumerate(zip(elements.geometry.values, elements["drawn_as"])) if how == "line"},
        "pt_elem": elem, "pt_lon": np.array(lon), "pt_lat": np.array(lat),
        "pt_code": np.array([code_index.get(primary[k], len(codes)) for k in elem], dtype=int),
        "pt_size": np.array([style.marker_size(v) for v in elements["revenue_yi"].to_numpy()[elem]]),
        "pt_symbol": np.array([KINDS_BY_CODE[elements["kind"].iat[k]].symbol for k in elem], dtype=object),
        "has_target": elements["revenue_yi"].notna().to_numpy(),
        "is_point": elements["drawn_as"].eq("point").to_numpy(),
    }
    return prep


# Above this many markers, co-located markers of one industry are merged into one (the plans' own
# data draws ~1,100; a dataset many times larger would otherwise send megabytes per filter change).
MARKER_BUDGET = 5000


def _cluster(prep: dict, pm: np.ndarray, lang: str) -> tuple[np.ndarray, np.ndarray]:
    """Merge markers that share a place and an industry: one marker (the largest), its hover saying how many."""
    keys = np.column_stack([np.round(prep["pt_lon"][pm], 3), np.round(prep["pt_lat"][pm], 3), prep["pt_code"][pm]])
    order = np.lexsort((-prep["pt_size"][pm], keys[:, 2], keys[:, 1], keys[:, 0]))  # largest first in each group
    sorted_keys = keys[order]
    starts = np.r_[0, np.nonzero(np.any(np.diff(sorted_keys, axis=0) != 0, axis=1))[0] + 1]
    counts = np.diff(np.r_[starts, len(order)])
    lead = pm[order[starts]]
    more = "<br>+{n} more here" if lang == "en" else "<br>此处另有 {n} 个要素"
    hover = prep["hover"][prep["pt_elem"][lead]].copy()
    for k in np.nonzero(counts > 1)[0]:
        hover[k] = hover[k] + more.format(n=counts[k] - 1)
    return lead, hover


def element_traces(md: MapData, mask: np.ndarray, opts: MapOptions) -> list[dict]:
    """Traces (plain dicts) for the filtered elements, one per slot of `element_slots`.

    Area slots carry the geometry of every area of their kind (constant, so a
    patch can leave it in the browser); only AREA_PATCH_KEYS change with filters.
    Plain dicts skip plotly's per-property validation: this runs on every filter change.
    """
    lang, vocab = opts.lang, md.vocab
    prep = md.prepared[lang]
    codes = [i["code"] for i in vocab.industries]
    colours = style.industry_colours(codes)
    names = [i["en" if lang == "en" else "zh"] for i in vocab.industries] + ["—"]
    traces: list[dict] = []

    shown_areas = sum(int((prep["areas"][kind] & mask).sum()) for kind in AREA_KINDS)
    fill_alpha = style.area_fill_alpha(shown_areas)
    for kind in AREA_KINDS:
        sel = prep["areas"][kind] & mask
        colour = KINDS_BY_CODE[kind].colour
        fill = style.rgba(colour, fill_alpha)
        traces.append(dict(
            type="choropleth", geojson=md.areas[kind], locations=prep["shape_key"][sel].tolist(),
            z=[1] * int(sel.sum()), zmin=0, zmax=1, colorscale=[[0, fill], [1, fill]], showscale=False,
            marker=dict(opacity=1, line=dict(color=style.rgba(colour, 0.55), width=1.0)),
            customdata=[[i] for i in prep["ids"][sel]], text=prep["hover"][sel].tolist(),
            hovertemplate="%{text}<extra></extra>", name=label(KIND_LABELS, kind, lang),
            showlegend=False))  # faded fills make faint swatches: the legend uses area_key traces
    for kind in LINE_KINDS:
        rows = np.nonzero(prep["lines"][kind] & mask)[0]
        lons, lats, ids, texts = [], [], [], []
        for k in rows:
            xy = prep["line_xy"][k]
            lons += [*xy[:, 0].tolist(), None]
            lats += [*xy[:, 1].tolist(), None]
            ids += [[prep["ids"][k]]] * len(xy) + [None]
            texts += [prep["hover"][k]] * len(xy) + [None]
        colour = KINDS_BY_CODE[kind].colour
        traces.append(dict(
            type="scattergeo", lon=lons, lat=lats, mode="lines+markers", line=dict(color=colour, width=4),
            marker=dict(size=7, color=colour), opacity=0.85, customdata=ids, text=texts,
            hovertemplate="%{text}<extra></extra>", name=label(KIND_LABELS, kind, lang), legendgroup="areas",
            legendgrouptitle=dict(text=t("legend_area", lang)), showlegend=bool(len(rows))))

    pm = np.nonzero(mask[prep["pt_elem"]])[0]
    hover = prep["hover"][prep["pt_elem"][pm]]
    if len(pm) > MARKER_BUDGET:
        pm, hover = _cluster(prep, pm, lang)
    lons, lats = spread_points(prep["pt_lon"][pm], prep["pt_lat"][pm])
    pcode, pelem = prep["pt_code"][pm], prep["pt_elem"][pm]
    psize, psym = prep["pt_size"][pm], prep["pt_symbol"][pm]
    for c, code in enumerate(codes + [""]):
        idx = np.nonzero(pcode == c)[0]
        el = pelem[idx]
        traces.append(dict(
            type="scattergeo", lon=lons[idx].round(4).tolist(), lat=lats[idx].round(4).tolist(), mode="markers",
            marker=dict(color=colours.get(code, style.NO_INDUSTRY_COLOUR), size=psize[idx].round(1).tolist(),
                        symbol=psym[idx].tolist(), line=dict(color="white", width=0.8), opacity=0.92),
            customdata=[[i] for i in prep["ids"][el]], text=hover[idx].tolist(),
            hovertemplate="%{text}<extra></extra>", name=names[c], legendgroup="industries",
            legendgrouptitle=dict(text=t("legend_industry", lang)), showlegend=bool(len(idx))))
    kinds_shown = set(prep["kinds"][mask])
    for kind in POINT_KINDS:  # legend keys: symbols in neutral grey, no data
        traces.append(dict(
            type="scattergeo", lon=[None], lat=[None], mode="markers",
            marker=dict(symbol=KINDS_BY_CODE[kind].symbol, color="#777777", size=10),
            name=label(KIND_LABELS, kind, lang), legendgroup="kinds",
            legendgrouptitle=dict(text=t("legend_kind", lang)), showlegend=kind in kinds_shown, hoverinfo="skip"))
    has_target = bool((prep["has_target"] & prep["is_point"] & mask).any())
    for tier in style.SIZE_LEGEND_TIERS:
        traces.append(dict(
            type="scattergeo", lon=[None], lat=[None], mode="markers",
            marker=dict(symbol="circle-open", color="#555555", size=style.marker_size(tier)),
            name=f"{tier:,}", legendgroup="sizes", legendgrouptitle=dict(text=t("legend_size", lang)),
            showlegend=has_target, hoverinfo="skip"))
    for kind in AREA_KINDS:  # legend keys for areas, in full colour whatever the fill's fading
        colour = KINDS_BY_CODE[kind].colour
        traces.append(dict(
            type="scattergeo", lon=[None], lat=[None], mode="markers",
            marker=dict(symbol="square", color=style.rgba(colour, 0.45), size=12, line=dict(color=colour, width=1)),
            name=label(KIND_LABELS, kind, lang), legendgroup="areas", legendrank=1,
            legendgrouptitle=dict(text=t("legend_area", lang)),
            showlegend=bool((prep["areas"][kind] & mask).any()), hoverinfo="skip"))
    traces.append(highlight_trace(md, opts.selected))
    for tr, (role, key) in zip(traces, element_slots(vocab)):
        tr["uid"] = slot_name(role, key)  # the trace's name for patches and tests
    return traces


def highlight_trace(md: MapData, selected: str | None) -> dict:
    """A ring around the selected element's points, or its outline for areas and lines."""
    elements = md.elements
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
    return dict(type="scattergeo", lon=lons, lat=lats, mode=mode, name="highlight", uid="highlight", showlegend=False,
                hoverinfo="skip", marker=dict(size=26, symbol="circle-open", color=style.HIGHLIGHT, line=dict(width=3)),
                line=dict(color=style.HIGHLIGHT, width=3))


# --- layout ------------------------------------------------------------------
def view_ranges(view) -> dict:
    if not view:
        return {"lon": DEFAULT_RANGE["lon"], "lat": DEFAULT_RANGE["lat"]}
    lon0, lat0, lon1, lat1 = view
    return {"lon": (lon0, lon1), "lat": (lat0, lat1)}


def _merc_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(view, width: int, height: int) -> tuple[float, float, float, float]:
    """Widen the view's shorter side so the map fills a width x height plot area (Mercator aspect)."""
    rng = view_ranges(view)
    (lon0, lon1), (lat0, lat1) = rng["lon"], rng["lat"]
    x_span = math.radians(lon1 - lon0)
    y_span = _merc_y(lat1) - _merc_y(lat0)
    want = width / height
    if x_span / y_span < want:  # too narrow: widen longitudes
        extra = math.degrees(y_span * want) - (lon1 - lon0)
        lon0, lon1 = lon0 - extra / 2, lon1 + extra / 2
    else:  # too flat: add latitude around the centre
        mid = (_merc_y(lat0) + _merc_y(lat1)) / 2
        half = x_span / want / 2
        lat0 = math.degrees(2 * math.atan(math.exp(mid - half)) - math.pi / 2)
        lat1 = math.degrees(2 * math.atan(math.exp(mid + half)) - math.pi / 2)
    return (round(lon0, 3), round(lat0, 3), round(lon1, 3), round(lat1, 3))


PAGE_ASPECT = (13, 10)  # the page's map area is about this wide for this tall on a laptop


def layout(opts: MapOptions) -> dict:
    rng = view_ranges(opts.view)
    return dict(
        font=dict(family=style.FONT_FAMILY, size=12, color="#222"),
        margin=dict(l=0, r=0, t=0, b=0), paper_bgcolor="white", height=opts.height,
        uirevision="map",  # keep the user's zoom across filter changes
        clickmode="event", hoverlabel=dict(font_family=style.FONT_FAMILY, bgcolor="white"),
        legend=dict(x=1.0, xanchor="right", y=1.0, yanchor="top", bgcolor="rgba(255,255,255,0.85)",
                    bordercolor="#ddd", borderwidth=1, font=dict(size=11), groupclick="toggleitem",
                    itemsizing="trace", tracegroupgap=6),
        geo=dict(projection_type="mercator", visible=False, fitbounds=False,
                 lonaxis_range=list(rng["lon"]), lataxis_range=list(rng["lat"]),
                 bgcolor="white", showframe=False),
    )


def build_figure(md: MapData, shown_mask: np.ndarray, opts: MapOptions = MapOptions()) -> go.Figure:
    """The whole map for the elements `shown_mask` selects."""
    fig = go.Figure(data=base_traces(md, opts) + element_traces(md, shown_mask, opts))
    fig.update_layout(**layout(opts))
    return fig
