"""The project rule (issue 16, geodata/RECORDS.md "Projects"): a named project or company whose
place the plan writes gets its own `project` record there, and the quote shows that place; one
placed by outside knowledge says so and names its reference; one without a place of its own is a
searchable `projects` entry on the host record whose quote names it."""

from collections import Counter
from functools import cache

import pytest
import yaml

from geodata.gazetteer import GEODATA, PlaceError, default_gazetteer
from geodata.names import short_name
from geodata.records import RECORDS_DIR, default_dataset, load_dataset

DATA = default_dataset()
GAZ = default_gazetteer()
PROJECTS = [r for r in DATA.records if r["kind"] == "project"]

# Project records per plan before issue 16 (counted on the data as merged before this branch).
BEFORE = {"000": 37, "001": 0, "002": 21, "003": 24, "004": 42}


@cache
def _aliases_by_unit() -> dict:
    with open(GEODATA / "aliases.yaml", encoding="utf-8") as fh:
        aliases = yaml.safe_load(fh)["aliases"]
    out: dict = {}
    for a in aliases:
        out.setdefault(GAZ.resolve(a["name"]).unit.key, set()).add(a["name"])
    return out


def _resolves_to(written: str, unit) -> bool:
    try:
        return GAZ.resolve(written, within={unit.prefecture} if unit.prefecture else None).unit == unit
    except PlaceError:
        return False


def place_forms(rec: dict, written: str, unit) -> set[str]:
    """The ways a plan may write this place: as in `places`, the unit's full or short name, an alias
    of the unit, or a `places_as_written` spelling that the gazetteer resolves to the same unit or
    that begins the unit's name. A company's abbreviation (唐钢, 宣钢) is none of these."""
    forms = {written.split("/")[-1], unit.name, short_name(unit.name)}
    forms |= _aliases_by_unit().get(unit.key, set())
    forms |= {
        w
        for w in rec["places_as_written"]
        if _resolves_to(w, unit) or (len(w) >= 2 and unit.name.startswith(w))
    }  # 峰峰 for 峰峰矿区
    return forms


def place_in_quote(rec: dict) -> list[str]:
    """The places of a record that its quote does not show (empty when all are shown)."""
    return [
        w
        for w, u in zip(rec["places"], rec["units"])
        if not any(f in rec["quote"] for f in place_forms(rec, w, u))
    ]


def is_outside(rec: dict) -> bool:
    return rec["composition_source"] == "outside" and bool((rec.get("composition_reference") or "").strip())


# ---------------------------------------------------------------- the rule on the data


def test_every_project_record_shows_its_place_or_names_its_outside_reference():
    bad = [
        f"{r['id']}: {', '.join(place_in_quote(r))} not in '{r['quote'][:40]}'"
        for r in PROJECTS
        if place_in_quote(r) and not is_outside(r)
    ]
    assert not bad, "\n".join(bad)


def test_place_check_is_not_fooled_by_a_company_abbreviation():
    # 唐钢 is 唐山钢铁 by outside knowledge: the quote does not write 唐山, so the record must say so
    rec = next(r for r in PROJECTS if r["id"] == "hb12-tanggang-plate-upgrade")
    assert place_in_quote(rec) == ["唐山市"] and is_outside(rec)
    fake = {**rec, "places_as_written": ["唐钢"], "composition_source": "text"}
    assert place_in_quote(fake) == ["唐山市"] and not is_outside(fake)


def test_projects_entries_are_written_in_their_hosts_quotes():
    entries = [(r, e) for r in DATA.records for e in r["projects"]]
    assert len(entries) >= 20
    for r, e in entries:
        assert any(e["name"] in q for q in [r["quote"]] + r["more_quotes"]), (r["id"], e["name"])


def test_loader_refuses_a_projects_entry_its_host_does_not_name(tmp_path):
    src = (RECORDS_DIR / "001.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(src)
    doc["records"][0]["projects"] = [{"name": "不存在的公司"}, {"note": "no name"}]
    (tmp_path / "001.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError) as e:
        load_dataset(tmp_path)
    msg = str(e.value)
    assert "projects[0].name" in msg and "不存在的公司" in msg and "projects[1].name" in msg


# The issue's named examples: each must now be findable, as a record or as an entry on its host.
ISSUE_EXAMPLES = {
    "000": ["中冶京唐公司大型多向模锻件", "廊坊中华", "秦皇岛金程"],
    "002": ["东旭", "诚志永华", "同方国芯", "十三所", "御捷", "北汽集团（华北）微车产业基地"],
    "004": ["郑州日产80000辆纯电动商用车", "郑州海马60000辆纯电动车", "鹤壁地恩地"],
}


def where_is(plan: str, name: str) -> list[str]:
    recs = [r for r in DATA.records if r["plan_number"] == plan]
    # by name, not by quote: a neighbour's quote often holds the whole list (御捷 sits in 比亚迪承德基地's)
    as_record = [f"record {r['id']}" for r in recs if r["kind"] == "project" and name in r["name"]]
    as_entry = [f"entry on {r['id']}" for r in recs for e in r["projects"] if name in e["name"]]
    return as_record + as_entry


@pytest.mark.parametrize("plan,name", [(p, n) for p, names in ISSUE_EXAMPLES.items() for n in names])
def test_issue_examples_are_placed(plan, name):
    assert where_is(plan, name), f"{plan}: {name} is neither a project record nor a projects entry"


def test_counts_per_plan(capsys):
    after = Counter(r["plan_number"] for r in PROJECTS)
    entries = Counter(r["plan_number"] for r in DATA.records for _ in r["projects"])
    outside = Counter(r["plan_number"] for r in PROJECTS if is_outside(r))
    rows = [f"{'plan':<6}{'before':>8}{'after':>8}{'outside':>9}{'entries':>9}"]
    rows += [f"{p:<6}{BEFORE[p]:>8}{after[p]:>8}{outside[p]:>9}{entries[p]:>9}" for p in sorted(BEFORE)]
    with capsys.disabled():
        print("\nproject records per plan (issue 16):\n" + "\n".join(rows))
    assert all(after[p] >= BEFORE[p] for p in BEFORE)
    assert sum(after.values()) > sum(BEFORE.values())
