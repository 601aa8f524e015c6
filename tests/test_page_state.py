"""The page's link: every part of the view in the URL, bad parts ignored with a notice."""

import re

import pytest

from layers.filters import Filters
from layers.page_state import PageState, element_bounds, page_query, parse_page, zoom_bounds


def test_round_trip(store):
    rid = store.elements["id"].iloc[3]
    state = PageState(
        filters=Filters(industry=("steel",), period=("2011-2015",)),
        selected=rid,
        layers=("labels", "counties"),
        view="河北省",
        compare="2011-2015|2016-2020",
        lang="en",
    )
    back, notices = parse_page(page_query(state), store)
    assert back == state and notices == []


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("?sel=nope", "unknown element 'nope'"),
        ("?pref=火星市", "unknown prefecture"),
        ("?layers=labels,roads", "unknown layer 'roads'"),
        ("?view=1,2,3,4", "unknown map view"),
        ("?compare=abc", "unknown comparison"),
        ("?lang=fr", "unknown language 'fr'"),
        ("?industry=stee1", "unknown industry 'stee1'"),
        ("?%zz=1&&&=", ""),
    ],
)
def test_bad_parts_become_notices(store, query, fragment):
    state, notices = parse_page(query, store)
    assert isinstance(state, PageState)
    if fragment:
        assert any(fragment in str(n) for n in notices)


def test_zoom_targets(store):
    hb = zoom_bounds("河北省", store)
    assert hb[0] < 114 < hb[2] and hb[1] < 39 < hb[3]
    zz = zoom_bounds("郑州市", store)
    assert zz[2] - zz[0] < 3
    assert zoom_bounds("all", store) is None and zoom_bounds("nowhere", store) is None
    assert zoom_bounds("113,34,115,36", store) == (113.0, 34.0, 115.0, 36.0)


def test_element_bounds(store):
    rid = store.elements[store.elements["name"].str.contains("清河")]["id"].iloc[0]
    b = [float(x) for x in element_bounds(rid, store).split(",")]
    assert b[0] < 115.7 < b[2] and b[1] < 37.0 < b[3]


def test_every_notice_has_a_chinese_reading(store):
    """The page is Chinese first: each kind of notice the link parser writes reads in Chinese too."""
    from layers.i18n import NOTICE_TEXT

    query = (
        "?industry=stee1&period=1999&plan=9&province=mars&kind=castle&min_revenue=x&no_target=maybe"
        "&foo=1&sel=nope&pref=火星市&layers=roads&view=nowhere&compare=abc&lang=fr&q=" + "x" * 300
    )
    _, notices = parse_page(query, store)
    assert len(notices) >= 14
    for n in notices:  # structured notices: the Chinese wording comes from the code, never from the English
        zh = n.text("zh")
        assert zh != n.text("en") and re.search(r"[\u4e00-\u9fff]", zh), n
    assert set(NOTICE_TEXT) >= {n.code for n in notices}
