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

import functools
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
from layers.display import display_name, fmt_number, fmt_year
from layers.i18n import KIND_LABELS, label, metric_label, t
from layers.labels import (
    Candidate,
    centred_box,
    keep_apart,
    label_budget,
    leader_line,
    map_box,
    place_labels,
    project,
    text_size,
    unproject,
)
from layers.sectors import primary_sector, sector_label, sectors_of
from layers.size_key import size_key_layout

BASE_TRACES = ("context", "prefectures", "rivers", "counties", "province_borders", "context_labels")
N_BASE = len(BASE_TRACES)
DEFAULT_LAYERS = ("labels", "context", "rivers")  # county borders are off until asked for
RIVER_COLOUR = "#a9cbe6"  # pale blue, thin: a background the marks stand on
DEFAULT_RANGE = {"lon": (109.6, 121.2), "lat": (31.0, 43.0)}


@dataclass(frozen=True)
class MapOptions:
    lang: str = "zh"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    selected: str | None = None  # element id
    selected_prefecture: str | None = None
    view: tuple[float, float, float, float] | None = None  # lon0, lat0, lon1, lat1
    height: int | None = None
    size: tuple[int, int] = (
        1000,
        770,
    )  # the map's pixel size, for label placement (the page reports its own)
    focus_industries: tuple[str, ...] = ()  # the filtered industries: colour by them when there are few
    notes: tuple = ()  # (lon, lat, zh, en): what the map must say over a place (coverage gaps)
    legend: str = (
        "auto"  # auto: beside the frame when there is room, else the emptiest corner; none: the caller's
    )
    # boxes in frame fractions (x0, y0, x1, y1, y up) the labels must leave free: a snapshot's legend
    keep_clear: tuple = ()
    scale: float = 1.0  # every drawn size x this: style.PRESENT_SCALE when presenting to a room


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
    feats = [
        {"type": "Feature", "id": str(i), "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
        for i, g in zip(gdf[id_col], geoms)
    ]
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
        "rivers": _paths(boundaries["rivers"].geometry.values) if "rivers" in boundaries else ([], []),
    }


def _paths(lines) -> tuple[list, list]:
    """LineStrings as None-separated lon/lat lists."""
    lons, lats = [], []
    for g in lines:
        for part in getattr(g, "geoms", [g]):
            xy = np.asarray(part.coords)
            lons += [*xy[:, 0].tolist(), None]
            lats += [*xy[:, 1].tolist(), None]
    return lons, lats


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
    areas: dict  # kind -> geojson of every area of that kind
    prepared: dict  # lang -> per-element arrays (see _prepare)


def prepare_map(elements: gpd.GeoDataFrame, boundaries: dict, vocab) -> MapData:
    """Per-process figure data for one elements table (both languages)."""
    return MapData(
        elements,
        boundaries,
        vocab,
        _base_geometry(boundaries),
        {kind: _area_geojson(elements, kind) for kind in AREA_KINDS},
        {lang: _prepared(elements, boundaries, vocab, lang) for lang in ("zh", "en")},
    )


def _prepared(elements, boundaries, vocab, lang: str) -> dict:
    """_prepare's arrays and the prefectures' label names (the label placement reads them on every change)."""
    prep = _prepare(elements, vocab, lang)
    prep["prefecture_names"] = [_name(r, lang) for _, r in boundaries["prefectures"].iterrows()]
    return prep


def county_lines(md: MapData) -> tuple[list, list]:
    """County borders as lon/lat lists (patched in when the layer is switched on)."""
    return md.base["counties"]


def _name(row, lang: str) -> str:
    return row["name_en"] if lang == "en" and row.get("name_en") else row["name"]


# --- base map ----------------------------------------------------------------
def base_traces(md: MapData, opts: MapOptions) -> dict:
    """The base map's traces by name (the prefecture labels are drawn over the elements)."""
    lang = opts.lang
    boundaries = md.boundaries
    prov = boundaries["provinces"]
    ctx = prov[prov["role"] == "context"]
    prefs = boundaries["prefectures"]
    show_ctx = "context" in opts.layers

    geom = md.base
    context = go.Choropleth(
        geojson=geom["context"],
        locations=ctx["name"].tolist(),
        z=[0] * len(ctx),
        colorscale=[[0, style.CONTEXT_FILL], [1, style.CONTEXT_FILL]],
        showscale=False,
        marker_line_color=style.CONTEXT_LINE,
        marker_line_width=0.8,
        hoverinfo="skip",
        name="context",
        visible=show_ctx,
        showlegend=False,
    )
    z = [1 if n == opts.selected_prefecture else 0 for n in prefs["name"]]
    pref_names = [f"{_name(r, lang)}" for _, r in prefs.iterrows()]
    prefectures = go.Choropleth(
        geojson=geom["prefectures"],
        locations=prefs["name"].tolist(),
        z=z,
        zmin=0,
        zmax=1,
        colorscale=[[0, style.PREFECTURE_FILL], [1, style.PREFECTURE_SELECTED_FILL]],
        showscale=False,
        marker_line_color=style.PREFECTURE_LINE,
        marker_line_width=0.7,
        customdata=[[f"pref:{n}"] for n in prefs["name"]],
        text=pref_names,
        hovertemplate="%{text}<extra></extra>",
        name="prefectures",
        showlegend=False,
    )
    rlon, rlat = geom["rivers"]
    rivers = go.Scattergeo(
        lon=rlon,
        lat=rlat,
        mode="lines",
        line=dict(color=RIVER_COLOUR, width=1.0),
        hoverinfo="skip",
        name="rivers",
        showlegend=False,
        visible="rivers" in opts.layers,
    )
    clon, clat = geom["counties"] if "counties" in opts.layers else ([], [])
    county_lines = go.Scattergeo(
        lon=clon,
        lat=clat,
        mode="lines",
        line=dict(color=style.COUNTY_LINE, width=0.5),
        hoverinfo="skip",
        name="counties",
        showlegend=False,
        visible="counties" in opts.layers,
    )
    plon, plat = geom["borders"]
    borders = go.Scattergeo(
        lon=plon,
        lat=plat,
        mode="lines",
        line=dict(color=style.PROVINCE_LINE, width=1.3),
        hoverinfo="skip",
        name="province_borders",
        showlegend=False,
    )
    labels = go.Scattergeo(
        lon=prefs["label_lon"],
        lat=prefs["label_lat"],
        mode="text",
        text=base_labels(md, opts)["prefecture_labels"][0],
        textfont=dict(size=PREFECTURE_FONT * opts.scale, color=style.LABEL_COLOUR, shadow=style.LABEL_HALO),
        hoverinfo="skip",
        name="prefecture_labels",
        showlegend=False,
        visible="labels" in opts.layers,
    )
    ctx_lab = prov[prov["role"] == "context"]
    ctx_labels = go.Scattergeo(
        lon=ctx_lab["label_lon"],
        lat=ctx_lab["label_lat"],
        mode="text",
        text=base_labels(md, opts)["context_labels"][0],
        textfont=dict(size=CONTEXT_FONT * opts.scale, color=style.CONTEXT_LABEL_COLOUR),
        hoverinfo="skip",
        name="context_labels",
        showlegend=False,
        visible=show_ctx,
    )
    return {
        "context": context,
        "prefectures": prefectures,
        "rivers": rivers,
        "counties": county_lines,
        "province_borders": borders,
        "context_labels": ctx_labels,
        "prefecture_labels": labels,
    }


