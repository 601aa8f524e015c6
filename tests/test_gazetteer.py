"""Place names as the plans write them resolve to the right unit; bad names fail clearly."""

import pytest

from geodata.gazetteer import AmbiguousPlace, UnknownPlace, default_gazetteer

G = default_gazetteer()


@pytest.mark.parametrize(
    "written, key, precision",
    [
        ("唐山", "唐山市", "prefecture"),
        ("唐山市", "唐山市", "prefecture"),
        ("丰南", "唐山市/丰南区", "county"),
        ("曹妃甸", "唐山市/曹妃甸区", "county"),
        ("唐海", "唐山市/曹妃甸区", "county"),
        ("渤海新区", "沧州市/黄骅市", "town"),
        ("北戴河新区", "秦皇岛市/昌黎县", "town"),
        ("燕郊", "廊坊市/三河市", "town"),
        ("沙城", "张家口市/怀来县", "town"),
        ("白沟", "保定市/高碑店市", "town"),
        ("大营", "衡水市/枣强县", "town"),
        ("冀南新区", "邯郸市", "prefecture"),
        ("许昌", "许昌市", "prefecture"),
        ("郑州", "郑州市", "prefecture"),
        ("开封县", "开封市/祥符区", "county"),
        ("辛集", "石家庄市/辛集市", "county"),
        ("定州", "保定市/定州市", "county"),
        ("济源", "济源市", "prefecture"),
        ("石家庄市/桥西区", "石家庄市/桥西区", "county"),
        ("张家口/桥西区", "张家口市/桥西区", "county"),
        ("安阳", "安阳市", "prefecture"),
        ("北京", "北京市", "province"),
    ],
)
def test_written_forms_resolve(written, key, precision):
    r = G.resolve(written)
    assert (r.unit.key, r.precision) == (key, precision)


def test_prefecture_hint_disambiguates():
    assert G.resolve("桥西区", within={"张家口市"}).unit.key == "张家口市/桥西区"


def test_unknown_name_is_named():
    with pytest.raises(UnknownPlace, match="'火星县'"):
        G.resolve("火星县")


def test_ambiguous_name_lists_candidates():
    with pytest.raises(AmbiguousPlace) as e:
        G.resolve("新华区")
    assert {"石家庄市/新华区", "沧州市/新华区", "平顶山市/新华区"} == {u.key for u in e.value.candidates}
    assert "石家庄市/新华区" in str(e.value)


def test_every_alias_has_a_note_and_resolves():
    import yaml

    from geodata.gazetteer import GEODATA

    aliases = yaml.safe_load((GEODATA / "aliases.yaml").read_text(encoding="utf-8"))["aliases"]
    assert len({a["name"] for a in aliases}) == len(aliases)
    for a in aliases:
        assert a["note"] and G.resolve(a["name"]).unit


def test_alias_with_stray_key_is_refused():
    from geodata.gazetteer import Gazetteer

    with pytest.raises(ValueError, match="quote notes with commas"):
        Gazetteer(G.units, [{"name": "x", "to": "唐山", "precision": "town", "note": "a", "b": None}])
