"""Briefing snapshots: the page's map dressed for paper, and the one warm renderer that draws them.

- page sizes: `PAGE_PRESETS` (physical sizes; `scale` changes PNG pixels only, never a PDF/SVG page);
- `snapshot_figure` is pure (figure in, figure out): title, subtitle and captions wrapped to the page,
  legend where it covers the fewest elements, scale bar, north arrow, locator inset;
- `render` draws PNG/SVG/PDF with one kaleido Chromium per process, kept warm, one request at a time;
  PDFs get their Chinese text repaired (layers/pdf_text.py) so it searches and copies as typed.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import datetime as dt
import html
import math
import shutil
import subprocess
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import plotly.graph_objects as go
from pyproj import Geod

from layers.figure import inv_merc_y, merc_y, plotly_lat_range  # noqa: F401  (tests read them here too)
from layers.filters import Filters, describe
from layers.i18n import t

ASSETS = Path(__file__).resolve().parents[1] / "assets"
FORMATS = ("png", "svg", "pdf")
_GEOD = Geod(ellps="WGS84")
PX_PER_MM = 96 / 25.4  # CSS pixels; Chromium prints a px as 0.75 pt, so 1123 px is A4's 842 pt


def _mm(w: float, h: float) -> tuple[int, int]:
    return round(w * PX_PER_MM), round(h * PX_PER_MM)


# The one table of page sizes: name -> (width px, height px, label). PNG pixels = these x scale.
PAGE_PRESETS = {
    "a4-landscape": (*_mm(297, 210), "A4 横向 / landscape"),
    "a4-portrait": (*_mm(210, 297), "A4 纵向 / portrait"),
    "a3-landscape": (*_mm(420, 297), "A3 横向 / landscape"),
    "a3-portrait": (*_mm(297, 420), "A3 纵向 / portrait"),
    # a widescreen slide (338.7 x 190.5 mm); PNG at scale 1.5 is 1920 x 1080
    "16x9": (1280, 720, "16:9 幻灯片 / slide"),
}
SIZES = {name: (w, h) for name, (w, h, _) in PAGE_PRESETS.items()}
RENDER_TIMEOUT_S = 60.0
START_TIMEOUT_S = 60.0


class SnapshotError(RuntimeError):
    pass


def size_options() -> list[dict]:
    """Dropdown options for the export dialog, from the one table."""
    return [{"label": label, "value": name} for name, (_, _, label) in PAGE_PRESETS.items()]


def parse_size(size: str) -> tuple[int, int]:
    """A preset name, 'WxHmm' (millimetres) or 'WxH' (pixels) -> page pixels at scale 1."""
    if size in SIZES:
        return SIZES[size]
    text = size.lower().replace("×", "x").strip()
    mm = text.endswith("mm")
    parts = text.removesuffix("mm").split("x")
    try:
        w, h = (float(p) for p in parts) if len(parts) == 2 else (0.0, 0.0)
    except ValueError:
        w = h = 0.0
    if mm and 50 <= w <= 1200 and 50 <= h <= 1200:
        return _mm(w, h)
    if not mm and w == int(w) and h == int(h) and 300 <= w <= 6000 and 300 <= h <= 6000:
        return int(w), int(h)
    raise SnapshotError(
        f"unknown size '{size}'; use {', '.join(SIZES)}, WxHmm (50-1200 mm) or WxH (300-6000 px)"
    )


def page_points(width: int, height: int) -> tuple[float, float]:
    """The PDF page a px size prints to, in points."""
    return round(width * 0.75, 1), round(height * 0.75, 1)


def default_title(filters: Filters, vocab, lang: str = "zh") -> str:
    """A title that says what the map shows, from the active filters."""
    parts = describe(filters, vocab, lang)
    base = t("map_title_default", lang)
    return (
        f"{base}：{'，'.join(parts)}"
        if parts and lang == "zh"
        else (f"{base}: {'; '.join(parts)}" if parts else base)
    )


# --- text on paper -----------------------------------------------------------------------
_NO_LINE_START = set("，。；：、）》」』”’,.;:)!?！？%")


def char_em(ch: str) -> float:
    """Estimated advance in em: CJK and full-width ~1, Latin ~0.55."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55


def text_em(text: str) -> float:
    return sum(char_em(c) for c in text)


def _tokens(text: str) -> list[str]:
    """Words for wrapping: each CJK character alone, Latin runs kept whole, spaces apart."""
    out, word = [], ""
    for ch in text:
        if ch == " " or char_em(ch) == 1.0:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    return out + ([word] if word else [])


