"""English heading titles (geodata/sections_en.yaml, layers/headings.py): one table, checked, shown."""

from __future__ import annotations

import copy

import pytest

from geodata.records import CJK_RE
from layers.headings import check_titles, heading_en, load_titles, plan_headings, section_en, section_parts


@pytest.fixture(scope="module")
def titles():
    return load_titles()


@pytest.fixture(scope="module")
def headings(store):
    return plan_headings(store.dataset.plan_texts)


def _errors(titles, store, headings):
    return [str(e) for e in check_titles(titles, store.dataset.records, headings)]


def test_the_project_table_covers_every_heading_and_section(titles, store, headings):
    assert _errors(titles, store, headings) == []
    assert sum(len(h) for h in headings.values()) == 301  # what the reader's contents list
    for r in store.dataset.records:
        en = section_en(r["plan_number"], r["section"], titles)
        assert bool(en) == bool(r["section"]), r["id"]
        assert not CJK_RE.search(en), (r["id"], en)
        assert en.count(" / ") >= len(section_parts(r["section"])) - 1


def test_a_record_section_without_a_title_fails(titles, store, headings):
    t = copy.deepcopy(titles)
    del t["003"]["4.集成电路"]
    errs = _errors(t, store, headings)
    assert errs and all("4.集成电路" in e and "no English title" in e for e in errs)


def test_a_reader_heading_without_a_title_fails(titles, store, headings):
    t = copy.deepcopy(titles)
    del t["004"]["第五章　主要政策和保障措施"]
    assert _errors(t, store, headings) == [
        "sections_en.yaml: 004: 第五章　主要政策和保障措施: heading of the plan has no English title"
    ]


def test_chinese_in_a_title_fails(titles, store, headings):
    t = copy.deepcopy(titles)
    t["002"]["一、总体要求"] = "I. 总体要求"
    errs = _errors(t, store, headings)
    assert len(errs) == 1 and "English title must be English" in errs[0]


def test_a_key_that_is_no_heading_of_its_plan_fails(titles, store, headings):
    t = copy.deepcopy(titles)
    t["000"]["（九）数字创意产业"] = "(9) Digital creative industries"  # a heading of 003, not of 000
    assert _errors(t, store, headings) == [
        "sections_en.yaml: 000: （九）数字创意产业: not a heading of this plan"
    ]


def test_start_up_refuses_a_broken_table(store, monkeypatch, tmp_path):
    import yaml

    import layers.store as st
    from geodata.records import DataErrors

    t = load_titles()
    t["001"]["(三)战略目标"] = "(3) 战略目标"
    path = tmp_path / "sections_en.yaml"
    path.write_text(yaml.safe_dump(t, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(st, "load_titles", lambda: load_titles(path))
    with pytest.raises(DataErrors, match="战略目标"):
        st.build_store(store.dataset, store.boundaries)


def test_section_paths_compose_from_their_headings(titles):
    assert (
        section_en("003", "二、主要任务 /（二）新一代信息技术产业 / 4.集成电路", titles)
        == "II. Main tasks / (2) New-generation information technology / 4. Integrated circuits"
    )
    # two headings written together, and a box named by its number alone
    assert section_en("000", "三、改造提升传统产业（二）做优做强钢铁工业", titles) == (
        "III. Transforming and upgrading traditional industries / (2) A better, stronger steel industry"
    )
    assert section_en("003", "二、主要任务 /（一）先进装备制造业 / 专栏2", titles).endswith(
        "/ Box 2 Rail transit equipment roadmap"
    )
    # a sub-field in brackets stays with its heading
    assert section_en("001", "附件 重点发展领域和突破方向 — 三、新能源产业（光伏）", titles) == (
        "Annex: priority fields and breakthrough directions / III. New energy (photovoltaics)"
    )
    assert heading_en("004", "专栏12\u3000生物医药产业发展重点", titles) == "Box 12 Biomedicine priorities"


def _text(component) -> str:
    """All text of a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def test_details_panel_names_the_section_in_english(store):
    from callbacks.details import element_panel

    row = store.elements[store.elements["section"].str.contains("4.集成电路", regex=False)].iloc[0]
    en, zh = _text(element_panel(row, store, "en")), _text(element_panel(row, store, "zh"))
    assert "Section of the plan" in en and "/ 4. Integrated circuits" in en
    assert "所在章节" in zh and "4.集成电路" in zh


def test_reader_contents_show_english_titles_with_the_chinese_beside(store):
    from dash import html

    from callbacks.reader import plan_html

    toc_en = plan_html("004", "en")[0]
    links = [a for a in _walk(toc_en) if isinstance(a, html.A)]
    assert len(links) == len(plan_headings({"004": store.dataset.plan_texts["004"]})["004"])
    first = links[0].children
    assert (
        first[0] == "Chapter 1 Foundations and situation of Henan's industrial transformation and upgrading"
    )
    assert first[2].lang == "zh" and first[2].children.startswith("第一章")
    assert all(isinstance(a.children, str) for a in _walk(plan_html("004", "zh")[0]) if isinstance(a, html.A))


def test_follow_the_text_caption_in_english(store):
    from callbacks.reader import focus_note, follow_focus, plan_view

    doc = plan_view("003")[0]
    n = next(p.n for p in doc.paragraphs if p.title.startswith("专栏9"))
    focus = follow_focus({"plan": "003", "n": n}, ["1"])
    assert focus_note(focus, "en").endswith("(Box 9 Solar industry roadmap)")
    assert not CJK_RE.search(focus_note(focus, "en"))
    assert focus_note(focus, "zh").endswith("（专栏9太阳能产业发展路线图）")


def _walk(c):
    yield c
    kids = getattr(c, "children", None)
    for k in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if not isinstance(k, str):
            yield from _walk(k)


def test_every_target_measure_has_an_english_name(store):
    from layers.i18n import METRIC_LABELS, metric_label

    metrics = {t["metric"] for r in store.dataset.records for t in r["revenue_targets"]}
    metrics |= {t["metric"] for t in store.dataset.targets}
    missing = sorted(m for m in metrics if m and m not in METRIC_LABELS)
    assert missing == []
    assert all(not CJK_RE.search(metric_label(m, "en")) for m in metrics)
    assert metric_label("主营业务收入", "zh") == "主营业务收入"


def test_english_place_names_are_built_once_on_the_store(store):
    from callbacks.details import place_names

    assert store.place_en["石家庄市"] == "Shijiazhuang" and store.place_en["河南省"] == "Henan"
    row = store.elements[store.elements["id"] == "hb12-shijiazhuang-national-bio-base"].iloc[0]
    assert place_names(row, store, "en") == "Shijiazhuang"
    assert row["prefectures_en"] == ("Shijiazhuang",)
    # every county and prefecture an element names has an English name
    named = {n for col in ("prefectures", "counties") for names in store.elements[col] for n in names}
    assert sorted(n for n in named if n not in store.place_en) == []
