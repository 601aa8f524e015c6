"""The plans' targets: tier floors told apart from element targets, the targets card and
export-targets (same rows, each quoted verbatim), and the coverage notes (no Henan plan for 2016-2020)."""

import json
import re

import numpy as np
import pandas as pd
import pytest
import yaml

import app
from geodata.records import DataErrors, load_dataset
from layers.coverage import coverage_gaps, coverage_phrase
from layers.filters import Filters, filter_mask, parse_filters, spec_for
from layers.table import contract_records, grid_rows, to_csv
from layers.targets import filter_targets, target_lines, target_rows

FILTER_SETS = [
    {},
    {"province": "henan"},
    {"industry": "food"},
    {"industry": "equipment", "province": "henan"},
    {"period": "2016-2020"},
    {"year": "2018"},
    {"plan": "000"},
    {"kind": "base", "q": "钢铁"},
]


def _tier_only(store) -> list[dict]:
    return [
        r
        for r in store.dataset.records
        if r["revenue_targets"] and all(t["scope"] == "tier" for t in r["revenue_targets"])
    ]


def _filters(store, params) -> Filters:
    f, notices = parse_filters(params, store.vocab)
    assert notices == []
    return f


def _export(tmp_path, name, *args) -> str:
    out = tmp_path / name
    assert app.main(["export-targets", "--out", str(out), "--force", *args]) == 0
    return out.read_text(encoding="utf-8-sig")


def _cli_args(params: dict) -> list[str]:
    return [x for k, v in params.items() for x in (spec_for(k).cli_flag, v)]


def _text_of(component) -> str:
    if isinstance(component, str):
        return component
    kids = component if isinstance(component, (list, tuple)) else getattr(component, "children", None)
    kids = kids if isinstance(kids, (list, tuple)) else [kids] if kids is not None else []
    return "".join(_text_of(k) for k in kids)


def _rows_of(component) -> list:
    """The <tr> of the targets table, in order."""
    found = []
    if getattr(component, "className", "") in ("target-row", "target-row pair"):
        found.append(component)
    kids = component if isinstance(component, (list, tuple)) else getattr(component, "children", None)
    for k in kids if isinstance(kids, (list, tuple)) else [kids] if kids is not None else []:
        found += _rows_of(k)
    return found


# ---------- tier targets in the data ----------
def test_tier_targets_are_the_two_group_floors(store):
    tiers = [(r, t) for r in store.dataset.records for t in r["revenue_targets"] if t["scope"] == "tier"]
    clusters = [r for r in store.dataset.records if "county-clusters" in r["tags"]]
    assert len(clusters) == 41 and all(
        any(
            t["scope"] == "tier" and t["value_yi"] == 100 and t["group"] == "所列41个县域特色产业集群"
            for t in r["revenue_targets"]
        )
        for r in clusters
    )
    food = [r for r, t in tiers if t["value_yi"] == 500]
    assert {r["prefectures"][0] for r in food} == {
        "漯河市",
        "郑州市",
        "许昌市",
        "商丘市",
        "周口市",
        "驻马店市",
    }
    # 004's sentence states no year for the 500亿元 floor: none is inferred
    assert all(t["year"] is None and t["group_en"] for r in food for t in r["revenue_targets"])
    assert len(tiers) == 41 + 6


def test_pioneer_bases_carry_the_industries_box20_lists_for_their_city(store):
    text = store.dataset.plan_texts["004"]
    box = text[text.index("专栏20") : text.index("专栏21")]
    lines = {
        "electronics": "电子信息产业基地",
        "biomed": "生物产业基地",
        "new_energy_vehicles": "新能源汽车及零部件生产基地",
        "new_energy": "等新能源生产基地",
        "new_materials": "新材料生产基地",
    }
    bases = [r for r in store.dataset.records if "pioneer-bases-8" in r["tags"]]
    assert len(bases) == 8
    for r in bases:
        city = r["prefectures"][0].removesuffix("市")
        listed = {
            code
            for code, words in lines.items()
            if city
            in next(line for line in box.splitlines() if words in line).split("依托")[1].split("，")[0]
        }
        assert set(r["industries"]) == listed, r["id"]
    by_city = {r["prefectures"][0]: set(r["industries"]) for r in bases}
    assert (
        by_city["鹤壁市"] == {"electronics"} and len(by_city["郑州市"]) == 5
    )  # they differ, as the box does


