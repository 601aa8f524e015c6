"""Real-browser tests: headless Debian Chromium against `python app.py serve` on 127.0.0.1."""

import pytest

from benchmarks.run import MARKER_JS
from conftest import map_data, open_map, wait_for_points

pytestmark = pytest.mark.browser


def _points(pg):
    return {
        i
        for t in map_data(pg)
        if t["name"] not in ("highlight",)
        for i in t["ids"]
        if not i.startswith("pref:")
    }


def test_map_shows_all_prefectures_and_asks_no_other_host(page):
    open_map(page)
    traces = map_data(page)
    prefectures = next(t for t in traces if t["name"] == "prefectures")
    assert prefectures["n"] == 29
    labels = page.evaluate("() => Array.from(document.querySelectorAll('#map text')).map(t => t.textContent)")
    assert {"石家庄市", "郑州市", "济源市", "唐山市"} <= set(labels)
    assert page.hosts <= {page.base.split("/")[2]}, page.hosts
    assert not page.errors


def test_choosing_an_industry_changes_the_points(page, store):
    open_map(page)
    before = _points(page)
    page.click("#f-industry")
    page.keyboard.type("钢铁")
    option = page.locator(".dash-dropdown-option", has_text="钢铁 · Steel")
    option.wait_for(timeout=10000)
    option.click()
    page.wait_for_function("document.querySelector('#summary').innerText.includes('钢铁')", timeout=15000)
    steel = set(store.elements[[("steel" in c) for c in store.elements["industries"]]]["id"])
    wait_for_points(page, steel)
    after = _points(page)
    assert after and after < before and after <= steel
    assert "industry=steel" in page.url


def test_click_element_reads_its_quote(page, store):
    row = store.elements[store.elements["name"].str.contains("清河羊绒")].iloc[0]
    open_map(page, "?q=清河羊绒&view=衡水市")
    # the drawn marker's centre on screen; click it like a user (plotly's drag layer swallows element clicks)
    pos = page.evaluate(MARKER_JS, row["id"])
    assert pos, "marker not drawn"
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_selector("#details mark", timeout=15000)
    assert row["quote"] in page.inner_text("#details")
    assert row["name"] in page.inner_text("#details-title")
    assert f"sel={row['id']}" in page.url


def test_link_with_filters_is_applied(page):
    open_map(page, "?industry=petrochem&period=2011-2015&province=hebei&min_revenue=1000")
    summary = page.inner_text("#summary")
    assert "石油化工" in summary and "2011-2015" in summary and "≥ 1,000" in summary
    assert page.is_checked("#f-period input[value='2011-2015']")
    assert page.is_checked("#f-province input[value='河北省']")


def test_bad_link_shows_notice_not_error(page):
    open_map(page, "?industry=stee1&min_revenue=lots&sel=<script>alert(1)</script>")
    text = page.inner_text("#notices")
    assert "unknown industry 'stee1'" in text and "min_revenue" in text and "unknown element" in text
    assert not page.errors


def test_table_selection_zooms_the_map(page, store):
    open_map(page, "?q=清河羊绒")
    before = page.evaluate("() => document.querySelector('#map .js-plotly-plot').layout.geo.lonaxis.range")
    page.locator("#grid").scroll_into_view_if_needed()  # as a planner does: the table is drawn when in view
    page.click(".ag-center-cols-container .ag-row >> nth=0")
    page.wait_for_selector("#details mark", timeout=15000)
    page.wait_for_function(
        """(b) => {
        const r = document.querySelector('#map .js-plotly-plot').layout.geo.lonaxis.range;
        return r && (r[1] - r[0]) < (b[1] - b[0]) / 2; }""",
        arg=before,
        timeout=15000,
    )
    assert "sel=" in page.url


def test_english_interface(page):
    open_map(page, "?lang=en&industry=steel")
    assert "Hebei & Henan" in page.inner_text("h1")
    assert "Steel" in page.inner_text("#summary")


def test_presentation_mode_and_saved_views_from_keyboard(page):
    open_map(page)
    page.keyboard.press("f")
    page.wait_for_selector(".presenting", timeout=5000)
    assert not page.is_visible("#filter-panel")
    page.keyboard.press("ArrowRight")  # view 1: the coastal belt, its new areas and groups (plan 000)
    page.wait_for_function("document.querySelector('#summary').innerText.includes('组团')", timeout=15000)
    assert "沿海" in page.inner_text("#view-pick")
    page.keyboard.press("ArrowRight")  # view 2: the circle around the capital
    page.wait_for_function("document.querySelector('#summary').innerText.includes('环首都')", timeout=15000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.querySelector('#summary').innerText.includes('组团')", timeout=15000)
    # the saved extent (the coast), not both provinces nor the previous view's
    page.wait_for_function(
        """() => { const r = document.querySelector('#map .js-plotly-plot').layout.geo.lonaxis.range;
        return 116.5 < (r[0] + r[1]) / 2 && (r[0] + r[1]) / 2 < 119 && r[1] - r[0] < 9; }""",
        timeout=15000,
    )
    assert page.hosts <= {page.base.split("/")[2]}


def test_export_dialog_downloads_a_pdf_with_title(page, tmp_path):
    import subprocess
    import unicodedata

    open_map(page, "?industry=steel&province=hebei")
    page.click("#open-export")
    page.wait_for_selector("#export-dialog:not([hidden])")
    assert "钢铁" in page.input_value("#x-title")  # the title defaults from the filters
    page.fill("#x-title", "河北钢铁基地")
    page.check("#x-format input[value='pdf']")
    with page.expect_download(timeout=90000) as dl:
        page.click("#x-go")
    path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(path)
    assert path.name == "河北钢铁基地.pdf"
    text = unicodedata.normalize(
        "NFKC",
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout,
    )
    assert "河北钢铁基地" in text and "资料来源" in text and "钢铁" in text


def test_zoom_to_prefecture_lists_its_elements(page):
    open_map(page)
    page.click("#f-zoom")
    page.keyboard.type("唐山")
    page.locator(".dash-dropdown-option", has_text="唐山市").first.click()
    page.wait_for_function(
        "document.querySelector('#details-title') && "
        "document.querySelector('#details-title').innerText.includes('唐山市')",
        timeout=15000,
    )
    assert "2011-2015" in page.inner_text("#details")
    assert "pref=" in page.url or "view=" in page.url
