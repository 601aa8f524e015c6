"""English titles of the plans' headings (geodata/sections_en.yaml): one table, checked at start-up.

A record's `section` is its heading path as the record writer put it: parts joined by " / " or
" — ", a part sometimes two headings written together ("三、…（一）…") or a heading with a
sub-field in brackets ("一、先进装备制造业（光伏）"). Its English is composed from the table's
titles of those parts, so each heading is translated in one place."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from geodata.records import CJK_RE, GEODATA, DataError
from layers.passages import for_display

SECTIONS_EN_FILE = GEODATA / "sections_en.yaml"
TABLE_NAME = "sections_en.yaml"
PART_SEP = re.compile(r"\s*(?: / | — |/)\s*")
BOX_ONLY = re.compile(r"^专栏(\d+)$")  # "专栏12" alone: the plan's box 12


def load_titles(path: Path = SECTIONS_EN_FILE) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return {str(plan): {str(k): v for k, v in (heads or {}).items()} for plan, heads in data.items()}


def section_parts(section: str) -> list[str]:
    """A section path as its parts, as displayed."""
    return [x for x in PART_SEP.split(for_display(section or "").strip()) if x]


def _box_title(part: str, keys) -> str | None:
    """'专栏2' -> the one heading of the plan that is box 2 ('专栏2轨道交通装备发展路线图')."""
    m = BOX_ONLY.match(part)
    if not m:
        return None
    found = [k for k in keys if re.match(rf"^专栏{m.group(1)}(?!\d)", k) and k != part]
    return found[0] if len(found) == 1 else None


def split_part(part: str, keys) -> list[str] | None:
    """A part as the headings it is written from (the part itself, or headings run together);
    None when some piece is no heading of the table."""
    if part in keys:
        return [part]
    box = _box_title(part, keys)
    if box:
        return [box]
    for k in sorted((k for k in keys if part.startswith(k)), key=len, reverse=True):
        rest = split_part(part[len(k) :], keys)
        if rest is not None:
            return [k, *rest]
    return None


def section_en(plan: str, section: str, titles: dict[str, dict[str, str]]) -> str:
    """The record's section in English; "" for no section. Every part has a title (start-up checks)."""
    heads = titles.get(plan, {})
    out = []
    for part in section_parts(section):
        for k in split_part(part, heads) or []:
            title = heads[k]
            if out and _sub_field(title):  # "(photovoltaics)" belongs to the heading before it
                out[-1] += " " + title
            else:
                out.append(title)
    return " / ".join(out)


def _sub_field(title: str) -> bool:
    """A bracketed sub-field, not a numbered heading: "(photovoltaics)", not "(1) Guiding thought"."""
    return len(title) > 1 and title[0] == "(" and title[1].islower()


def heading_en(plan: str, heading: str, titles: dict[str, dict[str, str]]) -> str:
    """One heading's English title (the reader's contents, follow-the-text), the heading if none."""
    return titles.get(plan, {}).get(for_display(heading), heading)


def check_titles(titles, records, plan_headings: dict[str, list[str]]) -> list[DataError]:
    """Every toc heading and every record section part has an English title without CJK, and every key
    is a heading of its plan (listed by the reader or named by a record's section)."""
    errors = []
    used: dict[str, set[str]] = {plan: set(h) for plan, h in plan_headings.items()}
    for r in records:
        plan, heads = r["plan_number"], titles.get(r["plan_number"], {})
        for part in section_parts(r.get("section") or ""):
            pieces = split_part(part, heads)
            if pieces is None:
                errors.append(DataError(TABLE_NAME, r["id"], "section", f"no English title for '{part}'"))
            else:
                used.setdefault(plan, set()).update(pieces)
    for plan, heads in plan_headings.items():
        for h in heads:
            if h not in titles.get(plan, {}):
                errors.append(DataError(TABLE_NAME, plan, h, "heading of the plan has no English title"))
    for plan, heads in titles.items():
        for key, value in heads.items():
            if not isinstance(value, str) or not value.strip() or CJK_RE.search(value):
                errors.append(DataError(TABLE_NAME, plan, key, f"English title must be English: {value!r}"))
            if key not in used.get(plan, set()):
                errors.append(DataError(TABLE_NAME, plan, key, "not a heading of this plan"))
    return errors


def plan_headings(plan_texts: dict[str, str]) -> dict[str, list[str]]:
    """The headings the reader lists, per plan."""
    from layers.reader import parse_plan, toc

    return {plan: [title for _, _, title in toc(parse_plan(text, plan))] for plan, text in plan_texts.items()}