# ---------- tiers never stand in for element targets ----------
def test_no_tier_target_in_revenue_column_table_or_csv(store):
    el = store.elements.set_index("id")
    tier_only = _tier_only(store)
    assert len(tier_only) == 26 + 6
    ids = [r["id"] for r in tier_only]
    assert el.loc[ids, "revenue_yi"].isna().all()
    assert (el.loc[ids, "tier_yi"] > 0).all() and (el.loc[ids, "tier_group"] != "").all()
    # the cluster with its own 400亿元 keeps it, not the 100亿元 floor
    assert el.at["hb12-yongnian-fastener-base", "revenue_yi"] == 400
    assert el.at["hb12-yongnian-fastener-base", "tier_yi"] == 100
    shown = store.elements[store.elements["id"].isin(ids + ["hb12-yongnian-fastener-base"])]
    grid = {r["id"]: r["revenue"] for r in grid_rows(shown, store.vocab)}
    assert all(grid[i] is None for i in ids) and grid["hb12-yongnian-fastener-base"] == 400
    contract = {r["id"]: r for r in contract_records(shown)}
    assert all(
        contract[i]["revenue_target_yi"] is None and contract[i]["tier_floor_yi"] in (100, 500) for i in ids
    )
    table = pd.read_csv(pd.io.common.StringIO(to_csv(shown).lstrip("\ufeff"))).set_index("id")
    assert table.loc[ids, "revenue_target_yi"].isna().all()
    assert table.at["hn12-luohe-food-base", "tier_floor_yi"] == 500
    assert table.at["hb12-jinzhou-textile-cluster", "tier_group"] == "所列41个县域特色产业集群"


def test_tier_floor_does_not_size_the_marker(store):
    from layers.figure import MapOptions, build_figure

    fig = build_figure(store.map, np.ones(len(store.elements), bool), MapOptions())
    size = {}
    for tr in fig.data:
        sizes = getattr(getattr(tr, "marker", None), "size", None)
        if tr.customdata is not None and isinstance(sizes, (list, tuple)):
            size.update({c[0]: s for c, s in zip(tr.customdata, sizes)})
    el = store.elements
    no_target = el[el["revenue_yi"].isna() & el["tier_yi"].isna() & el["drawn_as"].eq("point")]["id"]
    floor = {size[i] for i in no_target if i in size}
    assert len(floor) == 1
    tier_only = [r["id"] for r in _tier_only(store)]
    assert {size[i] for i in tier_only} == floor  # drawn as "no element target", not as 100 or 500
    assert size["hb12-xushui-rigging-park"] > floor.pop()  # an element's own 100亿元 is drawn


def test_tiers_filter_decides_whether_a_floor_meets_the_minimum(store):
    el = store.elements

    def shown(**kw):
        return set(el[filter_mask(el, Filters(no_target="hide", **kw))]["id"])

    food, yongnian, xushui = "hn12-luohe-food-base", "hb12-yongnian-fastener-base", "hb12-xushui-rigging-park"
    include, exclude = shown(min_revenue=500), shown(min_revenue=500, tiers="exclude")
    assert food in include and food not in exclude  # 500亿元 only as a group floor
    assert yongnian not in include and xushui not in include  # 400 and 100 < 500
    assert shown(min_revenue=80) >= {"hb12-jinzhou-textile-cluster", yongnian, xushui}
    assert "hb12-jinzhou-textile-cluster" not in shown(min_revenue=80, tiers="exclude")
    assert {yongnian, xushui} <= shown(min_revenue=80, tiers="exclude")  # own targets still count
    # a tier floor is a stated target: hiding "no target" keeps tier-only elements
    assert food in shown() and "hb12-jinzhou-textile-cluster" in shown()
    assert exclude < include and all(el.set_index("id").loc[list(exclude), "revenue_yi"] >= 500)


def test_details_say_a_tier_is_a_tier(store):
    from callbacks.details import element_panel

    el = store.elements.set_index("id", drop=False)
    assert target_lines(el.loc["hb12-jinzhou-textile-cluster"], "zh") == [
        "≥100 亿元，所列41个县域特色产业集群的层级目标（主营业务收入，2015）"
    ]
    assert target_lines(el.loc["hn12-luohe-food-base"], "en") == [
        "≥ 500 (100m yuan), tier of the six listed food-industry bases (operating revenue)"
    ]
    own, tier = target_lines(el.loc["hb12-yongnian-fastener-base"], "zh")
    assert own == "主营业务收入 400 亿元 (2015)" and tier.startswith(
        "≥100 亿元，所列41个县域特色产业集群的层级目标"
    )
    panel = _text_of(element_panel(el.loc["hb12-jinzhou-textile-cluster"], store, "en"))
    assert "tier of the 41 listed county clusters" in panel and "The plan states no target" not in panel


