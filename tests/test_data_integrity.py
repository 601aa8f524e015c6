"""The rules of ../shared/guide/data.md, over every record, and loud failures for bad rows."""
from pathlib import Path

import pytest
import yaml

from geodata.records import (AREA_KINDS, KINDS, LINE_KINDS, RECORDS_DIR, DataErrors, load_dataset,
                             load_industries, load_plans)


def test_every_plan_has_records(store):
    by_plan = {}
    for r in store.dataset.records:
        by_plan[r["plan_number"]] = by_plan.get(r["plan_number"], 0) + 1
    assert set(by_plan) == {"000", "001", "002", "003", "004"}
    assert sum(by_plan.values()) >= 600  # several hundred placeable elements


def test_quotes_verbatim(store):
    texts = store.dataset.plan_texts
    for r in store.dataset.records:
        text = texts[r["plan_number"]]
        for q in [r["quote"], *r["more_quotes"], *(t["quote"] for t in r["revenue_targets"])]:
            assert q in text, (r["id"], q[:40])
    for t in store.dataset.targets:
        assert t["quote"] in texts[t["plan_number"]], t["id"]


def test_every_place_resolves_to_a_boundary(store):
    el = store.elements
    assert len(el) == len(store.dataset.records)
    assert el.geometry.notna().all() and (~el.geometry.is_empty).all()
    keys = set(store.boundaries["prefectures"]["name"]) | set(store.boundaries["provinces"]["name"])
    for r in store.dataset.records:
        for u in r["units"]:
            assert u.level == "county" or u.name in keys, (r["id"], u)


def test_industry_codes_known_and_labelled(store):
    codes = {i["code"] for i in load_industries()}
    assert all(set(r["industries"]) <= codes for r in store.dataset.records)
    for i in load_industries():
        assert i["zh"] and i["en"], i["code"]


def test_ids_unique_and_prefixed(store):
    ids = [r["id"] for r in store.dataset.records] + [t["id"] for t in store.dataset.targets]
    assert len(ids) == len(set(ids))
    prefixes = {p["number"]: p["id_prefix"] for p in load_plans().values()}
    for r in store.dataset.records:
        assert r["id"].startswith(prefixes[r["plan_number"]] + "-")


def test_kinds_and_compositions(store):
    for r in store.dataset.records:
        assert r["kind"] in KINDS
        if r["kind"] in AREA_KINDS + LINE_KINDS:
            assert r["composition_source"] in ("text", "outside"), r["id"]
            if r["composition_source"] == "outside":
                assert r["composition_reference"], r["id"]


def test_periods_parse_and_fall_in_plan(store):
    for r in store.dataset.records:
        a, b = (int(x) for x in r["plan_period"].split("-"))
        assert 2000 < a <= b <= 2035


def test_targets_in_yi_with_metric(store):
    for r in store.dataset.records:
        for t in r["revenue_targets"]:
            assert t["value_yi"] > 0 and t["metric"], r["id"]
    assert any(t["scope"] == "industry" for t in store.dataset.targets)


def test_shipped_plan_texts_match_shared_copies():
    shared = Path(__file__).resolve().parents[2] / "shared" / "plans"
    if not shared.exists():
        pytest.skip("../shared/plans not beside this checkout")
    for p in load_plans().values():
        ours = (RECORDS_DIR.parent / "plan_texts" / p["file"]).read_bytes()
        assert ours == (shared / p["file"]).read_bytes(), p["file"]


# --- specific records, from the text -----------------------------------------
def _rec(store, rid):
    return next(r for r in store.dataset.records if r["id"] == rid)


def _find(store, plan, name_part, kind=None):
    hits = [r for r in store.dataset.records if r["plan_number"] == plan and name_part in r["name"]
            and (kind is None or r["kind"] == kind)]
    assert hits, (plan, name_part)
    return hits


def test_qinghe_cashmere_cluster(store):
    r = _find(store, "000", "清河羊绒")[0]
    assert r["counties"] == ["清河县"] and r["prefectures"] == ["邢台市"]
    assert "textiles" in r["industries"]
    assert any(t["value_yi"] == 200 and t["year"] == 2015 for t in r["revenue_targets"])


def test_caofeidian_new_area_in_tangshan(store):
    r = _find(store, "000", "曹妃甸", "new_area")[0]
    assert r["prefectures"] == ["唐山市"] and r["counties"] == ["曹妃甸区"]


def test_henan_food_target_two_trillion(store):
    food = [t for t in store.dataset.targets if t["plan_number"] == "004" and "food" in t["industries"]]
    assert any(t["value_yi"] == 20000 and t["year"] == 2015 for t in food)


