"""Places no record covers (issue 17): the gazetteer scan of each plan, its coverage by
record quotes, and the balance with geodata/mentions_reviewed.yaml."""

from pathlib import Path

import pytest

from geodata.gazetteer import default_gazetteer
from geodata.records import default_dataset
from layers.mentions import ReviewError, coverage, load_reviews, main, place_terms, scan_dataset, scan_plan

TERMS = place_terms(default_gazetteer())
DATA = default_dataset()


def terms_found(text, terms=TERMS):
    return [m.term for m in scan_plan(text, terms)]


# ---------------------------------------------------------------- the scan


def test_scan_finds_known_mentions_in_the_plans():
    m000 = scan_plan(DATA.plan_texts["000"], TERMS, "000")
    cfd = [m for m in m000 if m.term == "曹妃甸"]
    assert cfd and all(m.unit == "唐山市/曹妃甸区" for m in cfd)
    text = DATA.plan_texts["000"]
    assert all(text[m.offset : m.end] == "曹妃甸" and m.plan == "000" for m in cfd)
    assert all(m.paragraph == text.count("\n", 0, m.offset) and "曹妃甸" in m.context for m in cfd)
    zz = [m for m in scan_plan(DATA.plan_texts["004"], TERMS, "004") if m.term == "郑州"]
    assert len(zz) > 10 and {m.unit for m in zz} == {"郑州市"}


def test_longest_match_first():
    assert terms_found("沧州渤海新区建设", [("渤海", "X"), ("渤海新区", "沧州市/黄骅市")]) == ["渤海新区"]
    assert terms_found("支持石家庄市建设") == ["石家庄市"]
    assert terms_found("唐海县和唐海") == ["唐海县", "唐海"]  # the alias, then its short form
    assert terms_found("曹妃甸新区和曹妃甸区") == ["曹妃甸新区", "曹妃甸区"]


def test_mentions_do_not_overlap_and_come_in_text_order():
    ms = scan_plan(DATA.plan_texts["002"], TERMS)
    assert all(a.end <= b.offset for a, b in zip(ms, ms[1:]))


def test_ordinary_words_are_not_places():
    # 中原经济区 is a region, 长安 a car maker, 大城市 'big city', 示范县 'demonstration county'
    assert terms_found("推进中原经济区建设，定州长安汽车，大城市城区，绿色能源示范县乡建设") == ["定州"]
    assert terms_found("中关村固安大清河科技成果转移基地，衡水市现代轻工产业群整合市区路北工业聚集区") == [
        "固安",
        "衡水市",
    ]
    assert terms_found("大城保温建材基地，唐山市路北区") == [
        "大城",
        "唐山市",
        "路北区",
    ]  # the units still count


def test_terms_cover_full_names_short_forms_aliases_and_partners():
    units = dict(TERMS)
    assert units["丰南区"] == units["丰南"] == "唐山市/丰南区"
    assert units["燕郊"] == "廊坊市/三河市"
    assert units["北京"] == units["北京市"] == "北京市" and units["天津"] == "天津市"
    assert units["承德"] == "承德市"  # the prefecture wins over 承德县
    assert "|" in units["桥西区"]  # ambiguous full name kept, with its candidates
    assert "新华" not in units and all(len(t) >= 2 for t in units)


# ---------------------------------------------------------------- coverage


def test_coverage_is_the_span_of_a_records_quote_all_occurrences():
    text = "唐山钢铁基地建设。沧州管道。\n另，唐山钢铁基地建设，保定。"
    recs = [
        {"id": "t-steel", "quote": "唐山钢铁基地建设", "more_quotes": [], "revenue_targets": []},
        {"id": "t-pipe", "quote": "不在文中", "more_quotes": ["沧州管道"], "revenue_targets": []},
    ]
    labelled = coverage(scan_plan(text, TERMS, "x"), recs, text)
    got = [(x.mention.term, x.mention.paragraph, x.covered_by) for x in labelled]
    assert got == [("唐山", 0, "t-steel"), ("沧州", 0, "t-pipe"), ("唐山", 1, "t-steel"), ("保定", 1, None)]


