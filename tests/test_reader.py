"""The reader (issue 17): every placed phrase is highlighted where it stands and links back to its records;
专栏 boxes read as tables; sections, contents, search; the reader position in the link."""

import json
import re
from contextvars import copy_context

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from callbacks import page
from callbacks import reader as reader_cb
from layers.display import entity_char
from layers.figure import DEFAULT_LAYERS
from layers.mentions import quote_spans
from layers.page_state import page_query, parse_page
from layers.passages import stops_for_marks as for_display
from layers.reader import ENTITY, paragraph_of, parse_plan, search_text, section_elements, section_of, toc

PLANS = ("000", "001", "002", "003", "004")
BOX_CHARS = set("─│┌┐└┘├┤┬┴┼")
IGNORED = re.compile("[─│┌┐└┘├┤┬┴┼　 \n]")


def _records(store, plan):
    return [r for r in store.dataset.records if r["plan_number"] == plan]


def _shown(doc, span) -> str:
    p = doc.by_n[span.n]
    if span.cell is None:
        return for_display(p.text)[span.start : span.end]
    t, r, c = span.cell
    return p.tables[t].rows[r][c].text[span.start : span.end]


def _norm(s: str) -> str:
    return IGNORED.sub("", ENTITY.sub(lambda m: entity_char(int(m.group(1))), for_display(s)))


@pytest.mark.parametrize("plan", PLANS)
def test_every_quote_is_highlighted_once_where_it_stands(store, plan):
    doc, spans, _, _ = reader_cb.plan_view(plan)
    every = [s for v in spans.values() for s in v]
    keys = [(s.n, s.cell, s.start, s.end) for s in every]
    assert len(keys) == len(set(keys)), "a place in the text is highlighted twice"
    checked = 0
    for rec in _records(store, plan):
        for q in {rec["quote"], *rec["more_quotes"]}:
            occurrences = quote_spans(doc.text, q)
            assert occurrences, rec["id"]
            for occ in occurrences:
                mine = [s for s in every if s.src == occ]
                assert mine and all(rec["id"] in s.ids for s in mine), (rec["id"], q[:30])
                # the highlighted words are the quote's words (box strokes and padding removed)
                assert _norm("".join(_shown(doc, s) for s in mine)) == _norm(q), (rec["id"], q[:30])
                assert doc.by_n[mine[0].n].n == doc.at(occ[0]).n
                checked += 1
    assert checked >= len(_records(store, plan))


@pytest.mark.parametrize("plan", PLANS)
def test_marks_link_back_to_their_records(store, plan):
    doc, spans, faint, runs = reader_cb.plan_view(plan)
    toc_nav, body = reader_cb.plan_html(plan, "zh")
    marks = []

    def walk(c):
        if hasattr(c, "to_plotly_json"):
            if type(c).__name__ == "Mark":
                marks.append(c)
            kids = getattr(c, "children", None)
            for k in kids if isinstance(kids, list) else [kids]:
                walk(k)

    walk(body)
    ids = {r["id"] for r in _records(store, plan)}
    assert len(marks) == len(runs)
    for k, m in enumerate(marks):
        listed = tuple(getattr(m, "data-ids").split())
        assert m.id == {"type": "quote-link", "id": listed[0], "n": k}
        assert listed == runs[k][3] and set(listed) <= ids
    linked = {i for m in marks for i in getattr(m, "data-ids").split()}
    assert linked == ids, f"records with no highlight: {sorted(ids - linked)[:5]}"
    # a phrase several records quote offers each of them
    shared = [m for m in marks if len(getattr(m, "data-ids").split()) > 1]
    assert all("shared" in m.className for m in shared)


def test_revenue_target_words_belong_to_their_own_record_only(store):
    """'到2015年，实现主营业务收入200亿元' recurs under five bases in plan 000: each occurrence is one base's."""
    doc, spans, _, _ = reader_cb.plan_view("000")
    q = "到2015年，实现主营业务收入200亿元"
    assert len(quote_spans(doc.text, q)) >= 5
    baigou = section_elements(
        doc, reader_cb.plan_records("000"), paragraph_of(doc, "保定汽车及零部件生产基地。到2015年")
    )
    assert (
        "hb12-baigou-luggage-base" not in baigou
    )  # its target words also stand in 专栏2, but not as its own


