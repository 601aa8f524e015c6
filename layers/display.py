"""Text and numbers as a reader should see them (the stored data stays verbatim).

- `display_name`: a name without the converter's entity artefacts ("冀&8226;津" -> "冀·津").
- `unbox`: a 专栏 box passage without its │ cell walls: words split across cells joined again,
  table rows on their own lines.
- `fmt_number` / `fmt_year`: 1000.0 -> "1,000", 1250.5 -> "1,250.5", 2015.0 -> "2015".
"""

from __future__ import annotations

import math
import re

# The texts were converted from HTML that wrote some characters as "&8226;" (the '#' lost).
# 8226 is U+2022 BULLET; in these names it stands for the 间隔号 "·" (冀·津, 承德·中关村).
_ENTITY = re.compile(r"&#?(\d{2,7});")
_ENTITY_AS = {8226: "·"}

BOX_WALLS = "│┃"
BOX_RULES = "┌┐└┘─━├┤┬┴┼"
_SPACE = " \u3000\t"
# a run of cell walls and padding between two pieces of cell text
_BOX_RUN = re.compile(f"[{_SPACE}]*[{BOX_WALLS}{BOX_RULES}][{BOX_WALLS}{BOX_RULES}{_SPACE}]*")


def _entity(m: re.Match) -> str:
    code = int(m.group(1))
    if code in _ENTITY_AS:
        return _ENTITY_AS[code]
    try:
        return chr(code) if 32 <= code < 0x110000 else m.group(0)
    except ValueError:
        return m.group(0)


def entity_char(code: int) -> str:
    """The character a numeric artefact stands for ('&8226;' -> '·', the 间隔号 these texts mean)."""
    return _ENTITY_AS.get(code) or (chr(code) if 32 <= code < 0x110000 else "")


def clean_entities(text: str) -> str:
    """'河北&8226;京南' -> '河北·京南'; other numeric artefacts become their character."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def display_name(record) -> str:
    """The name shown on the page and in the CSV `name` column (the record keeps the raw form)."""
    return clean_entities(str(record["name"] or ""))


def _box_run(m: re.Match) -> str:
    run = m.group(0)
    if any(c in run for c in BOX_RULES):
        return "\n"  # a ruled line between table rows (or the box's top and bottom)
    if sum(c in BOX_WALLS for c in run) < 2:
        return " "  # a wall between two cells of one row (label │ content)
    # end of one printed line, start of the next: text that ran up to the wall wraps on;
    # text padded out before the wall had ended, and what follows starts a new line
    return "\n" if run[0] in _SPACE else ""


def unbox(text: str) -> str:
    """专栏 text without box-drawing: '生│　　│　　　│物医药' -> '生物医药'. Text outside boxes is unchanged."""
    if not any(c in text for c in BOX_WALLS + BOX_RULES):
        return text
    out = _BOX_RUN.sub(_box_run, text)
    return "\n".join(line.strip(_SPACE) for line in out.split("\n") if line.strip(_SPACE))


def _missing(v) -> bool:
    if v is None or v == "":
        return True
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def plain_number(v) -> str:
    """A number for a data file: no grouping, no trailing '.0' (1000.0 -> '1000', 1250.5 -> '1250.5')."""
    if _missing(v):
        return ""
    f = float(v)
    return str(int(f)) if f.is_integer() else repr(f)


def fmt_number(v, lang: str = "zh") -> str:
    """A number as a reader writes it: 1000.0 -> '1,000', 1250.5 -> '1,250.5', 2015 -> '2,015'
    (years: `fmt_year`). Missing values -> ''. Both languages group by thousands with ','
    (the plans' own figures are Arabic numerals; ',' reads the same in zh and en)."""
    if _missing(v):
        return ""
    f = float(v)
    if f.is_integer():
        return f"{int(f):,}"
    return f"{f:,.10g}" if abs(f) < 1e15 else repr(f)


def fmt_year(v) -> str:
    """2015.0 -> '2015' (a year is never grouped); missing -> ''."""
    return "" if _missing(v) else str(int(float(v)))