# ---------- export-targets and the targets card ----------
def test_export_targets_rows_each_quote_the_plan(tmp_path, store):
    rows = json.loads(_export(tmp_path, "t.json"))
    assert len(rows) == len(store.dataset.targets) == 41
    for r in rows:
        assert r["quote"] and r["quote"] in store.dataset.plan_texts[r["plan_number"]], r["id"]
    table = pd.read_csv(pd.io.common.StringIO(_export(tmp_path, "t.csv", "--province", "henan")))
    assert (
        len(table) == sum(r["province"] == "河南省" for r in rows) and (table["province"] == "河南省").all()
    )
    assert all(q in store.dataset.plan_texts["004"] for q in table["quote"])


def test_export_targets_checks_arguments_before_loading(tmp_path, capsys, monkeypatch):
    import geodata.records

    monkeypatch.setattr(geodata.records, "default_dataset", lambda: pytest.fail("data loaded"))
    assert app.main(["export-targets", "--out", str(tmp_path / "t.txt")]) == 2
    assert app.main(["export-targets", "--out", str(tmp_path / "t.csv"), "--period", "2030-2035"]) == 2
    assert "--out must end in .csv or .json" in capsys.readouterr().err


@pytest.mark.parametrize("params", FILTER_SETS)
def test_page_card_lists_the_rows_export_targets_writes(tmp_path, store, params):
    from callbacks.targets import show_targets

    exported = [r["id"] for r in json.loads(_export(tmp_path, "t.json", *_cli_args(params)))]
    card = show_targets(_filters_from_page(store, params), "zh")
    on_page = [getattr(tr, "data-target") for tr in _rows_of(card)]
    assert on_page == exported
    if not exported:
        assert "没有符合筛选条件" in _text_of(card)


def _filters_from_page(store, params):
    """What the page's `filters` store holds for these controls (canonical params)."""
    from layers.filters import filters_to_params

    return filters_to_params(_filters(store, params))


def test_both_figures_of_a_paired_target_shown_side_by_side(tmp_path, store):
    from callbacks.targets import show_targets

    card = show_targets(_filters_from_page(store, {"industry": "equipment", "province": "henan"}), "en")
    rows = _rows_of(card)
    ids = [getattr(tr, "data-target") for tr in rows]
    i = ids.index("hn12-target-equipment-over-2wan")
    assert ids[i + 1] == "hn12-target-equipment-2015"
    assert all(
        getattr(rows[k], "data-pair") == "pair-equipment" and "pair" in rows[k].className for k in (i, i + 1)
    )
    texts = [_text_of(rows[k]) for k in (i, i + 1)]
    assert "20,000" in texts[0] and "22,000" in texts[1] and all("⇄" in x for x in texts)
    csv = pd.read_csv(pd.io.common.StringIO(_export(tmp_path, "p.csv", "--industry", "equipment")))
    assert set(csv[csv["pair"] == "pair-equipment"]["value_yi"]) == {20000, 22000}


def test_targets_filters_that_mean_something(store):
    rows = target_rows(store.dataset)
    assert {r["plan_number"] for r in filter_targets(rows, _filters(store, {"period": "2016-2020"}))} == {
        "002"
    }
    assert filter_targets(rows, _filters(store, {"kind": "base", "min_revenue": "100000"})) == rows  # ignored
    food = filter_targets(rows, _filters(store, {"industry": "food"}))
    assert food and all("food" in r["industries"] for r in food)


# ---------- the loader's rules ----------
GOOD = {
    "id": "hb12-test-cluster",
    "name": "清河羊绒",
    "name_en": "Qinghe cashmere",
    "kind": "cluster",
    "places": ["清河县"],
    "industries": ["textiles"],
    "quote": "邢台清河羊绒",
}
TIER = {
    "value_yi": 100,
    "metric": "主营业务收入",
    "quote": "形成50个以上主营业务收入超百亿元的县域特色产业集群",
    "scope": "tier",
    "group": "所列41个县域特色产业集群",
    "group_en": "the 41 listed county clusters",
}


