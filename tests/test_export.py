"""Snapshots and data export from the command line, each file read back."""

import json
import struct
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.export
APP = [sys.executable, str(ROOT / "app.py")]
COASTAL = ["--q", "沿海", "--plan", "000", "--industry", "steel", "--industry", "石化", "--view", "河北省"]


def cli(*args, check=True):
    r = subprocess.run([*APP, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def pdf_text(path, page=None):
    """pdftotext's raw output: what a reader's search and copy get (no normalising)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_page_size(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    line = next(x for x in info.splitlines() if x.startswith("Page size:"))
    w, _, h = line.split(":")[1].split()[:3]
    return float(w), float(h)


@pytest.mark.parametrize(
    "size, scale, expected",
    [("a4-landscape", 1, (1123, 794)), ("16x9", 2, (2560, 1440)), ("800x600", 1, (800, 600))],
)
def test_png_size_matches_preset(tmp_path, size, scale, expected):
    out = tmp_path / "map.png"
    cli("snapshot", "--out", str(out), "--size", size, "--scale", str(scale), "--industry", "steel")
    assert png_size(out) == expected


def test_pdf_has_title_legend_caption_source(tmp_path):
    out = tmp_path / "coastal.pdf"
    title = "河北沿海经济隆起带 2011-2015：石油化工与钢铁"
    cli("snapshot", "--out", str(out), "--title", title, *COASTAL)
    text = pdf_text(out)
    compact = text.replace("\n", "").replace(" ", "")
    for needle in (
        title.replace(" ", ""),
        "产业（点的颜色）",
        "钢铁",
        "石油化工",
        "筛选",
        "资料来源",
        "河北省工业和信息化发展",
        "km",
        "N",
    ):
        assert needle in compact, needle  # exactly as typed: 石 not ⽯ (U+2F6F), 工 not ⼯
    assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in text)


A4, A3 = (841.89, 595.28), (1190.55, 841.89)  # ISO 216 in points


@pytest.mark.parametrize(
    "size, points",
    [("a4-landscape", A4), ("a4-portrait", A4[::-1]), ("a3-landscape", A3), ("16x9", (960, 540))],
)
@pytest.mark.parametrize("scale", ["1", "2"])
def test_pdf_page_is_the_paper_size_at_any_scale(tmp_path, size, points, scale):
    out = tmp_path / "p.pdf"
    cli("snapshot", "--out", str(out), "--size", size, "--scale", scale, "--industry", "steel")
    w, h = pdf_page_size(out)
    assert abs(w - points[0]) <= 1 and abs(h - points[1]) <= 1, (w, h)


def test_svg_has_title_and_scale_bar(tmp_path):
    out = tmp_path / "m.svg"
    cli("snapshot", "--out", str(out), "--title", "钢铁基地", "--industry", "steel")
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "钢铁基地" in svg and " km<" in svg and "资料来源" in svg


def test_english_snapshot(tmp_path):
    out = tmp_path / "en.pdf"
    cli("snapshot", "--out", str(out), "--lang", "en", "--industry", "steel")
    text = pdf_text(out)
    assert "Industry (point colour)" in text and "Source:" in text


def test_existing_file_needs_force(tmp_path):
    out = tmp_path / "x.png"
    out.write_bytes(b"keep me")
    r = cli("snapshot", "--out", str(out), check=False)
    assert r.returncode == 2 and "--force" in r.stderr and out.read_bytes() == b"keep me"


@pytest.mark.parametrize(
    "args, message",
    [
        (["snapshot", "--out", "x.gif"], "must end in .png or .svg or .pdf"),
        (["snapshot", "--out", "x.png", "--industry", "stee1"], "unknown industry 'stee1'"),
        (["snapshot", "--out", "x.png", "--size", "huge"], "unknown size 'huge'"),
        (["snapshot", "--out", "x.png", "--scale", "50"], "--scale must be between"),
        (["export-data", "--out", "x.csv", "--period", "1999"], "no plan period covers the year '1999'"),
        (["export-data", "--out", "x.xlsx"], "must end in .csv or .geojson"),
        (["export-data", "--out", "/nonexistent-dir/x.csv"], "does not exist"),
    ],
)
def test_bad_options_clear_message(tmp_path, args, message):
    r = subprocess.run([*APP, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr


def test_bad_flag_is_usage_error():
    r = cli("snapshot", "--out", "x.png", "--colour", "red", check=False)
    assert r.returncode == 2 and "unrecognized arguments" in r.stderr


def test_batch_renders_every_view(tmp_path):
    views = tmp_path / "views.yaml"
    entries = [
        ("steel.png", {"industry": "steel"}),
        ("henan.pdf", {"province": "henan"}),
        ("zones.svg", {"plan": "002", "kind": "zone"}),
        ("big.png", {"min_revenue": "1000", "no_target": "hide"}),
        ("2017.pdf", {"period": "2017"}),
    ]
    views.write_text(
        "views:\n"
        + "".join(
            f"  - out: {name}\n    title: 视图{i}\n    size: 16x9\n    scale: 1\n"
            f"    filters: {json.dumps(f, ensure_ascii=False)}\n"
            for i, (name, f) in enumerate(entries)
        ),
        encoding="utf-8",
    )
    r = cli("batch", str(views), "--out-dir", str(tmp_path / "out"))
    for name, _ in entries:
        assert (tmp_path / "out" / name).stat().st_size > 10_000, name
        assert f"wrote {tmp_path / 'out' / name}" in r.stdout
    assert "5/5" in r.stdout


def test_batch_bad_view_stops_before_rendering(tmp_path):
    views = tmp_path / "v.yaml"
    views.write_text(
        "views:\n  - out: a.png\n  - out: b.png\n    filters: {industry: stee1}\n", encoding="utf-8"
    )
    r = cli("batch", str(views), "--out-dir", str(tmp_path / "o"), check=False)
    assert r.returncode == 2 and "view 2 (b.png)" in r.stderr and not (tmp_path / "o" / "a.png").exists()


def test_export_data_contract(tmp_path, store):
    gj, csv = tmp_path / "e.geojson", tmp_path / "e.csv"
    cli("export-data", "--out", str(gj), "--industry", "steel", "--period", "2011-2015")
    cli("export-data", "--out", str(csv), "--industry", "steel", "--period", "2011-2015")
    doc = json.loads(gj.read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    for key in (
        "id",
        "name",
        "kind",
        "plan",
        "plan_period",
        "province",
        "prefectures",
        "counties",
        "industries",
        "industry_labels",
        "revenue_target_yi",
        "target_year",
        "quote",
        "precision",
        "composition_source",
    ):
        assert key in props, key
    assert all(
        "steel" in f["properties"]["industries"] and f["properties"]["plan_period"] == "2011-2015"
        for f in doc["features"]
    )
    import pandas as pd

    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert len(table) == len(doc["features"]) > 5
    texts = store.dataset.plan_texts
    assert all(q in texts["000"] or q in texts["004"] for q in table["quote"])


def test_atlas_one_view_per_page_after_contents(tmp_path):
    views = tmp_path / "views.yaml"
    titles = ["钢铁基地分布", "河南省工业布局", "石油化工与沿海"]
    filters = [{"industry": "steel"}, {"province": "henan"}, {"industry": "石化"}]
    views.write_text(
        "views:\n"
        + "".join(
            f"  - title: {t}\n    filters: {json.dumps(f, ensure_ascii=False)}\n"
            for t, f in zip(titles, filters)
        ),
        encoding="utf-8",
    )
    pack = tmp_path / "pack.pdf"
    r = cli("batch", str(views), "--atlas", str(pack))
    assert "3/3" in r.stdout and "4 pages" in r.stdout
    info = subprocess.run(["pdfinfo", str(pack)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           4" in info
    contents = pdf_text(pack, 1)
    assert (
        "图集目录" in contents
        and all(t in contents for t in titles)
        and "产业:钢铁" in contents.replace(" ", "")
    )
    for page, title in enumerate(titles, 2):
        text = pdf_text(pack, page)
        assert title in text and all(t not in text for t in titles if t != title), page
