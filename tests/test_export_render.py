"""Rendered pages read back: titles inside the page, the legend over no marker, the warm renderer's behaviour."""

import re
import struct
import threading

import pytest

import layers.snapshot as snap
from layers.filters import parse_filters
from layers.snapshot import PAGE_PRESETS, SnapshotError, drawn_view, figure_for, render, to_paper

pytestmark = pytest.mark.export
LONG_TITLE = (
    "河北沿海经济隆起带 2011-2015：石油化工、钢铁、装备制造与现代物流的布局和 coastal industrial belts"
)


def svg_of(fig, width, height) -> str:
    return render(fig, "svg", width, height).decode("utf-8")


def title_box(svg: str) -> tuple[float, float, float, int]:
    """x, baseline of the first line, font size (px) and number of lines of the title <text>."""
    m = re.search(r'<text class="gtitle"([^>]*)>(.*?)</text>', svg, re.S)
    assert m, "no title in the SVG"
    attr = dict(re.findall(r'([\w-]+)="([^"]*)"', m[1]))
    x, y = float(attr["x"]), float(attr["y"])
    dy = float(
        attr.get("dy", "0em").removesuffix("em")
    )  # plotly anchors the first line's baseline 0.7 em down
    size = float(re.search(r"font-size: ([\d.]+)px", attr["style"])[1])
    return x, y + dy * size, size, max(1, m[2].count('class="line"'))


@pytest.mark.parametrize("preset", list(PAGE_PRESETS))
def test_title_inside_the_page_at_every_preset(store, preset):
    width, height = PAGE_PRESETS[preset][:2]
    fig = figure_for(
        store,
        parse_filters({"q": "沿海"}, store.vocab)[0],
        size=(width, height),
        title=LONG_TITLE,
        subtitle="钢铁与石化 · 2011-2015",
    )
    x, baseline, size, lines = title_box(svg_of(fig, width, height))
    assert baseline - size >= 0 and x >= 0  # the first line's top is on the page (it was cut off on 16:9)
    assert baseline + (lines - 1) * size * 1.3 < fig.layout.margin.t  # the last line ends above the map frame
    if preset == "16x9":
        assert lines >= 2  # 50 em of title do not fit one line of a slide


def legend_rect(svg: str):
    m = re.search(
        r'<g class="legend"[^>]*transform="translate\(([\d.]+),\s?([\d.]+)\)"><rect class="bg"[^>]*'
        r'width="([\d.]+)" height="([\d.]+)"',
        svg,
    )
    assert m, "no legend in the SVG"
    return tuple(float(v) for v in m.groups())


def svg_points(svg: str) -> list[tuple[float, float]]:
    """Centres of the drawn map markers (not the legend's keys)."""
    geo = (
        svg[svg.index('class="geolayer"') : svg.index('class="legend"')] if 'class="geolayer"' in svg else svg
    )
    return [
        (float(a), float(b))
        for a, b in re.findall(r'class="point"[^>]*transform="translate\(([\d.]+),([\d.]+)\)', geo)
    ]


@pytest.mark.parametrize(
    "filters, size",
    [
        ({"industry": "textiles"}, (1123, 794)),
        ({"q": "钢铁"}, (1123, 794)),
        ({"industry": "steel", "plan": "004"}, (794, 1123)),
        ({"industry": "steel"}, (1280, 720)),
    ],
)
def test_legend_covers_no_marker(store, filters, size):
    fig = figure_for(store, parse_filters(filters, store.vocab)[0], size=size)
    svg = svg_of(fig, *size)
    lx, ly, lw, lh = legend_rect(svg)
    m = fig.layout.margin
    view = drawn_view(fig.layout.geo.lonaxis.range, fig.layout.geo.lataxis.range)
    map_w, map_h = size[0] - m.l - m.r, size[1] - m.t - m.b
    markers = [
        (m.l + x * map_w, m.t + (1 - y) * map_h)
        for x, y in (
            to_paper(lon, lat, view)
            for tr in fig.data
            if tr.type == "scattergeo" and (tr.uid or "").startswith("points-") and tr.lon
            for lon, lat in zip(tr.lon, tr.lat)
        )
        if 0 <= x <= 1 and 0 <= y <= 1
    ]
    assert markers
    drawn = svg_points(svg)
    # paper coordinates from the Mercator ranges are where plotly drew the markers
    near = sum(1 for px, py in markers if min(abs(px - dx) + abs(py - dy) for dx, dy in drawn) < 3)
    assert near >= 0.95 * len(markers)
    inside = [(px, py) for px, py in markers if lx <= px <= lx + lw and ly <= py <= ly + lh]
    assert not inside, f"legend at {lx, ly, lw, lh} covers {inside[:5]}"
    assert lx >= 0 and ly >= 0 and lx + lw <= size[0] and ly + lh <= size[1]  # and it is on the page


def png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_two_exports_at_once_both_succeed(store):
    fig = figure_for(store, parse_filters({"industry": "steel"}, store.vocab)[0], size=(800, 600))
    results, errors = {}, []

    def export(name, fmt):
        try:
            results[name] = render(fig, fmt, 800, 600, 2)
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=export, args=(n, f)) for n, f in (("a", "png"), ("b", "pdf"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    assert not errors and png_size(results["a"]) == (1600, 1200) and results["b"].startswith(b"%PDF")
    assert snap._WARM is not None  # the renderer stays warm for the next request


def test_renderer_failure_is_a_snapshot_error(store, monkeypatch):
    fig = figure_for(store, parse_filters({}, store.vocab)[0], size=(800, 600))

    def broken(self, *a, **k):
        raise RuntimeError("Chromium crashed")

    monkeypatch.setattr(snap._Chromium, "calc", broken)
    with pytest.raises(SnapshotError, match="rendering failed: RuntimeError: Chromium crashed"):
        render(fig, "png", 800, 600)
    monkeypatch.undo()
    assert png_size(render(fig, "png", 800, 600)) == (800, 600)  # and the next export works again


def test_slow_render_times_out_with_words(store, monkeypatch):
    fig = figure_for(store, parse_filters({}, store.vocab)[0], size=(800, 600))
    monkeypatch.setattr(snap, "RENDER_TIMEOUT_S", 0.001)
    with pytest.raises(SnapshotError, match=r"rendering took longer than 0.001 s"):
        render(fig, "pdf", 800, 600)
    monkeypatch.undo()
    assert render(fig, "pdf", 800, 600).startswith(b"%PDF")  # a fresh Chromium replaces the stuck one


def test_export_dialog_reports_a_failure(store, monkeypatch):
    from callbacks.export import export_snapshot

    def broken(self, *a, **k):
        raise RuntimeError("Chromium crashed")

    monkeypatch.setattr(snap._Chromium, "calc", broken)
    data, status = export_snapshot(1, "pdf", "a4-landscape", 2, "钢铁", None, "all", None, "zh")
    assert "rendering failed" in status and "Chromium crashed" in status
    monkeypatch.undo()
    data, status = export_snapshot(1, "pdf", "a4-landscape", 2, "钢铁", None, "all", None, "zh")
    assert status.startswith("✓") and data["base64"]
    import base64

    pdf = base64.b64decode(data["content"])
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    assert (
        box and abs(float(box[1]) - 842) <= 1 and abs(float(box[2]) - 595) <= 1
    )  # A4 at scale 2 is still A4
