"""Briefing snapshots: the page's map plus title, filter caption, source note, scale bar, north arrow, date.

`snapshot_figure` is pure (figure in, figure out); `render` writes PNG/SVG/PDF
through kaleido and the system Chromium, with the topojson served from disk.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import plotly.graph_objects as go
from pyproj import Geod

from layers.filters import Filters, describe
from layers.figure import fit_view
from layers.i18n import t

ASSETS = Path(__file__).resolve().parents[1] / "assets"
# name -> (width px, height px) at scale 1 (A4 at 96 dpi-ish proportions)
SIZES = {"a4-landscape": (1123, 794), "a4-portrait": (794, 1123), "16x9": (1280, 720)}
FORMATS = ("png", "svg", "pdf")
_GEOD = Geod(ellps="WGS84")


class SnapshotError(RuntimeError):
    pass


def parse_size(size: str) -> tuple[int, int]:
    """'a4-landscape' | 'a4-portrait' | '16x9' | 'WxH' -> pixels at scale 1."""
    if size in SIZES:
        return SIZES[size]
    parts = size.lower().split("x")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        w, h = int(parts[0]), int(parts[1])
        if 300 <= w <= 6000 and 300 <= h <= 6000:
            return w, h
    raise SnapshotError(f"unknown size '{size}'; use a4-landscape, a4-portrait, 16x9 or WxH (300-6000 px)")


def default_title(filters: Filters, vocab, lang: str = "zh") -> str:
    """A title that says what the map shows, from the active filters."""
    parts = describe(filters, vocab, lang)
    base = t("map_title_default", lang)
    return f"{base}：{'，'.join(parts)}" if parts and lang == "zh" else (f"{base}: {'; '.join(parts)}" if parts else base)


def nice_distance_km(span_km: float) -> int:
    """A round scale-bar length about a fifth of the map width."""
    target = span_km / 5
    for step in (10, 20, 25, 50, 100, 150, 200, 250, 300, 500):
        if step >= target:
            return step
    return 500


def scale_bar(lon0: float, lon1: float, lat0: float, lat1: float, lang: str) -> tuple[list, list]:
    """A scale bar in map coordinates (true length at its own latitude, via pyproj) and its label."""
    lat = lat0 + (lat1 - lat0) * 0.06
    start = lon0 + (lon1 - lon0) * 0.04
    width_km = _GEOD.inv(lon0, lat, lon1, lat)[2] / 1000
    km = nice_distance_km(width_km)
    end_lon, _, _ = _GEOD.fwd(start, lat, 90, km * 1000)
    tick = (lat1 - lat0) * 0.008
    traces = [
        go.Scattergeo(lon=[start, start, end_lon, end_lon], lat=[lat + tick, lat, lat, lat + tick], mode="lines",
                      line=dict(color="#222", width=2.5), hoverinfo="skip", showlegend=False, name="scale-bar"),
        go.Scattergeo(lon=[(start + end_lon) / 2], lat=[lat + tick * 2.5], mode="text", text=[f"{km} km"],
                      textfont=dict(size=12, color="#222"), hoverinfo="skip", showlegend=False, name="scale-label"),
    ]
    return traces, [km]


def snapshot_figure(fig: go.Figure, filters: Filters, vocab, *, title: str | None = None,
                    subtitle: str | None = None, lang: str = "zh", view=None,
                    plans_cited: list[str] | None = None, today: dt.date | None = None) -> go.Figure:
    """The page's figure dressed for paper; `plans_cited` are the plan numbers shown (all if None)."""
    from layers.figure import view_ranges

    out = go.Figure(fig)
    rng = view_ranges(view)
    (lon0, lon1), (lat0, lat1) = rng["lon"], rng["lat"]
    bar, _ = scale_bar(lon0, lon1, lat0, lat1, lang)
    for tr in bar:
        out.add_trace(tr)
    title = title or default_title(filters, vocab, lang)
    caption = t("filters_caption", lang, filters=("；" if lang == "zh" else "; ").join(describe(filters, vocab, lang))
                or t("no_filters", lang))
    plans = [p for p in vocab.plans if plans_cited is None or p["number"] in plans_cited]
    sep = "；" if lang == "zh" else "; "
    source = t("source_note", lang, plans=sep.join(
        f"{p['title']}（{p['period']}）" if lang == "zh" else f"{p['title_en']} ({p['period']})" for p in plans))
    date = (today or dt.date.today()).isoformat()
    head = f"<b>{title}</b>" + (f"<br><span style='font-size:14px'>{subtitle}</span>" if subtitle else "")
    out.update_layout(
        title=dict(text=head, x=0.02, xanchor="left", y=0.985, yanchor="top", font=dict(size=22)),
        margin=dict(l=20, r=20, t=90 if subtitle else 70, b=80),
        showlegend=True,
        annotations=[
            dict(text=_wrap(caption, 150), x=0.0, y=-0.02, xref="paper", yref="paper", xanchor="left", yanchor="top",
                 showarrow=False, align="left", font=dict(size=11, color="#333")),
            dict(text=_wrap(f"{source} {date}", 170), x=0.0, y=-0.065, xref="paper", yref="paper", xanchor="left",
                 yanchor="top", showarrow=False, align="left", font=dict(size=9, color="#555")),
            dict(text="<b>N</b><br>▲", x=0.02, y=0.96, xref="paper", yref="paper", showarrow=False,
                 font=dict(size=16, color="#222"), align="center", name="north-arrow"),
        ],
    )
    return out


