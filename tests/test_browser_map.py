"""The map as the browser draws it: marks inside their units, a legend that fits, clicks anywhere,
a toolbar that stays local, history and the pan in the link, lineage in the details."""

import pytest
import shapely
from shapely.geometry import Point

from conftest import open_map, wait_settled

pytestmark = pytest.mark.browser

DRAWN_MARKS = """() => { const gd = document.querySelector('#map .js-plotly-plot');
    return gd._fullData.filter(t => (t.uid || '').startsWith('points-')).flatMap(t =>
        Array.from(t.lon).map((lon, i) => [lon, t.lat[i], t.customdata[i][0]])); }"""

TO_SCREEN = """([lon, lat]) => { const gd = document.querySelector('#map .js-plotly-plot');
    const p = gd._fullLayout.geo._subplot.projection([lon, lat]); const r = gd.getBoundingClientRect();
    return [r.left + p[0], r.top + p[1]]; }"""


def _unit_polygons(store):
    b = store.boundaries
    polys = dict(zip(b["provinces"]["name"], b["provinces"].geometry, strict=True))  # province-wide marks
    polys.update(zip(b["prefectures"]["name"], b["prefectures"].geometry, strict=True))
    polys.update(
        {
            f"{p}/{n}": g
            for p, n, g in zip(
                b["counties"]["prefecture"], b["counties"]["name"], b["counties"].geometry, strict=True
            )
        }
    )
    return polys


def test_every_drawn_mark_lies_inside_its_unit(page, store):
    """Read back from the figure the browser holds: no mark outside its prefecture (or its county)."""
    open_map(page)
    marks = page.evaluate(DRAWN_MARKS)
    assert len(marks) > 900
    polys = _unit_polygons(store)
    units = dict(zip(store.elements["id"], store.elements["point_units"], strict=True))
    outside = []
    for lon, lat, eid in marks:
        home = shapely.union_all([polys[u].buffer(0.002) for u in units[eid] if u in polys])
        if not home.contains(Point(lon, lat)):
            outside.append(eid)
    assert outside == []


@pytest.mark.parametrize("size", [(1280, 720), (1440, 900)])
def test_legend_fits_the_map_without_scrolling(browser, live_server, size):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    pg = ctx.new_page()
    pg.base = live_server
    open_map(pg)
    legend = pg.locator("#map .legend").first.bounding_box()
    frame = pg.locator("#map").bounding_box()
    assert (
        legend["height"] <= frame["height"]
        and legend["y"] + legend["height"] <= frame["y"] + frame["height"] + 1
    )
    assert (
        pg.locator("#map .legend .scrollbar").count() == 0
        or not pg.locator("#map .legend .scrollbar").first.is_visible()
    )
    ctx.close()


def _empty_spot(page, store, name: str):
    """A screen point inside prefecture `name`, at least 30 px from every drawn mark."""
    pref = store.boundaries["prefectures"].set_index("name").loc[name].geometry
    marks = [page.evaluate(TO_SCREEN, [lon, lat]) for lon, lat, _ in page.evaluate(DRAWN_MARKS)]
    x0, y0, x1, y1 = pref.bounds
    for i in range(1, 24):
        for j in range(1, 24):
            lon, lat = x0 + (x1 - x0) * i / 24, y0 + (y1 - y0) * j / 24
            if not pref.buffer(-0.05).contains(Point(lon, lat)):
                continue
            x, y = page.evaluate(TO_SCREEN, [lon, lat])
            if all((x - mx) ** 2 + (y - my) ** 2 > 16**2 for mx, my in marks):
                return x, y
    raise AssertionError(f"no empty spot in {name}")


def test_a_click_on_empty_ground_names_the_prefecture(page, store):
    open_map(page, "?view=河北省")  # province zoom, where a click used to pick a nearby mark or zone
    x, y = _empty_spot(page, store, "邯郸市")
    page.mouse.click(x, y)
    page.wait_for_function(
        "document.querySelector('#details-title') && "
        "document.querySelector('#details-title').innerText.includes('此处')",
        timeout=15000,
    )
    assert "邯郸市" in page.inner_text("#details")
    assert "sel=" not in page.url  # a spot is not an element


