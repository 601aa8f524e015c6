"""Lineage: the same element across the Hebei plans shares one `lineage` id (geodata/lineage.yaml)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
import yaml

from geodata.records import DataErrors, load_dataset
from layers.table import to_csv, to_geojson


def record(store, plan: str, name: str) -> dict:
    """The one record of `plan` with this name (as the plan writes it)."""
    found = [r for r in store.dataset.records if r["plan_number"] == plan and r["name"] == name]
    assert len(found) == 1, (plan, name, [r["id"] for r in found])
    return found[0]


def lineage_of(store, plan: str, name: str) -> str:
    return record(store, plan, name)["lineage"]


# --- the issue's clear cases ---------------------------------------------------
@pytest.mark.parametrize(
    "members",
    [
        [
            ("000", "石家庄国家生物产业基地"),
            ("001", "石家庄国家生物产业基地"),
            ("002", "石家庄国家生物产业基地"),
            ("003", "石家庄国家生物产业基地"),
        ],
        [
            ("000", "北戴河新区"),
            ("001", "北戴河新区（京津科技成果转移转化平台）"),
            ("002", "北戴河新区"),
            ("003", "北戴河新区新能源示范城市"),
        ],
        [("000", "邯郸市冀南新区"), ("001", "冀南新区（京津科技成果转移转化平台）"), ("002", "冀南新区")],
        [
            ("001", "石保廊创新试验区"),
            ("002", "石保廊全面创新改革试验区"),
            ("003", "石保廊全面创新改革试验区"),
        ],
        [("000", "任丘石化基地"), ("001", "任丘石化基地"), ("002", "任丘石化基地")],
        [("000", "曹妃甸新区"), ("001", "唐山市曹妃甸区（京津科技成果转移转化平台）"), ("002", "曹妃甸区")],
        [
            ("000", "曹妃甸精品钢基地"),
            ("002", "曹妃甸临港精品钢铁基地"),
        ],  # did 曹妃甸's steel base carry over?
    ],
    ids=["sjz-bio", "beidaihe", "jinan", "shibaolang", "renqiu", "caofeidian", "caofeidian-steel"],
)
def test_issue_cases_share_one_lineage(store, members):
    ids = {lineage_of(store, plan, name) for plan, name in members}
    assert len(ids) == 1 and "" not in ids, ids


# --- every pair of Hebei plans is linked, by a case named here -------------------
@pytest.mark.parametrize(
    "older, newer",
    [
        (("000", "秦皇岛数据产业基地"), ("001", "秦皇岛数据产业基地")),
        (("000", "石钢搬迁"), ("002", "石钢搬迁")),
        (("000", "燕郊国家高新技术开发区"), ("003", "燕郊国家级高新区")),
        (("001", "邯郸建筑废弃物处置设备及建材制品基地"), ("002", "邯郸建筑废弃物处置设备及建材制品基地")),
        (("001", "正定集成电路封装测试产业基地"), ("003", "正定集成电路封装测试产业基地")),
        (("002", "京张奥运光伏廊道"), ("003", "京张奥运光伏廊道")),
    ],
    ids=["000-001", "000-002", "000-003", "001-002", "001-003", "002-003"],
)
def test_each_plan_pair_has_a_link(store, older, newer):
    a, b = lineage_of(store, *older), lineage_of(store, *newer)
    assert a and a == b


def test_renamed_and_upgraded_bases_are_linked(store):
    """Renamed (京津塘 → 京津廊) and upgraded (provincial 尾矿 base → national 工业资源 base) still link."""
    assert lineage_of(store, "000", "京津塘高科技产业带") == lineage_of(
        store, "001", "京津廊走廊（高新技术产业带）"
    )
    assert (
        lineage_of(store, "000", "承德市尾矿综合利用示范基地")
        == lineage_of(store, "002", "承德国家级工业资源综合利用示范基地")
        != ""
    )


def test_a_shared_industry_in_one_city_is_not_a_lineage(store):
    """廊坊's big-data role in 001 and in 003 are two assignments, not one element."""
    assert lineage_of(store, "001", "廊坊大数据、云计算产业") == ""
    assert lineage_of(store, "003", "廊坊市：京津冀大数据服务后台业务中心和应用示范中心") == ""


# --- the rules hold on the real file ---------------------------------------------
def test_lineage_rules_hold(store):
    ds = store.dataset
    by_id = {r["id"]: r for r in ds.records}
    assert len(ds.lineages) >= 40
    seen = set()
    for lid, entry in ds.lineages.items():
        members = [by_id[m] for m in entry["members"]]  # every member exists
        assert len(members) >= 2
        assert len({r["plan_number"] for r in members}) == len(members), lid  # one per plan
        assert len({r["province"] for r in members}) == 1, lid  # never across provinces
        assert all(r["lineage"] == lid for r in members)
        assert not seen & set(entry["members"]), lid
        seen |= set(entry["members"])
    assert {r["id"] for r in ds.records if r["lineage"]} == seen
    assert not any(r["plan_number"] == "004" for r in ds.records if r["lineage"])  # Henan has one plan