def test_box_tables_have_no_box_characters_and_keep_their_structure():
    from layers.store import get_store

    texts = get_store().dataset.plan_texts
    counts = {}
    for plan in PLANS:
        doc = parse_plan(texts[plan], plan)
        tables = [tb for p in doc.paragraphs for tb in p.tables]
        counts[plan] = len(tables)
        for tb in tables:
            for row in tb.rows:
                for c in row:
                    assert not BOX_CHARS & set(c.text), (plan, c.text[:30])
                    assert len(c.src) == len(c.text)
    assert counts == {"000": 0, "001": 12, "002": 8, "003": 14, "004": 0}
    doc = parse_plan(texts["001"], "001")
    indicators = doc.by_n[15].tables[0]
    assert [c.text for c in indicators.rows[0]] == ["类别", "指标", "2017年", "2020年", "2025年"]
    first = indicators.rows[1][0]
    assert (first.text, first.rowspan) == ("创新能力", 3)  # wrapped over two drawn lines, spans three rows
    assert [c.text for c in indicators.rows[5]][1:] == [
        "比2015年提高1个百分点",
        "比2015年提高2个百分点",
        "比2015年提高4个百分点",
    ]
    box = parse_plan(texts["003"], "003").by_n[25].tables[0]
    assert box.title == "专栏1智能制造装备发展路线图" and box.rows[0][0].colspan == 2
    assert box.rows[1][1].text.startswith("到2020年，初步建立") and "较强竞争力" in box.rows[1][1].text


def test_plain_line_boxes_sections_and_contents(store):
    texts = store.dataset.plan_texts
    doc = parse_plan(texts["000"], "000")
    n = paragraph_of(doc, "保定汽车及零部件生产基地。")
    assert doc.section_titles(n) == [
        "三、改造提升传统产业",
        "（一）做大做强装备制造业",
        "专栏2：装备制造业重点基地、园区",
    ]
    head, members = section_of(doc, n)
    assert doc.by_n[head].title.startswith("专栏2") and len(members) == 14  # the title and its 13 bases
    thirteen = {r["id"] for r in _records(store, "000") if "equip-bases-13" in (r.get("tags") or [])}
    # the box's 13 bases, and the company project its rows name (华电 at 曹妃甸, the Projects rule)
    assert len(thirteen) == 13
    assert set(section_elements(doc, _records(store, "000"), n)) == thirteen | {
        "hb12-huadian-caofeidian-heavy-equipment"
    }
    # the heading after the box is not inside it
    after = paragraph_of(doc, "（二）做优做强钢铁工业。")
    assert doc.by_n[after].box is None and doc.section_titles(after) == [
        "三、改造提升传统产业",
        "（二）做优做强钢铁工业",
    ]
    entries = toc(doc)
    titles = [t for _, _, t in entries]
    assert "三、改造提升传统产业" in titles and "专栏2：装备制造业重点基地、园区" in titles
    # 004: a 专栏 written as plain lines ends at the blank line
    d4 = parse_plan(texts["004"], "004")
    box = paragraph_of(d4, "推进郑州百万辆汽车基地建设。支持")
    nxt = paragraph_of(d4, "2.电子信息产业")
    assert d4.by_n[box].box is not None and d4.by_n[nxt].box is None
    assert d4.section_titles(nxt)[0].startswith("第三章")
    assert all(toc(parse_plan(texts[p], p)) for p in PLANS)


def test_search_finds_words_the_drawing_wrapped(store):
    doc = parse_plan(store.dataset.plan_texts["003"], "003")
    assert "石家庄装备制造基地" not in doc.text  # the box drawing breaks it over two lines
    hits = search_text(doc, "石家庄装备制造基地")
    assert hits and all("石家庄装备制造基地" in h.snippet for h in hits)
    d0 = parse_plan(store.dataset.plan_texts["000"], "000")
    assert len(search_text(d0, "曹妃甸", limit=1000)) == d0.text.count("曹妃甸")
    assert search_text(d0, "  ") == []


