"""The rules of ../shared/guide/data.md, over every record, and loud failures for bad rows."""

from pathlib import Path

import pytest
import yaml

from geodata.records import RECORDS_DIR, DataErrors, load_dataset, load_plans


def test_every_plan_has_records(store):
    by_plan = {}
    for r in store.dataset.records:
        by_plan[r["plan_number"]] = by_plan.get(r["plan_number"], 0) + 1
    assert set(by_plan) == {"000", "001", "002", "003", "004"}
    assert sum(by_plan.values()) >= 600  # several hundred placeable elements


# The loader refuses every rule of data.md (tests below, with bad rows); the store fixture loads
# the real data through it, so those rules hold for every record without re-checking them here.
def test_every_element_is_placed(store):
    el = store.elements
    assert len(el) == len(store.dataset.records)
    assert el.geometry.notna().all() and (~el.geometry.is_empty).all()


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
    hits = [
        r
        for r in store.dataset.records
        if r["plan_number"] == plan and name_part in r["name"] and (kind is None or r["kind"] == kind)
    ]
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
    light = [
        t for t in store.dataset.targets if t["plan_number"] == "004" and "light_industry" in t["industries"]
    ]
    assert {10000, 12000} <= {t["value_yi"] for t in light}


def test_plan_003_national_bases_targets(store):
    expected = {"石家庄": 1500, "保定": 1700, "张家口": 1000, "廊坊": 1000}
    nat = [r for r in store.dataset.records if r["plan_number"] == "003" and r["revenue_targets"]]
    for city, value in expected.items():
        assert any(
            city in "".join(r["prefectures"]) and any(t["value_yi"] == value for t in r["revenue_targets"])
            for r in nat
        ), city


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


GOOD = {
    "id": "hb12-test-base",
    "name": "测试基地",
    "name_en": "Test base",
    "kind": "base",
    "places": ["唐山市"],
    "industries": ["steel"],
    "quote": "清河羊绒基地。",
}


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"quote": "规划里没有这句话"}, "quote", "not found verbatim"),
        ({"places": ["火星县"]}, "places", "unknown place '火星县'"),
        ({"places": ["新华区"]}, "places", "ambiguous place"),
        ({"industries": ["stee1"]}, "industries", "unknown industry 'stee1'"),
        ({"kind": "castle"}, "kind", "unknown kind"),
        ({"plan_period": "2015-2011"}, "plan_period", "not YYYY-YYYY"),
        (
            {
                "revenue_targets": [
                    {"value_yi": "很多", "metric": "产值", "year": 2015, "quote": "清河羊绒基地。"}
                ]
            },
            "revenue_targets[0].value_yi",
            "not a positive number",
        ),
        ({"kind": "belt"}, "composition_source", "must be 'text' or 'outside'"),
        ({"more_quotes": ["也不在规划里"]}, "more_quotes[0]", "not found verbatim"),
        ({"name_en": ""}, "name_en", "missing"),
        ({"name_en": "Tangshan 钢铁 base"}, "name_en", "Chinese characters"),
        ({"industries": "steel"}, "industries", "must be a list"),
        ({"bogus": 1}, "bogus", "unknown field"),
    ],
)
def test_bad_record_names_file_record_field(tmp_path, change, field, message):
    d = _write_bad(tmp_path, {**GOOD, **change})
    with pytest.raises(DataErrors) as e:
        load_dataset(d)
    err = e.value.errors[0]
    assert (err.file, err.record, err.field) == ("000.yaml", "hb12-test-base", field)
    assert message in err.message and "000.yaml: hb12-test-base: " + field in str(e.value)


@pytest.mark.parametrize(
    "rid, message", [("hb13-test-base", "must start with 'hb12-'"), ("HB12 test", "lowercase ascii")]
)
def test_bad_ids_refused(tmp_path, rid, message):
    with pytest.raises(DataErrors, match=message):
        load_dataset(_write_bad(tmp_path, {**GOOD, "id": rid}))


def test_target_id_needs_the_plan_prefix(tmp_path):
    d = _write_bad(tmp_path, GOOD)
    doc = yaml.safe_load((d / "000.yaml").read_text(encoding="utf-8"))
    doc["targets"] = [
        {
            "id": "hn12-target-x",
            "scope": "province",
            "value_yi": 100,
            "metric": "产值",
            "year": 2015,
            "quote": "清河羊绒基地。",
        }
    ]
    (d / "000.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataErrors, match="000.yaml: hn12-target-x: id: must start with 'hb12-'"):
        load_dataset(d)


def test_duplicate_id_across_files_fails_make_check(tmp_path, capsys):
    """`make check` runs start-up's own validation: an id used in two files fails it (it used to pass)."""
    from geodata.check import check_startup

    d = _write_bad(tmp_path, GOOD)
    other = {
        "plan": "002_76953d0cbe4a466d.txt",
        "records": [{**GOOD, "id": "hb12-test-base", "places": ["保定市"]}],
    }
    (d / "002.yaml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    assert check_startup(d) > 0
    assert "id used twice" in capsys.readouterr().out


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
    bases = [
        r
        for r in store.dataset.records
        if r["plan_number"] == "004"
        and r["kind"] == "base"
        and "food" in r["industries"]
        and any(t["value_yi"] == 500 for t in r["revenue_targets"])
    ]
    assert {p for r in bases for p in r["prefectures"]} >= {
        "漯河市",
        "郑州市",
        "许昌市",
        "商丘市",
        "周口市",
        "驻马店市",
    }