def _wrap(text: str, width: int) -> str:
    """Break long caption lines (plotly annotations do not wrap by themselves)."""
    lines, line = [], ""
    for ch in text:
        line += ch
        if len(line) >= width and ch in " ；;，,、）)":
            lines.append(line)
            line = ""
    return "<br>".join(lines + [line])


def check_renderer() -> None:
    """Say what is missing, with the command that installs it, before kaleido fails obscurely."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
        raise SnapshotError("no Chromium found for rendering; install it with: sudo apt-get install -y chromium "
                            "(or run `make system`)")
    try:
        fonts = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        fonts = ""
    if "CJK" not in fonts:
        raise SnapshotError("no CJK font installed: Chinese would render as empty boxes; install it with: "
                            "sudo apt-get install -y fonts-noto-cjk (or run `make system`)")


class Renderer:
    """kaleido with one warm Chromium, reused across snapshots (a batch pays the start-up once)."""

    def __init__(self):
        import plotly.io as pio

        check_renderer()
        pio.defaults.topojson = (ASSETS / "topojson").as_uri() + "/"
        self._started = False

    def __enter__(self):
        import kaleido

        try:
            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            self._started = True
        except Exception:  # an already-running server is fine
            self._started = False
        return self

    def __exit__(self, *exc):
        import kaleido

        if self._started:
            kaleido.stop_sync_server(silence_warnings=True)

    def render(self, fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        if fmt not in FORMATS:
            raise SnapshotError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
        import warnings

        with warnings.catch_warnings():  # plotly warns that kaleido options go unused with a warm server
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            return fig.to_image(format=fmt, width=width, height=height, scale=scale)


def plans_in(elements) -> list[str]:
    return sorted(set(elements["plan_number"]))


def figure_for(store, filters: Filters, *, lang: str = "zh", view=None, layers=None, selected=None,
               title: str | None = None, subtitle: str | None = None, size: tuple[int, int] | None = None) -> go.Figure:
    """The snapshot figure for a view: the same figure function as the page, dressed for paper.

    With `size` (px), the view is widened to fill the page's map area.
    """
    if size:
        top = 90 if subtitle else 70
        view = fit_view(view, size[0] - 40, size[1] - top - 80)
    from layers.figure import DEFAULT_LAYERS, MapOptions, build_figure
    from layers.filters import filter_mask

    mask = filter_mask(store.elements, filters)
    opts = MapOptions(lang=lang, layers=tuple(layers) if layers is not None else DEFAULT_LAYERS,
                      selected=selected, view=view)
    fig = build_figure(store.map, mask, opts)
    return snapshot_figure(fig, filters, store.vocab, title=title, subtitle=subtitle, lang=lang, view=view,
                           plans_cited=plans_in(store.elements[mask]) or None)
