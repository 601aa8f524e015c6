"""The English page is English (issue 16): in every state a user reaches, no Chinese is visible
outside the plan's own words and name glosses, which are marked lang="zh"."""

import re
import time

import pytest
from shapely.geometry import Point

from conftest import open_map

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")

# visible text nodes (HTML and the map's SVG) and the placeholders, titles and labels a user is shown,
# with Chinese in them, outside elements marked lang="zh…"
VISIBLE_CHINESE = r"""() => {
  const cjk = /[\u3000-\u9fff\uff00-\uffef]/;
  const where = (el) => { let e = el; while (e && !e.id) e = e.parentElement; return e ? e.id : '?'; };
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const text = n.nodeValue.trim(), el = n.parentElement;
    if (!text || !cjk.test(text) || !el || el.closest('[lang^="zh"], script, style, noscript')) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width || r.height) out.push(where(el) + ': ' + text.slice(0, 60));
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    // a saved view's row carries the name its user gave it (other tests save views on this server)
    if (el.closest('[lang^="zh"], .manage-row')) continue;
    for (const a of ['placeholder', 'title', 'aria-label']) {
      const v = el.getAttribute(a);
      if (v && cjk.test(v)) out.push(where(el) + '@' + a + ': ' + v.slice(0, 60));
    }
  }
  return out;
}"""

TO_SCREEN = """([lon, lat]) => { const gd = document.querySelector('#map .js-plotly-plot');
    const p = gd._fullLayout.geo._subplot.projection([lon, lat]); const r = gd.getBoundingClientRect();
    return [r.left + p[0], r.top + p[1]]; }"""

DRAWN_MARKS = """() => { const gd = document.querySelector('#map .js-plotly-plot');
    return gd._fullData.filter(t => (t.uid || '').startsWith('points-')).flatMap(t =>
        Array.from(t.lon).map((lon, i) => [lon, t.lat[i]])); }"""


def chinese_on(page) -> list[str]:
    return page.evaluate(VISIBLE_CHINESE)


@pytest.mark.parametrize(
    "query",
    [
        "?lang=en",  # map, table, charts, targets, source note
        "?lang=en&view=石家庄市&pref=石家庄市",  # a prefecture zoom and its panel
        "?lang=en&sel=hb12-shijiazhuang-national-bio-base",  # details: passages, targets, lineage, note
        "?lang=en&sel=hb12-tanggang-plate-upgrade",  # a composition reference naming companies in Chinese
        "?lang=en&compare=2011-2015|2016-2020",  # the comparison section and its counts
        "?lang=en&reader=003:73&follow=1",  # the reader, following the text
        "?lang=en&industry=nonsense&min_revenue=abc",  # notices from a bad link
        "?lang=en&present=1",
        "?lang=en&industry=steel&prefecture=唐山市&kind=base",  # chosen values in the filter panel
        "?lang=en&period=2016-2020",  # the coverage note on Henan, which has no plan for that period
        "?lang=en&q=唐山",  # a search typed in Chinese: its echo and the matches it quotes are marked
    ],
)
def test_english_page_states_show_no_chinese_outside_quotes(page, query):
    open_map(page, query)
    time.sleep(1.5)  # the callbacks after the first paint (details, reader caption) have answered
    assert chinese_on(page) == [], query


def test_english_reader_contents_and_dialogs_show_no_chinese(page):
    open_map(page, "?lang=en&reader=004:124")
    page.click(".reader-toc summary")
    page.wait_for_selector(".reader-toc .toc-link", state="visible")
    links = page.locator(".reader-toc .toc-link")
    assert links.first.inner_text().startswith("Chapter 1 ")
    assert chinese_on(page) == []
    page.click("#open-export")
    page.wait_for_selector("#x-preview img", timeout=30000)
    assert chinese_on(page) == []
    page.click("#x-close")
    page.click("#manage-open")
    page.wait_for_selector("#manage-dialog:not([hidden])")
    assert chinese_on(page) == []


def test_english_spot_list_and_hover_show_no_chinese(page, store):
    open_map(page, "?lang=en&view=河北省")
    pref = store.boundaries["prefectures"].set_index("name").loc["邯郸市"].geometry
    marks = [page.evaluate(TO_SCREEN, list(m)) for m in page.evaluate(DRAWN_MARKS)]
    x0, y0, x1, y1 = pref.bounds
    spot = next(
        xy
        for i in range(1, 20)
        for j in range(1, 20)
        if pref.buffer(-0.05).contains(Point(x0 + (x1 - x0) * i / 20, y0 + (y1 - y0) * j / 20))
        for xy in [page.evaluate(TO_SCREEN, [x0 + (x1 - x0) * i / 20, y0 + (y1 - y0) * j / 20])]
        if all((xy[0] - mx) ** 2 + (xy[1] - my) ** 2 > 16**2 for mx, my in marks)
    )
    page.mouse.click(*spot)
    page.wait_for_function(
        "document.querySelector('#details-title') && "
        "document.querySelector('#details-title').innerText.includes('At this spot')",
        timeout=15000,
    )
    assert "Handan" in page.inner_text("#details")
    assert chinese_on(page) == []
    page.mouse.move(*marks[len(marks) // 2])
    page.wait_for_selector("#map .hoverlayer .hovertext", timeout=10000)
    assert chinese_on(page) == []


def test_english_dropdowns_are_english_and_still_find_a_chinese_name(page):
    open_map(page, "?lang=en")
    page.click("#f-zoom")
    page.locator(".dash-dropdown-content").wait_for(timeout=10000)
    page.wait_for_function(  # typed into its search box (what is typed sooner is test_browser_selection's)
        "() => document.activeElement && !!document.activeElement.closest('.dash-dropdown-content')",
        timeout=5000,
    )
    page.keyboard.type("石家庄")
    options = page.locator(".dash-dropdown-content .dash-dropdown-option")
    page.wait_for_function(  # the list narrows as the search is typed: wait for it, not for any option
        "() => document.querySelectorAll('.dash-dropdown-content .dash-dropdown-option').length === 1",
        timeout=5000,
    )
    assert options.all_inner_texts() == ["Shijiazhuang"]
    page.keyboard.press("Escape")
    page.click("#f-industry")
    page.locator(".dash-dropdown-content").wait_for(timeout=10000)
    page.wait_for_function(
        "() => document.activeElement && !!document.activeElement.closest('.dash-dropdown-content')",
        timeout=5000,
    )
    page.keyboard.type("钢铁")
    page.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Steel").first.wait_for(
        timeout=5000
    )
    assert "Steel" in options.all_inner_texts()
    assert not any(CJK.search(x) for x in options.all_inner_texts())
