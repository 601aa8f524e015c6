"""Find a quote inside its plan text and cut out the paragraph(s) around it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice

from layers.display import clean_entities, unbox

# the texts number 专栏 entries with private-use characters ("10\ue010曹妃甸…"); no font draws them
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


@dataclass(frozen=True)
class Passage:
    before: str  # the paragraph's text before the quote
    quote: str
    after: str  # the paragraph's text after the quote
    context_before: list[str]  # whole paragraphs before (nearest last)
    context_after: list[str]
    heading: str  # the nearest heading line above (一、… / （二）… / 专栏…)


_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]|第[一二三四五六七八九十]+[章节]|专栏)"
)


def _is_heading(line: str, in_box: bool) -> bool:
    """一、… / （二）… / 4.食品工业 / 第三章 …; a 专栏 title only heads a passage inside that box."""
    s = line.strip().lstrip("│┌├ ")
    if not s or len(s) > 60 or not _HEADING.match(s):
        return False
    return in_box or not s.startswith("专栏")


def _lines_before(text: str, start: int):
    """The non-empty lines before offset `start` (a line start), nearest first, stripped."""
    end = start - 1  # the newline that ends the line before
    while end >= 0:
        a = text.rfind("\n", 0, end) + 1
        line = text[a:end].strip()
        if line:
            yield line
        end = a - 1


def _lines_after(text: str, end: int):
    """The non-empty lines after offset `end` (a newline or the end of the text), stripped."""
    a = end + 1
    while a <= len(text):
        b = text.find("\n", a)
        b = len(text) if b < 0 else b
        line = text[a:b].strip()
        if line:
            yield line
        a = b + 1


def find_passage(text: str, quote: str, context: int = 2) -> Passage | None:
    """The paragraph holding `quote`, split around it, with `context` paragraphs either side."""
    pos = text.find(quote)
    if pos < 0:
        return None
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos + len(quote))
    end = len(text) if end < 0 else end
    in_box = "│" in text[start:end]
    # lines are read outward from the quote only as far as needed (search indexes every quote)
    heading = next((p.strip("│┌├┐┤─ 　") for p in _lines_before(text, start) if _is_heading(p, in_box)), "")
    before = list(islice(_lines_before(text, start), context))[::-1] if context else []
    after = list(islice(_lines_after(text, end), context)) if context else []
    return Passage(
        text[start:pos].lstrip(), quote, text[pos + len(quote) : end].rstrip(), before, after, heading
    )


def stops_for_marks(text: str) -> str:
    """Only the private-use numbering marks made full stops: the reader keeps cells and offsets itself."""
    return _PRIVATE_USE.sub("．", text)


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
    context_before = [y for x in p.context_before for y in _lines(for_display(x))] + _lines(
        "\n".join(rows_before)
    )
    context_after = _lines("\n".join(rows_after)) + [
        y for x in p.context_after for y in _lines(for_display(x))
    ]
    return replace(
        p,
        before=before,
        quote=for_display(p.quote).replace("\n", " "),
        after=after,
        context_before=context_before,
        context_after=context_after,
        heading=for_display(p.heading).replace("\n", " "),
    )