def base_labels(md: MapData, opts: MapOptions, frame=None) -> dict[str, tuple[list[str], list[tuple]]]:
    """The prefecture and neighbouring-province names drawn in this view, size and scale, by trace:
    (texts, "" for one left out; boxes px of those drawn). Where two would collide (Henan's small
    prefectures, or any at a room's scale) the selected prefecture, then the larger, then a
    neighbour's name keeps its place, so no name covers another; a name the frame would cut is left out.

    `frame` (view, w, h): the frame the element labels are placed in (the legend beside it narrows it),
    so the names kept and the boxes the labels avoid are the ones drawn (_element_parts passes it)."""
    view, w, h = frame if frame is not None else _view_size(opts)
    prefs = md.boundaries["prefectures"]
    prov = md.boundaries["provinces"]
    ctx = prov[prov["role"] == "context"]
    rows, names, boxes = [], [], []
    for trace, df, font in (
        ("prefecture_labels", prefs, PREFECTURE_FONT),
        ("context_labels", ctx, CONTEXT_FONT),
    ):
        px, py = project(df["label_lon"].to_numpy(), df["label_lat"].to_numpy(), view, w, h)
        area = shapely.area(df.geometry.to_numpy())  # square degrees: enough to rank them
        for i, (_, r) in enumerate(df.iterrows()):
            names.append(_name(r, opts.lang))
            boxes.append(centred_box(px[i], py[i], names[-1], font * opts.scale))
            rows.append(
                (trace, trace != "prefecture_labels", r["name"] != opts.selected_prefecture, -area[i])
            )
    fx0, fy0, fx1, fy1 = map_box(view, w, h)  # plotly clips text at the frame: a name cut in half is left out
    inside = [i for i, b in enumerate(boxes) if fx0 <= b[0] and fy0 <= b[1] and b[2] <= fx1 and b[3] <= fy1]
    kept = keep_apart(boxes, sorted(inside, key=lambda i: rows[i][1:]))
    out = {"prefecture_labels": ([], []), "context_labels": ([], [])}
    for (trace, *_), n, box, keep in zip(rows, names, boxes, kept):
        out[trace][0].append(n if keep else "")
        if keep:
            out[trace][1].append(box)
    return out


# --- plan elements -----------------------------------------------------------
def _hover(row, vocab, lang: str) -> str:
    en = lang == "en"
    plan = next(p for p in vocab.plans if p["file"] == row["plan"])
    sfx = "_en" if en else ""
    places = ("; " if en else "、").join(
        row["counties" + sfx] or row["prefectures" + sfx] or row["places" + sfx]
    )
    sectors = sectors_of(row["industries"], vocab.industries)
    inds = ("; " if en else "、").join(vocab.industry(c)["en" if en else "zh"] for c in row["industries"])
    sector_text = (", " if en else "、").join(sector_label(s, lang) for s in sectors)
    target = ""
    if not np.isnan(row["revenue_yi"]):
        unit = "100m yuan" if en else "亿元"
        year = (
            f" ({fmt_year(row['target_year'])})"
            if row["target_year"] and not pd.isna(row["target_year"])
            else ""
        )
        target = f"<br>{metric_label(row['revenue_metric'], lang)} {fmt_number(row['revenue_yi'], lang)} {unit}{year}"
    if not pd.isna(row.get("tier_yi", np.nan)) and row.get("tier_group"):
        # a floor the plan sets for a group the element is listed in: said so, never as its own target
        group = (
            f" (tier: {row['tier_group_en'] or row['tier_group']})"
            if en
            else f"（{row['tier_group']}层级目标）"
        )
        target += f"<br>≥ {fmt_number(row['tier_yi'], lang)} {'100m yuan' if en else '亿元'}{group}"
    return (
        f"<b>{display_name(row) if not en else _name(row, lang)}</b><br>{label(KIND_LABELS, row['kind'], lang)} · "
        f"{plan['short_en' if en else 'short']} · {row['plan_period']}"
        f"<br>{places}<br>{sector_text}"
        + (f"：{inds}" if inds and not en else (f": {inds}" if inds else ""))
        + target
    )