def wrap_text(text: str, max_em: float) -> list[str]:
    """Greedy line breaking to `max_em`; closing punctuation never starts a line."""
    lines, line = [], ""
    budget = max(max_em - 1, 4)  # room for one punctuation mark kept at a line's end
    for tok in _tokens(text or ""):
        while text_em(tok) > budget and not line:  # a word longer than a line: cut it
            cut = next(i for i in range(len(tok), 0, -1) if text_em(tok[:i]) <= budget)
            lines.append(tok[:cut])
            tok = tok[cut:]
        if line and text_em(line + tok) > budget and tok[0] not in _NO_LINE_START and tok != " ":
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line += tok
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _html_lines(lines: list[str]) -> str:
    return "<br>".join(html.escape(x, quote=False) for x in lines)


# --- geometry of the page ----------------------------------------------------------------
def to_paper(lon: float, lat: float, view) -> tuple[float, float]:
    """lon/lat -> fraction of the map frame (0..1 both ways), Mercator as plotly draws it."""
    lon0, lat0, lon1, lat1 = view
    return (lon - lon0) / (lon1 - lon0), (merc_y(lat) - merc_y(lat0)) / (merc_y(lat1) - merc_y(lat0))


def from_paper(x: float, y: float, view) -> tuple[float, float]:
    lon0, lat0, lon1, lat1 = view
    return lon0 + x * (lon1 - lon0), inv_merc_y(merc_y(lat0) + y * (merc_y(lat1) - merc_y(lat0)))


def drawn_view(lon_range, lat_range) -> tuple[float, float, float, float]:
    """The lon/lat box plotly draws in the frame for given axis ranges (the inverse of plotly_lat_range)."""
    lat_a, lat_b = lat_range
    centre, span = merc_y((lat_a + lat_b) / 2), merc_y(lat_b) - merc_y(lat_a)
    return lon_range[0], inv_merc_y(centre - span / 2), lon_range[1], inv_merc_y(centre + span / 2)


@dataclass(frozen=True)
class Page:
    """Where things go on a page of width x height px."""

    width: int
    height: int
    fs: float  # font scale: bigger pages, bigger type
    title_lines: list
    subtitle_lines: list
    caption_lines: list
    source_lines: list
    margin: dict  # l, r, t, b in px around the map frame
    legend_h: float = 0.0  # px under the map kept for a legend in rows

    @property
    def map_w(self) -> float:
        return self.width - self.margin["l"] - self.margin["r"]

    @property
    def map_h(self) -> float:
        return self.height - self.margin["t"] - self.margin["b"]


TITLE_PX, SUBTITLE_PX, CAPTION_PX, SOURCE_PX, LEGEND_PX = 22, 14, 11, 9, 10
LINE = 1.3  # line height in em


def page_layout(
    width: int,
    height: int,
    title: str,
    subtitle: str | None,
    caption: str,
    source: str,
    legend_w: float = 0.0,
    legend_h: float = 0.0,
) -> Page:
    """Wrap the texts to the page width and reserve exactly the margins they need."""
    fs = min(max(min(width, height) / 794, 0.85), 1.4)
    side = round(20 * fs)
    text_w = width - 2 * side
    title_lines = wrap_text(title, text_w / (TITLE_PX * fs * 1.05))  # bold runs a little wider
    subtitle_lines = wrap_text(subtitle, text_w / (SUBTITLE_PX * fs)) if subtitle else []
    caption_lines = wrap_text(caption, text_w / (CAPTION_PX * fs))
    source_lines = wrap_text(source, text_w / (SOURCE_PX * fs))
    top = 14 * fs + (len(title_lines) * TITLE_PX + len(subtitle_lines) * SUBTITLE_PX) * fs * LINE + 12 * fs
    bottom = (
        10 + (len(caption_lines) * CAPTION_PX + len(source_lines) * SOURCE_PX) * LINE + 14
    ) * fs + legend_h
    margin = dict(l=side, r=side + round(legend_w), t=round(top), b=round(bottom))
    return Page(width, height, fs, title_lines, subtitle_lines, caption_lines, source_lines, margin, legend_h)


# --- scale bar ----------------------------------------------------------------------------
def nice_distance_km(span_km: float) -> float:
    """The 1-2-5 length (…, 10, 20, 50, 100, 200, 500, …) closest to a fifth of the map width."""
    target = span_km / 5
    k = math.floor(math.log10(target))
    steps = [m * 10**e for e in (k - 1, k, k + 1) for m in (1, 2, 5)]
    best = min(steps, key=lambda s: abs(math.log(s / target)))
    return int(best) if best >= 1 else best


