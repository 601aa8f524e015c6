"""Plan 000 (河北省工业和信息化发展“十二五”规划, 2011-2015): records checked against the text.

Counts are derived from the plan text itself (regex on the text) and compared with the
records that carry the matching tag in geodata/records/000.yaml.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "geodata" / "plan_texts" / "000_95655c7c7b11221c.txt").read_text(encoding="utf-8")
DOC = yaml.safe_load((ROOT / "geodata" / "records" / "000.yaml").read_text(encoding="utf-8"))
RECORDS = DOC["records"]
TARGETS = DOC.get("targets") or []
BY_ID = {r["id"]: r for r in RECORDS}
BULLET = "\ue010"  # the text's numbering separator in the 专栏 boxes ("1\ue010保定汽车…")


def tagged(tag):
    return [r for r in RECORDS if tag in (r.get("tags") or [])]


def num(pattern):
    """The number a regex captures from the plan text (group 1)."""
    m = re.search(pattern, TEXT)
    assert m, f"pattern not in plan text: {pattern}"
    return int(m.group(1))


def box(n):
    """Text of 专栏n, up to the next heading or box."""
    start = TEXT.index(f"专栏{n}：")
    end = (
        re.compile(r"\n　　[一二三四五六七八九十]+、|\n　　（[一二三四五六七八九十]+）|专栏\d+：")
        .search(TEXT, start + 5)
        .start()
    )
    return TEXT[start:end]


# ---------- every quote verbatim ----------
def test_period_is_plan_period():
    # the plan covers 2011-2015 and every element target is for 2015
    for r in RECORDS:
        assert r.get("plan_period", "2011-2015") == "2011-2015", r["id"]
        for t in r.get("revenue_targets") or []:
            assert t["year"] == 2015, r["id"]


# ---------- counts stated in the text ----------
@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7, 8, 9])
def test_box_entries_all_recorded(n):
    """Each numbered entry of 专栏2-9 is one record tagged zl<n>."""
    entries = re.findall(r"(\d+)" + BULLET, box(n))
    assert [int(e) for e in entries] == list(range(1, len(entries) + 1))
    assert len(tagged(f"zl{n}")) == len(entries)


def test_box_revenue_targets_match_text():
    """Each 专栏 record's own (element) revenue target is the figure in its own entry."""
    for n in range(2, 10):
        for r in tagged(f"zl{n}"):
            (t,) = [t for t in r["revenue_targets"] if t.get("scope", "element") == "element"]
            assert t["quote"] in box(n)
            assert re.search(rf"实现主营业务收入{t['value_yi']:g}亿元", t["quote"]), r["id"]


def test_equipment_13_bases():
    assert len(tagged("equip-bases-13")) == num(r"重点扶持(\d+)个主营业务收入超百亿元装备制造基地")


def test_petrochem_10_bases_2_over_1000():
    recs = tagged("petchem-bases-10")
    assert len(recs) == num(r"任丘石化基地等(\d+)家主营业务收入超百亿元的基地")
    over = [r for r in recs if r["revenue_targets"][0]["value_yi"] >= 1000]
    assert len(over) == num(r"的基地、园区，其中超千亿元(\d+)家")


def test_petrochem_4_oil_bases():
    assert len(tagged("petrochem-4")) == num(r"任丘(\d+)大石油化工基地")


def test_light_8_textile_6_food_7():
    assert len(tagged("light-bases-8")) == num(r"霸州钢木家具等(\d+)个主营业务收入超百亿元基地")
    assert len(tagged("textile-bases-6")) == num(r"常山纺织等(\d+)个主营业务收入超百亿元")
    assert len(tagged("food-bases-7")) == num(r"京东食品加工基地等(\d+)个主营业务收入超百亿元基地")


def test_three_lingang_steel_bases():
    assert len(tagged("lingang-steel-3")) == num(r"黄骅港优特钢(\d+)大临港基地")


def test_eleven_qianyi_bases():
    recs = tagged("qianyi-bases")
    assert len(recs) == num(r"任丘石化等(\d+)家基地、园区打造成千亿基地园区")
    for r in recs:  # each one's own 专栏 target is at least 1000 亿元
        assert max(t["value_yi"] for t in r["revenue_targets"]) >= 1000, r["id"]


def test_iot_5_pharma_2_plus_3():
    assert len(tagged("iot-bases-5")) == num(r"邯郸北京邮电大学物联网等(\d+)个产业基地")
    assert len(tagged("pharma-bases-2")) == num(r"加快(\d+)个主营业收入超百亿元医药基地建设")
    assert len(tagged("pharma-parks-3")) == num(r"推进(\d+)个医药产业园区建设")