# Slots: a fixed list of element traces, the same in every figure, so a filter change patches
# them in place. Colour slots take the colours of the current key (sectors, or the filtered
# industries); area legend slots name each area when few are shown.
N_COLOUR_SLOTS = max(len(style.SECTOR_COLOURS), style.INDUSTRY_FOCUS_MAX)
N_AREA_KEYS = 8
LABEL_FONT = 11
PREFECTURE_FONT, CONTEXT_FONT, NOTE_FONT, LEGEND_FONT = 11, 12, 15, 11  # px at scale 1
LABEL_CHARS = {"zh": 12, "en": 22}  # a label's length before it is cut with "…" (Latin letters are narrower)
AREA_LABEL_BUDGET = 10  # names of areas on the map; the rest are listed by a click (what is here)


def element_slots(vocab=None) -> list[tuple[str, str]]:
    """The fixed list of element trace slots: (role, key), in drawing order."""
    slots = [("area", k) for k in AREA_KINDS] + [("line", k) for k in LINE_KINDS]
    slots += [("leaders", "")]
    slots += [("points", str(i)) for i in range(N_COLOUR_SLOTS)] + [("points", "other")]
    slots += [("colour_key", str(i)) for i in range(N_COLOUR_SLOTS)]
    slots += [("kind_key", k) for k in POINT_KINDS]
    slots += [("area_key", str(i)) for i in range(N_AREA_KEYS)]
    slots += [("labels", "areas"), ("labels", "marks"), ("notes", "")]
    return slots


TOP_TRACES = ("prefecture_labels", "highlight")  # drawn over the elements
LABEL_SLOTS = ("labels-marks", "labels-areas", "leaders")  # what a selection re-places


def slot_name(role: str, key: str) -> str:
    return f"{role}-{key}" if key else role


def trace_index(vocab=None) -> dict[str, int]:
    """Trace name -> its index in every figure: base traces by name, element slots as 'role:key'.

    Patches address traces through this, never by a bare number."""
    names = list(BASE_TRACES) + [slot_name(r, k) for r, k in element_slots()] + list(TOP_TRACES)
    return {n: i for i, n in enumerate(names)}


def _area_geojson(elements: pd.DataFrame, kind: str) -> dict:
    """All areas of one kind, shown or not: sent once; a filter change only changes `locations`."""
    sub = elements[_area_rows(elements, kind)].drop_duplicates("shape_key")
    sub = sub.set_geometry(
        sub.geometry.simplify(0.03, preserve_topology=True)
    )  # ~3 km: invisible at province scale
    return _geojson(sub, "shape_key", 5e-3)


def _area_rows(df: pd.DataFrame, kind: str) -> pd.Series:
    # an axis or corridor with a single unit cannot be a line: it is drawn with the zones
    kinds = (kind,) + (LINE_KINDS if kind == "zone" else ())
    return df["drawn_as"].eq("area") & df["kind"].isin(kinds)


AREA_PATCH_KEYS = ("locations", "z", "zmin", "zmax", "customdata", "text", "colorscale", "marker")


def _prepare(elements: pd.DataFrame, vocab, lang: str) -> dict:
    """Per-element arrays computed once per elements table and language, so a filter change is array slicing."""
    hover = np.array([_hover(r, vocab, lang) for _, r in elements.iterrows()], dtype=object)
    elem, lon, lat, unit = [], [], [], []
    for k, (mlon, mlat, units, how) in enumerate(
        zip(elements["mark_lon"], elements["mark_lat"], elements["point_units"], elements["drawn_as"])
    ):
        if how == "point":  # the marks' display positions: laid out inside their own unit (layers/placement)
            elem += [k] * len(mlon)
            lon += list(mlon)
            lat += list(mlat)
            unit += list(units)
    elem = np.array(elem, dtype=int)
    names = (
        elements["name_en"].to_numpy(dtype=object)
        if lang == "en"
        else np.array([display_name(r) for _, r in elements.iterrows()], dtype=object)
    )
    rep = elements.geometry.representative_point()
    return {
        "hover": hover,
        "ids": elements["id"].to_numpy(dtype=object),
        "names": names,
        "kinds": elements["kind"].to_numpy(dtype=object),
        "industries": elements["industries"].to_numpy(dtype=object),
        "sector": np.array(
            [primary_sector(c, vocab.industries) for c in elements["industries"]], dtype=object
        ),
        "revenue": elements["revenue_yi"].to_numpy(dtype=float),
        "shape_key": elements["shape_key"].to_numpy(dtype=object),
        "rep_lon": rep.x.to_numpy(),
        "rep_lat": rep.y.to_numpy(),
        "area_km2": elements.to_crs("+proj=aea +lat_1=30 +lat_2=42 +lon_0=114").area.to_numpy() / 1e6,
        "areas": {kind: _area_rows(elements, kind).to_numpy() for kind in AREA_KINDS},
        "lines": {
            kind: (elements["kind"].eq(kind) & elements["drawn_as"].eq("line")).to_numpy()
            for kind in LINE_KINDS
        },
        "line_xy": {
            k: np.asarray(g.coords).round(4)
            for k, (g, how) in enumerate(zip(elements.geometry.values, elements["drawn_as"]))
            if how == "line"
        },
        "pt_elem": elem,
        "pt_lon": np.array(lon, dtype=float),
        "pt_lat": np.array(lat, dtype=float),
        "pt_unit": np.array(unit, dtype=object),
        "pt_symbol": np.array([KINDS_BY_CODE[elements["kind"].iat[k]].symbol for k in elem], dtype=object),
        "is_point": elements["drawn_as"].eq("point").to_numpy(),
    }


# Above this many markers, the markers of one unit and one colour are merged into one (the plans'
# own data draws ~920; a dataset many times larger would otherwise send megabytes per filter change).
MARKER_BUDGET = 5000