def test_henan_light_industry_two_figures_kept(store):
    light = [t for t in store.dataset.targets if t["plan_number"] == "004" and "light_industry" in t["industries"]]
    assert {10000, 12000} <= {t["value_yi"] for t in light}


def test_plan_003_national_bases_targets(store):
    expected = {"石家庄": 1500, "保定": 1700, "张家口": 1000, "廊坊": 1000}
    nat = [r for r in store.dataset.records if r["plan_number"] == "003" and r["revenue_targets"]]
    for city, value in expected.items():
        assert any(city in "".join(r["prefectures"]) and any(t["value_yi"] == value for t in r["revenue_targets"])
                   for r in nat), city


def test_belts_named_by_abbreviation_are_text_compositions(store):
    r = _find(store, "001", "秦唐沧")[0]
    assert set(r["prefectures"]) == {"秦皇岛市", "唐山市", "沧州市"} and r["composition_source"] == "text"
    r = _find(store, "001", "保石邢邯")[0]
    assert set(r["prefectures"]) == {"保定市", "石家庄市", "邢台市", "邯郸市"}


def test_henan_axes_are_outside_compositions(store):
    axes = [r for r in store.dataset.records if r["plan_number"] == "004" and r["kind"] == "axis"]
    names = "".join(r["name"] for r in axes)
    assert "陇海" in names and "京广" in names
    assert all(r["composition_source"] == "outside" for r in axes)


# --- bad data fails loudly, naming file, record and field ---------------------
def _write_bad(tmp_path, record: dict) -> Path:
    d = tmp_path / "records"
    d.mkdir()
    doc = {"plan": "000_95655c7c7b11221c.txt", "records": [record]}
    (d / "000.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return d


GOOD = {"id": "hb12-test-base", "name": "测试基地", "kind": "base", "places": ["唐山市"],
        "industries": ["steel"], "quote": "清河羊绒基地。"}


@pytest.mark.parametrize("change, field, message", [
    ({"quote": "规划里没有这句话"}, "quote", "not found verbatim"),
    ({"places": ["火星县"]}, "places", "unknown place '火星县'"),
    ({"places": ["新华区"]}, "places", "ambiguous place"),
    ({"industries": ["stee1"]}, "industries", "unknown industry 'stee1'"),
    ({"kind": "castle"}, "kind", "unknown kind"),
    ({"plan_period": "2015-2011"}, "plan_period", "not YYYY-YYYY"),
    ({"revenue_targets": [{"value_yi": "很多", "metric": "产值", "year": 2015, "quote": "清河羊绒基地。"}]},
     "revenue_targets[0].value_yi", "not a positive number"),
    ({"kind": "belt"}, "composition_source", "must be 'text' or 'outside'"),
])
def test_bad_record_names_file_record_field(tmp_path, change, field, message):
    d = _write_bad(tmp_path, {**GOOD, **change})
    with pytest.raises(DataErrors) as e:
        load_dataset(d)
    err = e.value.errors[0]
    assert (err.file, err.record, err.field) == ("000.yaml", "hb12-test-base", field)
    assert message in err.message and "000.yaml: hb12-test-base: " + field in str(e.value)


def test_good_record_loads(tmp_path):
    ds = load_dataset(_write_bad(tmp_path, GOOD))
    assert [r["id"] for r in ds.records] == ["hb12-test-base"]


def test_duplicate_element_refused(tmp_path):
    d = tmp_path / "records"
    d.mkdir()
    doc = {"plan": "000_95655c7c7b11221c.txt", "records": [GOOD, {**GOOD, "id": "hb12-test-base-2"}]}
    (d / "000.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataErrors, match="duplicates hb12-test-base"):
        load_dataset(d)


def test_broken_yaml_named(tmp_path):
    d = tmp_path / "records"
    d.mkdir()
    (d / "000.yaml").write_text("plan: [unclosed", encoding="utf-8")
    with pytest.raises(DataErrors, match="000.yaml: -: yaml"):
        load_dataset(d)


def test_county_clusters_carry_the_hundred_yi_tier(store):
    """000 lists its county clusters under 一批超百亿元县域特色产业集群: each reaches at least 100 亿元."""
    clusters = [r for r in store.dataset.records if "county-clusters" in r["tags"]]
    assert len(clusters) == 41
    assert all(any(t["value_yi"] >= 100 for t in r["revenue_targets"]) for r in clusters)


def test_henan_food_bases_carry_the_500_yi_tier(store):
    bases = [r for r in store.dataset.records if r["plan_number"] == "004" and r["kind"] == "base"
             and "food" in r["industries"] and any(t["value_yi"] == 500 for t in r["revenue_targets"])]
    assert {p for r in bases for p in r["prefectures"]} >= {"漯河市", "郑州市", "许昌市", "商丘市", "周口市", "驻马店市"}