def test_reader_position_in_the_link(store):
    state, notices = parse_page("?reader=000:10", store)
    assert state.reader == "000:10" and not notices
    assert page_query(state) == "?reader=000:10"
    assert parse_page(page_query(state), store)[0] == state
    state, notices = parse_page("?reader=003:25&follow=1&sel=hb12-baoding-auto-parts-base", store)
    assert state.follow and parse_page(page_query(state), store)[0] == state
    for bad, code in (
        ("000:11", "unknown_reader_paragraph"),
        ("009:10", "unknown_reader_plan"),
        ("000-10", "bad_reader"),
        ("000:99999", "unknown_reader_paragraph"),
    ):
        state, notices = parse_page(f"?reader={bad}", store)
        assert state.reader == "" and [n.code for n in notices] == [code], bad
        assert notices[0].text("zh") and bad in notices[0].text("en")
    state, notices = parse_page("?follow=yes", store)
    assert not state.follow and [n.code for n in notices] == ["bad_follow"]


def _run(fn, prop_id, value, *args):
    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}]))
        return fn(*args)

    return copy_context().run(go)


def _pid(d: dict, prop: str = "n_clicks") -> str:
    return json.dumps(d, sort_keys=True, separators=(",", ":")) + "." + prop


def test_clicking_a_highlight_selects_and_zooms(store):
    doc, spans, faint, runs = reader_cb.plan_view("000")
    k = next(i for i, r in enumerate(runs) if r[3] == ("hb12-baoding-auto-parts-base",))
    sel, zoom, options, choices = _run(
        reader_cb.click_quote,
        _pid({"type": "quote-link", "id": runs[k][3][0], "n": k}),
        1,
        [1],
        {"plan": "000", "n": runs[k][0]},
        [{"label": "all", "value": "all"}],
        "zh",
    )
    assert sel == {"type": "element", "id": "hb12-baoding-auto-parts-base"}
    assert zoom.count(",") == 3 and options[-1]["value"] == zoom and choices == []
    # a shared phrase offers every record it places
    k2 = next(i for i, r in enumerate(runs) if len(r[3]) > 1)
    sel, _, _, choices = _run(
        reader_cb.click_quote,
        _pid({"type": "quote-link", "id": runs[k2][3][0], "n": k2}),
        1,
        [1],
        {"plan": "000", "n": runs[k2][0]},
        [],
        "en",
    )
    picks = [c.id["id"] for c in choices[1:]]
    assert sel["id"] == runs[k2][3][0] and picks == list(runs[k2][3])
    # a forged id selects nothing
    assert (
        _run(
            reader_cb.click_quote, _pid({"type": "quote-link", "id": "nope", "n": 0}), 1, [1], None, [], "zh"
        )[0]
        is reader_cb.no_update
    )


def test_read_in_plan_opens_at_the_quote_and_follow_lists_the_section(store):
    rid = "hb12-baoding-auto-parts-base"
    pos = _run(reader_cb.open_reader, _pid({"type": "read-in-plan", "id": rid}), 1, [1], [0] * 5, 0)
    doc = reader_cb.plan_view("000")[0]
    assert pos == {
        "plan": "000",
        "n": paragraph_of(doc, store.elements.set_index("id").loc[rid, "quote"]),
        "jump": True,
    }
    assert _run(reader_cb.open_reader, "reader-close.n_clicks", 1, [], [0] * 5, 1) is None
    focus = reader_cb.follow_focus({"plan": "000", "n": pos["n"]}, ["1"])
    assert rid in focus["ids"] and focus["section"].startswith("专栏2") and len(focus["ids"]) == 14
    assert reader_cb.follow_focus({"plan": "000", "n": pos["n"]}, []) is None
    out = reader_cb.show_reader({"plan": "000", "n": pos["n"]}, None, "en")
    assert out["class"] == "reader open" and out["shown"] == "000"
    out = reader_cb.show_reader(
        {"plan": "000", "n": 3}, "000", "en"
    )  # scrolling within the plan re-renders nothing
    assert out["body"] is reader_cb.no_update and out["plans"] == [reader_cb.no_update] * 5


def test_link_carries_the_reader_position(store):
    link = page.sync_link({}, list(DEFAULT_LAYERS), "all", "", None, {"plan": "000", "n": 95}, ["1"], "zh")
    assert link == "?reader=000:95&follow=1"
    forged = page.sync_link({}, list(DEFAULT_LAYERS), "all", "", None, {"plan": "000", "n": 96}, [], "zh")
    assert forged == ""  # paragraph 96 is a blank line: not a position