def _cluster(prep: dict, pm: np.ndarray, colour: np.ndarray, size: np.ndarray, lang: str):
    """Merge markers of one unit and colour: one marker (the largest) stays, its hover saying how many."""
    groups: dict[tuple, list[int]] = {}
    for j, (unit, c) in enumerate(zip(prep["pt_unit"][pm], colour)):
        groups.setdefault((unit, c), []).append(j)
    leads = [(max(members, key=lambda j: size[j]), len(members) - 1) for members in groups.values()]
    leads.sort()
    keep = np.array([j for j, _ in leads], dtype=int)
    more = "<br>+{n} more here" if lang == "en" else "<br>此处另有 {n} 个要素"
    hover = prep["hover"][prep["pt_elem"][pm[keep]]].copy()
    for i, (_, n) in enumerate(leads):
        if n:
            hover[i] = hover[i] + more.format(n=n)
    return keep, hover


def _area_styles(prep: dict, mask: np.ndarray) -> dict[int, dict]:
    """Element row -> its fill, outline and dash: each shown area its own, zones first, then belts, groups."""
    rows = [k for kind in AREA_KINDS for k in np.nonzero(prep["areas"][kind] & mask)[0]]
    return {k: _area_style(i) for i, k in enumerate(rows)}


# the i-th area's style and an outline's label colour never change: computed once (colour-space
# conversions were a third of a selection change's time)
_area_style = functools.lru_cache(maxsize=None)(style.area_style)
_area_outline = functools.lru_cache(maxsize=None)(style.area_outline)


def legend_beside(size: tuple[int, int], legend: str = "auto", scale: float = 1.0) -> bool:
    """Whether the legend sits beside the map frame (in a right margin) rather than over it: when the
    frame left beside it is still wide enough for the two provinces, which are taller than wide."""
    w, h = size
    return legend == "auto" and w - LEGEND_W * scale >= 0.6 * h


def frame_size(size: tuple[int, int], legend: str = "auto", scale: float = 1.0) -> tuple[int, int]:
    """The geo frame's pixel size inside a map of `size` (less the legend's margin when it sits beside;
    the margin is as wide as the legend at `scale`, which it never exceeds, see legend_font)."""
    w, h = size
    return (int(w - LEGEND_W * scale), int(h)) if legend_beside(size, legend, scale) else (int(w), int(h))


def _view_size(
    opts: MapOptions, legend_w: float = 0.0
) -> tuple[tuple[float, float, float, float], float, float]:
    """The ranges and the frame plotly draws: a legend beside the frame wider than LEGEND_W pushes
    plotly's right margin out (automargin), so the frame is what the legend leaves."""
    rng = plotly_ranges(opts.view)  # the ranges plotly is given: labels are projected as it projects
    view = (rng["lon"][0], rng["lat"][0], rng["lon"][1], rng["lat"][1])
    w, h = frame_size(opts.size, opts.legend, opts.scale)
    if legend_beside(opts.size, opts.legend, opts.scale):
        w = min(w, opts.size[0] - math.ceil(legend_w))
    return view, float(w), float(h)


LEGEND_W = 200.0  # px at LEGEND_FONT: the widest sector name plus its swatch (legend_width: the real one)
LEGEND_FONT = 11
# plotly's legend box around its texts, px at LEGEND_FONT (measured in chromium): swatch and gap before an
# entry's text, the indent of a group title, the padding after the widest text
LEGEND_ITEM_X, LEGEND_TITLE_X, LEGEND_PAD_R = 41.0, 6.0, 7.0
# plotly's legend, measured in chromium at 11-20 px: ~(9 + font) px per row (an entry or a group title)
LEGEND_ROW_PAD = 9.0


def legend_width(traces, font: float = LEGEND_FONT) -> float:
    """The width plotly gives the legend of these traces at this font: its widest entry or group title
    (estimated text widths, exact for CJK, generous for Latin)."""
    k = font / LEGEND_FONT
    widest = 0.0
    for tr in traces:
        if not tr.get("showlegend") or not tr.get("name"):
            continue
        widest = max(widest, LEGEND_ITEM_X * k + text_size(tr["name"], font)[0])
        title = (tr.get("legendgrouptitle") or {}).get("text") or ""
        widest = max(widest, LEGEND_TITLE_X * k + text_size(title, font)[0])
    return widest + LEGEND_PAD_R * k if widest else 0.0


def legend_height(n_rows: int, font: float) -> float:
    """The legend's estimated height in px for n_rows entries and group titles at this font size."""
    return n_rows * (LEGEND_ROW_PAD + font) + 4.0


def legend_font(n_rows: int, h: float, scale: float = 1.0) -> float:
    """The legend's font: LEGEND_FONT x scale, or less when the legend would then outgrow the map's
    height (a room's 1280x720 with every sector shown), never below the laptop's LEGEND_FONT."""
    fits = (h - 8.0 - 4.0) / max(n_rows, 1) - LEGEND_ROW_PAD
    return round(max(float(LEGEND_FONT), min(LEGEND_FONT * scale, math.floor(fits * 2) / 2)), 1)


def legend_corner(
    marks_px: np.ndarray,
    n_entries: int,
    w: float,
    h: float,
    legend_w: float = LEGEND_W,
    font: float = LEGEND_FONT,
) -> tuple[str, tuple]:
    """The corner whose legend-sized box covers the fewest marks (the size key keeps bottom left).

    -> (corner, box px). Ties keep the order top-right, top-left, bottom-right."""
    lh = min(h, (24.0 + 18.0 * n_entries) * font / LEGEND_FONT)
    lw = max(LEGEND_W * font / LEGEND_FONT, legend_w)
    boxes = {
        "top-right": (w - lw, 0.0, w, lh),
        "top-left": (0.0, 0.0, lw, lh),
        "bottom-right": (w - lw, h - lh, w, h),
    }

    def covered(b):
        if not len(marks_px):
            return 0
        x, y = marks_px[:, 0], marks_px[:, 1]
        return int(((x >= b[0]) & (x <= b[2]) & (y >= b[1]) & (y <= b[3])).sum())

    corner = min(boxes, key=lambda c: covered(boxes[c]))
    return corner, boxes[corner]


