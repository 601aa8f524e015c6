"""Sectors: the top level of the industry vocabulary, which the map colours by.

An element's primary sector is the sector of its first industry (the plans name the
main industry first); an element with no industry belongs to the general sector.
When the user filters to a few industries, points are coloured by industry instead:
`colour_code` says which code colours a point in either mode.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import yaml

from geodata.records import GEODATA, load_industries

GENERAL = "general"  # where an element without any industry code goes


@lru_cache(maxsize=1)
def load_sectors() -> tuple[dict, ...]:
    """The sectors, in file order (the most common first), each {code, zh, en}."""
    with open(GEODATA / "sectors.yaml", encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh)["sectors"])


def sector_codes() -> list[str]:
    return [s["code"] for s in load_sectors()]


def sector_label(code: str, lang: str = "zh") -> str:
    return next(s["en" if lang == "en" else "zh"] for s in load_sectors() if s["code"] == code)


def _table(industry_table) -> Mapping[str, str]:
    """Industry code -> sector code, from a list of industry dicts or an existing mapping."""
    if isinstance(industry_table, Mapping):
        return {c: (v["sector"] if isinstance(v, Mapping) else v) for c, v in industry_table.items()}
    return {i["code"]: i["sector"] for i in industry_table}


@lru_cache(maxsize=1)
def _default_table() -> Mapping[str, str]:
    return _table(load_industries())


def sector_of(code: str) -> str:
    """The sector of one industry code (KeyError for an unknown code: a typo must not turn grey)."""
    return _default_table()[code]


def primary_sector(industries: Iterable[str], industry_table=None) -> str:
    """Sector of the element's first industry; the general sector when it lists none."""
    table = _default_table() if industry_table is None else _table(industry_table)
    for code in industries:
        return table[code]
    return GENERAL


def sectors_of(industries: Iterable[str], industry_table=None) -> list[str]:
    """Every sector the element touches, in the order of its industries (for hover and table)."""
    table = _default_table() if industry_table is None else _table(industry_table)
    return list(dict.fromkeys(table[c] for c in industries)) or [GENERAL]


def colour_code(
    industries: Iterable[str], mode: str, filtered: tuple[str, ...] = (), industry_table=None
) -> str:
    """The key into the colour map of `style.point_colour_key` for one point.

    mode "sector": its primary sector. mode "industry": the first of its industries that the
    user filtered to (the filter shows only elements with one of them), else "" (no colour).
    """
    industries = list(industries)
    if mode == "sector":
        return primary_sector(industries, industry_table)
    return next((c for c in industries if c in filtered), "")
