"""Search as a planner types it (issue 16): several words, either language, names in passages;
and what the page and the CSV show (专栏 quotes unboxed, '&8226;' cleaned, numbers as written)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from layers.display import display_name, fmt_number, fmt_year, plain_number, unbox
from layers.filters import Filters, filter_mask, parse_query
from layers.passages import find_passage, readable
from layers.search import rank_order, search, search_mask, search_table, why_text
from layers.table import grid_rows, to_csv


def ids(store, mask) -> set[str]:
    return set(store.elements["id"][mask])


def where(store, pred) -> np.ndarray:
    return np.array([pred(r) for r in store.elements.itertuples(index=False)])


def test_two_words_find_tangshan_steel_and_nothing_else(store):
    tangshan_steel = where(store, lambda r: "唐山市" in r.prefectures and "steel" in r.industries)
    found = search(store.search_index, "唐山 钢铁").mask
    assert tangshan_steel.sum() >= 10
    assert ids(store, tangshan_steel) <= ids(store, found)
    # nothing else: not a 唐山 record that merely mentions 钢铁, nor a 钢铁冶金-sector one
    assert ids(store, found) == ids(store, tangshan_steel)
    # the ideographic space and a comma split words too
    assert (search(store.search_index, "唐山　钢铁").mask == found).all()
    assert (search(store.search_index, "唐山，钢铁").mask == found).all()


def test_english_place_names_find_as_many_as_chinese(store):
    idx = store.search_index
    zh = search(idx, "唐山").mask
    assert zh.sum() >= where(store, lambda r: "唐山市" in r.prefectures).sum()
    for q in ("Tangshan", "tangshan", "TANGSHAN", "Tang Shan"):
        assert (search(idx, q).mask == zh).all(), q
    assert (search(idx, "Shijiazhuang").mask == search(idx, "石家庄").mask).all()


def test_english_words_combine(store):
    tangshan_steel = where(store, lambda r: "唐山市" in r.prefectures and "steel" in r.industries)
    found = search(store.search_index, "tangshan steel").mask
    assert ids(store, tangshan_steel) <= ids(store, found)
    assert found.sum() < search(store.search_index, "tangshan").mask.sum()
    # a two-word label is one industry, not new AND energy
    new_energy = where(store, lambda r: "new_energy" in r.industries)
    assert ids(store, new_energy) <= ids(store, search(store.search_index, "New Energy").mask)


@pytest.mark.parametrize(
    "company, host",
    [
        ("德龙", "曹妃甸装备制造产业园区"),
        ("华电", "曹妃甸装备制造产业园区"),
        ("冀东水泥", "曹妃甸装备制造产业园区"),
        ("英利", "保定国家新能源产业基地"),
        ("中海油中捷", "沧州临港经济技术开发区"),
        ("唐车", "唐山（丰润）中国动车城"),
    ],
)
def test_a_company_finds_the_base_whose_passage_names_it(store, company, host):
    res = search(store.search_index, company)
    rows = [i for i in np.flatnonzero(res.mask) if store.elements["name"].iloc[i] == host]
    assert rows, f"{company} does not find {host}"
    field, text = res.why[rows[0]]
    # the host lists the company among its projects (the Projects rule), or its passage names it
    assert field in ("project", "passage") and company in text
    assert why_text(res, rows[0], "en").startswith(("named in the passage: ", "project: "))
    assert company in why_text(res, rows[0], "zh")
    # the passage is the host's own: the company stands in the paragraph of one of its quotes
    el = store.elements.iloc[rows[0]]
    text_of_plan = store.dataset.plan_texts[el["plan_number"]]
    paras = [find_passage(text_of_plan, q) for q in (el["quote"], *el["more_quotes"])]
    assert any(company in f"{p.before}{p.quote}{p.after}" for p in paras if p)


def test_the_same_words_in_an_unrelated_paragraph_do_not_count(store):
    # 白沟箱包's target sentence also occurs in the 曹妃甸 paragraph that names 德龙
    found = search(store.search_index, "德龙").mask
    assert "白沟箱包产业基地" not in set(store.elements["name"][found])


def test_name_matches_rank_above_passage_matches(store):
    for q, first in (
        ("英利", "保定英利集团多晶硅太阳能电池技术改造及产业化项目"),
        ("郑州日产", "郑州日产全球轻型商用车基地"),
        ("海马", "郑州海马中牟厂区改造工程"),
    ):
        res = search(store.search_index, q)
        order = rank_order(store.elements, q)
        assert set(order) == set(np.flatnonzero(res.mask))
        assert store.elements["name"].iloc[order[0]] == first
        fields = [res.why[i][0] for i in order]
        assert "passage" in fields, q  # the records whose passages name it are found too
        assert fields.index("passage") > max(i for i, f in enumerate(fields) if f == "name")


def test_unknown_words_find_nothing(store):
    for q in ("xyzzy", "唐山 xyzzy", "钢铁 不存在的公司名"):
        assert not search(store.search_index, q).mask.any(), q
        assert not search_mask(store.elements, q).any(), q
    assert search_mask(store.elements, "  ").all()


def test_search_is_the_same_on_a_sub_table(store):
    el = store.elements
    sub = el[el["province"] == "河北省"]
    assert (
        search_mask(sub, "唐山 钢铁") == search_mask(el, "唐山 钢铁")[el["province"].to_numpy() == "河北省"]
    ).all()
    # ranking and the reasons refer to the sub-table's own rows
    full_order = [el["id"].iloc[i] for i in rank_order(el, "英利")]
    sub_order = [sub["id"].iloc[i] for i in rank_order(sub, "英利")]
    assert sub_order == [i for i in full_order if i in set(sub["id"])] and sub_order
    res = search_table(sub, "德龙")
    row = rank_order(sub, "德龙")[0]
    assert (
        res.mask[row] and sub["name"].iloc[row] == "曹妃甸装备制造产业园区" and "德龙" in why_text(res, row)
    )


def test_url_and_cli_give_the_same_rows(store, tmp_path):
    import app

    f, _, notices = parse_query("?q=唐山%20钢铁", store.vocab)
    assert f.q == "唐山 钢铁" and not notices
    page_rows = ids(store, filter_mask(store.elements, f))
    assert page_rows == ids(store, search(store.search_index, "唐山 钢铁").mask) and page_rows
    out = tmp_path / "e.csv"
    assert app.main(["export-data", "--q", "唐山 钢铁", "--out", str(out)]) == 0
    cli_rows = set(pd.read_csv(out, encoding="utf-8-sig")["id"])
    assert cli_rows == page_rows


def test_display_cleaning_keeps_stored_quotes_verbatim(store):
    texts = store.dataset.plan_texts
    boxed = 0
    for r in store.elements.itertuples(index=False):
        for q in (r.quote, *r.more_quotes):
            assert q in texts[r.plan_number], r.id  # the data is untouched
            p = readable(find_passage(texts[r.plan_number], q))
            assert not set("│┌┐└┘─├┤┬┴┼") & set(p.quote + p.before + p.after), r.id
            boxed += "│" in q
    assert boxed >= 10


def test_a_word_split_across_cells_is_whole_again():
    assert (
        unbox("进行承接京津生物│\u3000\u3000│医药产业转移试点示范") == "进行承接京津生物医药产业转移试点示范"
    )
    assert (
        unbox("北京&8226;沧州渤海新区生│　　│　　　　　　　│物医药产业园建设")
        == "北京&8226;沧州渤海新区生物医药产业园建设"
    )
    # two cells of one row stay apart; a ruled line starts a new line
    assert (
        unbox("│发展目标　　　│到2020年，形成│　　├───┼───┤　　│重点行动　│关键")
        == "发展目标 到2020年，形成\n重点行动 关键"
    )


def test_box_quote_reads_whole_in_the_details_panel(store):
    el = store.elements.set_index("id").loc["hbpz-bohai-beijing-biomed-base"]
    boxed = next(q for q in (el["quote"], *el["more_quotes"]) if "│" in q)
    p = readable(find_passage(store.dataset.plan_texts[el["plan_number"]], boxed))
    assert "京津生物医药产业转移" in p.quote
    # the paragraph is the quote's row of the box, not the whole box
    assert len(p.before + p.quote + p.after) < 300 and "\n" not in p.before + p.after


def test_no_entity_artefacts_in_any_display_name(store):
    raw = [n for n in store.elements["name"] if "&8226;" in n]
    assert raw, "the data no longer has the artefact: this test needs a new example"
    assert all("&8226;" not in display_name({"name": n}) for n in store.elements["name"])
    assert display_name({"name": "冀&8226;津（涉县&8226;天铁）"}) == "冀·津（涉县·天铁）"
    assert all("&8226;" not in r["name"] for r in grid_rows(store.elements, store.vocab, "zh"))
    table = pd.read_csv(
        io.StringIO(to_csv(store.elements).lstrip("\ufeff")), dtype=str, keep_default_na=False
    )
    assert not table["name"].str.contains("&8226;").any()
    assert set(raw) <= set(table["name_as_written"])
    # search finds the name either way it is written
    assert search_mask(store.elements, "冀·津").any() and search_mask(store.elements, "冀&8226;津").any()


def test_numbers_as_a_reader_writes_them():
    assert fmt_number(1000.0) == "1,000" and fmt_number(1250.5, "en") == "1,250.5" and fmt_number(None) == ""
    assert fmt_year(2015.0) == "2015" and fmt_year(float("nan")) == ""
    assert plain_number(1000.0) == "1000" and plain_number(0.35) == "0.35"


def test_csv_numbers_and_plan_columns(store):
    text = to_csv(store.elements)
    assert "2015.0" not in text and "1000.0" not in text
    table = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False)
    for col in ("plan", "plan_number", "plan_title", "plan_title_en", "name_as_written"):
        assert col in table.columns, col
    row = table[table["plan_number"] == "004"].iloc[0]
    assert row["plan_title"] == store.dataset.plans["004"]["title"] and row["plan"].endswith(".txt")
    assert set(table["target_year"]) - {""} <= {str(y) for y in range(2010, 2031)}
    assert "1000" in set(table["revenue_target_yi"])


def test_a_filter_with_search_still_combines_with_the_others(store):
    f = Filters(q="唐山", period=("2011-2015",))
    shown = store.elements[filter_mask(store.elements, f)]
    assert len(shown) and (shown["plan_period"] == "2011-2015").all()
    assert all("唐山市" in p or "唐山" in n for p, n in zip(shown["prefectures"], shown["name"]))


def test_details_panel_shows_clean_names_and_unboxed_quotes(store):
    from callbacks.details import element_panel

    def texts(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, (list, tuple)):
            for x in node:
                yield from texts(x)
        elif node is not None and hasattr(node, "children"):
            yield from texts(node.children)

    el = store.elements.set_index("id", drop=False)
    panel = element_panel(el.loc["hbpz-shexian-tiantie-circular-zone"], store, "zh")
    assert "冀·津（涉县·天铁）" in panel[0].children and "&8226;" not in "".join(texts(panel))
    shown = "".join(texts(element_panel(el.loc["hbpz-bohai-beijing-biomed-base"], store, "zh")))
    assert "京津生物医药产业转移" in shown and "│" not in shown


def test_table_rows_ranked_with_the_reason(store):
    shown = store.elements[search_mask(store.elements, "英利")]
    rows = grid_rows(shown, store.vocab, "en", q="英利")
    assert len(rows) == len(shown)
    assert rows[0]["id"] == "hb12-baoding-yingli-polysilicon-cells"
    assert rows[0]["why"].startswith("name: ") and rows[-1]["why"].startswith("named in the passage: …")
    assert "why" not in grid_rows(shown, store.vocab, "en")[0]


def test_a_records_projects_are_searched(store):
    """Records may list the projects they name (`projects`); a project name finds its record."""
    from types import SimpleNamespace

    from layers.search import SearchIndex

    el = store.elements
    k = int(np.flatnonzero(el["name"] == "曹妃甸装备制造产业园区")[0])
    rec = next(r for r in store.dataset.records if r["id"] == el["id"].iloc[k])
    data = SimpleNamespace(
        records=[{**rec, "projects": [{"name": "虚构重工项目"}]}], plan_texts=store.dataset.plan_texts
    )
    one = el.iloc[[k]]
    idx = SearchIndex.build(one, data, store.boundaries, store.vocab)
    res = search(idx, "虚构重工")
    assert res.mask.tolist() == [True] and res.why[0] == ("project", "虚构重工项目")
    assert not search(store.search_index, "虚构重工").mask.any()  # the real records do not name it


def test_odd_input_is_only_text(store):
    assert search_mask(store.elements, "\x1f\x1e").all()  # nothing but separators: a blank search
    for q in ("\x1e唐山", "(唐山", ".*", "唐山\x00钢铁"):
        found = search_mask(store.elements, q)
        assert found.sum() <= search_mask(store.elements, "唐山").sum(), repr(q)
    assert not search_mask(store.elements, ".*").any()
    assert (search_mask(store.elements, "唐山\x00钢铁") == search_mask(store.elements, "唐山 钢铁")).all()
