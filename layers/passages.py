"""Find a quote inside its plan text and cut out the paragraph(s) around it."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

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


def _is_heading(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) < 60 and (s[0] in "一二三四五六七八九十（(专第" or s.startswith("专栏"))


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
    heading = next((p for p in reversed(before_paras) if _is_heading(p)), "")
    return Passage(text[start:pos].lstrip(), quote, text[pos + len(quote):end].rstrip(),
                   before_paras[-context:] if context else [], after_paras[:context], heading)


def for_display(text: str) -> str:
    """Text as a reader should see it: private-use numbering marks become a full stop."""
    return _PRIVATE_USE.sub("．", text)


def readable(p: Passage) -> Passage:
    """The same passage with every part made displayable (the data itself stays verbatim)."""
    return replace(p, before=for_display(p.before), quote=for_display(p.quote), after=for_display(p.after),
                   context_before=[for_display(x) for x in p.context_before],
                   context_after=[for_display(x) for x in p.context_after], heading=for_display(p.heading))