def _size_key_box(
    key: dict, title: str, w: float, h: float, scale: float = 1.0
) -> tuple[float, float, float, float]:
    """The frame pixels the size key covers, its title included (it may be wider than the circles).

    The key is anchored at paper (0.01, 0.02) from the frame's lower-left corner (layers/size_key.py)."""
    if not key["height_px"]:
        return (0.0, h, 0.0, h)
    width = max(key["width_px"], 6 + text_size(title, 11 * scale)[0])
    return (0.0, h - 0.02 * h - key["height_px"] - 2, 0.01 * w + width + 2, h)


def legend_position(corner: str) -> dict:
    right, top = corner.endswith("right"), corner.startswith("top")
    return dict(
        x=1.0 if right else 0.0,
        xanchor="right" if right else "left",
        y=1.0 if top else 0.0,
        yanchor="top" if top else "bottom",
    )


def element_traces(md: MapData, mask: np.ndarray, opts: MapOptions) -> list[dict]:
    """Traces (plain dicts) for the filtered elements, one per slot of `element_slots`.

    Area slots carry the geometry of every area of their kind (constant, so a
    patch can leave it in the browser); only AREA_PATCH_KEYS change with filters.
    Plain dicts skip plotly's per-property validation: this runs on every filter change.
    """
    return _element_parts(md, mask, opts)["traces"]


