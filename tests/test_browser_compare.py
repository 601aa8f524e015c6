"""Real browser: a link with a comparison opens the difference map with its three states, and a
filter change updates it in place (a patch, no whole figure)."""

import pytest

from conftest import open_map

pytestmark = pytest.mark.browser

LEGEND_JS = "() => Array.from(document.querySelectorAll('#compare-map .legendtext')).map(t => t.textContent)"


def test_compare_link_shows_the_difference_map_with_three_states(page, store):
    from layers.difference import difference, state_counts
    from layers.filters import Filters

    open_map(page, "?compare=2011-2015|2016-2020")
    page.wait_for_selector("#compare-map .legendtext", timeout=30000)
    counts = state_counts(difference(store.elements, Filters(), "2011-2015", "2016-2020"))
    assert page.evaluate(LEGEND_JS) == [
        f"延续 ({counts['continued']})",
        f"新增 ({counts['new']})",
        f"未再列入 ({counts['dropped']})",
    ]
    assert page.locator("#compare-counts tbody tr").count() > 20  # prefectures of both provinces
    assert page.locator("#compare-dl").is_visible()

    sent = []
    page.on(
        "request", lambda r: sent.append(r.post_data or "") if "_dash-update-component" in r.url else None
    )
    page.click("#f-industry")
    page.keyboard.type("钢铁")
    option = page.locator(".dash-dropdown-option", has_text="钢铁 · Steel")
    option.wait_for(timeout=10000)
    option.click()
    steel = state_counts(difference(store.elements, Filters(industry=("steel",)), "2011-2015", "2016-2020"))
    page.wait_for_function(
        f"document.querySelector('#compare-title').innerText.includes('延续 {steel['continued']}')",
        timeout=15000,
    )
    page.wait_for_timeout(500)
    assert page.evaluate(LEGEND_JS) == [
        f"延续 ({steel['continued']})",
        f"新增 ({steel['new']})",
        f"未再列入 ({steel['dropped']})",
    ]
    # the base map survived the patch: every prefecture is still drawn on the compare map
    assert page.locator("#compare-map .choroplethlocation").count() >= 29
    assert any("compare-map.figure" in body for body in sent)
    assert page.hosts <= {page.base.split("/")[2]}, page.hosts
    assert not page.errors
