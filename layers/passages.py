"""Find a quote inside its plan text and cut out the paragraph(s) around it."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from layers.display import clean_entities, unbox

# the texts number 专栏 entries with private-use characters ("10\ue010曹妃甸…"); no font draws them
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@dataclass(frozen=True)
class Passage:
    before: str          # the paragraph's text before the quote
    quote: str
    after: str           # the paragraph's text after the quote
    context_before: list[str]  # whole paragraphs before (nearest last)
    context_after: list[str]
    heading: str         # the nearest heading line above (一、… / （二）… / 专栏…)


_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|第[一二三四五六七八九十]+[章节]|专栏)")


def _is_heading(line: str, in_box: bool) -> bool:
    """一、… / （二）… / 4.食品工业 / 第三章 …; a 专栏 title only heads a passage inside that box."""
    s = line.strip().lstrip("│┌├ ")
    if not s or len(s) > 60 or not _HEADING.match(s):
        return False
    return in_box or not s.startswith("专栏")


def find_passage(text: str, quote: str, context: int = 2) -> Passage | None:
    """The paragraph holding `quote`, split around it, with `context` paragraphs either side."""
    pos = text.find(quote)
    if pos < 0:
        return None
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos + len(quote))
    end = len(text) if end < 0 else end
    before_paras = [p.strip() for p in text[:start].split("\n") if p.strip()]
    after_paras = [p.strip() for p in text[end:].split("\n") if p.strip()]
    in_box = "│" in text[start:end]
    heading = next((p.strip("│┌├┐┤─ 　") for p in reversed(before_paras) if _is_heading(p, in_box)), "")
    return Passage(text[start:pos].lstrip(), quote, text[pos + len(quote):end].rstrip(),
                   before_paras[-context:] if context else [], after_paras[:context], heading)


def for_display(text: str) -> str:
    """Text as a reader should see it: private-use numbering marks become a full stop, 专栏 cell
    walls go (a word split across cells is whole again) and '&8226;' artefacts become '·'."""
    return unbox(clean_entities(_PRIVATE_USE.sub("．", text)))


def _lines(text: str) -> list[str]:
    return [x for x in (y.strip() for y in text.split("\n")) if x]


def readable(p: Passage) -> Passage:
    """The same passage with every part made displayable (the data itself stays verbatim).

    A 专栏 box is one long line in the texts; shown unboxed, its rows become lines, and only
    the row holding the quote stays in the paragraph (the other rows join the context)."""
    before, after = for_display(p.before), for_display(p.after)
    rows_before, rows_after = [], []
    if "\n" in before:
        *rows_before, before = before.split("\n")
    if "\n" in after:
        after, *rows_after = after.split("\n")
    context_before = [y for x in p.context_before for y in _lines(for_display(x))] + _lines("\n".join(rows_before))
    context_after = _lines("\n".join(rows_after)) + [y for x in p.context_after for y in _lines(for_display(x))]
    return replace(p, before=before, quote=for_display(p.quote).replace("\n", " "), after=after,
                   context_before=context_before, context_after=context_after,
                   heading=for_display(p.heading).replace("\n", " "))