def _element_parts(md: MapData, mask: np.ndarray, opts: MapOptions, labels_only: bool = False) -> dict:
    """The element traces plus the layout pieces that go with them (size key shapes and annotations).

    labels_only: what a selection changes (the same elements, their labels re-placed): the label
    traces and the legend's place; the marks, areas and lines are not built."""
    lang, vocab = opts.lang, md.vocab
    prep = md.prepared[lang]
    traces: dict[str, dict] = {}

    # areas: each its own light fill and darker outline, so overlapping zones stay apart
    styles = _area_styles(prep, mask)
    n_areas = len(styles)
    alpha = style.area_fill_alpha(n_areas)
    for kind in () if labels_only else AREA_KINDS:
        rows = np.nonzero(prep["areas"][kind] & mask)[0]
        n = len(rows)
        fills = [styles[k]["fill"] for k in rows]
        scale = _steps([style.rgba(f, alpha) for f in fills] or ["rgba(0,0,0,0)"])
        traces[slot_name("area", kind)] = dict(
            type="choropleth",
            geojson=md.areas[kind],
            locations=prep["shape_key"][rows].tolist(),
            z=list(range(n)),
            zmin=0,
            zmax=max(n - 1, 1),
            colorscale=scale,
            showscale=False,
            marker=dict(opacity=1, line=dict(color=[styles[k]["outline"] for k in rows], width=1.2)),
            customdata=[[i] for i in prep["ids"][rows]],
            text=prep["hover"][rows].tolist(),
            hovertemplate="%{text}<extra></extra>",
            name=label(KIND_LABELS, kind, lang),
            showlegend=False,
        )
    for kind in LINE_KINDS:
        rows = np.nonzero(prep["lines"][kind] & mask)[0]
        lons, lats, ids, texts = [], [], [], []
        for k in () if labels_only else rows:  # the legend needs only whether there are any
            xy = prep["line_xy"][k]
            lons += [*xy[:, 0].tolist(), None]
            lats += [*xy[:, 1].tolist(), None]
            ids += [[prep["ids"][k]]] * len(xy) + [None]
            texts += [prep["hover"][k]] * len(xy) + [None]
        colour = KINDS_BY_CODE[kind].colour
        traces[slot_name("line", kind)] = dict(
            type="scattergeo",
            lon=lons,
            lat=lats,
            mode="lines+markers",
            line=dict(color=colour, width=4),
            marker=dict(size=7 * opts.scale, color=colour),
            opacity=0.85,
            customdata=ids,
            text=texts,
            hovertemplate="%{text}<extra></extra>",
            name=label(KIND_LABELS, kind, lang),
            legendgroup="areas",
            legendgrouptitle=dict(text=t("legend_area", lang)),
            showlegend=bool(len(rows)),
        )

    # points: coloured by sector, or by the few industries the user filtered to
    pm = np.nonzero(mask[prep["pt_elem"]])[0]
    pelem = prep["pt_elem"][pm]
    mode, cmap = style.point_colour_key(tuple(opts.focus_industries))
    keys = list(cmap)
    if mode == "sector":
        colour_key = prep["sector"][pelem]
    else:
        wanted = set(keys)
        colour_key = np.array(
            [next((c for c in prep["industries"][k] if c in wanted), "") for k in pelem], dtype=object
        )
    revenue = prep["revenue"][pelem]
    vmax = style.size_vmax(revenue[~np.isnan(revenue)]) if len(revenue) else style.SIZE_VMAX_FLOOR
    sizes = np.array([style.marker_size(None if np.isnan(v) else v, vmax, opts.scale) for v in revenue])
    hover = prep["hover"][pelem]
    if len(pm) > MARKER_BUDGET:
        keep, hover = _cluster(prep, pm, colour_key, sizes, lang)
        pm, pelem, colour_key, sizes = pm[keep], pelem[keep], colour_key[keep], sizes[keep]
    lons, lats = prep["pt_lon"][pm], prep["pt_lat"][pm]
    slot_of = {k: i for i, k in enumerate(keys)}
    slot = np.array([slot_of.get(c, N_COLOUR_SLOTS) for c in colour_key], dtype=int)
    for i in range(0 if labels_only else N_COLOUR_SLOTS + 1):
        idx = np.nonzero(slot == i)[0]
        colour = cmap[keys[i]] if i < len(keys) else style.NO_INDUSTRY_COLOUR
        traces[slot_name("points", str(i) if i < N_COLOUR_SLOTS else "other")] = dict(
            type="scattergeo",
            lon=lons[idx].round(4).tolist(),
            lat=lats[idx].round(4).tolist(),
            mode="markers",
            marker=dict(
                color=colour,
                size=sizes[idx].round(2).tolist(),
                symbol=prep["pt_symbol"][pm][idx].tolist(),
                line=dict(color="white", width=0.8),
                opacity=0.9,
            ),
            customdata=[[i] for i in prep["ids"][pelem[idx]]],
            text=hover[idx].tolist(),
            hovertemplate="%{text}<extra></extra>",
            name=_colour_name(mode, keys[i], vocab, lang) if i < len(keys) else "—",
            showlegend=False,
        )
    legend_entries = 0
    shown_keys = set(colour_key)
    title = t("legend_sector" if mode == "sector" else "legend_industry", lang)
    for i in range(N_COLOUR_SLOTS):  # the colour key: plain circles (the symbols belong to the kind key)
        on = i < len(keys) and keys[i] in shown_keys
        legend_entries += on
        traces[slot_name("colour_key", str(i))] = dict(
            type="scattergeo",
            lon=[None],
            lat=[None],
            mode="markers",
            marker=dict(symbol="circle", color=cmap[keys[i]] if i < len(keys) else "#000", size=10),
            name=_colour_name(mode, keys[i], vocab, lang) if i < len(keys) else "",
            legendgroup="colours",
            legendgrouptitle=dict(text=title),
            showlegend=bool(on),
            hoverinfo="skip",
            legendrank=i,
        )
    kinds_shown = set(prep["kinds"][mask])
    for kind in POINT_KINDS:  # the kind key: symbols in neutral grey
        on = kind in kinds_shown
        legend_entries += on
        traces[slot_name("kind_key", kind)] = dict(
            type="scattergeo",
            lon=[None],
            lat=[None],
            mode="markers",
            marker=dict(symbol=KINDS_BY_CODE[kind].symbol, color="#777777", size=10),
            name=label(KIND_LABELS, kind, lang),
            legendgroup="kinds",
            legendgrouptitle=dict(text=t("legend_kind", lang)),
            showlegend=on,
            hoverinfo="skip",
        )
    area_rows = list(styles)
    by_name = n_areas <= N_AREA_KEYS
    for i in range(N_AREA_KEYS):  # areas by name when few; by kind when many (then labels name them)
        entry = None
        if by_name and i < n_areas:
            k = area_rows[i]
            st = styles[k]
            entry = (_short(prep["names"][k], 18), st["fill"], st["outline"])
        elif not by_name and i < len(AREA_KINDS):
            kind = AREA_KINDS[i]
            if (prep["areas"][kind] & mask).any():
                entry = (
                    label(KIND_LABELS, kind, lang)
                    + t("legend_area_click" if opts.legend == "auto" else "legend_area_named", lang),
                    "#eeeeee",
                    KINDS_BY_CODE[kind].colour,
                )
        legend_entries += entry is not None
        traces[slot_name("area_key", str(i))] = dict(
            type="scattergeo",
            lon=[None],
            lat=[None],
            mode="markers",
            marker=dict(
                symbol="square",
                color=entry[1] if entry else "#fff",
                size=12,
                line=dict(color=entry[2] if entry else "#fff", width=1.5),
            ),
            name=entry[0] if entry else "",
            legendgroup="areas",
            legendrank=100 + i,
            legendgrouptitle=dict(text=t("legend_area", lang)),
            showlegend=entry is not None,
            hoverinfo="skip",
        )
    legend_entries += sum(1 for kind in LINE_KINDS if traces[slot_name("line", kind)]["showlegend"])

    # the size key (to scale, drawn by the marks' own size function) and the labels
    shown_rev = revenue[~np.isnan(revenue)]
    key = (
        size_key_layout(
            float(shown_rev.min()),
            float(shown_rev.max()),
            vmax,
            title=t("legend_size", lang),
            factor=opts.scale,
        )
        if len(shown_rev)
        else {"shapes": [], "annotations": [], "width_px": 0, "height_px": 0}
    )
    font = legend_font(legend_entries + 3, opts.size[1], opts.scale)  # the room's, if it fits the height
    legend_w = legend_width(traces.values(), font)
    view, w, h = _view_size(opts, legend_w)
    mx, my = project(prep["pt_lon"][pm], prep["pt_lat"][pm], view, w, h)
    obstacles = [_size_key_box(key, t("legend_size", lang), w, h, opts.scale)]
    if legend_beside(opts.size, opts.legend, opts.scale):
        legend = dict(x=1.0, xanchor="left", y=1.0, yanchor="top")  # in the right margin, over no data
    else:
        corner, legend_box = legend_corner(
            np.column_stack([mx, my]) if len(pm) else np.empty((0, 2)),
            legend_entries + 3,
            w,
            h,
            legend_w,
            font,
        )
        legend = legend_position(corner)
        obstacles.append(legend_box)
    obstacles += [(x0 * w, (1 - y1) * h, x1 * w, (1 - y0) * h) for x0, y0, x1, y1 in opts.keep_clear]
    legend["font"] = dict(size=font)
    drawn = base_labels(md, opts, (view, w, h))  # the base map's names, in this very frame
    traces.update(_label_traces(md, prep, mask, pm, pelem, sizes, styles, opts, view, w, h, obstacles, drawn))
    names_drawn = {name: texts for name, (texts, _) in drawn.items()}
    if labels_only:
        names = LABEL_SLOTS
        return {
            "traces": {n: dict(traces[n], uid=n) for n in names},
            "legend": legend,
            "margin_r": int(opts.size[0] - w),
            "base_labels": names_drawn,
        }
    notes = list(opts.notes)
    traces[slot_name("notes", "")] = dict(
        type="scattergeo",
        lon=[n[0] for n in notes],
        lat=[n[1] for n in notes],
        mode="text",
        text=[_wrap_note(n[3] if lang == "en" else n[2]) for n in notes],
        textposition="middle center",
        textfont=dict(
            size=NOTE_FONT * opts.scale, color="#7a4b00", family=style.FONT_FAMILY, shadow=style.LABEL_HALO
        ),
        hoverinfo="skip",
        showlegend=False,
        name="notes",
    )
    out = []
    for role, k in element_slots():
        tr = traces[slot_name(role, k)]
        tr["uid"] = slot_name(role, k)  # the trace's name for patches and tests
        out.append(tr)
    return {
        "traces": out,
        "shapes": key["shapes"],
        "annotations": key["annotations"],
        "size_key": key,
        "legend": legend,
        "margin_r": int(opts.size[0] - w),
        "base_labels": names_drawn,
    }


