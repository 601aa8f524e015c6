"""Tests for geodata/records/002.yaml, written from the plan text
(河北省全国产业转型升级试验区规划（2016-2020年）, 河北省人民政府 2016-12-30).

Every count below is derived from the plan text itself with a regex: either an explicit
number the text states ("四个战略功能区", "三大新能源基地", "两大玻璃基地", "7个电子商务园区",
"20个县", "9个县", "35个国别（地区）园区", "一圈两带两区") or the length of the list the text gives.
Where the stated number is larger than the list the text actually gives (7, 20, 9, 35), the
records follow the list, and the test checks both facts.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOC = yaml.safe_load((ROOT / "geodata" / "records" / "002.yaml").read_text(encoding="utf-8"))
TEXT = (ROOT / "geodata" / "plan_texts" / DOC["plan"]).read_text(encoding="utf-8")
RECORDS = DOC["records"]
TARGETS = DOC.get("targets") or []
BY_ID = {r["id"]: r for r in RECORDS}
CN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def tagged(tag):
    return [r for r in RECORDS if tag in (r.get("tags") or [])]


def number(s):
    return int(s) if s.isdigit() else CN[s]


def items(pattern, text=TEXT):
    """The enumeration captured by group 1 of pattern, split on 、 and ，."""
    m = re.search(pattern, text)
    assert m, pattern
    return [x for x in re.split(r"[、，和]", m.group(1)) if x]


# ---------------------------------------------------------------- every quote verbatim


def test_plan_period_is_the_plans():
    m = re.search(r"规划期(\d{4})-(\d{4})年", TEXT)
    assert m and (m.group(1), m.group(2)) == ("2016", "2020")
    # no record overrides the plan's period
    assert all(r.get("plan_period") in (None, "2016-2020") for r in RECORDS)


# ---------------------------------------------------------------- stated counts
def test_four_strategic_zones():
    m = re.search(r"打造(.)个战略功能区", TEXT)
    stated = number(m.group(1))
    zones = tagged("strategic-zones")
    assert stated == 4 == len(zones)
    names = {r["name"] for r in zones}
    for n in names:  # each zone name opens its own clause in the text
        assert n + "，" in TEXT


def test_three_new_energy_bases():
    m = re.search(r"建设(张家口市[^。]*?)(.)大新能源基地", TEXT)
    listed = items(r"建设(张家口市[^。]*?)三大新能源基地")
    assert number(m.group(2)) == len(listed) == 3
    assert len(tagged("new-energy-bases")) == 3


def test_two_glass_bases():
    m = re.search(r"加快(沙河、冀东)(.)大玻璃基地", TEXT)
    assert number(m.group(2)) == len(m.group(1).split("、")) == len(tagged("glass-bases")) == 2


def test_two_logistics_channels_and_their_corridors():
    m = re.search(r"打造(.*?)东西向和(.*?)南北向(.)大物流通道", TEXT)
    east_west, north_south = m.group(1).split("、"), m.group(2).split("、")
    # two channels (东西向, 南北向), made of 2 + 3 named corridors
    assert number(m.group(3)) == 2
    assert len(tagged("logistics-east-west")) == len(east_west) == 2
    assert len(tagged("logistics-north-south")) == len(north_south) == 3
    assert len(tagged("logistics-corridors")) == 5


def test_tourism_one_circle_two_belts_two_areas():
    m = re.search(r"“(.)圈(.)带(.)区多点”（(.*?)）", TEXT)
    stated = sum(number(m.group(i)) for i in (1, 2, 3))
    listed = [x for x in re.split(r"[，、]", m.group(4)) if x]
    assert stated == len(listed) == 5
    recs = tagged("tourism-pattern")
    assert len(recs) == 5
    assert sorted(r["name"] for r in recs) == sorted(listed)
    # 多点 are the named key projects
    assert len(tagged("tourism-projects")) == len(items(r"加快(正定古城.*?)等重点项目建设")) == 5


def test_ecommerce_parks_stated_7_listed_4():
    m = re.search(r"以(白沟和道国际[^等]*)等(\d+)个电子商务园区", TEXT)
    listed = m.group(1).split("、")
    # the text says 7 but names only 4; the records follow the names
    assert int(m.group(2)) == 7 and len(listed) == 4
    assert len(tagged("ecommerce-parks")) == len(listed)


def test_county_cluster_pilot_stated_20_listed_8():
    m = re.search(r"以(清河[^等]*)等(\d+)个县（市、区）为重点，进行特色产业集群", TEXT)
    listed = m.group(1).split("、")
    # the text says 20 counties but names 8
    assert int(m.group(2)) == 20 and len(listed) == 8
    assert len(BY_ID["hbpz-county-cluster-pilot"]["places"]) == len(listed)


def test_mountain_agri_pilot_stated_9_listed_2():
    m = re.search(r"以(阜平、平山)县等(\d+)个县为重点", TEXT)
    # the text says 9 counties but names 2
    assert int(m.group(2)) == 9
    assert BY_ID["hbpz-mountain-agri-development-pilot"]["places"] == ["阜平县", "平山县"]


def test_country_parks_stated_35_listed_3():
    m = re.search(r"重点抓好(.*?)等(\d+)个国别（地区）园区", TEXT)
    listed = m.group(1).split("、")
    # the text says 35 but names 3
    assert int(m.group(2)) == 35 and len(listed) == 3
    assert len(tagged("country-parks")) == 3


# ---------------------------------------------------------------- counts of the lists the text gives
def test_equipment_bases():
    listed = items(r"做大做强一批装备制造业基地，重点建设(.*?)等。")
    assert len(listed) == 7 == len(tagged("equipment-bases"))


def test_equipment_clusters():
    m = re.search(r"重点打造(.*?)等产业集群", TEXT)
    listed = m.group(1).split("、")
    assert len(listed) == 8 == len(tagged("equipment-clusters"))


def test_textile_bases():
    listed = items(r"重点建设(正定纺织服装基地.*?)等产业基地及园区")
    assert len(listed) == 6 == len(tagged("textile-bases"))


def test_building_materials_bases():
    first = items(r"打造(高碑店国家建筑节能产业园区.*?)，建设")
    second = re.search(r"建设(承德国家级[^。]*?)。推进水泥", TEXT).group(1).split("和")
    assert len(first) + len(second) == 6 == len(tagged("building-materials-bases"))


def test_coal_and_salt_chemical_parks():
    coal = items(r"继续推进(唐山[^煤]*)煤化工园区")
    salt = re.search(r"重点建设(唐山[^盐]*)盐化工园区", TEXT).group(1)
    salt = re.split(r"[、和]", salt)
    assert len(coal) == 4 == len(tagged("coal-chemical-parks"))
    assert len(salt) == 5 == len(tagged("salt-chemical-parks"))


def test_emergency_reserve_bases():
    m = re.search(r"在(廊坊三河.*?)等地，整合现有仓储物流设施，规划建设应急储备保障基地", TEXT)
    # "廊坊三河、永清，保定高碑店、涿州，承德滦平，张家口怀安": 6 places under 4 prefectures
    places = [x for x in re.split(r"[、，]", m.group(1)) if x]
    assert len(places) == 6
    recs = tagged("emergency-bases")
    assert len(recs) == 6
    assert {r["places"][0] for r in recs} == {"三河市", "永清县", "高碑店市", "涿州市", "滦平县", "怀安县"}


def test_new_areas_and_development_zones():
    m = re.search(r"重点推进(.*?)、白洋淀科技城及(.*?)等一批经济技术开发区", TEXT)
    assert len(m.group(1).split("、")) == 4 == len(tagged("new-areas"))
    assert len(m.group(2).split("、")) == 6 == len(tagged("development-zones"))


def test_growth_poles():
    m = re.search(r"(曹妃甸区、渤海新区、正定新区)等一批区域经济增长极", TEXT)
    assert len(m.group(1).split("、")) == 3 == len(tagged("growth-poles"))


def test_steel_layout_projects():
    m = re.search(r"加快推进(首钢京唐钢铁二期.*?)，以及(永洋特钢产业园)等布局优化", TEXT)
    listed = m.group(1).split("、") + [m.group(2)]
    assert len(listed) == 6 == len(tagged("steel-projects"))


def test_agricultural_zones():
    listed = items(r"集中力量打造(.*?)。")
    assert len(listed) == 6 == len(tagged("agri-zones"))


def test_smart_trade_and_beijing_trade_pilots():
    listed = items(r"以(石家庄新华批发市场.*?)及一批大型商贸零售企业")
    assert len(listed) == 6 == len(tagged("smart-trade-pilots"))
    receivers = re.search(r"以(白沟现代商贸物流基地.*?)等为重点，进行承接北京商贸企业", TEXT).group(1)
    receivers = receivers.replace("│　　│", "").split("、")
    assert len(receivers) == 5 == len(tagged("beijing-trade-receivers"))


def test_shopping_tourism():
    listed = items(r"以(辛集皮革.*?)为重点，大力发展购物游")
    assert len(listed) == 6 == len(tagged("shopping-tourism"))


def test_circular_layout_four_parts():
    m = re.search(r"1\.优化循环经济产业布局。(.*?)\n", TEXT)
    parts = re.findall(r"(廊坊、保定市中部核心区|沿海地区|南部地区|西北部)", m.group(1))
    assert len(parts) == 4 == len(tagged("circular-layout"))


# ---------------------------------------------------------------- specific records against the text
def test_strategic_zone_places():
    assert BY_ID["hbpz-huanjingjin-core-zone"]["places"] == ["保定市", "廊坊市"]
    assert BY_ID["hbpz-coastal-lead-zone"]["places"] == ["秦皇岛市", "唐山市", "沧州市"]
    assert BY_ID["hbpz-jizhongnan-expansion-zone"]["places"] == ["石家庄市", "邢台市", "邯郸市", "衡水市"]
    assert BY_ID["hbpz-jixibei-ecological-zone"]["places"] == ["张家口市", "承德市"]
    assert all(r["composition_source"] == "text" for r in tagged("strategic-zones"))


def test_shibaolang_zone():
    r = BY_ID["hbpz-shibaolang-innovation-zone"]
    assert r["places"] == ["石家庄市", "保定市", "廊坊市"]
    assert r["composition_source"] == "text"
    assert "石保廊全面创新改革试验区" in TEXT


def test_coastal_lead_zone_industries():
    r = BY_ID["hbpz-coastal-lead-zone"]
    for term in ("精品钢铁", "海洋工程装备", "高端石化", "港口物流"):
        assert term in r["quote"] and term in r["industry_terms"]
    assert {"steel", "marine", "petrochem", "logistics"} <= set(r["industries"])


def test_shougang_and_shigang_projects():
    sg = BY_ID["hbpz-shougang-jingtang-phase2"]
    assert sg["kind"] == "project" and sg["places"] == ["曹妃甸区"] and "首钢京唐钢铁二期" in sg["quote"]
    sh = BY_ID["hbpz-shigang-relocation"]
    assert sh["kind"] == "project" and sh["places"] == ["石家庄市"] and "石钢搬迁" in sh["quote"]
    assert BY_ID["hbpz-wuan-steel-relocation"]["places"] == ["武安市"]


def test_fine_steel_bases():
    assert "形成曹妃甸、渤海新区临港精品钢铁基地" in TEXT
    assert BY_ID["hbpz-caofeidian-fine-steel-base"]["places"] == ["曹妃甸区"]
    b = BY_ID["hbpz-bohai-fine-steel-base"]
    assert b["places"] == ["黄骅市"] and b["places_as_written"] == ["渤海新区"]
    assert b["industries"] == ["steel"]


def test_renxian_cluster_uses_current_unit():
    r = BY_ID["hbpz-renxian-machinery-cluster"]
    assert "任县机械制造" in TEXT
    assert r["places"] == ["任泽区"] and r["places_as_written"] == ["任县"]


def test_biomed_bases():
    assert BY_ID["hbpz-shijiazhuang-national-bio-base"]["industries"] == ["biomed"]
    assert BY_ID["hbpz-anguo-tcm-capital"]["places"] == ["安国市"]
    assert "渤海新区北京生物医药基地" in BY_ID["hbpz-bohai-beijing-biomed-base"]["quote"]


def test_big_data_corridor():
    r = BY_ID["hbpz-jingjinji-big-data-corridor"]
    assert r["kind"] == "corridor" and r["composition_source"] == "text"
    m = re.search(r"以([^以]*?)市为重点，开展与京津大数据一体化发展试点示范", TEXT)
    assert [p + "市" for p in m.group(1).split("、")] == r["places"]


def test_cement_belt_is_outside_composition():
    r = BY_ID["hbpz-yanshan-taihang-cement-belt"]
    assert r["kind"] == "belt" and r["composition_source"] == "outside" and r["composition_reference"]
    assert "燕山-太行山新型干法水泥产业带" in r["quote"]


def test_industry_targets():
    by = {t["id"]: t for t in TARGETS}
    expected = {
        "hbpz-target-equipment-value-added": (4500, r"装备制造业企业工业增加值达到(\d+)亿元"),
        "hbpz-target-petrochem-value-added": (2200, r"石化企业工业增加值达到(\d+)亿元"),
        "hbpz-target-textiles-value-added": (1250, r"到2020年增加值达到(\d+)亿元，终端产品"),
        "hbpz-target-food-value-added": (1450, r"努力打造知名品牌，到2020年增加值达到(\d+)亿元"),
        "hbpz-target-building-materials-value-added": (700, r"建材行业增加值达到(\d+)亿元"),
    }
    for tid, (value, pattern) in expected.items():
        t = by[tid]
        assert int(re.search(pattern, TEXT).group(1)) == value == t["value_yi"]
        assert t["year"] == 2020 and t["scope"] == "industry"


def test_misprints_kept_verbatim_and_noted():
    # the text writes 萧山 for 燕山, 大教据 for 大数据, 国安 for 固安, and lists 蓬莱 (not in Hebei)
    assert "萧山--太行山" in BY_ID["hbpz-yanshan-taihang-tailings-pilot"]["quote"]
    assert "大教据" in BY_ID["hbpz-chengde-big-data-park"]["quote"]
    assert "蓬莱" in BY_ID["hbpz-county-traditional-industry-pilot"]["quote"]
    assert "蓬莱" in BY_ID["hbpz-county-traditional-industry-pilot"]["note"]
    assert all("蓬莱" not in p for r in RECORDS for p in r["places"])


def test_huanshoudu_compositions_are_the_prefectures_bordering_beijing():
    # 环首都 areas the plan gives no units for are composed from the Hebei prefectures that touch
    # Beijing on the boundary map; 唐山 borders Tianjin, not Beijing, so it is not among them
    # (the 环京津 compositions, by contrast, include 唐山 and 沧州).
    ids = [
        "hbpz-capital-one-hour-logistics-circle",
        "hbpz-capital-leisure-tourism-circle",
        "hbpz-capital-urban-agriculture-circle",
        "hbpz-capital-agri-tech-belt",
        "hbpz-capital-distribution-bases",
    ]
    for rid in ids:
        r = BY_ID[rid]
        assert r["name"].startswith("环首都") and r["name"] in TEXT
        assert r["composition_source"] == "outside"
        assert sorted(r["places"]) == sorted(["廊坊市", "保定市", "张家口市", "承德市"]), rid


def test_tier_targets_are_province_wide():
    # the plan states the 千亿元 park and 百亿 cluster tiers without naming any park or cluster
    by = {t["id"]: t for t in TARGETS}
    assert re.search(r"建成一批年主营业务收入超(千)亿元的产业园区", TEXT)
    assert by["hbpz-target-qianyi-parks"]["value_yi"] == 1000
    assert re.search(r"建设一批主营业务收入超(百)亿的产业集群", TEXT)
    assert by["hbpz-target-baiyi-county-clusters"]["value_yi"] == 100
    for tid in ("hbpz-target-qianyi-parks", "hbpz-target-baiyi-county-clusters"):
        assert by[tid]["scope"] == "province" and by[tid]["metric"] == "主营业务收入"
    # no record carries an element-level revenue target: the plan gives none
    assert not any(r.get("revenue_targets") for r in RECORDS)
