"""Load and validate the plan records (geodata/records/*.yaml).

`load_dataset()` returns a `Dataset`: the plans, the industry vocabulary, the
validated records (placed through the gazetteer) and the province/industry
targets. Any rule broken raises `DataErrors`, whose message lists every
problem as `file: record id: field: what is wrong`.

The rules (see ../shared/guide/data.md and geodata/RECORDS.md): quotes are
verbatim in the plan text, places resolve to exactly one boundary, industry
codes are in the vocabulary, periods and targets parse, ids are unique, and no
two records of one plan say the same thing about the same place.
Lineages (geodata/lineage.yaml) link the records that are one element in
different plans; each record carries its `lineage` id, or "".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from geodata.gazetteer import Gazetteer, PlaceError, default_gazetteer
from geodata.kinds import AREA_KINDS, KINDS, LINE_KINDS, POINT_KINDS  # noqa: F401  (re-exported for tests)

GEODATA = Path(__file__).resolve().parent
RECORDS_DIR = GEODATA / "records"
TEXTS_DIR = GEODATA / "plan_texts"
LINEAGE_FILE = GEODATA / "lineage.yaml"

PRECISIONS = ("county", "town", "prefecture", "province", "composed")
CJK_RE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
PERIOD_RE = re.compile(r"^(\d{4})-(\d{4})$")
KNOWN_FIELDS = {
    "id",
    "name",
    "name_en",
    "kind",
    "places",
    "places_as_written",
    "industry_terms",
    "industries",
    "revenue_targets",
    "quote",
    "more_quotes",
    "section",
    "plan_period",
    "horizon",
    "composition_source",
    "composition_reference",
    "precision",
    "note",
    "tags",
    "projects",
}
PROJECT_ENTRY_FIELDS = {"name", "name_en", "note"}
LINEAGE_FIELDS = {"id", "name", "name_en", "members", "note"}
REVENUE_TARGET_FIELDS = {"value_yi", "metric", "year", "quote", "scope", "group", "group_en"}
REVENUE_SCOPES = (
    "element",
    "tier",
)  # the element's own figure, or a floor the plan sets for a group it lists
TARGET_FIELDS = {
    "id",
    "scope",
    "subject",
    "province",
    "industries",
    "value_yi",
    "metric",
    "year",
    "quote",
    "note",
    "subject_en",
    "tags",
}


@dataclass(frozen=True)
class DataError:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


class DataErrors(ValueError):
    def __init__(self, errors: list[DataError]):
        self.errors = errors
        lines = "\n".join(f"  {e}" for e in errors[:200])
        more = f"\n  ... and {len(errors) - 200} more" if len(errors) > 200 else ""
        super().__init__(f"{len(errors)} problem(s) in the plan data:\n{lines}{more}")


@dataclass
class Dataset:
    plans: dict[str, dict]  # by number "000"
    industries: list[dict]  # the vocabulary, in file order
    records: list[dict]  # validated, with derived fields
    targets: list[dict]
    plan_texts: dict[str, str] = field(repr=False, default_factory=dict)  # by plan number
    lineages: dict[str, dict] = field(default_factory=dict)  # lineage id -> entry with members


def parse_period(text: str) -> tuple[int, int]:
    m = PERIOD_RE.match(str(text))
    if not m or int(m.group(1)) > int(m.group(2)):
        raise ValueError(f"period '{text}' is not YYYY-YYYY")
    return int(m.group(1)), int(m.group(2))


def load_plans() -> dict[str, dict]:
    with open(GEODATA / "plans.yaml", encoding="utf-8") as fh:
        plans = {p["number"]: p for p in yaml.safe_load(fh)["plans"]}
    for p in plans.values():
        p["period_years"] = parse_period(p["period"])
    return plans


def load_industries(
    path: Path = GEODATA / "industries.yaml", sectors_path: Path = GEODATA / "sectors.yaml"
) -> list[dict]:
    """The industry vocabulary; refuses an industry whose `sector` is missing or not in sectors.yaml,
    because the map colours points by sector and an unsectored industry would silently go grey."""
    with open(path, encoding="utf-8") as fh:
        industries = yaml.safe_load(fh)["industries"]
    with open(sectors_path, encoding="utf-8") as fh:
        sectors = {s["code"] for s in yaml.safe_load(fh)["sectors"]}
    errors = [
        DataError(
            path.name,
            i.get("code", "?"),
            "sector",
            f"unknown sector {i['sector']!r} (known: {', '.join(sorted(sectors))})"
            if i.get("sector")
            else "missing: every industry needs a sector from sectors.yaml",
        )
        for i in industries
        if i.get("sector") not in sectors
    ]
    if errors:
        raise DataErrors(errors)
    return industries


def _number(value, *, positive: bool = True) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if (value > 0 or not positive) else None


class _Checker:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, file: str, text: str, plan: dict, codes: set[str], gaz: Gazetteer):
        self.file, self.text, self.plan, self.codes, self.gaz = file, text, plan, codes, gaz
        self.errors: list[DataError] = []

    def err(self, rid: str, fld: str, msg: str) -> None:
        self.errors.append(DataError(self.file, rid, fld, msg))

    def verbatim(self, rid: str, fld: str, quote) -> None:
        if not isinstance(quote, str) or not quote.strip():
            self.err(rid, fld, "missing or empty quote")
        elif quote not in self.text:
            self.err(rid, fld, f"quote not found verbatim in {self.plan['file']}: '{quote[:60]}'")

    def year(self, rid: str, fld: str, year) -> None:
        if year is not None and not (
            isinstance(year, int) and not isinstance(year, bool) and 2000 <= year <= 2035
        ):
            self.err(rid, fld, f"not a year: {year!r}")

    def industries(self, rid: str, codes) -> list[str]:
        if not isinstance(codes, list):
            self.err(rid, "industries", "must be a list of industry codes")
            return []
        for c in codes:
            if c not in self.codes:
                self.err(rid, "industries", f"unknown industry '{c}'")
        return [c for c in codes if c in self.codes]

    def revenue_targets(self, rid: str, targets) -> list[dict]:
        out = []
        if not isinstance(targets, list):
            self.err(rid, "revenue_targets", "must be a list")
            return out
        for i, t in enumerate(targets):
            fld = f"revenue_targets[{i}]"
            if not isinstance(t, dict):
                self.err(rid, fld, "must be a mapping")
                continue
            value = _number(t.get("value_yi"))
            if value is None:
                self.err(rid, f"{fld}.value_yi", f"not a positive number of 亿元: {t.get('value_yi')!r}")
            year = t.get("year")
            self.year(rid, f"{fld}.year", year)
            if not t.get("metric"):
                self.err(rid, f"{fld}.metric", "missing (主营业务收入, 销售收入, 产值 ...)")
            self.verbatim(rid, f"{fld}.quote", t.get("quote"))
            for extra in sorted(set(t) - REVENUE_TARGET_FIELDS):
                self.err(rid, f"{fld}.{extra}", "unknown field (see geodata/RECORDS.md)")
            scope, group, group_en = t.get("scope", "element"), t.get("group"), t.get("group_en")
            self.revenue_scope(rid, fld, scope, group, group_en)
            out.append(
                {
                    "value_yi": value,
                    "metric": t.get("metric"),
                    "year": year,
                    "quote": t.get("quote"),
                    "scope": scope,
                    "group": group or "",
                    "group_en": group_en or "",
                }
            )
        return out

    def projects(self, rid: str, entries, quotes: list[str]) -> list[dict]:
        """A host record's named projects/companies that have no place of their own (the Projects
        rule in RECORDS.md): each name must be written in the host's own quotes, so a search for it
        lands on the passage that names it."""
        if entries is None:
            return []
        if not isinstance(entries, list):
            self.err(rid, "projects", "must be a list of {name, note}")
            return []
        out = []
        for i, e in enumerate(entries):
            fld = f"projects[{i}]"
            if not isinstance(e, dict):
                self.err(rid, fld, "must be a mapping with a name")
                continue
            for extra in sorted(set(e) - PROJECT_ENTRY_FIELDS):
                self.err(rid, f"{fld}.{extra}", "unknown field (name, name_en, note)")
            name = e.get("name")
            if not isinstance(name, str) or not name.strip():
                self.err(rid, f"{fld}.name", "missing or empty")
                continue
            if not any(isinstance(q, str) and name in q for q in quotes):
                self.err(rid, f"{fld}.name", f"'{name}' is not written in the record's quote or more_quotes")
            if e.get("name_en") is not None and (
                not isinstance(e["name_en"], str) or CJK_RE.search(e["name_en"])
            ):
                self.err(rid, f"{fld}.name_en", "must be English text without Chinese characters")
            out.append({"name": name, "name_en": e.get("name_en") or "", "note": e.get("note") or ""})
        return out

    def revenue_scope(self, rid: str, fld: str, scope, group, group_en) -> None:
        """A tier target names its group in both languages; an element target has no group."""
        if scope not in REVENUE_SCOPES:
            self.err(rid, f"{fld}.scope", f"must be 'element' or 'tier', not {scope!r}")
        elif scope == "tier":
            if not isinstance(group, str) or not CJK_RE.search(group):
                self.err(
                    rid, f"{fld}.group", "a tier target needs group: the group it is set for, in Chinese"
                )
            if not isinstance(group_en, str) or not group_en.strip() or CJK_RE.search(group_en):
                self.err(rid, f"{fld}.group_en", "a tier target needs group_en: the group in English")
        elif group or group_en:
            self.err(rid, f"{fld}.group", "only a tier target names a group (set scope: tier)")

    def places(self, rid: str, places) -> list:
        if not isinstance(places, list) or not places:
            self.err(rid, "places", "must be a non-empty list")
            return []
        written = [str(p) for p in places]
        # prefectures named in the same record disambiguate county names
        hint = set()
        for w in written:
            try:
                r = self.gaz.resolve(w)
                if r.unit.level == "prefecture":
                    hint.add(r.unit.name)
            except PlaceError:
                pass
        out = []
        for w in written:
            try:
                out.append(self.gaz.resolve(w, within=hint or None))
            except PlaceError as e:
                self.err(rid, "places", str(e))
        return out

    def record(self, rec) -> dict | None:
        if not isinstance(rec, dict):
            self.err("?", "record", "each record must be a mapping")
            return None
        rid = str(rec.get("id") or "?")
        if not ID_RE.match(rid):
            self.err(rid, "id", "must be lowercase ascii words joined by '-'")
        elif not rid.startswith(self.plan["id_prefix"] + "-"):
            self.err(rid, "id", f"must start with '{self.plan['id_prefix']}-'")
        for extra in sorted(set(rec) - KNOWN_FIELDS):
            self.err(rid, extra, "unknown field (see geodata/RECORDS.md)")
        if not rec.get("name"):
            self.err(rid, "name", "missing")
        name_en = rec.get("name_en")
        if not isinstance(name_en, str) or not name_en.strip():
            self.err(
                rid, "name_en", "missing: every element needs an English name (translation, pinyin for names)"
            )
        elif CJK_RE.search(name_en):
            self.err(rid, "name_en", f"has Chinese characters: '{name_en[:40]}'")
        kind = rec.get("kind")
        if kind not in KINDS:
            self.err(rid, "kind", f"unknown kind '{kind}'; known: {', '.join(KINDS)}")
        self.verbatim(rid, "quote", rec.get("quote"))
        for i, q in enumerate(rec.get("more_quotes") or []):
            self.verbatim(rid, f"more_quotes[{i}]", q)
        codes = self.industries(rid, rec.get("industries", []))
        projects = self.projects(
            rid, rec.get("projects"), [rec.get("quote")] + list(rec.get("more_quotes") or [])
        )
        targets = self.revenue_targets(rid, rec.get("revenue_targets") or [])
        resolved = self.places(rid, rec.get("places"))
        period = str(rec.get("plan_period") or self.plan["period"])
        try:
            parse_period(period)
        except ValueError as e:
            self.err(rid, "plan_period", str(e))
        horizon = rec.get("horizon")
        self.year(rid, "horizon", horizon)
        source = rec.get("composition_source")
        if kind in AREA_KINDS + LINE_KINDS:
            if source not in ("text", "outside"):
                self.err(
                    rid,
                    "composition_source",
                    "must be 'text' or 'outside' for a belt, zone, group, axis or corridor",
                )
            if source == "outside" and not rec.get("composition_reference"):
                self.err(
                    rid, "composition_reference", "an 'outside' composition must name what it was taken from"
                )
        precision = rec.get("precision") or derive_precision(kind, resolved)
        if precision not in PRECISIONS:
            self.err(rid, "precision", f"unknown precision '{precision}'; known: {', '.join(PRECISIONS)}")
        return {
            **{
                k: rec.get(k)
                for k in (
                    "id",
                    "name",
                    "name_en",
                    "kind",
                    "quote",
                    "section",
                    "note",
                    "composition_reference",
                )
            },
            "name_en": rec.get("name_en") or "",
            "plan": self.plan["file"],
            "plan_number": self.plan["number"],
            "plan_period": period,
            "horizon": horizon,
            "province": _province_of(resolved, self.plan["province"]),
            "places": [str(p) for p in rec.get("places") or []],
            "places_as_written": list(rec.get("places_as_written") or []),
            "units": [r.unit for r in resolved],
            "prefectures": _unique(r.unit.prefecture for r in resolved if r.unit.prefecture),
            "counties": _unique(r.unit.name for r in resolved if r.unit.level == "county"),
            "industries": codes,
            "industry_terms": list(rec.get("industry_terms") or []),
            "revenue_targets": targets,
            "more_quotes": list(rec.get("more_quotes") or []),
            "composition_source": source or "text",
            "precision": precision,
            "tags": list(rec.get("tags") or []),
            "projects": projects,
        }

    def target(self, t) -> dict | None:
        if not isinstance(t, dict):
            self.err("?", "targets", "each target must be a mapping")
            return None
        tid = str(t.get("id") or "?")
        if not ID_RE.match(tid):
            self.err(tid, "id", "must be lowercase ascii words joined by '-'")
        elif not tid.startswith(self.plan["id_prefix"] + "-"):
            self.err(tid, "id", f"must start with '{self.plan['id_prefix']}-'")
        for extra in sorted(set(t) - TARGET_FIELDS):
            self.err(tid, extra, "unknown field")
        if t.get("scope") not in ("province", "industry"):
            self.err(tid, "scope", "must be 'province' or 'industry'")
        if _number(t.get("value_yi")) is None:
            self.err(tid, "value_yi", f"not a positive number of 亿元: {t.get('value_yi')!r}")
        self.year(tid, "year", t.get("year"))
        self.verbatim(tid, "quote", t.get("quote"))
        codes = self.industries(tid, t.get("industries", []))
        return {
            **{
                k: t.get(k)
                for k in ("id", "scope", "subject", "subject_en", "metric", "year", "quote", "note")
            },
            "value_yi": _number(t.get("value_yi")),
            "industries": codes,
            "tags": list(t.get("tags") or []),
            "province": t.get("province") or self.plan["province"],
            "plan": self.plan["file"],
            "plan_number": self.plan["number"],
            "plan_period": self.plan["period"],
        }


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _province_of(resolved, default: str) -> str:
    provinces = _unique(r.unit.province for r in resolved if r.unit.province in ("河北省", "河南省"))
    return provinces[0] if len(provinces) == 1 else default


def derive_precision(kind: str | None, resolved) -> str:
    if kind in AREA_KINDS + LINE_KINDS and len(resolved) != 1:
        return "composed"
    precisions = [r.precision for r in resolved]
    for p in ("town", "county", "prefecture", "province"):
        if p in precisions:
            return p
    return "province"


def check_file(
    path: Path, plans: dict, codes: set[str], gaz: Gazetteer
) -> tuple[list, list, list[DataError]]:
    """Validate one records file. Returns (records, targets, errors)."""
    fname = path.name
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
    except yaml.YAMLError as e:
        return [], [], [DataError(fname, "-", "yaml", str(e).replace("\n", " "))]
    plan = plans.get(path.stem)
    if plan is None or doc.get("plan") != plan["file"]:
        return (
            [],
            [],
            [
                DataError(
                    fname,
                    "-",
                    "plan",
                    f"file name and 'plan:' must name a plan in geodata/plans.yaml (got {doc.get('plan')!r})",
                )
            ],
        )
    text = (TEXTS_DIR / plan["file"]).read_text(encoding="utf-8")
    chk = _Checker(fname, text, plan, codes, gaz)
    records = [r for r in (chk.record(r) for r in doc.get("records") or []) if r]
    targets = [t for t in (chk.target(t) for t in doc.get("targets") or []) if t]
    pairs: dict[str, list[str]] = {}
    for t in targets:  # one target stated with two figures: a `pair-…` tag on exactly both
        for tag in t["tags"]:
            if str(tag).startswith("pair-"):
                pairs.setdefault(tag, []).append(t["id"])
    for tag, ids in pairs.items():
        if len(ids) != 2:
            chk.err(
                ids[0], "tags", f"'{tag}' must mark exactly two targets (the two figures), not {len(ids)}"
            )
    seen: dict[tuple, str] = {}
    for r in records:  # the same element twice in one plan
        key = (r["name"], r["kind"], tuple(sorted(u.key for u in r["units"])))
        if key in seen:
            chk.err(r["id"], "name", f"duplicates {seen[key]} (same name, kind and places)")
        seen.setdefault(key, r["id"])
    return records, targets, chk.errors


def _read_lineage_file(path: Path) -> tuple[list, list[DataError]]:
    fname = path.name
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
    except OSError as e:
        return [], [DataError(fname, "-", "file", f"cannot read: {e.strerror or e}")]
    except yaml.YAMLError as e:
        return [], [DataError(fname, "-", "yaml", str(e).replace("\n", " "))]
    entries = doc.get("lineages") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return [], [DataError(fname, "-", "lineages", "the file must hold a list under 'lineages:'")]
    return entries, []


def check_lineages(path: Path, records: list[dict]) -> tuple[dict[str, dict], list[DataError]]:
    """Validate the lineage file against the loaded records. Returns (lineages by id, errors).

    A lineage is one element seen in several plans, so it needs two members or more,
    at most one per plan, all in one province, and no record may belong to two.
    """
    fname = path.name
    entries, errors = _read_lineage_file(path)
    by_id = {r["id"]: r for r in records}
    owner: dict[str, str] = {}  # record id -> lineage id
    lineages: dict[str, dict] = {}

    def err(lid: str, fld: str, msg: str) -> None:
        errors.append(DataError(fname, lid, fld, msg))

    for entry in entries:
        if not isinstance(entry, dict):
            err("?", "lineage", "each lineage must be a mapping")
            continue
        lid = str(entry.get("id") or "?")
        if not ID_RE.match(lid):
            err(lid, "id", "must be lowercase ascii words joined by '-'")
        elif lid in lineages:
            err(lid, "id", "lineage id used twice")
        for extra in sorted(set(entry) - LINEAGE_FIELDS):
            err(lid, extra, "unknown field (see geodata/RECORDS.md, Lineage)")
        if not entry.get("name"):
            err(lid, "name", "missing")
        members = entry.get("members")
        if not isinstance(members, list) or len(members) < 2:
            err(lid, "members", "must list at least two record ids")
            members = members if isinstance(members, list) else []
        plans_seen: dict[str, str] = {}
        for m in members:
            m = str(m)
            rec = by_id.get(m)
            if rec is None:
                err(lid, "members", f"unknown record '{m}'")
                continue
            if m in owner:
                err(lid, "members", f"'{m}' is already in lineage {owner[m]}")
            owner.setdefault(m, lid)
            if rec["plan_number"] in plans_seen:
                err(
                    lid,
                    "members",
                    f"two records of plan {rec['plan_number']}: {plans_seen[rec['plan_number']]} and {m}",
                )
            plans_seen.setdefault(rec["plan_number"], m)
        provinces = _unique(by_id[str(m)]["province"] for m in members if str(m) in by_id)
        if len(provinces) > 1:
            err(lid, "members", f"members lie in different provinces: {', '.join(provinces)}")
        lineages.setdefault(
            lid,
            {
                "id": lid,
                "name": entry.get("name"),
                "name_en": entry.get("name_en") or "",
                "members": [str(m) for m in members],
                "note": entry.get("note") or "",
            },
        )
    return lineages, errors


def load_dataset(
    records_dir: Path = RECORDS_DIR, gaz: Gazetteer | None = None, lineage_path: Path | None = None
) -> Dataset:
    """Load and validate everything. `lineage_path` defaults to geodata/lineage.yaml for the
    project's own records; other record directories (test fixtures) get no lineages unless given one."""
    plans = load_plans()
    industries = load_industries()
    codes = {i["code"] for i in industries}
    gaz = gaz or default_gazetteer()
    records, targets, errors = [], [], []
    for path in sorted(records_dir.glob("*.yaml")):
        r, t, e = check_file(path, plans, codes, gaz)
        records += r
        targets += t
        errors += e
    ids: dict[str, str] = {}
    for item in [*records, *targets]:
        if item["id"] in ids:
            errors.append(
                DataError(
                    item["plan_number"] + ".yaml",
                    item["id"],
                    "id",
                    f"id used twice (also in {ids[item['id']]})",
                )
            )
        ids.setdefault(item["id"], item["plan_number"] + ".yaml")
    if lineage_path is None and Path(records_dir).resolve() == RECORDS_DIR:
        lineage_path = LINEAGE_FILE
    lineages: dict[str, dict] = {}
    if lineage_path is not None:
        lineages, lineage_errors = check_lineages(Path(lineage_path), records)
        errors += lineage_errors
    if errors:
        raise DataErrors(errors)
    lineage_of = {m: lid for lid, entry in lineages.items() for m in entry["members"]}
    for r in records:
        r["lineage"] = lineage_of.get(r["id"], "")
    texts = {n: (TEXTS_DIR / p["file"]).read_text(encoding="utf-8") for n, p in plans.items()}
    return Dataset(plans, industries, records, targets, texts, lineages)


@lru_cache(maxsize=1)
def default_dataset() -> Dataset:
    return load_dataset()