def _steps(colours: list[str]) -> list:
    """A stepped colorscale over z = 0 .. n-1 (zmin 0, zmax max(n-1, 1)): each integer its own colour.

    Every scale runs from 0 to 1 (plotly replaces one that does not with its default, a dark blue)."""
    n = len(colours)
    if n == 1:
        return [[0, colours[0]], [1, colours[0]]]
    out = []
    for i, colour in enumerate(colours):
        out += [[i / n, colour], [(i + 1) / n, colour]]
    return out


def _wrap_note(text: str) -> str:
    """A coverage note on two lines (it is written across a province): the reason, then the detail."""
    for sep in ("（", " ("):
        if sep in text:
            head, tail = text.split(sep, 1)
            return f"{head}<br>{sep.strip()}{tail}"
    return text


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _colour_name(mode: str, key: str, vocab, lang: str) -> str:
    if mode == "sector":
        return sector_label(key, lang)
    return vocab.industry(key)["en" if lang == "en" else "zh"]


def _label_traces(md, prep, mask, pm, pelem, sizes, styles, opts, view, w, h, obstacles, drawn) -> dict:
    """Names on the map: the shown areas' (at a point inside each) and the most important marks',
    placed greedily in screen pixels so that no two collide, none covers a prefecture label,
    the legend or the size key; labels that had to move away get a leader line."""
    lang = opts.lang
    frame = map_box(view, w, h)
    if "labels" in opts.layers:  # the names on the base map (`drawn`) are text a label must not cover
        obstacles = obstacles + drawn["prefecture_labels"][1]
    if "context" in opts.layers:  # the neighbours' names: 北京市, 山东省 ...
        obstacles = obstacles + drawn["context_labels"][1]
    mx, my = project(prep["pt_lon"][pm], prep["pt_lat"][pm], view, w, h)
    marks = np.column_stack([mx, my]) if len(pm) else np.empty((0, 2))
    budget = max(1, round(label_budget(view[2] - view[0]) / opts.scale))  # bigger text: fewer names
    # areas first: they are few and otherwise unnamed
    area_rows = list(styles)
    ax, ay = (
        project(prep["rep_lon"][area_rows], prep["rep_lat"][area_rows], view, w, h) if area_rows else ([], [])
    )
    # the larger areas first (they are the ones a reader sees); their size ranks them like a target
    area_cands = [
        Candidate(
            _short(prep["names"][k], LABEL_CHARS[lang]),
            float(x),
            float(y),
            0.0,
            LABEL_FONT * opts.scale,
            False,
            float(prep["area_km2"][k]),
            "",
            prep["ids"][k],
        )
        for k, x, y in zip(area_rows, ax, ay)
    ]
    # with no marks shown, the areas are the subject: name as many as fit
    area_budget = AREA_LABEL_BUDGET if len(pm) else 3 * AREA_LABEL_BUDGET
    first = {}
    for j, k in enumerate(pelem):  # one label per element, at its first mark
        first.setdefault(k, j)
    cands = [
        Candidate(
            _short(prep["names"][k], LABEL_CHARS[lang]),
            float(mx[j]),
            float(my[j]),
            float(sizes[j]) / 2,
            LABEL_FONT * opts.scale,
            prep["ids"][k] == opts.selected,
            float(prep["revenue"][k]),
            prep["kinds"][k],
            prep["ids"][k],
        )
        for k, j in first.items()
    ]
    # the selected mark is named before the areas, which would otherwise take its spot
    chosen = place_labels([c for c in cands if c.selected], obstacles, w, h, 1, frame=frame, marks=marks)
    obstacles = obstacles + [p.box for p in chosen]
    placed_areas = place_labels(area_cands, obstacles, w, h, area_budget, frame=frame, marks=marks)
    taken = obstacles + [p.box for p in placed_areas]
    rest = [c for c in cands if not c.selected and c.text not in {p.text for p in chosen}]
    placed = chosen + place_labels(rest, taken, w, h, budget - len(chosen), frame=frame, marks=marks)

    def text_trace(items, colours, name):
        lon, lat = unproject([p.x for p in items], [p.y for p in items], view, w, h) if items else ([], [])
        return dict(
            type="scattergeo",
            lon=np.round(lon, 4).tolist(),
            lat=np.round(lat, 4).tolist(),
            mode="text",
            text=[p.text for p in items],
            textposition=[p.textposition for p in items],
            textfont=dict(
                size=LABEL_FONT * opts.scale, color=colours, family=style.FONT_FAMILY, shadow=style.LABEL_HALO
            ),
            customdata=[[p.key] for p in items],
            hoverinfo="skip",
            showlegend=False,
            name=name,
        )

    row_of = {prep["ids"][k]: k for k in area_rows}
    area_colours = [_area_outline(styles[row_of[p.key]]["fill"]) for p in placed_areas]
    lead_lon, lead_lat = [], []
    for p in placed + placed_areas:
        if p.leader:
            (x0, y0), (x1, y1) = leader_line(p)
            lo, la = unproject([x0, x1], [y0, y1], view, w, h)
            lead_lon += [*np.round(lo, 4).tolist(), None]
            lead_lat += [*np.round(la, 4).tolist(), None]
    return {
        slot_name("labels", "areas"): text_trace(placed_areas, area_colours, "area labels"),
        slot_name("labels", "marks"): text_trace(placed, style.MARK_LABEL_COLOUR, "mark labels"),
        slot_name("leaders", ""): dict(
            type="scattergeo",
            lon=lead_lon,
            lat=lead_lat,
            mode="lines",
            line=dict(color="#888888", width=0.7),
            hoverinfo="skip",
            showlegend=False,
            name="leaders",
        ),
    }