@pytest.mark.parametrize(
    "target, field, message",
    [
        ({**TIER, "group": None}, "group", "a tier target needs group"),
        ({**TIER, "group_en": "所列"}, "group_en", "a tier target needs group_en"),
        ({**TIER, "scope": "group"}, "scope", "must be 'element' or 'tier'"),
        ({**TIER, "scope": "element"}, "group", "only a tier target names a group"),
        ({**TIER, "floor": True}, "floor", "unknown field"),
    ],
)
def test_loader_refuses_a_badly_scoped_target(tmp_path, target, field, message):
    d = tmp_path / "records"
    d.mkdir()
    doc = {"plan": "000_95655c7c7b11221c.txt", "records": [{**GOOD, "revenue_targets": [target]}]}
    (d / "000.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataErrors, match=re.escape(f"revenue_targets[0].{field}: {message}")):
        load_dataset(d)
    doc["records"][0]["revenue_targets"] = [TIER]
    (d / "000.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert load_dataset(d).records[0]["revenue_targets"][0]["scope"] == "tier"


def test_loader_refuses_a_pair_of_one(tmp_path):
    d = tmp_path / "records"
    d.mkdir()
    target = {
        "id": "hb12-target-x",
        "scope": "province",
        "subject": "工业",
        "industries": ["general"],
        "value_yi": 15000,
        "metric": "增加值",
        "year": 2015,
        "quote": "达到1.5万亿元以上",
        "tags": ["pair-x"],
    }
    doc = {"plan": "000_95655c7c7b11221c.txt", "records": [GOOD], "targets": [target]}
    (d / "000.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataErrors, match="'pair-x' must mark exactly two targets"):
        load_dataset(d)


# ---------- coverage notes ----------
def test_coverage_gap_names_henan_for_2016_2020(store):
    from shapely.geometry import Point

    gaps = coverage_gaps(_filters(store, {"period": "2016-2020"}), store.vocab, store.boundaries)
    assert [g["province"] for g in gaps] == ["河南省"]
    assert "2016-2020" in gaps[0]["text_zh"] and "004" in gaps[0]["text_zh"] and "Henan" in gaps[0]["text_en"]
    henan = store.boundaries["provinces"].set_index("name").geometry["河南省"]
    assert henan.contains(Point(gaps[0]["lon"], gaps[0]["lat"]))
    assert [
        g["province"] for g in coverage_gaps(_filters(store, {"year": "2022"}), store.vocab, store.boundaries)
    ] == ["河南省"]
    # no note where Henan has its plan, or where the user asked for Hebei only
    for params in (
        {},
        {"period": "2011-2015"},
        {"year": "2013"},
        {"period": "2016-2020", "province": "hebei"},
    ):
        assert coverage_gaps(_filters(store, params), store.vocab, store.boundaries) == [], params


def test_coverage_gap_is_real_the_map_has_nothing_there(store):
    """The note is true of the data: the filters leave no Henan element, and Henan has elements otherwise."""
    el = store.elements
    f = _filters(store, {"period": "2016-2020"})
    assert not (el[filter_mask(el, f)]["province"] == "河南省").any()
    assert (el[filter_mask(el, _filters(store, {"period": "2011-2015"}))]["province"] == "河南省").any()


def test_summary_carries_the_coverage_note(store):
    from callbacks.page import sync_filters

    out = sync_filters({"period": ["2016-2020"]}, None, "zh")
    assert coverage_phrase(_filters(store, {"period": "2016-2020"}), store.vocab, "zh") in out["summary"]
    assert "河南省：本数据集没有2016-2020年的河南省规划" in out["summary"]
    en = sync_filters({"period": ["2016-2020"]}, None, "en")["summary"]  # Chinese words marked lang=zh
    assert "no Henan plan for 2016-2020" in "".join(x if isinstance(x, str) else x.children for x in en)
    assert "本数据集没有" not in sync_filters({"period": ["2011-2015"]}, None, "zh")["summary"]


def test_period_control_says_which_plans_each_period_covers(store):
    labels = {o["value"]: o["label"] for o in spec_for("period").control.options(store.vocab, "zh")}
    assert labels["2016-2020"] == "2016-2020（河北 002、003）"
    assert labels["2011-2015"] == "2011-2015（河北 000；河南 004）"
    en = {o["value"]: o["label"] for o in spec_for("period").control.options(store.vocab, "en")}
    assert en["2015-2025"] == "2015-2025 (Hebei 001)"


@pytest.mark.browser
def test_page_for_2016_2020_says_henan_has_no_plan(page):
    from conftest import open_map

    open_map(page, "?period=2016-2020")
    summary = page.inner_text("#summary")
    assert "河南省：本数据集没有2016-2020年的河南省规划" in summary
    page.wait_for_selector("#targets-table tbody tr", timeout=20000)
    ids = page.eval_on_selector_all("#targets-table tbody tr", "rows => rows.map(r => r.dataset.target)")
    assert ids and all(i.startswith("hbpz-") for i in ids)  # 002's targets; no Henan plan of the period
