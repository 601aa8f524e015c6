"""The one filter vocabulary, shared by the page, the URL and the command line.

`parse_filters(params, vocab)` turns raw values (URL query, CLI options, UI
values) into a `Filters` value plus notices about anything it did not
understand; with `strict=True` (the command line) those notices raise
`FilterError` instead. `filter_mask(elements, filters)` is the pure function
that says which elements a Filters value shows. `to_query` writes a Filters
value back in canonical spelling, so links round-trip.

| meaning        | URL / mapping key | accepts                                                 |
|----------------|-------------------|---------------------------------------------------------|
| industry       | industry          | code, Chinese or English label, or a plan term (精品钢铁) |
| plan period    | period            | 2011-2015 / 十二五, or a single year (plans in force)    |
| plan document  | plan              | 000, 0, or the file name                                |
| revenue target | min_revenue       | 亿元, a number >= 0                                      |
| no target      | no_target         | show / hide                                             |
| province       | province          | hebei / henan / 河北 / 河北省                            |
| kind           | kind              | base, park ... or their Chinese / English labels        |
| search         | q                 | free text over names, places, industries                |
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from layers.i18n import KIND_LABELS

FILTER_KEYS = ("industry", "period", "plan", "min_revenue", "no_target", "province", "kind", "q")
MAX_VALUE_LEN = 200       # longer values are refused with a notice (URL junk, attacks)
MAX_VALUES = 50
PERIOD_NAMES = {"十二五": "2011-2015", "十三五": "2016-2020", "中国制造2025": "2015-2025"}
PROVINCES = {"hebei": "河北省", "河北": "河北省", "河北省": "河北省", "冀": "河北省",
             "henan": "河南省", "河南": "河南省", "河南省": "河南省", "豫": "河南省"}
REVENUE_TIERS = (100, 500, 1000)


class FilterError(ValueError):
    """A value the command line cannot accept (the page turns these into notices)."""


@dataclass(frozen=True)
class Vocabulary:
    """What the filters can name: built once from the dataset."""

    industries: tuple[dict, ...]
    plans: tuple[dict, ...]
    periods: tuple[str, ...]
    kinds: tuple[str, ...] = tuple(KIND_LABELS)
    _industry_lookup: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dataset(cls, dataset) -> "Vocabulary":
        periods = sorted({p["period"] for p in dataset.plans.values()} |
                         {r["plan_period"] for r in dataset.records})
        lookup: dict[str, str] = {}
        # terms first so that codes and labels win where a word is both
        for ind in dataset.industries:
            for term in ind.get("terms", []):
                lookup.setdefault(term.lower(), ind["code"])
        for ind in dataset.industries:
            for name in (ind["code"], ind["zh"], ind["en"]):
                lookup[name.lower()] = ind["code"]
        return cls(tuple(dataset.industries), tuple(dataset.plans.values()), tuple(periods),
                   _industry_lookup=lookup)

    def industry_code(self, value: str) -> str | None:
        return self._industry_lookup.get(value.strip().lower())

    def industry(self, code: str) -> dict:
        return next(i for i in self.industries if i["code"] == code)

    def plan_number(self, value: str) -> str | None:
        v = value.strip()
        for p in self.plans:
            if v in (p["number"], p["file"], p["file"].rsplit(".", 1)[0]) or (v.isdigit() and int(v) == int(p["number"])):
                return p["number"]
        return None

    def kind_code(self, value: str) -> str | None:
        v = value.strip().lower()
        for code, (zh, en) in KIND_LABELS.items():
            if v in (code, zh, en.lower()):
                return code
        return None


@dataclass(frozen=True)
class Filters:
    industries: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    year: int | None = None
    plans: tuple[str, ...] = ()
    min_revenue: float | None = None
    no_target: str = "show"
    provinces: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    q: str = ""

    def is_empty(self) -> bool:
        return self == Filters()


def _values(raw) -> list[str]:
    """Accept a string, a comma-separated string, or a list of either."""
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for item in items:
        if item is None:
            continue
        out += [v.strip() for v in re.split(r"[,，、]", str(item)) if v.strip()]
    return out


def parse_filters(params: Mapping, vocab: Vocabulary, *, strict: bool = False) -> tuple[Filters, list[str]]:
    """Raw values by key (see module doc) -> (Filters, notices).

    Unknown keys are not this function's business (the URL parser reports them).
    strict=True raises FilterError on the first notice instead of returning it.
    """
    notices: list[str] = []

    def notice(msg: str) -> None:
        if strict:
            raise FilterError(msg)
        notices.append(msg)

    def values(key: str) -> list[str]:
        vals = _values(params.get(key))
        if len(vals) > MAX_VALUES:
            notice(f"too many values for '{key}' ({len(vals)}); kept the first {MAX_VALUES}")
            vals = vals[:MAX_VALUES]
        keep = []
        for v in vals:
            if len(v) > MAX_VALUE_LEN:
                notice(f"ignored an overlong value for '{key}' ({len(v)} characters)")
            else:
                keep.append(v)
        return keep

    def look_up(key: str, lookup, what: str, known: str) -> list[str]:
        """Each value of `key` through `lookup`; a value it does not know becomes a notice."""
        found = []
        for v in values(key):
            code = lookup(v)
            if code:
                found.append(code)
            else:
                notice(f"unknown {what} '{v}'; known: {known}")
        return found

    industries = look_up("industry", vocab.industry_code, "industry", ", ".join(i["code"] for i in vocab.industries))
    periods, year = [], None
    for v in values("period"):
        v2 = PERIOD_NAMES.get(v, v).replace("–", "-").replace("—", "-")
        if v2 in vocab.periods:
            periods.append(v2)
        elif re.fullmatch(r"\d{4}", v2) and any(_in_period(int(v2), p) for p in vocab.periods):
            year = int(v2)
        else:
            notice(f"unknown plan period '{v}'; known: {', '.join(vocab.periods)}, or a year in them")

    plans = look_up("plan", vocab.plan_number, "plan", ", ".join(p["number"] for p in vocab.plans))

    min_revenue = None
    raw_min = values("min_revenue")
    if raw_min:
        try:
            val = float(raw_min[0])
            if not np.isfinite(val) or val < 0:
                raise ValueError
            min_revenue = val if val > 0 else None
        except ValueError:
            notice(f"min_revenue must be a number of 亿元 >= 0, not '{raw_min[0]}'")

    no_target = "show"
    raw_nt = values("no_target")
    if raw_nt:
        v = raw_nt[0].lower()
        if v in ("show", "显示", "1", "true", "yes"):
            no_target = "show"
        elif v in ("hide", "隐藏", "0", "false", "no"):
            no_target = "hide"
        else:
            notice(f"no_target must be show or hide, not '{raw_nt[0]}'")

    provinces = look_up("province", lambda v: PROVINCES.get(v.lower()), "province", "hebei, henan (河北, 河南)")
    kinds = look_up("kind", vocab.kind_code, "kind", ", ".join(vocab.kinds))

    q = ""
    raw_q = params.get("q")
    if raw_q:
        q = str(raw_q[0] if isinstance(raw_q, (list, tuple)) else raw_q).strip()
        if len(q) > MAX_VALUE_LEN:
            notice(f"search text too long ({len(q)} characters); shortened to {MAX_VALUE_LEN}")
            q = q[:MAX_VALUE_LEN]

    filters = Filters(tuple(dict.fromkeys(industries)), tuple(dict.fromkeys(periods)), year,
                      tuple(dict.fromkeys(plans)), min_revenue, no_target,
                      tuple(dict.fromkeys(provinces)), tuple(dict.fromkeys(kinds)), q)
    return filters, notices


def _in_period(year: int, period: str) -> bool:
    a, b = (int(x) for x in period.split("-"))
    return a <= year <= b


def filters_to_params(f: Filters) -> dict[str, str]:
    """Filters -> canonical query values (only what is set)."""
    out = {}
    if f.industries:
        out["industry"] = ",".join(f.industries)
    periods = list(f.periods) + ([str(f.year)] if f.year else [])
    if periods:
        out["period"] = ",".join(periods)
    if f.plans:
        out["plan"] = ",".join(f.plans)
    if f.min_revenue:
        out["min_revenue"] = f"{f.min_revenue:g}"
    if f.no_target != "show":
        out["no_target"] = f.no_target
    if f.provinces:
        out["province"] = ",".join("hebei" if p == "河北省" else "henan" for p in f.provinces)
    if f.kinds:
        out["kind"] = ",".join(f.kinds)
    if f.q:
        out["q"] = f.q
    return out


def to_query(f: Filters, page: Mapping[str, str] | None = None) -> str:
    """Canonical query string (with '?') for filters plus page state (sel, view, layers ...)."""
    params = filters_to_params(f)
    for k, v in (page or {}).items():
        if v not in (None, "", []):
            params[k] = v
    return "?" + urlencode(params, safe=",:;") if params else ""


def parse_query(search: str | None, vocab: Vocabulary, page_keys: Iterable[str] = ()) -> tuple[Filters, dict, list[str]]:
    """'?industry=steel&sel=...' -> (Filters, page values, notices). Never raises."""
    search = (search or "").lstrip("?")
    try:
        raw = parse_qs(search, keep_blank_values=False, max_num_fields=100)
    except ValueError:
        return Filters(), {}, ["the link's query could not be read; showing everything"]
    page_keys = set(page_keys)
    notices = [f"unknown link parameter '{k[:40]}' ignored" for k in raw if k not in FILTER_KEYS and k not in page_keys]
    filters, more = parse_filters(raw, vocab)
    page = {k: raw[k][0][:MAX_VALUE_LEN] for k in page_keys if k in raw}
    return filters, page, notices + more


# --- applying filters -------------------------------------------------------
def filter_mask(elements: pd.DataFrame, f: Filters, vocab: Vocabulary | None = None) -> np.ndarray:
    """Boolean array: which rows of `elements` (see layers.elements) the filters show."""
    n = len(elements)
    mask = np.ones(n, dtype=bool)
    if f.industries:
        wanted = set(f.industries)
        mask &= np.fromiter((bool(wanted.intersection(c)) for c in elements["industries"]), bool, n)
    if f.periods:
        mask &= elements["plan_period"].isin(f.periods).to_numpy()
    if f.year:
        mask &= ((elements["period_start"] <= f.year) & (elements["period_end"] >= f.year)).to_numpy()
    if f.plans:
        mask &= elements["plan_number"].isin(f.plans).to_numpy()
    revenue = elements["revenue_yi"].to_numpy(dtype=float)
    has_target = ~np.isnan(revenue)
    if f.min_revenue:
        # a minimum only judges elements that have a target; the no-target choice decides the rest
        mask &= ~has_target | (np.nan_to_num(revenue) >= f.min_revenue)
    if f.no_target == "hide":
        mask &= has_target
    if f.provinces:
        mask &= elements["province"].isin(f.provinces).to_numpy()
    if f.kinds:
        mask &= elements["kind"].isin(f.kinds).to_numpy()
    if f.q:
        needle = f.q.lower()
        mask &= elements["search_text"].str.contains(needle, regex=False).to_numpy()
    return mask


def describe(f: Filters, vocab: Vocabulary, lang: str = "zh") -> list[str]:
    """Short human phrases for the active filters (summary line, export caption)."""
    from layers.i18n import label, t

    en = lang == "en"
    out = []
    if f.industries:
        names = [vocab.industry(c)["en" if en else "zh"] for c in f.industries]
        out.append(f"{t('industry', lang)}: {', '.join(names) if en else '、'.join(names)}")
    if f.periods or f.year:
        out.append(f"{t('period', lang)}: {', '.join(list(f.periods) + ([str(f.year)] if f.year else []))}")
    if f.plans:
        names = [next(p for p in vocab.plans if p["number"] == n)["short_en" if en else "short"] for n in f.plans]
        out.append(f"{t('plan', lang)}: {', '.join(names)}")
    if f.min_revenue:
        out.append(f"≥ {f.min_revenue:g} {'100m yuan' if en else '亿元'}")
    if f.no_target == "hide":
        out.append(f"{t('no_target', lang)}: {t('hide', lang)}")
    if f.provinces:
        out.append(", ".join(("Hebei" if p == "河北省" else "Henan") if en else p for p in f.provinces))
    if f.kinds:
        out.append(f"{t('kind', lang)}: {', '.join(label(KIND_LABELS, k, lang) for k in f.kinds)}")
    if f.q:
        out.append(f"“{f.q}”")
    return out


def with_period(f: Filters, period: str) -> Filters:
    """The same filters for one plan period (used by the comparison view)."""
    return replace(f, periods=(period,), year=None)