def highlight_trace(md: MapData, selected: str | None, scale: float = 1.0) -> dict:
    """A ring around the selected element's marks, or its outline for areas and lines."""
    elements = md.elements
    lons, lats, mode = [], [], "markers"
    row = elements[elements["id"] == selected] if selected else elements.iloc[0:0]
    if len(row):
        g = row.geometry.iloc[0]
        if row["drawn_as"].iloc[0] == "point":
            lons, lats = list(row["mark_lon"].iloc[0]), list(row["mark_lat"].iloc[0])
        elif g.geom_type in ("Polygon", "MultiPolygon"):
            lons, lats = _rings(g)
            mode = "lines"
        elif g.geom_type == "LineString":
            xy = np.asarray(g.coords)
            lons, lats, mode = xy[:, 0].tolist(), xy[:, 1].tolist(), "lines"
    return dict(
        type="scattergeo",
        lon=lons,
        lat=lats,
        mode=mode,
        name="highlight",
        uid="highlight",
        showlegend=False,
        hoverinfo="skip",
        marker=dict(size=26 * scale, symbol="circle-open", color=style.HIGHLIGHT, line=dict(width=3)),
        line=dict(color=style.HIGHLIGHT, width=3),
    )


# --- layout ------------------------------------------------------------------
def merc_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def inv_merc_y(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def plotly_lat_range(lat0: float, lat1: float) -> tuple[float, float]:
    """The lataxis range that makes plotly draw exactly lat0..lat1 in the frame.

    plotly centres a Mercator geo on the range's mid-latitude in degrees (not in Mercator y), so a
    range taken as is draws shifted: on an A4 page of Hebei and Henan by about 10 px, enough to
    misplace a legend or a scale bar. Same Mercator span, centred where the frame's centre falls.
    """
    mid = inv_merc_y((merc_y(lat0) + merc_y(lat1)) / 2)
    span = merc_y(lat1) - merc_y(lat0)
    lo, hi = 0.0, 45.0
    for _ in range(60):  # bisection on the half-width in degrees
        h = (lo + hi) / 2
        lo, hi = (h, hi) if merc_y(mid + h) - merc_y(mid - h) < span else (lo, h)
    return mid - h, mid + h


def plotly_ranges(view) -> dict:
    """The axis ranges to give plotly so that it draws exactly `view` (see plotly_lat_range)."""
    rng = view_ranges(view)
    return {"lon": rng["lon"], "lat": plotly_lat_range(*rng["lat"])}


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
    rng = plotly_ranges(opts.view)
    return dict(
        font=dict(family=style.FONT_FAMILY, size=12, color="#222"),
        margin=dict(l=0, r=0, t=0, b=0),
        paper_bgcolor="white",
        height=opts.height,
        uirevision="map",  # keep the user's zoom across filter changes
        clickmode="event",
        hoverdistance=8,
        hoverlabel=dict(font_family=style.FONT_FAMILY, bgcolor="white"),
        legend=dict(
            x=1.0,
            xanchor="right",
            y=1.0,
            yanchor="top",
            bgcolor="rgba(255,255,255,0.85)",
            bordercolor="#ddd",
            borderwidth=1,
            font=dict(size=11),
            groupclick="toggleitem",
            itemsizing="trace",
            tracegroupgap=6,
        ),
        geo=dict(
            projection_type="mercator",
            visible=False,
            fitbounds=False,
            lonaxis_range=list(rng["lon"]),
            lataxis_range=list(rng["lat"]),
            bgcolor="white",
            showframe=False,
        ),
    )


def build_figure(md: MapData, shown_mask: np.ndarray, opts: MapOptions = MapOptions()) -> go.Figure:
    """The whole map for the elements `shown_mask` selects."""
    base = base_traces(md, opts)
    parts = _element_parts(md, shown_mask, opts)
    for name, texts in parts["base_labels"].items():  # kept apart in the frame the labels were placed in
        base[name].text = texts
    data = (
        [base[n] for n in BASE_TRACES]
        + parts["traces"]
        + [base["prefecture_labels"], highlight_trace(md, opts.selected, opts.scale)]
    )
    fig = go.Figure(data=data)
    fig.update_layout(**layout(opts), shapes=parts["shapes"], annotations=parts["annotations"])
    fig.update_layout(legend=parts["legend"], margin=dict(r=parts["margin_r"]))
    return fig


def layout_patch(md: MapData, shown_mask: np.ndarray, opts: MapOptions) -> dict:
    """The layout pieces a filter change replaces (the size key), beside the element traces."""
    parts = _element_parts(md, shown_mask, opts)
    return {
        "traces": parts["traces"],
        "shapes": parts["shapes"],
        "annotations": parts["annotations"],
        "legend": parts["legend"],
        "margin_r": parts["margin_r"],
        "base_labels": parts["base_labels"],
    }


def label_patch(md: MapData, shown_mask: np.ndarray, opts: MapOptions) -> dict:
    """What a selection changes beside the ring: the label traces (the selected element is named first)
    and the legend's place. -> {"traces": {slot name: trace}, "legend", "margin_r"}"""
    return _element_parts(md, shown_mask, opts, labels_only=True)
