"""Adding a filter is one FilterSpec: the URL parser, the CLI, the filter panel, reset and the caption
pick it up with no other change."""

import sys

import pytest

from layers import filters
from layers.filters import Control, FilterSpec


def _parse_horizon(values, vocab, notice):
    for v in values:
        if v in ("2017", "2020", "2025"):
            return int(v)
        notice("unknown_value", what=("目标年", "Horizon"), value=v, known="2017, 2020, 2025")
    return None


HORIZON = FilterSpec(
    "horizon",
    ("目标年", "Milestone year"),
    "a milestone year of plan 001 (2017, 2020, 2025)",
    None,
    _parse_horizon,
    lambda v: str(v) if v else "",
    lambda el, v: (el["horizon"] == v).to_numpy(),
    lambda v, vocab, lang: f"{'Milestone' if lang == 'en' else '目标年'}: {v}",
    Control("single", lambda vocab, lang: [{"label": y, "value": y} for y in ("", "2017", "2020", "2025")]),
)


@pytest.fixture
def with_horizon(monkeypatch):
    """SPECS plus a throw-away spec, in every module that holds the tuple."""
    original = filters.SPECS
    extended = original + (HORIZON,)
    for module in list(sys.modules.values()):
        if getattr(module, "SPECS", None) is original:
            monkeypatch.setattr(module, "SPECS", extended)
    return HORIZON


def test_url_parser_knows_the_new_filter(store, with_horizon):
    f, page, notices = filters.parse_query("?horizon=2020&province=hebei", store.vocab)
    assert notices == [] and f.horizon == 2020 and f.province == ("河北省",)
    assert filters.to_query(f) == "?province=hebei&horizon=2020"
    shown = store.elements[filters.filter_mask(store.elements, f)]
    assert len(shown) and (shown["horizon"] == 2020).all()
    assert filters.describe(f, store.vocab, "en")[-1] == "Milestone: 2020"
    _, _, bad = filters.parse_query("?horizon=1999", store.vocab)
    assert [n.text("en") for n in bad] == ["unknown horizon '1999'; known: 2017, 2020, 2025"]


def test_cli_has_the_new_option(store, with_horizon, tmp_path, capsys):
    import app

    out = tmp_path / "h.csv"
    assert app.main(["export-data", "--out", str(out), "--horizon", "2020"]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    expected = int((store.elements["horizon"] == 2020).sum())
    assert expected and len(rows) >= expected  # quoted passages may span lines: at least one line each
    assert f"{expected} elements" in capsys.readouterr().out
    assert app.main(["export-data", "--out", str(tmp_path / "x.csv"), "--horizon", "1999"]) == 2
    assert "unknown horizon '1999'" in capsys.readouterr().err


def test_filter_panel_reset_and_callbacks_have_the_new_control(store, with_horizon):
    from callbacks import page
    from callbacks.layout import filter_panel
    from layers.page_state import parse_page

    state, _ = parse_page("?horizon=2017", store)
    panel = filter_panel(store, "en", state)
    control = _find(panel, "f-horizon")
    assert control is not None and control.value == "2017"
    label = _find(panel, "f-horizon-label")
    assert label.children == "Milestone year" and label.htmlFor == "f-horizon"
    assert page.reset_filters(1)["controls"]["horizon"] == ""

    import app

    dash_app = app.create_app()
    sync = next(
        cb
        for cb in dash_app.callback_map.values()
        if any(i["id"] == "f-industry" for i in cb["inputs"])
        and any(i["id"] == "f-horizon" for i in cb["inputs"])
    )
    assert sync


def test_every_spec_round_trips_its_own_value(store):
    """Each real spec: a value set through the URL comes back from the canonical link unchanged."""
    samples = {
        "q": "曹妃甸",
        "industry": "steel,petrochem",
        "period": "2011-2015",
        "year": "2017",
        "plan": "000",
        "min_revenue": "500",
        "no_target": "hide",
        "province": "hebei",
        "kind": "base",
        "tiers": "exclude",
        "prefecture": "唐山市",
    }
    assert set(samples) == set(filters.filter_keys())  # a new spec must add its sample here
    for key, raw in samples.items():
        f, notices = filters.parse_filters({key: raw}, store.vocab)
        assert notices == [] and f != filters.Filters(), key
        assert filters.parse_query(filters.to_query(f), store.vocab)[0] == f, key
        if not any(key in s.sees for s in filters.SPECS):  # a spec that only changes how another judges
            assert filters.filter_mask(store.elements, f).sum() < len(store.elements), key
        zh, en = filters.describe(f, store.vocab, "zh"), filters.describe(f, store.vocab, "en")
        assert len(zh) == len(en) == 1 and zh[0] and en[0], key


def _find(component, cid):
    if getattr(component, "id", None) == cid:
        return component
    children = getattr(component, "children", None)
    for c in children if isinstance(children, list) else [children]:
        if hasattr(c, "to_plotly_json"):
            hit = _find(c, cid)
            if hit is not None:
                return hit
    return None


def test_prefecture_filter_reads_names_and_says_so(store):
    """A bar of the prefecture chart sets `prefecture=唐山市`: the elements placed there, a caption, and a
    notice for junk."""
    f, notices = filters.parse_filters({"prefecture": "唐山,Handan"}, store.vocab)
    assert notices == [] and f.prefecture == ("唐山市", "邯郸市")
    shown = store.elements[filters.filter_mask(store.elements, f)]
    assert len(shown) and all({"唐山市", "邯郸市"} & set(p) for p in shown["prefectures"])
    assert filters.describe(filters.Filters(prefecture=("唐山市",)), store.vocab, "zh") == ["地市: 唐山市"]
    assert filters.describe(filters.Filters(prefecture=("唐山市",)), store.vocab, "en") == [
        "Prefecture: Tangshan"
    ]
    _, bad = filters.parse_filters({"prefecture": "北京市"}, store.vocab)
    assert [n.code for n in bad] == ["unknown_value"] and "北京市" in bad[0].text("zh")
    assert len(filters.prefecture_table()) == 29