def test_four_it_city_bases():
    # "建设石家庄、秦皇岛、保定、廊坊市产业基地": four cities, no numeral in the text
    m = re.search(r"建设((?:[\u4e00-\u9fff]+、)+[\u4e00-\u9fff]+?)市产业基地", TEXT)
    cities = m.group(1).split("、")
    recs = tagged("it-bases-4")
    assert len(recs) == len(cities) == 4
    assert {c + "市" for c in cities} == {
        p for r in recs for p in r["places"] if p.endswith("市") and p[:-1] in cities
    }


def test_military_civil_8_plus_2():
    assert len(tagged("jmrh-bases-8")) == num(r"邯郸汉光办公自动化耗材产业园等(\d+)大基地")
    assert len(tagged("jmrh-parks-2")) == num(r"涿州航天科技产业园(\d+)个军民融合园区")


def test_kailuan_coal_chemical_parks():
    # 4大煤化工园区 = 曹妃甸、京唐港、新疆、内蒙: only the two in Hebei are placed
    stated = num(r"新疆和内蒙(\d+)大煤化工园区")
    assert stated == 4
    assert len(tagged("kailuan-coalchem")) == stated - 2


def test_capital_circle_14_units():
    (r,) = tagged("capital-circle-14")
    assert len(r["places"]) == num(r"建设环首都(\d+)县（市、区）绿色经济圈")
    assert r["composition_source"] == "outside" and r["composition_reference"]


def test_three_bridgeheads():
    recs = tagged("bridgeheads-3")
    assert len(recs) == num(r"燕郊(\d+)个对接北京桥头堡")
    assert {p for r in recs for p in r["places"]} == {"怀来县", "涿鹿县", "涿州市", "三河市"}


def test_four_centre_cities():
    recs = tagged("center-cities-4")
    assert len(recs) == num(r"承德(\d+)个中心城市工业发展水平")
    assert {r["places"][0] for r in recs} == {"廊坊市", "保定市", "张家口市", "承德市"}


def test_coastal_belt_11_counties():
    (r,) = tagged("coastal-11")
    # "11县9区": the 11 county-level units are composed; the 9 functional zones are not named
    assert len(r["places"]) == num(r"打造沿海(\d+)县\d+区经济隆起带")
    assert r["kind"] == "belt" and r["composition_source"] == "outside"


def test_three_growth_poles_and_groups():
    assert len(tagged("growth-poles-3")) == num(r"北戴河新区(\d+)个新增长极")
    assert all(r["kind"] == "new_area" for r in tagged("growth-poles-3"))
    assert len(tagged("groups-3")) == num(r"沧州(\d+)组团经济转型")
    assert all(r["kind"] == "group" for r in tagged("groups-3"))


def test_jizhongnan_4_cities_4_bases():
    (r,) = tagged("jizhongnan-4-cities")
    assert len(r["places"]) == num(r"邯郸(\d+)市的规划协调")
    assert len(tagged("jizhongnan-4-bases")) == num(r"邢台市新区(\d+)个产业基地")


def test_taihang_belt_3_cities_handan_3_platforms():
    (r,) = tagged("taihang-3-cities")
    assert len(r["places"]) == num(r"邢台、邯郸(\d+)个中心城市")
    assert len(tagged("handan-platforms-3")) == num(r"邯郸经济开发区等(\d+)大产业平台")


def test_eleven_cities_have_a_role():
    recs = tagged("city-roles-11")
    prefectures = {p for r in recs for p in r["places"]}
    assert len(prefectures) == num(r"明确(\d+)个设区市的产业发展定位")


def test_national_development_zones():
    # 石家庄、保定、唐山、燕郊 (高新区) + 廊坊、秦皇岛、临港 (经开区)
    m = re.search(r"继续支持(.+?)等国家级高新技术开发区和(.+?)等国家级经济技术开发区", TEXT)
    named = m.group(1).split("、") + m.group(2).split("、")
    assert len(tagged("natl-zones")) == len(named) == 7


def test_county_clusters_as_listed():
    """The text aims at 50个以上 超百亿元 clusters but lists 41 (splitting 'A和B' pairs): test what it lists."""
    start = TEXT.index("重点扶持邢台清河羊绒")
    end = TEXT.index("力争主营业务收入超百亿元县域经济特色产业集群达到")
    items = [s for s in re.split(r"[、，；]", TEXT[start:end]) if s]
    listed = sum(len(s.split("和")) for s in items)
    assert listed == 41
    assert num(r"县域经济特色产业集群达到(\d+)个以上") == 50  # target, larger than the list
    assert len(tagged("county-clusters")) == listed