def km_per_degree_lon(lat: float) -> float:
    """True length of one degree of longitude along the parallel `lat` (WGS84)."""
    return _GEOD.inv(0, lat, 1, lat)[2] / 1000


def map_width_km(view, lat: float) -> float:
    lon0, _, lon1, _ = view
    return (lon1 - lon0) * km_per_degree_lon(lat)


def along_parallel(lon0: float, lon1: float, lat: float, n: int = 24) -> tuple[list, list]:
    """Points along a parallel: plotly joins points by great circles, which bow on Mercator."""
    return [lon0 + (lon1 - lon0) * k / n for k in range(n + 1)], [lat] * (n + 1)


def scale_bar(view, corner: str, fs: float = 1.0) -> tuple[list, float]:
    """A scale bar in a bottom (or top) corner: true length at its own latitude, and its length in km."""
    right, top = corner.endswith("right"), corner.startswith("top")
    y = 0.93 if top else 0.05
    x_from = 0.96 if right else 0.04
    lon_from, lat = from_paper(x_from, y, view)
    km = nice_distance_km(map_width_km(view, lat))
    dlon = km / km_per_degree_lon(lat)
    start, end = (lon_from - dlon, lon_from) if right else (lon_from, lon_from + dlon)
    tick = (view[3] - view[1]) * 0.008
    lons, lats = along_parallel(start, end, lat)
    traces = [
        go.Scattergeo(
            lon=[start, *lons, end],
            lat=[lat + tick, *lats, lat + tick],
            mode="lines",
            line=dict(color="#222", width=2.5),
            hoverinfo="skip",
            showlegend=False,
            name="scale-bar",
        ),
        go.Scattergeo(
            lon=[(start + end) / 2],
            lat=[lat + tick * 2.5],
            mode="text",
            text=[f"{km:g} km"],
            textposition="top center",
            textfont=dict(size=12 * fs, color="#222"),
            hoverinfo="skip",
            showlegend=False,
            name="scale-label",
        ),
    ]
    return traces, km


# --- legend: size and place -----------------------------------------------------------------
@dataclass(frozen=True)
class LegendBox:
    columns: list  # [(group, title, [trace indices])], one per legend column
    width: float  # px
    height: float


def legend_entries(fig: go.Figure) -> list[tuple[str, str, list[int]]]:
    """(group, group title, trace indices) for what the legend shows, groups in trace order."""
    groups: dict[str, tuple[str, list[int]]] = {}
    for i, tr in enumerate(fig.data):
        if tr.showlegend is False or not tr.name:
            continue
        g = tr.legendgroup or tr.name
        title = tr.legendgrouptitle.text if tr.legendgrouptitle and tr.legendgrouptitle.text else ""
        groups.setdefault(g, (title, []))[1].append(i)
    return [(g, title, idx) for g, (title, idx) in groups.items()]


