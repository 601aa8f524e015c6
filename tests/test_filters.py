"""One filter vocabulary: parsing, round trips, and what each filter shows."""

import pytest

from layers.filters import FilterError, Filters, describe, filter_mask, parse_filters, parse_query, to_query


@pytest.fixture(scope="module")
def vocab(store):
    return store.vocab


@pytest.mark.parametrize(
    "raw, code",
    [
        ("steel", "steel"),
        ("钢铁", "steel"),
        ("Steel", "steel"),
        ("精品钢铁", "steel"),
        ("石化", "petrochem"),
        ("Petrochemicals", "petrochem"),
    ],
)
def test_industry_by_code_label_or_term(vocab, raw, code):
    assert parse_filters({"industry": raw}, vocab)[0].industry == (code,)


def test_unknown_industry_reported_by_name(vocab):
    f, notices = parse_filters({"industry": "stee1,steel"}, vocab)
    assert f.industry == ("steel",)
    assert str(notices[0]).startswith("unknown industry 'stee1'; known: steel")
    assert notices[0].text("zh") == "未知产业“stee1”，已忽略"


def test_strict_raises_for_cli(vocab):
    with pytest.raises(FilterError, match="unknown province 'mars'"):
        parse_filters({"province": ["mars"]}, vocab, strict=True)


@pytest.mark.parametrize(
    "raw, periods, year",
    [
        ("2011-2015", ("2011-2015",), None),
        ("十二五", ("2011-2015",), None),
        ("2017", (), 2017),
        ("2011–2015", ("2011-2015",), None),
    ],
)
def test_period_or_year(vocab, raw, periods, year):
    f, notices = parse_filters({"period": raw}, vocab)
    assert (f.period, f.year, notices) == (periods, year, [])


@pytest.mark.parametrize("raw", ["1990", "2030-2040", "abc"])
def test_bad_period_noticed(vocab, raw):
    f, notices = parse_filters({"period": raw}, vocab)
    assert f == Filters() and len(notices) == 1
    assert "unknown plan period" in str(notices[0]) or "no plan period covers the year '1990'" in str(
        notices[0]
    )


@pytest.mark.parametrize(
    "raw, expected", [("hebei", "河北省"), ("河北", "河北省"), ("河南省", "河南省"), ("HENAN", "河南省")]
)
def test_province_spellings(vocab, raw, expected):
    assert parse_filters({"province": raw}, vocab)[0].province == (expected,)


@pytest.mark.parametrize("raw", ["-5", "abc", "nan", "inf"])
def test_bad_min_revenue(vocab, raw):
    f, notices = parse_filters({"min_revenue": raw}, vocab)
    assert f.min_revenue is None and "min_revenue" in str(notices[0])


def test_query_round_trip(vocab):
    f = Filters(
        industry=("steel", "petrochem"),
        period=("2011-2015",),
        year=None,
        plan=("000",),
        min_revenue=500.0,
        no_target="hide",
        province=("河北省",),
        kind=("base", "park"),
        q="曹妃甸",
    )
    query = to_query(f, {"sel": "hb12-x"})
    back, page, notices = parse_query(query, vocab, ["sel"])
    assert back == f and page == {"sel": "hb12-x"} and notices == []


def test_unknown_parameter_noticed(vocab):
    _, _, notices = parse_query("?foo=1&industry=steel", vocab)
    assert [str(n) for n in notices] == ["unknown link parameter 'foo' ignored"]


def test_overlong_and_too_many_values(vocab):
    f, notices = parse_filters({"industry": ["x" * 500], "kind": ",".join(["base"] * 80)}, vocab)
    assert any("overlong" in str(n) for n in notices) and any("too many" in str(n) for n in notices)
    assert f.kind == ("base",)


# --- what the filters show ------------------------------------------------------
def test_industry_filter_shows_only_that_industry(store):
    el = store.elements
    m = filter_mask(el, Filters(industry=("steel",)))
    assert m.sum() > 10
    assert all("steel" in c for c in el[m]["industries"])
    assert not any("steel" in c for c in el[~m]["industries"])


def test_min_revenue_and_no_target(store):
    el = store.elements
    m = filter_mask(el, Filters(min_revenue=1000, no_target="hide"))
    assert m.sum() > 5 and (el[m]["revenue_yi"] >= 1000).all()
    shown_without_target = filter_mask(el, Filters(min_revenue=1000))
    assert el[shown_without_target]["revenue_yi"].isna().any()  # 'show' keeps the ones with no target
    assert (el[shown_without_target]["revenue_yi"].dropna() >= 1000).all()


def test_year_shows_plans_in_force(store):
    el = store.elements
    m = filter_mask(el, Filters(year=2017))
    assert set(el[m]["plan_number"]) == {"001", "002", "003"}


def test_search_over_names_places_industries(store):
    el = store.elements
    assert filter_mask(el, Filters(q="曹妃甸")).sum() >= 3
    assert filter_mask(el, Filters(q="清河")).sum() >= 1
    steel_by_word = filter_mask(el, Filters(q="钢铁"))
    assert steel_by_word.sum() >= filter_mask(el, Filters(industry=("steel",))).sum() * 0.8


def test_province_and_kind(store):
    el = store.elements
    m = filter_mask(el, Filters(province=("河南省",), kind=("axis",)))
    assert m.sum() >= 2 and set(el[m]["plan_number"]) == {"004"}


def test_describe_both_languages(vocab):
    f = Filters(industry=("steel",), period=("2011-2015",), min_revenue=1000)
    assert describe(f, vocab, "zh") == ["产业: 钢铁", "规划期: 2011-2015", "≥ 1,000 亿元"]
    assert describe(f, vocab, "en")[0] == "Industry: Steel"


@pytest.mark.parametrize("value", ["²", "٣", "①"])  # str.isdigit() is True for these; int() refuses some
def test_a_plan_number_in_other_digits_is_a_notice_not_a_crash(store, value):
    f, notices = parse_filters({"plan": value}, store.vocab)
    assert f.plan == () and [n.code for n in notices] == ["unknown_value"]


def test_a_long_search_cut_at_a_space_reopens_as_the_same_search(store):
    from layers.filters import MAX_VALUE_LEN

    long = "钢" * (MAX_VALUE_LEN - 1) + " 铁铁"  # the cut falls just after the space
    f, notices = parse_filters({"q": long}, store.vocab)
    assert [n.code for n in notices] == ["search_too_long"] and not f.q.endswith(" ")
    again, more = parse_filters({"q": f.q}, store.vocab)
    assert again == f and more == []
