"""Plan 004 (河南省工业转型升级“十二五”规划): records checked against the plan text.

Counts are derived from the text itself with regular expressions and compared
with the records that carry the matching tag in geodata/records/004.yaml.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "geodata" / "plan_texts" / "004_eb8db685bdae1db0.txt").read_text(encoding="utf-8")
DOC = yaml.safe_load((ROOT / "geodata" / "records" / "004.yaml").read_text(encoding="utf-8"))
RECORDS = DOC["records"]
TARGETS = DOC["targets"]
BY_ID = {r["id"]: r for r in RECORDS}

CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def num(s: str) -> int:
    return int(s) if s.isdigit() else CN[s]


def stated(pattern: str) -> int:
    """The count the text states: the first group of `pattern`, as an int."""
    m = re.search(pattern, TEXT)
    assert m, f"pattern not found in plan text: {pattern}"
    return num(m.group(1))


def listed(pattern: str) -> list[str]:
    """The items the text lists: group 1 of `pattern`, split on 、."""
    m = re.search(pattern, TEXT)
    assert m, f"pattern not found in plan text: {pattern}"
    return [x for x in re.split("[、和及]", m.group(1)) if x]


def tagged(tag: str) -> list[dict]:
    return [r for r in RECORDS if tag in (r.get("tags") or [])]


def test_plan_file_named():
    assert DOC["plan"] == "004_eb8db685bdae1db0.txt"


# ---- counts the text states ------------------------------------------------


@pytest.mark.parametrize(
    "pattern,tag",
    [
        (r"建设(六|6)个特色零部件基地", "auto-parts-bases-6"),
        (r"(\d)大电子信息产业基地", "electronics-bases-8"),
        (r"郑州、新乡、安阳、南阳(\d)个装备制造基地", "equipment-bases-4"),
        (r"(\d)个国家级新型工业化产业示范基地的发展水平", "national-demo-bases-5"),
        (r"(\d)大煤化工产业集聚区", "coal-chemical-parks-6"),
        (r"(\d)大盐化工基地", "salt-chemical-bases-4"),
        (r"(\d)个大型氮肥产业基地", "fertilizer-bases-5"),
        (r"(\d)大铝工业生产基地", "aluminium-bases-5"),
        (r"(\d)个印染行业染整集群", "dyeing-clusters-6"),
        (r"(\d)个服装加工产业集群", "garment-clusters-8"),
        (r"(\d)个综合性纺织产业基地", "textile-bases-4"),
        (r"平顶山(\d)个产业集群区", "textile-cluster-areas-5"),
        (r"(\d)大建筑陶瓷产业发展集群", "ceramics-clusters-6"),
        (r"新乡(\d)个生物医药产业园", "biomed-parks-2"),
        (r"周口(\d)个省级生物产业基地", "provincial-bio-bases-5"),
        (r"(\d)个在国内有一定影响力的国家新能源产业基地", "national-new-energy-bases-4"),
        (r"长葛(\d)个百亿元超硬材料核心区", "superhard-cores-2"),
        (r"(\d)大先导产业基地", "pioneer-bases-8"),
        (r"重点建设(\d)个跨省域产业合作示范区", "cross-province-zones-6"),
        (r"努力把这(\d)条经济带", "five-economic-belts"),
    ],
)
def test_stated_counts(pattern, tag):
    assert len(tagged(tag)) == stated(pattern), tag


@pytest.mark.parametrize(
    "pattern,tag",
    [
        (r"“一区（安阳）五点（([^）]+)）”", "steel-five-points"),
        (r"“两纵一横”（([^）]+)）", "two-vertical-one-horizontal-3"),
        (r"围绕(郑州、新乡、民权)家用电器产业集群", "appliance-clusters-3"),
        (r"加快培育(郑州、洛阳、信阳、濮阳)等家具产业集群", "furniture-clusters-4"),
        (r"重点建设(孟州桑坡毛皮、鄢陵箱包皮具、平舆制革、周口制鞋)等基地", "light-bases-4"),
        (r"依托(新乡县、偃师、虞城、鹿邑、淮阳、洛宁、清丰)等产业集聚区", "light-parks-7"),
        (r"大力推进(内乡、镇平、泌阳、新郑（薛店）)等石材产业园区", "stone-parks-4"),
        (
            r"依托(郑州经济技术开发区、航空港区、马寨食品产业集聚区、漯河经济技术开发区、临颍食品产业集聚区、汤阴食品产业集聚区、鹤淇产业集聚区、遂平食品产业集聚区)，",
            "food-parks-8",
        ),
        (r"壮大(漯河、郑州、许昌、商丘、周口、驻马店)等食品工业基地", "food-bases-6"),
        (r"推动(郑州、洛阳、开封、平顶山、安阳、新乡和南阳)等老工业基地城市", "old-industrial-cities-7"),
        (r"继续支持(焦作、濮阳、鹤壁)等资源枯竭城市", "resource-depleted-cities-3"),
        (r"推动实施(洛阳、安阳、濮阳、永城、获嘉)等年产20万吨乙二醇项目", "ethylene-glycol-projects-5"),
        (r"依托(郑州、新乡、洛阳、三门峡、南阳、开封、信阳)等新能源汽车及零部件生产基地", "nev-bases-7"),
        (r"依托(郑州、开封、洛阳、安阳、许昌、南阳)等新材料生产基地", "new-materials-bases-6"),
        (r"依托(郑州、新乡、洛阳、安阳、焦作)等新能源生产基地", "new-energy-bases-5"),
        (r"重点培育(郑州、安阳、商丘、南阳、周口、许昌、开封)等纺织服装产业集群", "textile-clusters-7"),
        (
            r"加快(郑州、新乡、南阳、安阳、平顶山、焦作、开封、济源、濮阳)等特色装备基地建设",
            "equipment-bases-9",
        ),
        (r"限制开发区域：主要包括([^。]+)等。", "ecological-zones-6"),
    ],
)
def test_listed_counts(pattern, tag):
    assert len(tagged(tag)) == len(listed(pattern)), tag


def test_one_zone_five_points_is_six():
    assert len(tagged("steel-one-zone-five-points")) == 1 + len(listed(r"“一区（安阳）五点（([^）]+)）”"))


def test_aluminium_parks_text_says_ten_lists_seven():
    # The text announces "10个铝加工特色园区" but lists only seven 铝加工产业集聚区
    # (永城、登封、新安、伊川、渑池、沁北、豫联): the records follow the list.
    assert stated(r"及(\d+)个铝加工特色园区") == 10
    names = listed(r"及(永城、登封、新安、伊川、渑池、沁北、豫联)等铝加工产业集聚区")
    assert len(tagged("aluminium-parks-listed")) == len(names) == 7


def test_provincial_demo_bases_text_says_25_names_three():
    # "首批25个省级新型工业化产业示范基地" but only three are named.
    assert stated(r"首批(\d+)个省级新型工业化产业示范基地") == 25
    names = listed(r"加快(郑州高新技术产业集聚区、郑州经济技术产业集聚区、新乡高新技术产业集聚区)等首批")
    assert len(tagged("provincial-demo-bases-named")) == len(names) == 3


def test_one_park_six_bases():
    assert "一园六基地" in TEXT
    assert len(tagged("auto-one-park-six-bases")) == 1 + 6


def test_key_development_area_cities():
    cities = listed(r"加快完善([^等]+)等地的基础设施")
    assert [c + "市" for c in cities] == BY_ID["hn12-key-development-areas"]["places"]


# ---- specific records -------------------------------------------------------


def test_zhengbian_auto_parts_park():
    r = BY_ID["hn12-zhengbian-auto-parts-park"]
    assert r["places"] == ["郑州市", "开封市"] and r["industries"] == ["auto"]
    assert r["revenue_targets"][0]["value_yi"] == 100
    assert "郑汴百亿元汽车零部件产业园" in r["revenue_targets"][0]["quote"]


def test_wuyang_point_is_wugang_city():
    r = BY_ID["hn12-wugang-steel-point"]
    assert r["places"] == ["舞钢市"] and "舞阳" in r["places_as_written"]
    assert "steel" in r["industries"]


def test_jingguang_food_belt():
    r = BY_ID["hn12-jingguang-food-belt"]
    assert r["kind"] == "belt" and r["composition_source"] == "outside" and r["composition_reference"]
    assert r["industries"] == ["food"]
    assert {"郑州市", "漯河市", "许昌市", "驻马店市"} <= set(r["places"])


def test_zhengbianluo_belt_composed_from_text():
    r = BY_ID["hn12-zhengbianluo-industrial-belt"]
    assert r["composition_source"] == "text" and r["places"] == ["郑州市", "开封市", "洛阳市"]


def test_longhai_axis_west_to_east():
    r = BY_ID["hn12-longhai-development-axis"]
    assert r["kind"] == "axis" and r["places"][0] == "三门峡市" and r["places"][-1] == "商丘市"
    assert r["composition_source"] == "outside"


def test_xinxiang_battery_chain():
    r = BY_ID["hn12-xinxiang-power-battery-chain"]
    assert r["places"] == ["新乡市"] and r["industries"] == ["new_energy_vehicles"]
    assert r["revenue_targets"][0]["value_yi"] == 100


def test_superhard_cores():
    assert BY_ID["hn12-changge-superhard-materials-core"]["places"] == ["长葛市"]
    assert BY_ID["hn12-zhengzhou-superhard-materials-core"]["industries"] == ["new_materials"]


def test_mazhai_and_shangtianti_towns():
    assert BY_ID["hn12-mazhai-food-park"]["places"] == ["二七区"]
    assert BY_ID["hn12-xinyang-shangtianti-park"]["places"] == ["平桥区"]


def test_changyuan_renamed():
    r = BY_ID["hn12-changyuan-industrial-park"]
    assert r["places"] == ["长垣市"] and r["places_as_written"] == ["长垣"]


def test_anhan_zone_crosses_into_hebei():
    r = BY_ID["hn12-anhan-zone"]
    assert r["places"] == ["安阳市", "邯郸市"] and r["industries"] == ["steel"]


def test_ecological_zones_outside():
    for r in tagged("ecological-zones-6"):
        assert r["composition_source"] == "outside" and r["composition_reference"]
    assert "淅川县" in BY_ID["hn12-south-north-water-source-zone"]["places"]


def test_review_zones_period():
    for rid in ("hn12-yubei-economic-region", "hn12-huanghuai-economic-region"):
        assert BY_ID[rid]["plan_period"] == "2006-2010"
    assert "plan_period" not in BY_ID["hn12-jingguang-food-belt"]


# ---- targets ----------------------------------------------------------------


def _targets(subject_part, value):
    return [t for t in TARGETS if subject_part in t["subject"] and t["value_yi"] == value]


def test_food_target_two_wan():
    ts = [t for t in TARGETS if t["industries"] == ["food"] and t["value_yi"] == 20000 and t["year"] == 2015]
    assert ts and all(t["metric"] == "主营业务收入" for t in ts)


def test_light_industry_both_figures_kept():
    assert _targets("轻工", 10000) and _targets("轻工", 12000)
    assert "1.2万亿元" in _targets("轻工", 12000)[0]["quote"]


def test_value_added_both_figures_kept():
    vals = {t["value_yi"] for t in TARGETS if t["metric"] == "工业增加值"}
    assert {20000, 21100} <= vals


def test_auto_both_figures_kept():
    assert _targets("汽车", 5000) and _targets("汽车", 6000)


def test_building_materials_and_equipment():
    assert _targets("建材", 15000) and _targets("装备制造", 22000)


def test_central_china_appliance_base_at_its_three_clusters():
    # "围绕郑州、新乡、民权家用电器产业集群，建设中部地区空调制冷及小家电生产基地"
    r = BY_ID["hn12-central-china-appliance-base"]
    cities = listed(r"围绕(郑州、新乡、民权)家用电器产业集群，建设中部地区空调制冷及小家电生产基地")
    assert r["kind"] == "base" and len(r["places"]) == len(cities) == 3
    assert "appliance-clusters-3" not in (r.get("tags") or [])


def test_steel_and_lead_zinc_projects_of_zhuanlan_9_stand_alone():
    """专栏9's company projects at named steel points are records of their own, not host quotes."""
    expected = {
        "hn12-anyang-angang-cold-rolling-project": "安阳市",
        "hn12-jiyuan-steel-forging-project": "济源市",
        "hn12-xinyang-steel-pipe-project": "信阳市",
        "hn12-wugang-4200mm-mill-project": "舞钢市",
        "hn12-jiyuan-yuguang-residue-recovery-project": "济源市",
        "hn12-jiyuan-jinli-precious-metals-project": "济源市",
    }
    for rid, place in expected.items():
        r = BY_ID[rid]
        assert r["kind"] == "project" and r["places"] == [place] and r["quote"] in TEXT
        host_quotes = [q for h in RECORDS if h["id"] != rid for q in h.get("more_quotes") or []]
        assert r["quote"] not in host_quotes