def legend_rows(max_h: float, fs: float) -> int:
    """How many legend rows fit in `max_h` px under a group title."""
    lf = LEGEND_PX * fs
    return max(3, int((max_h - 2.1 * lf - 12) // (1.95 * lf)))


def legend_box(fig: go.Figure, rows: int, fs: float) -> LegendBox:
    """Columns of at most `rows` entries; each group starts a column (plotly's horizontal grouped
    legend draws one column per group), a long group continues in the next."""
    lf = LEGEND_PX * fs
    item_h, title_h = 1.95 * lf, 2.1 * lf
    columns, width, tallest = [], 12.0, 0
    for g, title, idx in legend_entries(fig):
        for k in range(0, len(idx), rows):
            chunk = idx[k : k + rows]
            names = [fig.data[i].name for i in chunk]
            col_w = max(
                max(text_em(n) for n in names) * lf + 48 * fs,
                text_em(title) * lf * 1.05 + 12 if k == 0 else 0,
            )
            columns.append((f"{g}#{k // rows}" if k else g, title if k == 0 else " ", chunk))
            width += col_w
            tallest = max(tallest, len(chunk))
    return LegendBox(columns, width, title_h + tallest * item_h + 12 if columns else 0)


def place_legend(fig: go.Figure, width: int, height: int, texts: tuple) -> tuple[Page, LegendBox, str]:
    """Where the legend goes: beside the map on a wide page when the map stays wider than tall,
    in a corner when it is small beside the map, else in rows under the map. -> (page, legend, where)."""
    page = page_layout(width, height, *texts)
    if width > height:
        legend = legend_box(fig, legend_rows(page.map_h, page.fs), page.fs)
        if page.map_w - legend.width - 10 >= 1.1 * page.map_h:
            return page_layout(width, height, *texts, legend_w=legend.width + 10), legend, "right"
    legend = legend_box(fig, legend_rows(page.map_h * 0.5, page.fs), page.fs)
    if legend.width <= 0.45 * page.map_w and legend.height <= 0.5 * page.map_h:
        return page, legend, "corner"
    n = max((len(idx) for _, _, idx in legend_entries(fig)), default=1)
    for rows in range(3, n + 1):  # the fewest rows whose columns fit the page width
        legend = legend_box(fig, rows, page.fs)
        if legend.width <= page.width - 2 * page.margin["l"]:
            break
    return page_layout(width, height, *texts, legend_h=legend.height + 8 * page.fs), legend, "below"


CORNERS = ("top-right", "top-left", "bottom-right", "bottom-left")


def corner_box(corner: str, w: float, h: float) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in map-frame fractions of a w x h box in that corner."""
    x0 = 1 - w if corner.endswith("right") else 0
    y0 = 1 - h if corner.startswith("top") else 0
    return x0, y0, x0 + w, y0 + h


def count_inside(points, box) -> int:
    x0, y0, x1, y1 = box
    return sum(1 for x, y in points if x0 <= x <= x1 and y0 <= y <= y1)


def emptiest_corner(points, w: float, h: float, corners=CORNERS) -> str:
    """The corner whose w x h box holds the fewest points (ties: the order of `corners`)."""
    return min(corners, key=lambda c: count_inside(points, corner_box(c, w, h)))


SHOWN_SKIP = ("highlight", "mark labels", "area labels", "leaders")  # not marks: labels keep off the legend


def shown_positions(fig: go.Figure, view, area_points=()) -> list[tuple[float, float]]:
    """Map-frame positions of every drawn marker and line vertex, plus the given area centroids."""
    from layers.figure import N_BASE

    pts = []
    for tr in fig.data[N_BASE:]:
        if tr.type != "scattergeo" or tr.name in SHOWN_SKIP or tr.lon is None:
            continue
        pts += [(lon, lat) for lon, lat in zip(tr.lon, tr.lat) if lon is not None and lat is not None]
    pts += list(area_points)
    return [p for p in (to_paper(lon, lat, view) for lon, lat in pts) if 0 <= p[0] <= 1 and 0 <= p[1] <= 1]


# --- locator inset --------------------------------------------------------------------------
def needs_locator(view, focus_bounds) -> bool:
    """Only when the view leaves part of the two provinces out (a close-up needs its context)."""
    lon0, lat0, lon1, lat1 = view
    b0, b1, b2, b3 = focus_bounds
    return lon0 > b0 or lat0 > b1 or lon1 < b2 or lat1 < b3


def locator_traces(outlines, view) -> list:
    """The provinces' outlines and the view's frame, drawn on geo2."""
    lons, lats = outlines
    lon0, lat0, lon1, lat1 = view
    south, north = along_parallel(lon0, lon1, lat0), along_parallel(lon1, lon0, lat1)
    frame_lon = south[0] + north[0] + [lon0]
    frame_lat = south[1] + north[1] + [lat0]
    return [
        _locator_line("locator-provinces", lons, lats, "#777", 0.8),
        _locator_line("locator-frame", frame_lon, frame_lat, "#c0392b", 2),
    ]


def _locator_line(name: str, lons, lats, colour: str, width: float) -> go.Scattergeo:
    return go.Scattergeo(
        geo="geo2",
        lon=lons,
        lat=lats,
        mode="lines",
        line=dict(color=colour, width=width),
        hoverinfo="skip",
        showlegend=False,
        name=name,
    )


def province_outlines(boundaries) -> tuple[tuple[list, list], tuple[float, float, float, float]]:
    """Outline rings of the focus provinces (simplified: the inset is small) and their bounds."""
    prov = boundaries["provinces"]
    focus = prov[prov["role"] == "focus"]
    lons, lats = [], []
    for geom in focus.geometry.simplify(0.02):
        for poly in getattr(geom, "geoms", [geom]):
            xy = list(poly.exterior.coords)
            lons += [x for x, _ in xy] + [None]
            lats += [y for _, y in xy] + [None]
    return (lons, lats), tuple(float(v) for v in focus.total_bounds)


LOCATOR_PAD = 0.4  # degrees around what the inset shows


def _locator_geo(bounds, domain) -> dict:
    b0, b1, b2, b3 = bounds
    return dict(
        projection_type="mercator",
        visible=False,
        domain=domain,
        bgcolor="white",
        showframe=True,
        framecolor="#999",
        framewidth=1,
        lonaxis_range=[b0, b2],
        lataxis_range=list(plotly_lat_range(b1, b3)),
    )


# --- the page -------------------------------------------------------------------------------
def snapshot_figure(
    fig: go.Figure,
    filters: Filters,
    vocab,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "zh",
    view=None,
    page: Page | None = None,
    legend: LegendBox | None = None,
    legend_at: str = "corner",
    area_points=(),
    locator=None,
    plans_cited: list[str] | None = None,
    today: dt.date | None = None,
) -> go.Figure:
    """The page's figure dressed for paper; `plans_cited` are the plan numbers shown (all if None).

    `page` and `legend` come from `figure_for` (which sizes the map frame to them); without them the
    figure is dressed for an A4 landscape page. `locator` is ((lons, lats), bounds) of the provinces.
    """
    from layers.figure import view_ranges

    out = go.Figure(fig)
    rng = view_ranges(view)
    view = (rng["lon"][0], rng["lat"][0], rng["lon"][1], rng["lat"][1])
    title, caption, source = page_texts(filters, vocab, title, lang, plans_cited, today)
    if page is None:
        page = page_layout(*SIZES["a4-landscape"], title, subtitle, caption, source)
    fs = page.fs
    if legend is None:
        legend = legend_box(out, legend_rows(page.map_h * 0.6, fs), fs)
    lw, lh = legend.width / page.map_w, legend.height / page.map_h
    points = shown_positions(out, view, area_points)

    taken = {"bottom-left"} if out.layout.shapes else set()  # the size key sits there (layers/size_key.py)
    if legend_at == "right":
        leg = dict(x=1 + 10 / page.map_w, xanchor="left", y=1, yanchor="top")
    elif legend_at == "below":
        leg = dict(x=0, xanchor="left", y=-8 * fs / page.map_h, yanchor="top")
    else:
        corner = emptiest_corner(points, lw, lh, [c for c in CORNERS if c not in taken])
        taken.add(corner)
        leg = dict(
            x=1.0 if corner.endswith("right") else 0.0,
            xanchor="right" if corner.endswith("right") else "left",
            y=1.0 if corner.startswith("top") else 0.0,
            yanchor="top" if corner.startswith("top") else "bottom",
        )
    for col, (group, gtitle, idx) in enumerate(legend.columns):  # one legend column per group chunk
        for i in idx:
            out.data[i].legendgroup = group
            out.data[i].legendgrouptitle = dict(text=gtitle)
            out.data[i].legendrank = 1000 + col

    geo2 = None
    if locator is not None and needs_locator(view, locator[1]):
        fb = locator[1]  # the inset shows both provinces and the whole frame of the view
        b = (min(fb[0], view[0]), min(fb[1], view[1]), max(fb[2], view[2]), max(fb[3], view[3]))
        b = (b[0] - LOCATOR_PAD, b[1] - LOCATOR_PAD, b[2] + LOCATOR_PAD, b[3] + LOCATOR_PAD)
        aspect = (merc_y(b[3]) - merc_y(b[1])) / math.radians(b[2] - b[0])
        iw = min(0.2 * page.map_w, 0.32 * page.map_h / aspect)
        ih = iw * aspect
        wi, hi = iw / page.map_w, ih / page.map_h
        corner = emptiest_corner(
            points,
            wi,
            hi,
            [c for c in ("bottom-right", "bottom-left", "top-left", "top-right") if c not in taken],
        )
        taken.add(corner)
        x0, y0, x1, y1 = corner_box(corner, wi, hi)
        geo2 = _locator_geo(b, dict(x=[x0, x1], y=[y0, y1]))
        out.add_traces(locator_traces(locator[0], view))

    bar_corner = next(c for c in ("bottom-left", "bottom-right", "top-left", "top-right") if c not in taken)
    taken.add(bar_corner)
    bar, _ = scale_bar(view, bar_corner, fs)
    out.add_traces(bar)
    arrow_corner = next(
        (c for c in ("top-left", "top-right", "bottom-left", "bottom-right") if c not in taken), "top-left"
    )
    arrow_x = 0.02 if arrow_corner.endswith("left") else 0.98
    arrow_y = 0.97 if arrow_corner.startswith("top") else 0.03

    head = f"<b>{_html_lines(page.title_lines)}</b>" + (
        f"<br><span style='font-size:{SUBTITLE_PX * fs:.0f}px'>{_html_lines(page.subtitle_lines)}</span>"
        if page.subtitle_lines
        else ""
    )
    cap_h = len(page.caption_lines) * CAPTION_PX * fs * LINE
    below = page.legend_h  # captions go under a legend in rows
    layout = dict(
        title=dict(
            text=head,
            x=page.margin["l"] / page.width,
            xanchor="left",
            xref="container",
            y=1 - 14 * fs / page.height,
            yanchor="top",
            yref="container",
            font=dict(size=TITLE_PX * fs),
        ),
        margin=page.margin,
        showlegend=True,
        legend=dict(
            **leg,
            orientation="h",
            font=dict(size=LEGEND_PX * fs),
            tracegroupgap=0,
            entrywidth=0,
            itemsizing="trace",
            grouptitlefont=dict(size=LEGEND_PX * fs * 1.05),
            bgcolor="rgba(255,255,255,0.9)",
            bordercolor="#ccc",
            borderwidth=1,
        ),
        annotations=[
            *out.layout.annotations,  # the size key's values and title
            dict(
                text=_html_lines(page.caption_lines),
                x=0.0,
                y=0.0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                yshift=-10 * fs - below,
                showarrow=False,
                align="left",
                font=dict(size=CAPTION_PX * fs, color="#333"),
                name="caption",
            ),
            dict(
                text=_html_lines(page.source_lines),
                x=0.0,
                y=0.0,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                yshift=-10 * fs - below - cap_h - 4,
                showarrow=False,
                align="left",
                font=dict(size=SOURCE_PX * fs, color="#555"),
                name="source",
            ),
            dict(
                text="<b>N</b><br>▲",
                x=arrow_x,
                y=arrow_y,
                xref="paper",
                yref="paper",
                showarrow=False,
                xanchor="left" if arrow_x < 0.5 else "right",
                yanchor="top" if arrow_y > 0.5 else "bottom",
                font=dict(size=16 * fs, color="#222"),
                align="center",
                name="north-arrow",
            ),
        ],
    )
    if geo2:
        layout["geo2"] = geo2
    out.update_layout(**layout)
    return out


def page_texts(filters, vocab, title, lang, plans_cited, today) -> tuple[str, str, str]:
    """The title, filter caption and source line (with the date) of a page."""
    sep = "；" if lang == "zh" else "; "
    title = title or default_title(filters, vocab, lang)
    caption = t(
        "filters_caption", lang, filters=sep.join(describe(filters, vocab, lang)) or t("no_filters", lang)
    )
    plans = [p for p in vocab.plans if plans_cited is None or p["number"] in plans_cited]
    source = t(
        "source_note",
        lang,
        plans=sep.join(
            f"{p['title']}（{p['period']}）" if lang == "zh" else f"{p['title_en']} ({p['period']})"
            for p in plans
        ),
    )
    return title, caption, f"{source} {(today or dt.date.today()).isoformat()}"


def plans_in(elements) -> list[str]:
    return sorted(set(elements["plan_number"]))


def figure_for(
    store,
    filters: Filters,
    *,
    lang: str = "zh",
    view=None,
    layers=None,
    selected=None,
    title: str | None = None,
    subtitle: str | None = None,
    size: tuple[int, int] | None = None,
    today: dt.date | None = None,
) -> go.Figure:
    """The snapshot figure for a view: the same figure function as the page, dressed for a page of `size` px.

    The map frame is what the page leaves after the wrapped texts and (on a wide page) the legend;
    the view is widened to fill it exactly, so paper and map coordinates agree.
    """
    from layers.coverage import coverage_notes
    from layers.figure import DEFAULT_LAYERS, MapOptions, build_figure, fit_view
    from layers.filters import filter_mask

    width, height = size or SIZES["a4-landscape"]
    mask = filter_mask(store.elements, filters)
    shown = store.elements[mask]
    cited = plans_in(shown) or None
    full_title, caption, source = page_texts(filters, store.vocab, title, lang, cited, today)
    opts = MapOptions(
        lang=lang,
        layers=tuple(layers) if layers is not None else DEFAULT_LAYERS,
        selected=selected,
        focus_industries=tuple(filters.industry),
        legend="none",  # the page places the legend
        notes=coverage_notes(filters, store.vocab, store.boundaries),
    )
    fig = build_figure(store.map, mask, opts)

    page, legend, where = place_legend(fig, width, height, (full_title, subtitle, caption, source))
    view = fit_view(view, page.map_w, page.map_h)
    polys = shown[shown.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    area_points = [(p.x, p.y) for p in polys.geometry.representative_point()]
    # the corner snapshot_figure will give the legend (it depends on the marks only): labels keep off it
    keep_clear = ()
    if where == "corner":
        lw, lh = legend.width / page.map_w, legend.height / page.map_h
        taken = {"bottom-left"} if fig.layout.shapes else set()
        points = shown_positions(fig, view, area_points)
        keep_clear = (
            corner_box(emptiest_corner(points, lw, lh, [c for c in CORNERS if c not in taken]), lw, lh),
        )
    # again, for this frame: element labels are placed in the paper's own pixels
    size = (int(page.map_w), int(page.map_h))
    fig = build_figure(store.map, mask, replace(opts, view=view, size=size, keep_clear=keep_clear))
    # an explicit domain: with a second geo (the locator) plotly would otherwise shrink the map
    fig.update_layout(
        geo=dict(
            lonaxis_range=[view[0], view[2]],
            lataxis_range=list(plotly_lat_range(view[1], view[3])),
            domain=dict(x=[0, 1], y=[0, 1]),
        )
    )
    return snapshot_figure(
        fig,
        filters,
        store.vocab,
        title=full_title,
        subtitle=subtitle,
        lang=lang,
        view=view,
        page=page,
        legend=legend,
        legend_at=where,
        area_points=area_points,
        locator=province_outlines(store.boundaries),
        plans_cited=cited,
        today=today,
    )


# --- atlas: a contents page and the views, one per page -------------------------------------
ATLAS_HEAD = {"zh": ("图集目录", "共 {n} 幅"), "en": ("Atlas contents", "{n} maps")}


def atlas_cover(
    entries: list[tuple[str, str]], width: int, height: int, lang: str = "zh", today: dt.date | None = None
) -> go.Figure:
    """The first page of an atlas: number, title and filter caption of every view (page n + 1)."""
    fs = min(max(min(width, height) / 794, 0.85), 1.4)
    side = 40 * fs
    head, count = ATLAS_HEAD.get(lang, ATLAS_HEAD["zh"])
    notes, y = [], height - 40 * fs
    notes.append(dict(text=f"<b>{html.escape(head)}</b>", x=side, y=y, font=dict(size=24 * fs)))
    y -= 34 * fs
    notes.append(
        dict(
            text=f"{count.format(n=len(entries))} · {(today or dt.date.today()).isoformat()}",
            x=side,
            y=y,
            font=dict(size=12 * fs, color="#555"),
        )
    )
    y -= 34 * fs
    text_em_w = (width - 2 * side - 40 * fs) / (15 * fs)
    for i, (title, caption) in enumerate(entries, 1):
        t_lines = wrap_text(f"{title}", text_em_w)
        notes.append(dict(text=f"<b>{i}</b>", x=side, y=y, font=dict(size=15 * fs)))
        notes.append(
            dict(text=f"<b>{_html_lines(t_lines)}</b>", x=side + 40 * fs, y=y, font=dict(size=15 * fs))
        )
        y -= len(t_lines) * 15 * fs * LINE + 2 * fs
        c_lines = wrap_text(caption, text_em_w * 15 / 11)
        notes.append(
            dict(text=_html_lines(c_lines), x=side + 40 * fs, y=y, font=dict(size=11 * fs, color="#444"))
        )
        y -= len(c_lines) * 11 * fs * LINE + 16 * fs
    fig = go.Figure()
    fig.update_layout(
        width=width,
        height=height,
        margin=dict(l=0, r=0, t=0, b=0),
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(family=_font_family(), color="#222"),
        showlegend=False,
        xaxis=dict(visible=False, range=[0, width]),
        yaxis=dict(visible=False, range=[0, height]),
        annotations=[
            dict(n, xref="x", yref="y", xanchor="left", yanchor="top", showarrow=False, align="left")
            for n in notes
        ],
    )
    return fig


def _font_family() -> str:
    from layers.style import FONT_FAMILY

    return FONT_FAMILY


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF with the pages of every given PDF, in order."""
    import io

    import pikepdf

    merged = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(b)) for b in pdfs]
    try:
        for src in sources:
            merged.pages.extend(src.pages)
        buf = io.BytesIO()
        merged.save(buf)
    finally:
        for src in sources:
            src.close()
    return buf.getvalue()