def test_a_click_where_zones_overlap_lists_each_of_them(page, store):
    el = store.elements
    zones = el[(el["plan_number"] == "002") & (el["kind"] == "zone")]
    counties = store.boundaries["counties"]
    best = max(
        ((r.label_lon, r.label_lat) for r in counties.itertuples()),
        key=lambda p: int(zones.geometry.contains(Point(*p)).sum()),
    )
    covering = set(zones[zones.geometry.contains(Point(*best))]["name"])
    assert len(covering) >= 3
    open_map(page, "?plan=002&kind=zone")
    x, y = page.evaluate(TO_SCREEN, list(best))
    page.mouse.click(x, y)
    page.wait_for_selector("#details h3", timeout=15000)
    text = page.inner_text("#details")
    assert all(name in text for name in covering), (covering, text[:300])


def test_toolbar_buttons_reach_no_other_host(page):
    open_map(page)
    popups = []
    page.context.on("page", lambda p: popups.append(p.url))
    page.hover("#map")
    buttons = page.locator("#map .modebar-btn")
    assert buttons.count() >= 3
    titles = []
    for i in range(buttons.count()):
        b = buttons.nth(i)
        titles.append(b.get_attribute("data-title") or "")
        if "download" in titles[-1].lower() or "png" in titles[-1].lower():
            with page.expect_download():
                b.click()
        else:
            b.click()
        page.wait_for_timeout(100)
    assert popups == [] and page.hosts <= {page.base.split("/")[2]}, (popups, page.hosts, titles)
    assert page.locator("#map a[href*='plot.ly'], #map a[href*='chart-studio']").count() == 0


def test_back_and_forward_restore_what_the_url_names(page, browser, live_server):
    open_map(page)
    page.click("label:has-text('2011-2015')")
    page.wait_for_function("location.search.includes('period=2011-2015')", timeout=15000)
    page.click("#f-province label:has-text('河北省')")
    page.wait_for_function("location.search.includes('province=hebei')", timeout=15000)
    for step in (page.go_back, page.go_back, page.go_forward):
        before = page.inner_text("#summary")
        step()
        # the page must change to what the URL now names (it used to keep showing the old state)
        page.wait_for_function(
            "(s) => document.querySelector('#summary') && document.querySelector('#summary').innerText !== s",
            arg=before,
            timeout=15000,
        )
        wait_settled(page)
        summary, url = page.inner_text("#summary"), page.url
        fresh = browser.new_page(viewport={"width": 1500, "height": 950})
        fresh.base = live_server
        open_map(fresh, url.split("/", 3)[3])
        assert fresh.inner_text("#summary") == summary, url
        assert fresh.is_checked("#f-period input[value='2011-2015']") == page.is_checked(
            "#f-period input[value='2011-2015']"
        )
        fresh.close()


def test_a_wheel_zoom_is_in_the_link_and_reopens_there(page, browser, live_server):
    open_map(page)
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.35)
    for _ in range(4):
        page.mouse.wheel(0, -240)
        page.wait_for_timeout(150)
    page.wait_for_function("location.search.includes('view=')", timeout=15000)
    # the link a user copies once the map has come to rest: the address bar unchanged for 1.5 s
    last, still = page.url, 0
    while still < 6:
        page.wait_for_timeout(250)
        still = still + 1 if page.url == last else 0
        last = page.url
    probe = [114.5, 38.04]  # 石家庄: where it lands on screen in both pages
    here = page.evaluate(TO_SCREEN, probe)
    fresh = browser.new_page(viewport={"width": 1500, "height": 950})
    fresh.base = live_server
    open_map(fresh, page.url.split("/", 3)[3])
    there = fresh.evaluate(TO_SCREEN, probe)
    assert abs(here[0] - there[0]) < 25 and abs(here[1] - there[1]) < 25, (here, there)
    fresh.close()


def test_a_base_in_several_plans_shows_the_others_side_by_side(page, store):
    el = store.elements
    rid = el[(el["lineage"] != "") & (el["plan_number"] == "000")]["id"].iloc[0]
    others = el[(el["lineage"] == el.set_index("id").loc[rid, "lineage"]) & (el["id"] != rid)]
    open_map(page, f"?sel={rid}")
    page.wait_for_selector("#lineage", timeout=15000)
    text = page.inner_text("#lineage")
    assert all(q[:20] in text for q in others["quote"])
    assert all(f"另见规划 {n}" in text for n in others["plan_number"])
