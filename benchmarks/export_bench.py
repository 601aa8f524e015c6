"""Export timings: the warm renderer (one Chromium per process) beside the cold path (a Chromium per file).

    python -m benchmarks.export_bench      (or `python -m benchmarks.run --only snapshot`)

Reported through benchmarks.run.record: ours = warm, baseline = cold. The PDF rows include the
ToUnicode repair; page sizes are printed in points at scales 1 and 2.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIEWS = (
    {"industry": "steel"},
    {"province": "henan"},
    {"plan": "002"},
    {"kind": "zone"},
    {"period": "2017"},
    {"min_revenue": "1000"},
    {"q": "沿海"},
    {"industry": "textiles"},
    {"industry": "biomed"},
    {},
)


def _timed(fn, n: int = 1) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cold_render(fig, fmt: str, width: int, height: int) -> bytes:
    """A Chromium started and stopped for this one file (what each click cost before), repair included."""
    import plotly.io as pio

    from layers.pdf_text import repair_to_unicode

    pio.defaults.topojson = (ROOT / "assets" / "topojson").as_uri() + "/"
    data = fig.to_image(
        format=fmt, width=width, height=height, scale=1
    )  # no server running: a one-shot browser
    return repair_to_unicode(data) if fmt == "pdf" else data


def page_sizes() -> list[tuple[str, float, str]]:
    """PDF page size in points per preset at scales 1 and 2 (rendered, read back with pikepdf)."""
    import io

    import pikepdf

    from layers.filters import parse_filters
    from layers.snapshot import PAGE_PRESETS, figure_for, render
    from layers.store import get_store

    store = get_store()
    rows = []
    for name, (w, h, _) in PAGE_PRESETS.items():
        fig = figure_for(store, parse_filters({"industry": "steel"}, store.vocab)[0], size=(w, h))
        for scale in (1, 2):
            with pikepdf.open(io.BytesIO(render(fig, "pdf", w, h, scale))) as pdf:
                box = [float(v) for v in pdf.pages[0].mediabox]
            rows.append((name, scale, f"{box[2] - box[0]:.1f} x {box[3] - box[1]:.1f} pt"))
    return rows


def run(record, repeat: int = 3) -> None:
    from layers.filters import parse_filters
    from layers.snapshot import SIZES, figure_for, render
    from layers.store import get_store

    store = get_store()
    a4 = SIZES["a4-landscape"]
    fig = figure_for(store, parse_filters({"industry": "steel"}, store.vocab)[0], size=a4)
    t0 = time.perf_counter()
    render(fig, "png", *a4)  # the first export of a process starts the Chromium
    first = time.perf_counter() - t0
    warm_png = _timed(lambda: render(fig, "png", *a4, 2), repeat)
    warm_pdf = _timed(lambda: render(fig, "pdf", *a4), repeat)
    cold_png = _timed(lambda: cold_render(fig, "png", *a4))
    cold_pdf = _timed(lambda: cold_render(fig, "pdf", *a4))
    filters = [parse_filters(v, store.vocab)[0] for v in VIEWS]
    batch = _timed(lambda: [render(figure_for(store, f, size=a4), "pdf", *a4) for f in filters])
    naive = (
        _timed(lambda: [cold_render(figure_for(store, f, size=a4), "pdf", *a4) for f in filters[:3]]) * 10 / 3
    )
    record("snapshot_first_of_process_s", round(first, 2), None, "s", note="Chromium start + first A4 PNG")
    record(
        "snapshot_png_s",
        round(warm_png, 2),
        round(cold_png, 2),
        "s",
        "≤ 1 s warm",
        note="A4 landscape PNG at scale 2, warm renderer vs a Chromium per file",
    )
    record(
        "snapshot_pdf_s",
        round(warm_pdf, 2),
        round(cold_pdf, 2),
        "s",
        "≤ 1.5 s warm",
        note="A4 landscape PDF with the ToUnicode repair, warm vs cold",
    )
    record(
        "snapshot_batch_of_10_s",
        round(batch, 2),
        round(naive, 2),
        "s",
        "≤ 10 s",
        note="ten A4 PDFs (figure + render + repair), warm; baseline: 3 cold ones x 10/3",
    )
    for name, scale, size in page_sizes():
        print(f"  page {name:<14} scale {scale}: {size}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import record

    run(record)