# --- rendering: one warm Chromium per process ------------------------------------------------
def check_renderer() -> None:
    """Say what is missing, with the command that installs it, before kaleido fails obscurely."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
        raise SnapshotError(
            "no Chromium found for rendering; install it with: sudo apt-get install -y chromium "
            "(or run `make system`)"
        )
    try:
        fonts = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        fonts = ""
    if "CJK" not in fonts:
        raise SnapshotError(
            "no CJK font installed: Chinese would render as empty boxes; install it with: "
            "sudo apt-get install -y fonts-noto-cjk (or run `make system`)"
        )


class _Chromium:
    """A kaleido browser on its own event-loop thread; calls come from any thread, one at a time."""

    def __init__(self):
        import kaleido

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido-renderer", daemon=True)
        self.thread.start()

        async def _open():
            k = kaleido.Kaleido(n=1, timeout=None, mathjax=False)
            await k.open()
            return k

        try:
            self.kaleido = self._call(_open(), START_TIMEOUT_S)
        except BaseException:
            self._stop_loop()
            raise
        self.topojson = (ASSETS / "topojson").as_uri() + "/"

    def _call(self, coro, timeout: float):
        fut = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return fut.result(timeout)
        except concurrent.futures.TimeoutError:
            fut.cancel()
            raise

    def calc(self, fig_dict: dict, opts: dict, timeout: float) -> bytes:
        return self._call(self.kaleido.calc_fig(fig_dict, opts=opts, topojson=self.topojson), timeout)

    def _stop_loop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def close(self):
        try:
            self._call(self.kaleido.close(), 20)
        except BaseException:  # a dead browser is already closed
            pass
        self._stop_loop()


_LOCK = threading.Lock()  # one render at a time: concurrent requests queue here
_WARM: _Chromium | None = None
_CHECKED = False


def _warm() -> _Chromium:
    global _WARM, _CHECKED
    if _WARM is None:
        if not _CHECKED:
            check_renderer()
            _CHECKED = True
        try:
            _WARM = _Chromium()
        except concurrent.futures.TimeoutError:
            raise SnapshotError(
                f"rendering failed: Chromium did not start within {START_TIMEOUT_S:g} s"
            ) from None
        except Exception as e:
            raise SnapshotError(f"rendering failed: cannot start Chromium ({type(e).__name__}: {e})") from e
    return _WARM


def _drop_warm() -> None:
    """After a failure or a time-out the browser may be stuck: start a fresh one next time."""
    global _WARM
    if _WARM is not None:
        _WARM.close()
        _WARM = None


@atexit.register
def shutdown() -> None:
    """Stop the warm Chromium (at interpreter exit; never by a request)."""
    if _LOCK.acquire(timeout=5):  # a render stuck at exit must not hang the exit: the thread is a daemon
        try:
            _drop_warm()
        finally:
            _LOCK.release()


def render(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    """PNG/SVG/PDF bytes of a page of width x height px; `scale` multiplies PNG pixels only.

    A PDF's ToUnicode maps are repaired so its Chinese searches and copies as typed.
    """
    if fmt not in FORMATS:
        raise SnapshotError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    opts = dict(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
    fig_dict = fig.to_dict()
    if not _LOCK.acquire(timeout=RENDER_TIMEOUT_S * 3):
        raise SnapshotError(f"rendering took longer than {RENDER_TIMEOUT_S * 3:g} s: the renderer is busy")
    try:
        chromium = _warm()
        try:
            data = chromium.calc(fig_dict, opts, RENDER_TIMEOUT_S)
        except concurrent.futures.TimeoutError:
            _drop_warm()
            raise SnapshotError(f"rendering took longer than {RENDER_TIMEOUT_S:g} s") from None
        except Exception as e:
            _drop_warm()
            raise SnapshotError(f"rendering failed: {type(e).__name__}: {e}") from e
    finally:
        _LOCK.release()
    if fmt == "pdf":
        from layers.pdf_text import repair_to_unicode

        try:
            data = repair_to_unicode(data)
        except Exception as e:  # a PDF we cannot read back is a failed render, not a crash
            raise SnapshotError(
                f"rendering failed: the PDF could not be read back ({type(e).__name__}: {e})"
            ) from e
    return data


class Renderer:
    """The warm renderer as a context manager (kept for callers; entering and leaving start and stop nothing)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def render(self, fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        return render(fig, fmt, width, height, scale)