def test_differently_named_members_carry_a_note(store):
    by_id = {r["id"]: r for r in store.dataset.records}
    for lid, entry in store.dataset.lineages.items():
        if len({by_id[m]["name"] for m in entry["members"]}) > 1:
            assert len(entry["note"]) > 10, lid


# --- bad lineage files are refused, naming file, lineage and field -----------------
GOOD = {
    "id": "renqiu-test",
    "name": "任丘石化基地",
    "members": ["hb12-renqiu-petrochemical-base", "hbpz-renqiu-petrochem-base"],
}


@pytest.mark.parametrize(
    "entries, lid, field, message",
    [
        ([{**GOOD, "colour": "red"}], "renqiu-test", "colour", "unknown field"),
        ([{**GOOD, "id": "Renqiu Test"}], "Renqiu Test", "id", "lowercase ascii"),
        (
            [GOOD, {**GOOD, "members": ["hb12-caofeidian-new-area", "hbpz-caofeidian-district"]}],
            "renqiu-test",
            "id",
            "used twice",
        ),
        ([{**GOOD, "name": ""}], "renqiu-test", "name", "missing"),
        ([{**GOOD, "members": ["hb12-renqiu-petrochemical-base"]}], "renqiu-test", "members", "at least two"),
        (
            [{**GOOD, "members": ["hb12-renqiu-petrochemical-base", "hbpz-no-such-base"]}],
            "renqiu-test",
            "members",
            "unknown record 'hbpz-no-such-base'",
        ),
        (
            [{**GOOD, "members": ["hb12-renqiu-petrochemical-base", "hb12-tangshan-petrochemical-base"]}],
            "renqiu-test",
            "members",
            "two records of plan 000",
        ),
        (
            [
                GOOD,
                {
                    "id": "renqiu-again",
                    "name": "任丘",
                    "members": ["hbmic-renqiu-petrochem-base", "hbpz-renqiu-petrochem-base"],
                },
            ],
            "renqiu-again",
            "members",
            "already in lineage renqiu-test",
        ),
        (
            [{**GOOD, "members": ["hb12-renqiu-petrochemical-base", "HENAN"]}],
            "renqiu-test",
            "members",
            "different provinces",
        ),
    ],
    ids=[
        "unknown-field",
        "bad-id",
        "duplicate-id",
        "no-name",
        "one-member",
        "unknown-member",
        "two-from-one-plan",
        "record-in-two",
        "across-provinces",
    ],
)
def test_bad_lineage_refused(tmp_path, store, entries, lid, field, message):
    henan = next(r["id"] for r in store.dataset.records if r["province"] == "河南省")
    for e in entries:
        e["members"] = [henan if m == "HENAN" else m for m in e["members"]]
    path = tmp_path / "lineage.yaml"
    path.write_text(yaml.safe_dump({"lineages": entries}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataErrors) as e:
        load_dataset(lineage_path=path)
    errs = [x for x in e.value.errors if x.file == "lineage.yaml"]
    assert [(x.record, x.field) for x in errs] == [(lid, field)], errs
    assert message in errs[0].message and f"lineage.yaml: {lid}: {field}" in str(e.value)


def test_unreadable_or_shapeless_lineage_file_refused(tmp_path):
    with pytest.raises(DataErrors, match="lineage.yaml: -: file: cannot read"):
        load_dataset(lineage_path=tmp_path / "lineage.yaml")
    (tmp_path / "lineage.yaml").write_text("lineages: {id: x}\n", encoding="utf-8")
    with pytest.raises(DataErrors, match="lineage.yaml: -: lineages"):
        load_dataset(lineage_path=tmp_path / "lineage.yaml")


def test_good_lineage_file_loads(tmp_path):
    path = tmp_path / "lineage.yaml"
    path.write_text(yaml.safe_dump({"lineages": [GOOD]}, allow_unicode=True), encoding="utf-8")
    ds = load_dataset(lineage_path=path)
    assert list(ds.lineages) == ["renqiu-test"] and ds.lineages["renqiu-test"]["members"] == GOOD["members"]
    linked = {r["id"] for r in ds.records if r["lineage"] == "renqiu-test"}
    assert linked == set(GOOD["members"]) and sum(1 for r in ds.records if r["lineage"]) == 2


# --- the data contract -------------------------------------------------------------
def test_csv_and_geojson_export_carry_lineage(store):
    els = store.elements
    table = pd.read_csv(io.StringIO(to_csv(els).lstrip("\ufeff")), keep_default_na=False)
    assert "lineage" in table.columns
    by_id = dict(zip(table["id"], table["lineage"]))
    assert (
        by_id["hb12-shijiazhuang-national-bio-base"]
        == by_id["hb13-shijiazhuang-national-bio-base"]
        == "shijiazhuang-national-bio-base"
    )
    assert by_id["hb12-shijiazhuang-national-bio-base"] != by_id["hb12-baoding-auto-parts-base"] == ""
    feats = json.loads(to_geojson(els[els["id"].isin(["hbpz-renqiu-petrochem-base"])]))["features"]
    assert feats[0]["properties"]["lineage"] == "renqiu-petrochem-base"
