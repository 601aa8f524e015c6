"""Plan 003 (河北省战略性新兴产业发展“十三五”规划, the "8358" plan): records checked against the text.

Counts are read from the plan text with regexes and compared with the records that carry the
matching tag; specific records are checked for place, industries, target and period.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PLAN_FILE = "003_fd615c21cb9b4446.txt"
TEXT = (ROOT / "geodata" / "plan_texts" / PLAN_FILE).read_text(encoding="utf-8")
DOC = yaml.safe_load((ROOT / "geodata" / "records" / "003.yaml").read_text(encoding="utf-8"))
RECORDS = DOC["records"]
BY_ID = {r["id"]: r for r in RECORDS}
CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def tagged(tag):
    return [r for r in RECORDS if tag in (r.get("tags") or [])]


def section(start, end):
    i = TEXT.index(start)
    return TEXT[i : TEXT.index(end, i)]


def split_list(s):
    return [x for x in re.split(r"[、和]", s) if x]


# ---------------------------------------------------------------- file-level
def test_plan_and_prefix():
    assert DOC["plan"] == PLAN_FILE
    assert RECORDS, "no records"
    ids = [r["id"] for r in RECORDS] + [t["id"] for t in DOC.get("targets") or []]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("hb13-") for i in ids)


def test_period_is_the_plans():
    # the plan is a 十三五 plan (2016-2020); no record overrides the period
    assert "十三五" in TEXT
    assert all(r.get("plan_period", "2016-2020") == "2016-2020" for r in RECORDS)


# ---------------------------------------------------------------- counts stated by the text
def test_35_bases_are_5_national_plus_30_provincial():
    total = int(re.search(r"建设(\d+)个国家级、省级产业集聚区及示范基地", TEXT).group(1))
    total2 = int(re.search(r"布局建设(\d+)个国家级、省级战略性新兴产业集聚区", TEXT).group(1))
    national = int(re.search(r"壮大(\d+)个国家级战略性新兴产业集聚区", TEXT).group(1))
    provincial = int(re.search(r"建设(\d+)个省级战略性新兴产业示范基地", TEXT).group(1))
    assert total == total2 == national + provincial == 35


def test_five_national_bases_named_by_headings():
    national = int(re.search(r"壮大(\d+)个国家级战略性新兴产业集聚区", TEXT).group(1))
    part = section("（一）壮大5个国家级", "（二）建设30个省级")
    headings = re.findall(r"　　\d\.(\S+?)。", part)
    assert len(headings) == national == 5
    recs = tagged("national-bases")
    assert len(recs) == national
    assert sorted(r["name"] for r in recs) == sorted(headings)


def test_provincial_bases_recorded_by_functional_zone():
    # The text announces 30 provincial demonstration bases but names none of them: it assigns
    # "一批" to each of the four functional zones. We test what it lists: one record per zone.
    part = section("（二）建设30个省级", "（三）发展一批特色")
    zones = re.findall(r"围绕打造(\S+?区)，", part)
    assert len(zones) == 4
    recs = tagged("provincial-demo-bases")
    assert len(recs) == len(zones)
    for z in zones:
        assert any(r["name"].startswith(z) for r in recs), z
    # 5 national + 4 zone records stand for the 35 bases
    assert len(tagged("hebei-35-bases")) == 5 + len(zones)


def test_four_strategic_functional_zones():
    n = CN[re.search(r"围绕打造我省(\S)个战略功能区", TEXT).group(1)]
    assert n == 4
    assert len(tagged("four-functional-zones")) == n


def test_two_zones_three_parks_of_shijiazhuang():
    m = re.search(r"“(\S)区(\S)园”的总体布局", TEXT)
    n = CN[m.group(1)] + CN[m.group(2)]
    recs = tagged("sjz-two-zones-three-parks")
    assert len(recs) == n == 5
    m2 = re.search(r"分别在(\S+?)布局建设", TEXT)
    counties = split_list(m2.group(1))
    assert counties == ["赵县", "深泽县", "栾城区"]
    placed = {p for r in recs for p in r["places"]}
    assert set(counties) <= placed


def test_three_million_kw_pv_bases():
    m = re.search(r"建设(\S+?)(\S)个百万千瓦级", TEXT)
    n = CN[m.group(2)]
    names = split_list(m.group(1))
    assert n == len(names) == 3
    assert len(tagged("pv-bases")) == n


def test_five_functional_areas_of_zhangjiakou():
    n = CN[re.search(r"“(\S)大功能区”", TEXT).group(1)]
    m = re.search(r"打造(低碳奥运专区\S+?)。", TEXT)
    listed = split_list(m.group(1))
    assert n == len(listed) == 5
    recs = tagged("zjk-five-areas")
    assert len(recs) == n
    for a in listed:
        assert any(r["name"].endswith(a) for r in recs), a


def test_big_data_zone_cities():
    part = section("4.京津冀（河北）大数据综合试验区", "5.廊坊国家信息")
    cities = re.findall(r"。(\S{2,3}市)(?:重点|以|发挥|探索)", part)
    assert len(cities) == 5
    zone = BY_ID["hb13-jjj-hebei-big-data-zone"]
    assert sorted(zone["places"]) == sorted(cities)
    roles = tagged("big-data-zone-cities")
    assert sorted(p for r in roles for p in r["places"]) == sorted(cities)


def test_new_energy_demo_cities():
    m = re.search(r"加快([^，。；]+?)新能源示范城市建设", TEXT)
    listed = split_list(m.group(1))
    assert listed == ["张家口", "承德", "邢台", "北戴河新区"]
    recs = tagged("new-energy-demo-cities")
    assert len(recs) == len(listed)
    assert any("北戴河新区" in (r.get("places_as_written") or []) for r in recs)


def test_scattered_wind_places():
    listed = split_list(re.search(r"推进(\S+?)等地零散风电开发", TEXT).group(1))
    assert len(listed) == 4
    assert sorted(r["places"][0] for r in tagged("scattered-wind")) == sorted(c + "市" for c in listed)


def test_langfang_development_zones():
    m = re.search(r"依托(\S+?)国家级高新区以及(\S+?)等省级开发区", TEXT)
    provincial = split_list(m.group(2))
    assert m.group(1) == "燕郊" and len(provincial) == 4
    assert len(tagged("langfang-dev-zones")) == 1 + len(provincial)


def test_langfang_transfer_bases():
    m = re.search(r"重点推进建设(\S+?)一批重大科技成果转化基地", TEXT)
    listed = split_list(m.group(1))
    assert len(listed) == 7
    recs = tagged("langfang-transfer-bases")
    assert sorted(r["name"] for r in recs) == sorted(listed)


def test_sme_concentration_areas():
    listed = split_list(re.search(r"打造形成(\S+?)等一批科技型中小企业发展密集区", TEXT).group(1))
    assert listed == ["环京津", "沿渤海", "聚省会"]
    assert len(tagged("sme-areas")) == len(listed)


def test_nuclear_projects():
    listed = split_list(re.search(r"积极推进(\S+?)等重点项目建设", TEXT).group(1))
    assert len(listed) == 4
    assert sorted(r["name"] for r in tagged("nuclear-projects")) == sorted(listed)


def test_nev_projects():
    # 专栏12 names 3 groups: 客车 (2), 乘用车 (3), 技术改造 (2) = 7 projects
    part = section("专栏12", "“十三五”时")
    clean = re.sub(r"[│　\s]", "", part)
    groups = re.findall(r"(?:推进|，)([^，。：]+?)等(?:新能源客车|新能源乘用车|技术改造)项目建设", clean)
    n = sum(len(split_list(g)) for g in groups)
    assert n == 7
    assert len(tagged("nev-projects")) == n


def test_bridgeheads():
    listed = split_list(re.search(r"充分发挥(\S+?)市在京津冀协同发展“桥头堡”", TEXT).group(1))
    assert listed == ["保定", "廊坊"]
    assert len(tagged("bridgeheads")) == 2


def test_talent_parks_not_placed():
    # "建设11家高层次人才创新创业园": the plan names neither the parks nor their places,
    # so nothing is recorded for them.
    assert re.search(r"建设(\d+)家高层次人才创新创业园", TEXT).group(1) == "11"
    assert not [r for r in RECORDS if "人才创新创业园" in r["name"]]


# ---------------------------------------------------------------- specific records
def _target(rid):
    (t,) = BY_ID[rid]["revenue_targets"]
    return t


def test_shijiazhuang_bio_base():
    r = BY_ID["hb13-shijiazhuang-national-bio-base"]
    assert r["kind"] == "base" and r["places"] == ["石家庄市"] and "biomed" in r["industries"]
    t = _target(r["id"])
    assert (t["value_yi"], t["year"], t["metric"]) == (1500, 2020, "主营业务收入")
    assert "主营业务收入超过1500亿元" in TEXT


def test_baoding_new_energy_base():
    r = BY_ID["hb13-baoding-national-new-energy-base"]
    assert r["places"] == ["保定市"] and "new_energy" in r["industries"]
    t = _target(r["id"])
    assert (t["value_yi"], t["year"]) == (1700, 2020)


def test_zhangjiakou_renewable_zone():
    r = BY_ID["hb13-zhangjiakou-renewable-demo-zone"]
    assert r["kind"] == "zone" and r["places"] == ["张家口市"] and r["composition_source"] == "text"
    assert (_target(r["id"])["value_yi"], _target(r["id"])["year"]) == (1000, 2020)


def test_big_data_zone_target():
    t = _target("hb13-jjj-hebei-big-data-zone")
    assert (t["value_yi"], t["metric"], t["year"]) == (1000, "销售收入", 2020)
    assert "big_data" in BY_ID["hb13-jjj-hebei-big-data-zone"]["industries"]


def test_langfang_info_base():
    r = BY_ID["hb13-langfang-national-info-base"]
    assert r["places"] == ["廊坊市"] and "software_it" in r["industries"]
    assert _target(r["id"])["value_yi"] == 1000


def test_yanjiao_high_tech_zone():
    r = BY_ID["hb13-yanjiao-national-high-tech-zone"]
    assert r["places"] == ["三河市"] and r["places_as_written"] == ["燕郊"] and r["precision"] == "town"


def test_coastal_zone_industries():
    r = BY_ID["hb13-coastal-leading-zone"]
    assert sorted(r["places"]) == sorted(["唐山市", "沧州市", "秦皇岛市"])
    for term in ["工业机器人", "石墨烯", "激光加工", "健康医疗", "高端材料"]:
        assert term in r["industry_terms"] and term in r["quote"]
    assert {"robotics", "new_materials", "equipment", "medical_devices"} <= set(r["industries"])


def test_northwest_zone():
    r = BY_ID["hb13-northwest-ecological-zone"]
    assert sorted(r["places"]) == sorted(["张家口市", "承德市"])
    assert {"big_data", "new_energy", "energy_saving"} <= set(r["industries"])


def test_central_south_zone():
    r = BY_ID["hb13-central-south-expansion-zone"]
    assert sorted(r["places"]) == sorted(["石家庄市", "邯郸市", "邢台市", "衡水市"])
    assert {"biomed", "aerospace", "electronics"} <= set(r["industries"])


def test_zhengding_ic_base():
    r = BY_ID["hb13-zhengding-ic-packaging-base"]
    assert r["places"] == ["正定县"] and r["industries"] == ["electronics"] and "正定集成电路" in r["quote"]


def test_anguo_and_bohai_biomed():
    assert BY_ID["hb13-anguo-tcm-capital"]["places"] == ["安国市"]
    r = BY_ID["hb13-bohai-beijing-cangzhou-biomed-park"]
    assert r["places"] == ["黄骅市"] and "沧州渤海新区" in r["places_as_written"]


def test_zhuozhou_agri_zone():
    r = BY_ID["hb13-zhuozhou-agri-high-tech-zone"]
    assert r["places"] == ["涿州市"] and "agriculture" in r["industries"]


def test_shibaolang_zone_is_text_composed():
    r = BY_ID["hb13-shibaolang-innovation-reform-zone"]
    assert r["places"] == ["石家庄市", "保定市", "廊坊市"] and r["composition_source"] == "text"
    assert "石保廊" in r["quote"]


def test_outside_compositions_say_where_from():
    for r in RECORDS:
        if r.get("composition_source") == "outside":
            assert r.get("composition_reference"), r["id"]
    assert BY_ID["hb13-jingjin-ring-civil-military-belt"]["composition_source"] == "outside"
