"""Snapshots and data export from the command line, each file read back."""
import json
import struct
import subprocess
import sys
import unicodedata

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


def pdf_text(path):
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)  # PDF fonts map some CJK to compatibility radicals


@pytest.mark.parametrize("size, scale, expected", [("a4-landscape", 1, (1123, 794)), ("16x9", 2, (2560, 1440)),
                                                   ("800x600", 1, (800, 600))])
def test_png_size_matches_preset(tmp_path, size, scale, expected):
    out = tmp_path / "map.png"
    cli("snapshot", "--out", str(out), "--size", size, "--scale", str(scale), "--industry", "steel")
    assert png_size(out) == expected


def test_pdf_has_title_legend_caption_source(tmp_path):
    out = tmp_path / "coastal.pdf"
    title = "河北沿海经济隆起带 2011-2015：钢铁与石化"
    cli("snapshot", "--out", str(out), "--title", title, *COASTAL)
    text = pdf_text(out)
    compact = text.replace("\n", "").replace(" ", "")
    for needle in (title.replace(" ", ""), "产业（点的颜色）", "钢铁", "筛选", "资料来源", "河北省工业和信息化发展", "km", "N"):
        assert unicodedata.normalize("NFKC", needle) in compact, needle


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


@pytest.mark.parametrize("args, message", [
    (["snapshot", "--out", "x.gif"], "must end in .png or .svg or .pdf"),
    (["snapshot", "--out", "x.png", "--industry", "stee1"], "unknown industry 'stee1'"),
    (["snapshot", "--out", "x.png", "--size", "huge"], "unknown size 'huge'"),
    (["snapshot", "--out", "x.png", "--scale", "50"], "--scale must be between"),
    (["export-data", "--out", "x.csv", "--period", "1999"], "unknown plan period '1999'"),
    (["export-data", "--out", "x.xlsx"], "must end in .csv or .geojson"),
    (["export-data", "--out", "/nonexistent-dir/x.csv"], "does not exist"),
])
def test_bad_options_clear_message(tmp_path, args, message):
    r = subprocess.run([*APP, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr


def test_bad_flag_is_usage_error():
    r = cli("snapshot", "--out", "x.png", "--colour", "red", check=False)
    assert r.returncode == 2 and "unrecognized arguments" in r.stderr


def test_batch_renders_every_view(tmp_path):
    views = tmp_path / "views.yaml"
    entries = [("steel.png", {"industry": "steel"}), ("henan.pdf", {"province": "henan"}),
               ("zones.svg", {"plan": "002", "kind": "zone"}), ("big.png", {"min_revenue": "1000", "no_target": "hide"}),
               ("2017.pdf", {"period": "2017"})]
    views.write_text("views:\n" + "".join(
        f"  - out: {name}\n    title: 视图{i}\n    size: 16x9\n    scale: 1\n    filters: {json.dumps(f, ensure_ascii=False)}\n"
        for i, (name, f) in enumerate(entries)), encoding="utf-8")
    r = cli("batch", str(views), "--out-dir", str(tmp_path / "out"))
    for name, _ in entries:
        assert (tmp_path / "out" / name).stat().st_size > 10_000, name
        assert f"wrote {tmp_path / 'out' / name}" in r.stdout
    assert "5/5" in r.stdout


def test_batch_bad_view_stops_before_rendering(tmp_path):
    views = tmp_path / "v.yaml"
    views.write_text("views:\n  - out: a.png\n  - out: b.png\n    filters: {industry: stee1}\n", encoding="utf-8")
    r = cli("batch", str(views), "--out-dir", str(tmp_path / "o"), check=False)
    assert r.returncode == 2 and "view 2 (b.png)" in r.stderr and not (tmp_path / "o" / "a.png").exists()


def test_export_data_contract(tmp_path, store):
    gj, csv = tmp_path / "e.geojson", tmp_path / "e.csv"
    cli("export-data", "--out", str(gj), "--industry", "steel", "--period", "2011-2015")
    cli("export-data", "--out", str(csv), "--industry", "steel", "--period", "2011-2015")
    doc = json.loads(gj.read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    for key in ("id", "name", "kind", "plan", "plan_period", "province", "prefectures", "counties", "industries",
                "industry_labels", "revenue_target_yi", "target_year", "quote", "precision", "composition_source"):
        assert key in props, key
    assert all("steel" in f["properties"]["industries"] and f["properties"]["plan_period"] == "2011-2015"
               for f in doc["features"])
    import pandas as pd
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert len(table) == len(doc["features"]) > 5
    texts = store.dataset.plan_texts
    assert all(q in texts["000"] or q in texts["004"] for q in table["quote"])
