"""Tests for geodata/records/001.yaml, written from the plan text
(河北省 关于贯彻落实《中国制造2025》的实施意见, 2015-11-11).

The plan states no explicit number ("N个基地") for any group of placeable elements,
so each group test derives the count from the list the text itself gives
(the items between the enumeration commas) and compares it with the tagged records.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = yaml.safe_load((ROOT / "geodata" / "records" / "001.yaml").read_text(encoding="utf-8"))
TEXT = (ROOT / "geodata" / "plan_texts" / DOC["plan"]).read_text(encoding="utf-8")
RECORDS = DOC["records"]
BY_ID = {r["id"]: r for r in RECORDS}


def tagged(tag):
    return [r for r in RECORDS if tag in (r.get("tags") or [])]


def items(pattern):
    """The enumeration captured by group 1 of pattern, split on 、 and ，."""
    m = re.search(pattern, TEXT)
    assert m, pattern
    return [x for x in re.split(r"[、，]", m.group(1)) if x]


# ---------------------------------------------------------------- every quote verbatim


def test_plan_period_is_the_plans():
    # plan_period is 2015-2025 for every record: none overrides it
    assert all(r.get("plan_period") in (None, "2015-2025") for r in RECORDS)
    assert {r.get("horizon") for r in RECORDS} <= {None, 2017, 2020, 2025}


# ---------------------------------------------------------------- counts derived from the text's lists
def test_layout_belts_count():
    # 二(一)2 lists the belts as "X，以...为重点，打造...产业带；" — one per "打造…产业带"
    m = re.search(r"2\.优化制造业发展布局。(.*?)加快石保廊", TEXT)
    belts = re.findall(r"打造[^；。]*?产业带", m.group(1))
    assert len(belts) == 5
    assert len(tagged("layout-belts")) == len(belts)


def test_advantage_clusters_count():
    # "以保定、邢台光伏，石家庄、安国医药，保定、沧州汽车等产业为载体": 3 industries x 2 places
    m = re.search(r"以(保定、邢台光伏，石家庄、安国医药，保定、沧州汽车)等产业为载体", TEXT)
    groups = m.group(1).split("，")
    n = sum(len(g.split("、")) for g in groups)
    assert n == 6
    assert len(tagged("advantage-clusters")) == n


def test_innovation_bases_count():
    found = items(r"加快建设(.*?)等产学研合作创新示范基地")
    assert found[0] == "石家庄生物医药" and len(found) == 5
    assert len(tagged("innovation-bases")) == len(found)


def test_transfer_platforms_count():
    found = items(r"将(.*?)等打造成京津科技成果转移转化平台")
    assert len(found) == 5
    assert len(tagged("transfer-platforms")) == len(found)


def test_pilot_zones_count():
    found = items(r"全力推进(.*?)等建设")
    assert len(found) == 3
    assert len(tagged("pilot-zones")) == len(found)


def test_basic_equipment_bases_count():
    # "沧州管道、泊头模具、临西轴承和永年、魏县紧固件": 永年 and 魏县 share 紧固件 -> 5 places
    found = re.split(r"[、和]", re.search(r"推进(.*?)等基础装备优势产业基地建设", TEXT).group(1))
    assert len(found) == 5
    assert len(tagged("basic-equipment-bases")) == len(found)


def test_green_building_material_bases_count():
    found = items(r"打造(高碑店.*?)等。")
    assert len(found) == 4
    assert len(tagged("green-building-materials")) == len(found)


def test_chemical_material_bases_count():
    found = items(r"以(唐山市曹妃甸区.*?)为依托")
    assert len(found) == 3
    assert len(tagged("chem-materials")) == len(found)


def test_big_data_places():
    # 张北 base, 承德/廊坊/秦皇岛 big data: 4 places
    found = items(r"推进(承德、廊坊、秦皇岛)大数据")
    assert len(found) == 3
    assert len(tagged("big-data")) == len(found) + 1  # + 张北云计算产业基地


# ---------------------------------------------------------------- specific records against the text
def test_qin_tang_cang_coastal_belt():
    r = BY_ID["hbmic-qin-tang-cang-coastal-belt"]
    assert r["places"] == ["秦皇岛市", "唐山市", "沧州市"]
    assert r["composition_source"] == "text"
    assert {"steel", "equipment", "marine", "petrochem"} <= set(r["industries"])
    assert "秦唐沧沿海线" in r["quote"]


def test_bao_shi_xing_han_belt():
    r = BY_ID["hbmic-bao-shi-xing-han-jingguang-belt"]
    assert r["places"] == ["保定市", "石家庄市", "邢台市", "邯郸市"]
    assert {"auto", "biomed", "equipment", "electronics", "new_materials"} <= set(r["industries"])


def test_jing_jin_lang_corridor():
    r = BY_ID["hbmic-jing-jin-lang-corridor"]
    assert set(r["places"]) == {"北京市", "天津市", "廊坊市"}
    assert {"electronics", "aerospace", "biomed"} <= set(r["industries"])


def test_zhang_cheng_belt():
    r = BY_ID["hbmic-zhang-cheng-green-eco-belt"]
    assert r["places"] == ["张家口市", "承德市"]
    assert "new_energy" in r["industries"]


def test_jing_heng_belt_is_outside_between_the_ends():
    r = BY_ID["hbmic-jing-heng-jingjiu-belt"]
    assert r["places"][0] == "北京市" and r["places"][-1] == "衡水市"
    assert r["composition_source"] == "outside" and r["composition_reference"]
    assert {"food", "textiles"} <= set(r["industries"])


def test_shi_bao_lang_zone():
    r = BY_ID["hbmic-shi-bao-lang-innovation-pilot-zone"]
    assert set(r["places"]) == {"石家庄市", "保定市", "廊坊市"}
    assert r["kind"] == "zone"


def test_tangshan_fengrun_emu_city():
    r = BY_ID["hbmic-tangshan-fengrun-china-emu-city"]
    assert r["places"] == ["丰润区"]
    assert r["industries"] == ["rail_transit"]
    assert "唐山(丰润)" in r["quote"]


def test_zhangbei_cloud_base():
    r = BY_ID["hbmic-zhangbei-cloud-computing-base"]
    assert r["places"] == ["张北县"] and r["industries"] == ["big_data"]
    assert "张北云计算产业基地" in r["quote"]


def test_big_data_corridor_order():
    r = BY_ID["hbmic-jingjinji-big-data-corridor"]
    assert r["places"] == ["北京市", "张北县", "承德市", "廊坊市", "天津市"]
    assert r["kind"] == "corridor" and r["composition_source"] == "text"


def test_yongnian_and_weixian_fasteners():
    assert BY_ID["hbmic-yongnian-fastener-base"]["places"] == ["永年区"]
    assert BY_ID["hbmic-weixian-fastener-base"]["places"] == ["魏县"]
    for rid in ("hbmic-yongnian-fastener-base", "hbmic-weixian-fastener-base"):
        assert BY_ID[rid]["industries"] == ["metal_products"]


def test_new_areas_placed_at_their_counties():
    assert BY_ID["hbmic-bohai-new-area-transfer-platform"]["places"] == ["黄骅市"]
    assert BY_ID["hbmic-zhengding-new-area-transfer-platform"]["places"] == ["正定县"]
    assert BY_ID["hbmic-caofeidian-transfer-platform"]["places"] == ["曹妃甸区"]
    assert BY_ID["hbmic-jinan-new-area-transfer-platform"]["places"] == ["邯郸市"]


def test_baoding_energy_equipment_base_one_record():
    r = BY_ID["hbmic-baoding-new-energy-equipment-base"]
    assert r["places"] == ["保定市"]
    assert "new_energy" in r["industries"]
    # named three times in the appendix, kept as one record
    assert TEXT.count("保定能源装备基地") == 2 and TEXT.count("保定国家级新能源及能源装备基地") == 1
    assert len(r["more_quotes"]) == 2


def test_renqiu_petrochem_base():
    r = BY_ID["hbmic-renqiu-petrochem-base"]
    assert r["places"] == ["任丘市"] and "petrochem" in r["industries"]


def test_pilot_zone_horizon_2020():
    r = BY_ID["hbmic-national-transformation-pilot-zone"]
    assert r["horizon"] == 2020 and r["places"] == ["河北省"]
    assert "到2020年" in TEXT.split(r["quote"])[0][-600:]


def test_no_yi_yuan_targets_in_text():
    # the only 亿 in the text is a count of firms (主营业务收入超百亿元企业(个)), not a 亿元 target
    assert re.findall(r"\d+(?:\.\d+)?万?亿元", TEXT) == []
    assert not DOC.get("targets")