def test_coverage_counts_a_target_quote_and_needs_the_whole_name_inside():
    text = "到2015年保定实现收入1000亿元，石家庄市建设"
    recs = [{"id": "t-a", "quote": "石家庄", "revenue_targets": [{"quote": "保定实现收入1000亿元"}]}]
    labelled = coverage(scan_plan(text, TERMS), recs, text)
    assert [(x.mention.term, x.covered_by) for x in labelled] == [("保定", "t-a"), ("石家庄市", None)]


# ---------------------------------------------------------------- reviews


@pytest.fixture(scope="module")
def balances():
    return scan_dataset()


@pytest.mark.parametrize("plan", sorted(DATA.plan_texts))
def test_balance_every_mention_is_covered_or_reviewed(balances, plan):
    b = balances[plan]
    assert len(b.labelled) > 50 and b.covered
    open_ = [f"¶{m.paragraph} {m.term}: …{m.context}…" for m in b.open]
    assert not open_, (
        f"plan {plan}: {len(open_)} place mentions neither covered by a record quote nor "
        f"reviewed in geodata/mentions_reviewed.yaml:\n  " + "\n  ".join(open_[:30])
    )
    assert len(b.covered) + len(b.dismissed) == len(b.labelled)


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "reviewed.yaml"
    p.write_text("reviews:\n" + body, encoding="utf-8")
    return p


def labelled_of(plan):
    text = DATA.plan_texts[plan]
    recs = [r for r in DATA.records if r["plan_number"] == plan]
    return {plan: coverage(scan_plan(text, TERMS, plan), recs, text)}


def test_review_by_context_dismisses_one_mention(tmp_path):
    lab = labelled_of("000")
    p = write(
        tmp_path, '  - {plan: "000", term: 廊坊, context: "充分发挥廊坊“5•18”", reason: context only}\n'
    )
    got = load_reviews(lab, DATA.plan_texts, p)
    ((plan, offset),) = got
    assert DATA.plan_texts["000"][offset : offset + 2] == "廊坊"


@pytest.mark.parametrize(
    "body, message",
    [
        ('  - {plan: "009", term: 廊坊, context: "充分发挥廊坊", reason: x}\n', "unknown plan"),
        ('  - {plan: "000", term: 廊坊, context: "廊坊不在此文", reason: x}\n', "found 0 times"),
        ('  - {plan: "000", term: 唐山, context: "唐山", reason: x}\n', "must be exactly once"),
        # 曹妃甸精品钢基地 is a record's own quote: a review of it dismisses nothing
        ('  - {plan: "000", term: 曹妃甸, context: "曹妃甸精品钢基地。结合", reason: x}\n', "stale"),
        ('  - {plan: "000", paragraph_contains: "加快辛集东明皮革", terms: [保定], reason: x}\n', "stale"),
        ('  - {plan: "000", terms: [唐山], everywhere: true, reason: x}\n', "only for province names"),
        ('  - {plan: "000", term: 廊坊, context: "充分发挥廊坊“5•18”"}\n', "reason"),
    ],
)
def test_bad_reviews_fail_naming_the_entry(tmp_path, body, message):
    p = write(tmp_path, '  - {plan: "000", term: 大营, context: "中国大营皮毛网", reason: ok}\n' + body)
    with pytest.raises(ReviewError) as e:
        load_reviews(labelled_of("000"), DATA.plan_texts, p, {"河北", "河北省"})
    assert "review 2 " in str(e.value) and message in str(e.value) and "review 1 " not in str(e.value)


def test_paragraph_review_reaches_only_its_paragraph(tmp_path):
    p = write(
        tmp_path, '  - {plan: "000", paragraph_contains: "加快辛集东明皮革", terms: [辛集], reason: x}\n'
    )
    got = load_reviews(labelled_of("000"), DATA.plan_texts, p)
    text = DATA.plan_texts["000"]
    assert len(got) == 2 and {text.count("\n", 0, off) for _, off in got} == {
        text.count("\n", 0, text.find("加快辛集东明皮革"))
    }


def test_the_reviewed_file_validates_and_every_review_has_a_reason(balances):
    reviews = {id(r): r for b in balances.values() for r in b.reviewed.values()}
    # issue 16 turned 19 company-name reviews into project records, leaving 40
    assert len(reviews) >= 35 and all(r["reason"].strip() for r in reviews.values())


def test_cli_prints_counts_per_plan(capsys):
    assert main(["--plan", "004", "--uncovered"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("plan 004: ") and "0 open" in out and "郑州" in out and "plan 000" not in out
