"""The one filter vocabulary, shared by the page, the URL and the command line.

Each filter is one `FilterSpec` in `SPECS`: its URL key (also the CLI flag, the
control id `f-<key>` and the attribute of `Filters`), its labels in both
languages, how raw values parse (with notices), how the value is written back to
the URL, which elements it shows (mask), its caption phrase, and the control that
sets it. The URL parser, the CLI options, the filter panel, reset, saved views and
the export caption are all generated from `SPECS`: adding a filter is one entry.

| meaning        | key         | accepts                                                 |
|----------------|-------------|---------------------------------------------------------|
| industry       | industry    | code, Chinese or English label, or a plan term (精品钢铁) |
| plan period    | period      | 2011-2015 / 十二五 (a bare year is read as `year`)        |
| year           | year        | a year: the plans in force that year                    |
| plan document  | plan        | 000, 0, or the file name                                |
| revenue target | min_revenue | 亿元, a number >= 0                                      |
| tier targets   | tiers       | include / exclude: whether a group's tier floor meets the minimum |
| no target      | no_target   | show / hide                                             |
| province       | province    | hebei / henan / 河北 / 河北省                            |
| kind           | kind        | base, park ... or their Chinese / English labels        |
| prefecture     | prefecture  | 唐山市 / 唐山 / Tangshan: elements placed in it          |
| search         | q           | free text over names, places, industries                |
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from geodata.kinds import KIND_TABLE
from layers.i18n import KIND_LABELS, Notice, label

MAX_VALUE_LEN = 200  # longer values are refused with a notice (URL junk, attacks)
MAX_VALUES = 50
PERIOD_NAMES = {"十二五": "2011-2015", "十三五": "2016-2020", "中国制造2025": "2015-2025"}
PROVINCES = {
    "hebei": "河北省",
    "河北": "河北省",
    "河北省": "河北省",
    "冀": "河北省",
    "henan": "河南省",
    "河南": "河南省",
    "河南省": "河南省",
    "豫": "河南省",
}
PROVINCE_EN = {"河北省": "Hebei", "河南省": "Henan"}
REVENUE_TIERS = (100, 500, 1000)
MAX_REVENUE_YI = 1_000_000  # 100 万亿元: far above any target in the plans
YEAR_RE = re.compile(r"^\d{4}$")


class FilterError(ValueError):
    """A value the command line cannot accept (the page turns these into notices)."""

    def __init__(self, notice: Notice | str):
        self.notice = notice if isinstance(notice, Notice) else None
        super().__init__(str(notice))


# --- what the filters can name ------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    """What the filters can name: the industries, plans, periods and kinds."""

    industries: tuple[dict, ...]
    plans: tuple[dict, ...]
    periods: tuple[str, ...]
    kinds: tuple[str, ...] = tuple(k.code for k in KIND_TABLE)
    period_plans: tuple[
        tuple[str, tuple[str, ...]], ...
    ] = ()  # (period, plan numbers whose elements carry it)
    _industry_lookup: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls, industries, plans, periods, period_plans: Mapping[str, Iterable[str]] | None = None
    ) -> Vocabulary:
        lookup: dict[str, str] = {}
        # terms first so that codes and labels win where a word is both
        for ind in industries:
            for term in ind.get("terms", []):
                lookup.setdefault(term.lower(), ind["code"])
        for ind in industries:
            for name in (ind["code"], ind["zh"], ind["en"]):
                lookup[name.lower()] = ind["code"]
        pp = tuple((p, tuple(sorted(set((period_plans or {}).get(p, ()))))) for p in sorted(set(periods)))
        return cls(
            tuple(industries),
            tuple(plans),
            tuple(sorted(set(periods))),
            period_plans=pp,
            _industry_lookup=lookup,
        )

    @classmethod
    def from_dataset(cls, dataset) -> Vocabulary:
        periods = {p["period"] for p in dataset.plans.values()} | {r["plan_period"] for r in dataset.records}
        pairs = [(p["period"], p["number"]) for p in dataset.plans.values()]
        pairs += [(r["plan_period"], r["plan_number"]) for r in dataset.records]
        return cls.build(dataset.industries, dataset.plans.values(), periods, _group_pairs(pairs))

    @classmethod
    def load(cls) -> Vocabulary:
        """The vocabulary without loading boundaries or validating records: the CLI checks its
        arguments with it before the data loads (equal to the store's vocabulary, tested)."""
        import yaml

        from geodata.records import RECORDS_DIR, load_industries, load_plans

        plans = load_plans()
        periods = {p["period"] for p in plans.values()}
        pairs = [(p["period"], p["number"]) for p in plans.values()]
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for path in sorted(Path(RECORDS_DIR).glob("*.yaml")):
            try:
                doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
            except (OSError, yaml.YAMLError):
                continue  # the full load reports the broken file by name; the options are still checkable
            if not isinstance(doc, dict):
                continue
            own = {
                str(r["plan_period"])
                for r in doc.get("records") or []
                if isinstance(r, dict) and r.get("plan_period")
            }
            periods |= own
            pairs += [(p, path.stem) for p in own]
        return cls.build(load_industries(), plans.values(), periods, _group_pairs(pairs))

    def plans_of_period(self, period: str) -> tuple[str, ...]:
        """Numbers of the plans whose elements carry `period` (a record may carry another period than its plan)."""
        return dict(self.period_plans).get(period, ())

    def industry_code(self, value: str) -> str | None:
        return self._industry_lookup.get(value.strip().lower())

    def industry(self, code: str) -> dict:
        return next(i for i in self.industries if i["code"] == code)

    def plan(self, number: str) -> dict:
        return next(p for p in self.plans if p["number"] == number)

    def plan_number(self, value: str) -> str | None:
        v = value.strip()
        for p in self.plans:
            if v in (p["number"], p["file"], p["file"].rsplit(".", 1)[0]) or (
                v.isascii() and v.isdigit() and int(v) == int(p["number"])
            ):
                return p["number"]
        return None

    def kind_code(self, value: str) -> str | None:
        v = value.strip().lower()
        for code, (zh, en) in KIND_LABELS.items():
            if v in (code, zh, en.lower()):
                return code
        return None


def _group_pairs(pairs) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for period, number in pairs:
        out.setdefault(str(period), set()).add(str(number))
    return out


def in_period(year: int, period: str) -> bool:
    a, b = (int(x) for x in period.split("-"))
    return a <= year <= b


# --- one spec per filter --------------------------------------------------------
@dataclass(frozen=True)
class Control:
    """What the filter panel draws for a spec (callbacks/layout.py turns it into a Dash component).

    kind: search (text box) | multi (searchable multi-select) | single (dropdown) |
    checks (inline check boxes) | radio (inline radio buttons)."""

    kind: str
    options: Callable[[Vocabulary, str], list[dict]] | None = None
    placeholder: tuple[str, str] = ("", "")
    empty: Any = ""  # what the control holds when the filter is unset


@dataclass(frozen=True)
class FilterSpec:
    key: str  # URL key, CLI flag, control id f-<key>, Filters attribute
    label: tuple[str, str]  # zh, en: the control's label and the caption's noun
    cli_help: str
    default: Any
    parse: Callable[[list[str], Vocabulary, Callable], Any]  # raw values -> value; notices via the callable
    to_params: Callable[[Any], str]  # value -> canonical URL text ("" when default)
    mask: Callable[[pd.DataFrame, Any], np.ndarray]
    caption: Callable[[Any, Vocabulary, str], str]
    control: Control
    multi: bool = False  # several values (CLI repeatable, URL comma-joined)
    split: bool = True  # raw text splits at commas (search text does not)
    reads: tuple[str, ...] = ()  # other URL keys it also reads (legacy spellings) ...
    claims: Callable[[str], bool] | None = None  # ... taking only the values this says are its own
    sees: tuple[str, ...] = ()  # other filters whose values the mask is given (by keyword)

    @property
    def cli_flag(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def control_id(self) -> str:
        return "f-" + self.key.replace("_", "-")

    def control_value(self, value):
        """The value the page control shows for a filter value (its reset value for the default)."""
        if self.multi:
            return list(value)
        if value is None or value == "":
            return self.control.empty
        return str(value) if self.control.kind == "single" else value


def _lookup_all(values, lookup, key: str, known: str, notice) -> tuple:
    found = []
    for v in values:
        code = lookup(v)
        if code:
            found.append(code)
        else:
            notice("unknown_value", what=spec_for(key).label, value=v, known=known)
    return tuple(dict.fromkeys(found))


def _parse_industry(values, vocab, notice):
    return _lookup_all(
        values, vocab.industry_code, "industry", ", ".join(i["code"] for i in vocab.industries), notice
    )


def _parse_period(values, vocab, notice):
    out = []
    for v in values:
        v2 = PERIOD_NAMES.get(v, v).replace("–", "-").replace("—", "-")
        if v2 in vocab.periods:
            out.append(v2)
        elif YEAR_RE.match(v2):
            continue  # a bare year in `period` is the `year` filter's (older links): it reads it there
        else:
            notice("unknown_period", value=v, known=", ".join(vocab.periods))
    return tuple(dict.fromkeys(out))


def _parse_year(values, vocab, notice):
    for v in values:
        if YEAR_RE.match(v) and any(in_period(int(v), p) for p in vocab.periods):
            return int(v)
        if YEAR_RE.match(v):
            notice("unknown_year", value=v)
    return None


def _parse_min_revenue(values, vocab, notice):
    if not values:
        return None
    try:
        val = float(values[0])
        if not np.isfinite(val) or not 0 <= val <= MAX_REVENUE_YI:
            raise ValueError
    except ValueError:
        notice("bad_min_revenue", value=values[0])
        return None
    return val if val > 0 else None


def _parse_no_target(values, vocab, notice):
    if not values:
        return "show"
    v = values[0].lower()
    if v in ("show", "显示", "1", "true", "yes"):
        return "show"
    if v in ("hide", "隐藏", "0", "false", "no"):
        return "hide"
    notice("bad_no_target", value=values[0])
    return "show"


def _parse_province(values, vocab, notice):
    return _lookup_all(
        values, lambda v: PROVINCES.get(v.lower()), "province", "hebei, henan (河北, 河南)", notice
    )


def _parse_kind(values, vocab, notice):
    return _lookup_all(values, vocab.kind_code, "kind", ", ".join(vocab.kinds), notice)


def _parse_plan(values, vocab, notice):
    return _lookup_all(values, vocab.plan_number, "plan", ", ".join(p["number"] for p in vocab.plans), notice)


def _parse_q(values, vocab, notice):
    q = values[0].strip() if values else ""
    if len(q) > MAX_VALUE_LEN:
        notice("search_too_long", n=len(q), limit=MAX_VALUE_LEN)
        q = q[:MAX_VALUE_LEN].rstrip()  # a cut that ends in a space would not survive the link's own strip
    return q


def _isin(column: str):
    def mask(elements: pd.DataFrame, value) -> np.ndarray:
        return elements[column].isin(value).to_numpy()

    return mask


def _mask_industry(elements, value):
    wanted = set(value)
    return np.fromiter((bool(wanted.intersection(c)) for c in elements["industries"]), bool, len(elements))


def _mask_year(elements, year):
    return ((elements["period_start"] <= year) & (elements["period_end"] >= year)).to_numpy()


def _targets(elements) -> tuple[np.ndarray, np.ndarray]:
    """(element target, tier floor) per element, NaN where the plan states none."""
    return elements["revenue_yi"].to_numpy(dtype=float), elements["tier_yi"].to_numpy(dtype=float)


def _mask_min_revenue(elements, minimum, tiers="include"):
    # a minimum only judges elements that have a target (their own or a tier); the no-target choice
    # decides the rest. With tiers=exclude a tier floor cannot meet the minimum: an element whose only
    # target is a tier then fails it, like an element whose own target is too small.
    own, tier = _targets(elements)
    none = np.isnan(own) & np.isnan(tier)
    counted = own if tiers == "exclude" else np.fmax(own, tier)
    return none | (np.nan_to_num(counted) >= minimum)


def _mask_no_target(elements, choice):
    # a tier floor is a stated target (for the group the element is listed in)
    if choice == "hide":
        own, tier = _targets(elements)
        return ~(np.isnan(own) & np.isnan(tier))
    return np.ones(len(elements), dtype=bool)


def _mask_tiers(elements, choice):
    # the choice changes how `min_revenue` judges (it sees this value); alone it hides nothing
    return np.ones(len(elements), dtype=bool)


def _parse_tiers(values, vocab, notice):
    if not values:
        return "include"
    v = values[0].lower()
    if v in ("include", "计入", "1", "true", "yes"):
        return "include"
    if v in ("exclude", "不计入", "0", "false", "no"):
        return "exclude"
    notice("bad_tiers", value=values[0])
    return "include"


def _opts_tiers(vocab, lang):
    return [
        {"label": "include" if lang == "en" else "计入", "value": "include"},
        {"label": "exclude" if lang == "en" else "不计入", "value": "exclude"},
    ]


@lru_cache(maxsize=1)
def prefecture_table() -> tuple[tuple[str, str, str], ...]:
    """(name, short name, pinyin) of the 29 prefectures, from the boundary file (no store needed: the CLI checks
    its options before the data loads)."""
    from geodata.gazetteer import BOUNDARIES, _read_properties

    props = sorted(
        _read_properties(BOUNDARIES / "prefectures.geojson"), key=lambda r: (r["province"], r["adcode"])
    )
    return tuple((r["name"], r["name_short"], r["name_en"]) for r in props)


def _prefecture_name(value: str) -> str | None:
    v = value.strip().lower()
    for name, short, en in prefecture_table():
        if v in (name, short, en.lower()):
            return name
    return None


def _parse_prefecture(values, vocab, notice):
    return _lookup_all(
        values, _prefecture_name, "prefecture", "、".join(n for n, _, _ in prefecture_table()), notice
    )


def _mask_prefecture(elements, value):
    wanted = set(value)
    return np.fromiter((bool(wanted.intersection(p)) for p in elements["prefectures"]), bool, len(elements))


def _opts_prefecture(vocab, lang):
    # in English the label is English; typing the Chinese name still finds it (`search`)
    return [
        {"label": en, "value": name, "search": f"{en} {name}"}
        if lang == "en"
        else {"label": name, "value": name}
        for name, _, en in prefecture_table()
    ]


def _mask_q(elements, q):
    from layers.search import search_mask  # every word must match a name, place, industry or passage

    return search_mask(elements, q)


def _noun(spec_label, lang):
    return spec_label[1] if lang == "en" else spec_label[0]


def _join(items, lang):
    return ", ".join(items) if lang == "en" else "、".join(items)


def _phrase(key):
    """'<noun>: <values>' for a multi-valued filter, through `name_of(value, vocab, lang)`."""

    def caption(value, vocab, lang, *, _key=key):
        spec = spec_for(_key)
        return f"{_noun(spec.label, lang)}: {_join([spec_names[_key](v, vocab, lang) for v in value], lang)}"

    return caption


spec_names: dict[str, Callable] = {
    "industry": lambda c, vocab, lang: vocab.industry(c)["en" if lang == "en" else "zh"],
    "period": lambda p, vocab, lang: p,
    "plan": lambda n, vocab, lang: vocab.plan(n)["short_en" if lang == "en" else "short"],
    "province": lambda p, vocab, lang: PROVINCE_EN[p] if lang == "en" else p,
    "kind": lambda k, vocab, lang: label(KIND_LABELS, k, lang),
    "prefecture": lambda p, vocab, lang: (
        next((en for n, _, en in prefecture_table() if n == p), p) if lang == "en" else p
    ),
}


def _opts_industry(vocab, lang):
    # the Chinese page keeps the English beside (planners search either); the English page shows English
    # and still finds an industry by its Chinese name (`search`)
    return [
        {"label": i["en"], "value": i["code"], "search": f"{i['en']} {i['zh']} {i['code']}"}
        if lang == "en"
        else {"label": f"{i['zh']} · {i['en']}", "value": i["code"]}
        for i in vocab.industries
    ]


def _opts_period(vocab, lang):
    """'2016-2020（河北 002、003）': the plans (by province) whose elements a period shows."""
    out = []
    for p in vocab.periods:
        by_province: dict[str, list[str]] = {}
        for n in vocab.plans_of_period(p):
            by_province.setdefault(vocab.plan(n)["province"], []).append(n)
        if lang == "en":
            parts = [f"{PROVINCE_EN.get(prov, prov)} {', '.join(ns)}" for prov, ns in by_province.items()]
            text = f"{p} ({'; '.join(parts)})" if parts else p
        else:
            parts = [f"{prov.removesuffix('省')} {'、'.join(ns)}" for prov, ns in by_province.items()]
            text = f"{p}（{'；'.join(parts)}）" if parts else p
        out.append({"label": text, "value": p})
    return out


def _opts_year(vocab, lang):
    years = sorted({y for p in vocab.periods for y in range(int(p[:4]), int(p[5:]) + 1) if y >= 2011})
    return [{"label": "Any" if lang == "en" else "不限", "value": ""}] + [
        {"label": str(y), "value": str(y)} for y in years
    ]


def _opts_plan(vocab, lang):
    return [
        {
            "label": f"{p['number']} {p['short_en' if lang == 'en' else 'short']} ({p['period']})",
            "value": p["number"],
        }
        for p in vocab.plans
    ]


def _opts_min_revenue(vocab, lang):
    return [{"label": "Any" if lang == "en" else "不限", "value": 0}] + [
        {"label": f"≥ {x:,}", "value": x} for x in REVENUE_TIERS
    ]


def _opts_no_target(vocab, lang):
    return [
        {"label": "show" if lang == "en" else "显示", "value": "show"},
        {"label": "hide" if lang == "en" else "隐藏", "value": "hide"},
    ]


def _opts_province(vocab, lang):
    return [{"label": PROVINCE_EN[p] if lang == "en" else p, "value": p} for p in ("河北省", "河南省")]


def _opts_kind(vocab, lang):
    return [{"label": label(KIND_LABELS, k, lang), "value": k} for k in vocab.kinds]


def _number_text(v: float) -> str:
    """A number as a reader writes it, exactly (1000, 1250.5): the link reads back the same value."""
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _comma(value) -> str:
    return ",".join(value)


SPECS: tuple[FilterSpec, ...] = (
    FilterSpec(
        "q",
        ("搜索名称、地点、产业", "Search names, places, industries"),
        "search text over names, places, industries",
        "",
        _parse_q,
        lambda v: v,
        _mask_q,
        lambda v, vocab, lang: f"“{v}”",
        Control("search", placeholder=("曹妃甸 / 钢铁 / 郑州", "Caofeidian / steel")),
        split=False,
    ),
    FilterSpec(
        "industry",
        ("产业", "Industry"),
        "code, Chinese or English label, or a plan term; repeatable",
        (),
        _parse_industry,
        _comma,
        _mask_industry,
        _phrase("industry"),
        Control(
            "multi", _opts_industry, ("选择产业（可多选，可搜索）", "Choose industries (type to search)")
        ),
        multi=True,
    ),
    FilterSpec(
        "period",
        ("规划期", "Plan period"),
        "2011-2015, 2016-2020, 2015-2025 or 十二五; repeatable",
        (),
        _parse_period,
        _comma,
        _isin("plan_period"),
        _phrase("period"),
        Control("checks", lambda vocab, lang: _opts_period(vocab, lang)),
        multi=True,
    ),
    FilterSpec(
        "year",
        ("年份（显示该年有效的规划）", "Year (plans in force that year)"),
        "a year: the plans in force that year",
        None,
        _parse_year,
        lambda v: str(v) if v else "",
        _mask_year,
        lambda v, vocab, lang: f"{'Year' if lang == 'en' else '年份'}: {v}",
        Control("single", _opts_year, ("不限", "Any")),
        reads=("period",),
        claims=YEAR_RE.match,
    ),
    FilterSpec(
        "plan",
        ("规划文件", "Plan document"),
        "plan number (000-004) or file name; repeatable",
        (),
        _parse_plan,
        _comma,
        _isin("plan_number"),
        _phrase("plan"),
        Control("multi", _opts_plan, ("选择规划文件", "Choose plans")),
        multi=True,
    ),
    FilterSpec(
        "min_revenue",
        ("收入目标下限（亿元）", "Minimum revenue target (100m yuan)"),
        "minimum revenue target in 亿元",
        None,
        _parse_min_revenue,
        lambda v: _number_text(v) if v else "",
        _mask_min_revenue,
        lambda v, vocab, lang: f"≥ {v:,.12g} {'100m yuan' if lang == 'en' else '亿元'}",
        Control("radio", _opts_min_revenue, empty=0),
        sees=("tiers",),
    ),
    FilterSpec(
        "tiers",
        ("计入层级目标", "Count tier targets"),
        "include or exclude tier targets (a floor the plan sets for a group it lists) when judging "
        "--min-revenue",
        "include",
        _parse_tiers,
        lambda v: "" if v == "include" else v,
        _mask_tiers,
        lambda v, vocab, lang: "Tier targets: not counted" if lang == "en" else "层级目标: 不计入",
        Control("radio", _opts_tiers),
    ),
    FilterSpec(
        "no_target",
        ("无明确目标的要素", "Elements with no stated target"),
        "show or hide elements with no stated target",
        "show",
        _parse_no_target,
        lambda v: "" if v == "show" else v,
        _mask_no_target,
        lambda v, vocab, lang: (
            "Elements with no stated target: hide" if lang == "en" else "无明确目标的要素: 隐藏"
        ),
        Control("radio", _opts_no_target),
    ),
    FilterSpec(
        "province",
        ("省份", "Province"),
        "hebei / henan / 河北 / 河南; repeatable",
        (),
        _parse_province,
        lambda v: ",".join("hebei" if p == "河北省" else "henan" for p in v),
        _isin("province"),
        lambda v, vocab, lang: _join([spec_names["province"](p, vocab, lang) for p in v], lang),
        Control("checks", _opts_province),
        multi=True,
    ),
    FilterSpec(
        "kind",
        ("要素类型", "Element kind"),
        "base, park, new_area, cluster, belt, zone ...; repeatable",
        (),
        _parse_kind,
        _comma,
        _isin("kind"),
        _phrase("kind"),
        Control("multi", _opts_kind, ("选择要素类型", "Choose kinds")),
        multi=True,
    ),
    # a bar of the prefecture chart sets this; `pref` in the link is another thing (the prefecture in the details)
    FilterSpec(
        "prefecture",
        ("地市", "Prefecture"),
        "a prefecture (唐山市, 唐山 or Tangshan): elements placed in it; repeatable",
        (),
        _parse_prefecture,
        _comma,
        _mask_prefecture,
        _phrase("prefecture"),
        Control(
            "multi", _opts_prefecture, ("选择地市（可多选，可搜索）", "Choose prefectures (type to search)")
        ),
        multi=True,
    ),
)


def spec_for(key: str) -> FilterSpec:
    """The spec of one filter (looked up in SPECS each time, so a spec added to SPECS is known everywhere)."""
    for s in SPECS:
        if s.key == key:
            return s
    raise KeyError(key)


def filter_keys(specs: Iterable[FilterSpec] | None = None) -> tuple[str, ...]:
    return tuple(s.key for s in (SPECS if specs is None else specs))


# --- the value ---------------------------------------------------------------------
class Filters:
    """An immutable set of filter values, one per spec (unset filters hold the spec's default).

    `Filters(industry=("steel",))`; read as `f.industry`; `f.replace(year=2015)`.
    """

    __slots__ = ("_values",)

    def __init__(self, **values):
        unknown = set(values) - {s.key for s in SPECS}
        if unknown:
            raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        full = {s.key: values.get(s.key, s.default) for s in SPECS}
        object.__setattr__(self, "_values", tuple(full.items()))

    def __getattr__(self, name):
        for k, v in object.__getattribute__(self, "_values"):
            if k == name:
                return v
        raise AttributeError(name)

    def __setattr__(self, name, value):
        raise AttributeError("Filters is immutable; use replace()")

    def items(self):
        return self._values

    def replace(self, **changes) -> Filters:
        return Filters(**{**dict(self._values), **changes})

    def active(self) -> list[tuple[FilterSpec, Any]]:
        """(spec, value) of every filter that differs from its default."""
        specs = {s.key: s for s in SPECS}
        return [(specs[k], v) for k, v in self._values if k in specs and v != specs[k].default]

    def __eq__(self, other):
        return isinstance(other, Filters) and self._values == other._values

    def __hash__(self):
        return hash(self._values)

    def __repr__(self):
        return "Filters(" + ", ".join(f"{s.key}={v!r}" for s, v in self.active()) + ")"


def _values(raw) -> list[str]:
    """Accept a string, a comma-separated string, or a list of either (anything else becomes text)."""
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for item in items:
        if item is None:
            continue
        out += [v.strip() for v in re.split(r"[,，、]", str(item)) if v.strip()]
    return out


def _texts(raw) -> list[str]:
    """Whole values (search text keeps its commas)."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    return [str(x) for x in items if x is not None]


def parse_filters(
    params: Mapping, vocab: Vocabulary, *, strict: bool = False
) -> tuple[Filters, list[Notice]]:
    """Raw values by key (URL query, CLI options or control values) -> (Filters, notices).

    Unknown keys are not this function's business (the URL parser reports them).
    strict=True raises FilterError on the first notice instead of returning it.
    """
    notices: list[Notice] = []

    def notice(code: str, **params) -> None:
        n = Notice(code, **params)
        if strict:
            raise FilterError(n)
        notices.append(n)

    values = {}
    for spec in SPECS:
        raw = []
        for key in (spec.key, *spec.reads):
            got = _values(params.get(key)) if spec.split else _texts(params.get(key))
            raw += got if key == spec.key or spec.claims is None else [v for v in got if spec.claims(v)]
        if len(raw) > MAX_VALUES:
            notice("too_many_values", key=spec.key, n=len(raw), limit=MAX_VALUES)
            raw = raw[:MAX_VALUES]
        keep = []
        for v in raw:
            if len(v) > MAX_VALUE_LEN and spec.split:
                notice("overlong_value", key=spec.key, n=len(v))
            else:
                keep.append(v)
        values[spec.key] = spec.parse(keep, vocab, notice)
    return Filters(**values), notices


def filters_to_params(f: Filters) -> dict[str, str]:
    """Filters -> canonical query values (only what is set), in spec order."""
    out = {}
    for spec, value in f.active():
        text = spec.to_params(value)
        if text:
            out[spec.key] = text
    return out


def to_query(f: Filters, page: Mapping[str, str] | None = None) -> str:
    """Canonical query string (with '?') for filters plus page state (sel, view, layers ...)."""
    params = filters_to_params(f)
    for k, v in (page or {}).items():
        if v not in (None, "", []):
            params[k] = v
    return "?" + urlencode(params, safe=",:;") if params else ""


def parse_query(
    search: str | None, vocab: Vocabulary, page_keys: Iterable[str] = ()
) -> tuple[Filters, dict, list[Notice]]:
    """'?industry=steel&sel=...' -> (Filters, page values, notices). Never raises."""
    search = (search or "").lstrip("?")
    try:
        raw = parse_qs(search, keep_blank_values=False, max_num_fields=100)
    except ValueError:
        return Filters(), {}, [Notice("unreadable_query")]
    page_keys = set(page_keys)
    known = set(filter_keys())
    notices = [Notice("unknown_parameter", key=k[:40]) for k in raw if k not in known and k not in page_keys]
    filters, more = parse_filters(raw, vocab)
    page = {k: raw[k][0][:MAX_VALUE_LEN] for k in page_keys if k in raw}
    return filters, page, notices + more


# --- applying filters -------------------------------------------------------
def filter_mask(elements: pd.DataFrame, f: Filters) -> np.ndarray:
    """Boolean array: which rows of `elements` (see layers.elements) the filters show."""
    mask = np.ones(len(elements), dtype=bool)
    for spec, value in f.active():
        mask &= spec.mask(elements, value, **{k: getattr(f, k) for k in spec.sees})
    return mask


def describe(f: Filters, vocab: Vocabulary, lang: str = "zh") -> list[str]:
    """Short human phrases for the active filters (summary line, export caption)."""
    return [spec.caption(value, vocab, lang) for spec, value in f.active()]


def with_period(f: Filters, period: str) -> Filters:
    """The same filters for one plan period (used by the comparison view)."""
    return f.replace(period=(period,), year=None)
