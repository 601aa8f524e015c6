"""The reader in a real browser (issue 17): a link opens the plan at its paragraph; a highlight selects its
element; follow-the-text lists the section being read."""

import pytest

from tests.conftest import open_map

pytestmark = pytest.mark.browser

RECORD = "hb12-baoding-auto-parts-base"  # plan 000, 专栏2, the paragraph "1保定汽车及零部件生产基地。…"


def _paragraph(store, rid):
    from callbacks.reader import plan_view
    from layers.reader import paragraph_of

    row = store.elements.set_index("id").loc[rid]
    return paragraph_of(plan_view(row["plan_number"])[0], row["quote"])


def _in_view(pg, pid: str) -> bool:
    return pg.evaluate(
        """(pid) => { const box = document.getElementById('reader-text');
        const el = document.getElementById(pid); if (!box || !el) return false;
        const b = box.getBoundingClientRect(), r = el.getBoundingClientRect();
        return r.top >= b.top - 2 && r.top < b.bottom - 20; }""",
        pid,
    )


def test_link_opens_the_plan_at_the_paragraph_and_a_highlight_selects(page, store):
    n = _paragraph(store, RECORD)
    open_map(page, f"?reader=000:{n}")
    page.wait_for_selector("#reader.open #reader-text .reader-paragraphs", timeout=15000)
    pid = f"p-000-{n}"
    page.wait_for_function(
        """(pid) => { const box = document.getElementById('reader-text');
        const el = document.getElementById(pid); return box && el && box.scrollTop > 0 &&
        Math.abs(el.getBoundingClientRect().top - box.getBoundingClientRect().top) < 60; }""",
        arg=pid,
        timeout=10000,
    )
    assert _in_view(page, pid)
    assert page.is_visible(f"#{pid}") and "保定汽车及零部件生产基地" in page.inner_text(f"#{pid}")
    mark = page.locator(f"#{pid} mark.ql[data-ids='{RECORD}']").first
    mark.click()
    page.wait_for_function(
        "document.querySelector('#details-title') && "
        "document.querySelector('#details-title').innerText.includes('保定汽车及零部件生产基地')",
        timeout=15000,
    )
    page.wait_for_function(f"location.search.includes('sel={RECORD}')", timeout=10000)
    assert "reader=000%3A" in page.url or "reader=000:" in page.url
    assert "view=" in page.url  # zoomed to the element
    assert not page.errors


def test_read_in_plan_from_details_and_follow_the_text(page, store):
    open_map(page, f"?sel={RECORD}")
    page.wait_for_selector("#details .read-in-plan", timeout=15000)
    assert page.is_hidden("#reader-text")
    page.click("#details .read-in-plan")
    n = _paragraph(store, RECORD)
    page.wait_for_selector(f"#reader.open #p-000-{n}", timeout=15000)
    page.wait_for_function(
        f"location.search.includes('reader=000%3A{n}') || location.search.includes('reader=000:{n}')",
        timeout=10000,
    )
    # follow the text: the section being read (专栏2, its 13 bases) ...
    page.check("#reader-follow input")
    page.wait_for_function(
        "(document.getElementById('reader').getAttribute('data-focus') || '').length > 0", timeout=10000
    )
    ids = page.get_attribute("#reader", "data-focus").split()
    assert RECORD in ids and len(ids) == 14  # the 13 bases of 专栏2 and the 华电 project its rows name
    # ... then scroll to another section (专栏3, the steel bases): the focus follows
    from callbacks.reader import plan_view
    from layers.reader import paragraph_of

    doc = plan_view("000")[0]
    steel = paragraph_of(doc, "曹妃甸精品钢基地。结合淘汰")
    page.evaluate(
        """(pid) => { const box = document.getElementById('reader-text');
        box.scrollTop = document.getElementById(pid).offsetTop - 4; }""",
        f"p-000-{steel}",
    )
    page.wait_for_function(
        "(document.getElementById('reader').getAttribute('data-focus') || '')"
        ".includes('hb12-caofeidian-fine-steel-base')",
        timeout=10000,
    )
    ids = page.get_attribute("#reader", "data-focus").split()
    assert RECORD not in ids
    expected = {
        r["id"] for r in store.dataset.records if r["plan_number"] == "000" and "zl3" in (r.get("tags") or [])
    }
    assert expected and set(ids) >= expected
    page.wait_for_function("location.search.includes('follow=1')", timeout=10000)
    assert "reader=000" in page.url
    assert not page.errors