# ---------- specific records ----------
def rec(rid):
    return BY_ID["hb12-" + rid]


def test_qinghe_cashmere():
    r = rec("qinghe-cashmere-base")
    assert r["places"] == ["清河县"] and r["industries"] == ["textiles"]
    assert r["revenue_targets"][0]["value_yi"] == 200 and "羊绒" in r["quote"]


def test_tangshan_emu_city():
    r = rec("tangshan-fengrun-emu-city")
    assert r["places"] == ["丰润区"] and "rail_transit" in r["industries"]
    assert r["revenue_targets"][0]["value_yi"] == 2000


def test_baoding_new_energy_and_auto():
    assert rec("baoding-national-new-energy-base")["revenue_targets"][0]["value_yi"] == 1200
    r = rec("baoding-auto-parts-base")
    assert r["places"] == ["保定市"] and r["industries"] == ["auto"]
    assert r["revenue_targets"][0]["value_yi"] == 2000


def test_bohai_special_steel():
    r = rec("bohai-special-steel-base")
    assert r["places"] == ["黄骅市"] and "渤海新区" in r["places_as_written"]
    assert r["industries"] == ["steel"] and r["revenue_targets"][0]["value_yi"] == 1200


def test_caofeidian_new_area():
    r = rec("caofeidian-new-area")
    assert r["kind"] == "new_area" and r["places"] == ["曹妃甸区"]
    assert {"steel", "equipment", "petrochem"} <= set(r["industries"])


def test_baigou_luggage_in_gaobeidian():
    r = rec("baigou-luggage-base")
    assert r["places"] == ["高碑店市"] and r["places_as_written"] == ["白沟"]
    assert r["revenue_targets"][0]["value_yi"] == 200


def test_capital_circle_members():
    r = rec("capital-green-economic-circle")
    assert {"涿州市", "涞水县", "怀来县", "涿鹿县", "三河市", "固安县", "兴隆县"} <= set(r["places"])


def test_yanjiao_bridgehead():
    r = rec("yanjiao-bridgehead")
    assert r["places"] == ["三河市"] and r["places_as_written"] == ["燕郊"]
    assert "electronics" in r["industries"]


def test_wine_base_five_counties():
    r = rec("fuchanglu-huaizhuo-wine-base")
    assert set(r["places"]) == {"抚宁区", "昌黎县", "卢龙县", "怀来县", "涿鹿县"}
    assert r["revenue_targets"][0]["value_yi"] == 100 and "food" in r["industries"]


def test_xingtai_county_board_cluster_renamed():
    r = rec("xingtaixian-board-cluster")
    assert r["places"] == ["信都区"] and r["places_as_written"] == ["邢台县"]


def test_anping_wire_mesh():
    r = rec("anping-wire-mesh-base")
    assert r["places"] == ["安平县"] and r["industries"] == ["metal_products"]
    assert r["revenue_targets"][0]["value_yi"] == 330


def test_luanxian_steel_project():
    r = rec("luanxian-5mt-steel")
    assert r["kind"] == "project" and r["places"] == ["滦州市"] and r["places_as_written"] == ["滦县"]


def test_province_targets():
    t = {x["id"]: x for x in TARGETS}
    assert t["hb12-target-industrial-value-added"]["value_yi"] == 15000
    assert t["hb12-target-industrial-value-added"]["year"] == 2015
    assert t["hb12-target-civil-military-integration"]["value_yi"] == 1000
    assert all(x["scope"] in ("province", "industry") for x in TARGETS)


def test_chapter4_named_projects_placed():
    """Technical-renovation / industrialisation projects of 四 whose names carry a place."""
    expected = {
        "baoding-yingli-polysilicon-cells": "保定市",
        "baoding-tianwei-wind-turbines": "保定市",
        "qinhuangdao-harbin-electric-nuclear": "秦皇岛市",
        "shijiazhuang-nuclear-valves": "石家庄市",
        "tangshan-nuclear-valve-castings": "唐山市",
        "tangshan-tianhe-titanium": "唐山市",
        "handan-lier-pvc-profiles": "邯郸市",
        "pingquan-li-ion-battery": "平泉市",
        "qinhuangdao-kangtai-medical-devices": "秦皇岛市",
    }
    for rid, place in expected.items():
        r = rec(rid)
        assert r["kind"] == "project" and r["places"] == [place], rid
        assert r["quote"] in TEXT and (place[:2] in r["quote"]), rid


def test_cangzhou_lingang_in_bohai_new_area():
    r = rec("cangzhou-lingang-etdz")
    assert r["places"] == ["黄骅市"] and r["places_as_written"] == ["沧州临港"]
    assert r["revenue_targets"][0]["value_yi"] == 800
