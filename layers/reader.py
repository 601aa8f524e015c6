"""The reader: a plan text as paragraphs under their headings, 专栏 tables, highlights and search (issue 17).

Paragraph numbering: a paragraph is one non-empty line of the plan text, numbered by the
line's index (0-based) in `text.split("\\n")`. It is the number `layers.mentions` prints (¶N),
it needs no heading detection to be stable, and a link "000:125" keeps its meaning as long
as the plan text (pinned by its hash in the file name) does.

Headings (levels): 0 第一章 · 1 一、 · 2 （一）/(一) · 3 "1." "1．" "1" (numbered items, outside
a 专栏) · 4 专栏N. A 专栏 written as plain lines (plans 000, 004) runs from its title over the
following lines: consecutive lines, and numbered items after a blank line (000's "1\\ue010…");
a blank line followed by anything else, or a heading of level ≤ 2, ends it. A 专栏 drawn with
box characters (001–003) is one line holding one or more tables; `parse_box_line` rebuilds
rows and cells from the drawing (column widths: CJK and box characters count two).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from layers.display import entity_char
from layers.mentions import quote_spans
from layers.passages import stops_for_marks as for_display  # the reader keeps cells and offsets itself

LEVEL_PATTERNS = (
    (0, re.compile(r"^第[一二三四五六七八九十]+章")),
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (4, re.compile(r"^专栏\d*")),
    (3, re.compile(r"^\d{1,2}[.．、﹒\ue010](?!\d)")),
)
BOX_ITEM = re.compile(r"^\d{1,2}\ue010")
INDENT = "　 \t"
VERTICAL = set("│┌┐└┘├┤┬┴┼")
CLOSING = set("│┐┤┘")
SENTENCE_END = "。；！？"
ENTITY = re.compile(r"&#?(\d{2,5});")  # 003 writes the dot of 唐山•中国动车城 as "&8226;"


@dataclass(frozen=True)
class Cell:
    text: str
    src: tuple[int, ...]  # offset in the plan text of each character of `text` (-1: a line break we added)
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def title(self) -> str:
        """The 专栏 title when the first row is one cell starting with 专栏."""
        first = self.rows[0] if self.rows else ()
        return first[0].text if len(first) == 1 and first[0].text.startswith("专栏") else ""


@dataclass(frozen=True)
class Paragraph:
    n: int  # line index in the plan text
    start: int  # offset of text[0] in the plan text
    text: str  # the line without its indentation (verbatim)
    section: tuple[
        int, ...
    ]  # the heading paragraphs it sits under, outermost first (itself last if it opens one)
    level: int | None = None  # heading level when this paragraph opens a section
    title: str = ""  # that heading's short title
    box: int | None = None  # the 专栏 it belongs to (its title paragraph), None outside
    tables: tuple[Table, ...] = ()

    @property
    def whole_heading(self) -> bool:
        """A line that is only a title (rendered as a heading, not as a paragraph)."""
        return self.level is not None and not self.tables and self.title == self.text.rstrip("。：: ")

    def plain(self) -> str:
        """Searchable text: the line, or its cells joined."""
        if not self.tables:
            return self.text
        return "\n".join(c.text for tb in self.tables for row in tb.rows for c in row if c.text)


@dataclass
class PlanDoc:
    plan: str
    text: str
    paragraphs: list[Paragraph]
    by_n: dict[int, Paragraph] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self):
        self.by_n = {p.n: p for p in self.paragraphs}
        self._starts = [p.start for p in self.paragraphs]

    def at(self, offset: int) -> Paragraph | None:
        """The paragraph holding a text offset."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        p = self.paragraphs[i]
        line_end = self.text.find("\n", p.start)
        return p if offset < (len(self.text) if line_end < 0 else line_end) else None

    def section_titles(self, n: int) -> list[str]:
        p = self.by_n.get(n)
        return [self.by_n[k].title for k in p.section] if p else []


# ---------------------------------------------------------------- headings


def heading_level(line: str) -> int | None:
    for level, pat in LEVEL_PATTERNS:
        if pat.match(line):
            return level
    return None


def short_title(line: str, level: int) -> str:
    """'(一)指导思想。紧紧围绕…' -> '(一)指导思想'; a 专栏 keeps its whole title line."""
    line = line.strip(INDENT)
    if level == 4:
        return line[:60]
    stop = min([i for i in (line.find("。"), line.find("：")) if i > 0] or [len(line)])
    title = line[:stop]
    return title if len(title) <= 40 else title[:30] + "…"


# ---------------------------------------------------------------- drawn 专栏 boxes


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def _units(line: str, base: int) -> list[tuple[str, int, int]]:
    """(display char, source offset, display width); an HTML entity is one character."""
    out, i = [], 0
    while i < len(line):
        m = ENTITY.match(line, i) if line[i] == "&" else None
        if m:
            ch = entity_char(int(m.group(1)))
            out.append((ch, base + i, _width(ch)))
            i = m.end()
        else:
            out.append((line[i], base + i, _width(line[i])))
            i += 1
    return out


def _visual_lines(units):
    """Split a box line (the drawing flattened onto one line) back into the lines of the drawing.

    Yields lists of units, one per drawn line, and None between tables."""
    i, width = 0, None
    while i < len(units):
        ch = units[i][0]
        if ch in INDENT:
            i += 1
            continue
        if ch == "┌":
            j = next((k for k in range(i, len(units)) if units[k][0] == "┐"), len(units) - 1)
            width = sum(u[2] for u in units[i : j + 1])
            yield units[i : j + 1]
            i = j + 1
            continue
        if width is None:  # loose text before any table: keep it as its own line
            j = next((k for k in range(i, len(units)) if units[k][0] == "┌"), len(units))
            yield ("loose", units[i:j])
            i = j
            continue
        acc, j = 0, i
        while j < len(units) and acc < width:
            acc += units[j][2]
            j += 1
        if acc != width or units[j - 1][0] not in CLOSING:
            # a mis-measured line: end it at the next closing character that is followed by indentation
            j = i + 1
            while j < len(units) and not (
                units[j - 1][0] in CLOSING and (j == len(units) or units[j][0] in INDENT)
            ):
                j += 1
        yield units[i:j]
        if units[j - 1][0] == "┘":
            width = None
        i = j


def _segments(vline):
    """A drawn line -> [(x0, x1, units, is_rule)] between its vertical strokes."""
    out, x, last_x, buf = [], 0, None, []
    for u in vline:
        if u[0] in VERTICAL:
            if last_x is not None:
                rule = bool(buf) and all(b[0] == "─" for b in buf)
                out.append((last_x, x, buf, rule))
            last_x, buf = x, []
        else:
            buf.append(u)
        x += u[2]
    return out


def _cell_text(pieces) -> tuple[str, tuple[int, ...]]:
    """Join the pieces of one cell (one per drawn line): wrapped words run on; a sentence that ends
    short of the cell's edge ends a line."""
    chars: list[tuple[str, int]] = []
    prev_padded = False
    for piece in pieces:
        core = [u for u in piece]
        while core and core[0][0] in INDENT:
            core.pop(0)
        trail = 0
        while core and core[-1][0] in INDENT:
            core.pop()
            trail += 1
        if not core:
            continue
        if chars and prev_padded and chars[-1][0] in SENTENCE_END:
            chars.append(("\n", -1))
        chars += [(for_display(u[0]), u[1]) for u in core]
        prev_padded = trail >= 2
    return "".join(c for c, _ in chars), tuple(s for _, s in chars)


def _snap(x: int, cols: list[int]) -> int:
    i = bisect.bisect_left(cols, x)
    near = [c for c in cols[max(0, i - 1) : i + 1] if abs(c - x) <= 2]
    return min(near, key=lambda c: abs(c - x)) if near else x


def _table(vlines) -> Table:
    segs = [_segments(v) for v in vlines]
    cols = sorted({x for line in segs for x0, x1, _, rule in line if rule for x in (x0, x1)})
    open_cells: dict[tuple[int, int], dict] = {}
    done: list[dict] = []
    row, new_row = -1, True
    for line in segs:
        if any(rule for *_, rule in line):
            for x0, x1, _, rule in line:
                if rule:
                    x0, x1 = _snap(x0, cols), _snap(x1, cols)
                    for key in [k for k in open_cells if k[0] < x1 and x0 < k[1]]:
                        done.append(open_cells.pop(key))
                    new_row = True
        texts = [(_snap(x0, cols), _snap(x1, cols), units) for x0, x1, units, rule in line if not rule]
        if not texts:
            continue
        if any(k not in open_cells for k in ((a, b) for a, b, _ in texts)) and new_row:
            row += 1
            new_row = False
        for x0, x1, units in texts:
            key = (x0, x1)
            if key not in open_cells:
                for other in [k for k in open_cells if k[0] < x1 and x0 < k[1]]:
                    done.append(open_cells.pop(other))
                open_cells[key] = {"x0": x0, "x1": x1, "row": max(row, 0), "last": max(row, 0), "pieces": []}
            cell = open_cells[key]
            cell["pieces"].append(units)
            cell["last"] = max(row, 0)
    done += open_cells.values()
    rows: dict[int, list] = {}
    for c in sorted(done, key=lambda c: (c["row"], c["x0"])):
        text, src = _cell_text(c["pieces"])
        span = sum(1 for x in cols if c["x0"] < x < c["x1"]) + 1
        rows.setdefault(c["row"], []).append(Cell(text, src, span, c["last"] - c["row"] + 1))
    return Table(tuple(tuple(rows[r]) for r in sorted(rows)))


def parse_box_line(line: str, start: int) -> tuple[list[Table], str]:
    """One line holding drawn tables -> the tables, and any text outside them."""
    tables, current, loose = [], [], []
    for v in _visual_lines(_units(line, start)):
        if isinstance(v, tuple):
            loose.append("".join(u[0] for u in v[1]).strip(INDENT))
            continue
        current.append(v)
        if v and v[-1][0] == "┘":
            tables.append(_table(current))
            current = []
    if current:
        tables.append(_table(current))
    return tables, "".join(loose)


# ---------------------------------------------------------------- the document


def parse_plan(text: str, plan: str = "") -> PlanDoc:
    """A plan text -> paragraphs with their section path, 专栏 membership and tables."""
    paragraphs: list[Paragraph] = []
    stack: list[tuple[int, int]] = []  # (level, paragraph n)
    box: int | None = None  # the open plain-line 专栏
    gap = False
    offset = 0
    for n, raw in enumerate(text.split("\n")):
        line_start, offset = offset, offset + len(raw) + 1
        body = raw.lstrip(INDENT)
        if not body.strip(INDENT):
            gap = True
            continue
        start = line_start + (len(raw) - len(body))
        body = body.rstrip(INDENT + "\r")
        level = heading_level(body)
        if box is not None and (
            level is not None and level <= 2 or level == 4 or (gap and not BOX_ITEM.match(body))
        ):
            stack = [s for s in stack if s[1] != box]
            box = None
        gap = False
        if "┌" in body:
            tables, loose = parse_box_line(body, start)
            title = next((tb.title for tb in tables if tb.title), "")
            lvl = 4 if title else None
            section = tuple(k for _, k in stack) + ((n,) if title else ())
            paragraphs.append(
                Paragraph(n, start, body, section, lvl, title, n if title else None, tuple(tables))
            )
            continue
        if box is not None:
            level = None  # a 专栏's numbered items are its entries, not headings
        if level is not None:
            stack = [s for s in stack if s[0] < level] + [(level, n)]
            if level == 4:
                box = n
            paragraphs.append(
                Paragraph(n, start, body, tuple(k for _, k in stack), level, short_title(body, level), box)
            )
            continue
        paragraphs.append(Paragraph(n, start, body, tuple(k for _, k in stack), None, "", box))
    return PlanDoc(plan, text, paragraphs)


def toc(doc: PlanDoc) -> list[tuple[int, int, str]]:
    """(paragraph, level, title) of every chapter, section, 专栏 and titled item."""
    return [
        (p.n, p.level, for_display(p.title))
        for p in doc.paragraphs
        if p.level is not None and (p.level != 3 or p.whole_heading)
    ]


# ---------------------------------------------------------------- highlights and search


@dataclass(frozen=True)
class Span:
    n: int  # paragraph
    start: int  # [start, end) in the paragraph's text, or in the cell's text
    end: int
    ids: tuple[str, ...]  # the records whose quote this is (sorted)
    cell: tuple[int, int, int] | None = None  # (table, row, column) inside a drawn 专栏
    src: tuple[int, int] = (0, 0)  # the occurrence in the plan text


def _place(doc: PlanDoc, s: int, e: int) -> list[tuple[int, tuple | None, int, int]]:
    """A text range -> (paragraph, cell, start, end) pieces as the reader shows them."""
    p = doc.at(s)
    if p is None:
        return []
    if not p.tables:
        return [(p.n, None, s - p.start, e - p.start)]
    out = []
    for ti, tb in enumerate(p.tables):
        for ri, row in enumerate(tb.rows):
            for ci, c in enumerate(row):
                idx = [i for i, o in enumerate(c.src) if s <= o < e]
                if idx:
                    out.append((p.n, (ti, ri, ci), idx[0], idx[-1] + 1))
    return out


def record_spans(text: str, rec: dict) -> list[tuple[int, int]]:
    """Where a record stands in its plan: every occurrence of its quote and more_quotes, and for each
    revenue target the one occurrence of its quote that belongs to the record.

    A target's words ('到2015年，实现主营业务收入200亿元') recur under other bases; only the
    occurrence inside the record's own quotes, else the one nearest its quote, is this record's."""
    own = sorted(
        {
            sp
            for q in [rec.get("quote"), *(rec.get("more_quotes") or [])]
            if isinstance(q, str) and q
            for sp in quote_spans(text, q)
        }
    )
    anchor = own[0][0] if own else 0
    out = set(own)
    for t in rec.get("revenue_targets") or []:
        occ = quote_spans(text, t.get("quote") or "")
        if not occ or any(s <= a and b <= e for a, b in occ for s, e in own):
            continue
        out.add(min(occ, key=lambda sp: abs(sp[0] - anchor)))
    return sorted(out)


def highlights(doc: PlanDoc, records) -> dict[int, list[Span]]:
    """Per paragraph, every occurrence of each record's quote, more_quotes and target quotes.

    One span per place in the text; a span several records quote lists each of them."""
    where: dict[tuple, set] = {}
    for rec in records:
        for s, e in record_spans(doc.text, rec):
            for n, cell, a, b in _place(doc, s, e):
                where.setdefault((n, a, b, cell, s, e), set()).add(rec["id"])
    out: dict[int, list[Span]] = {}
    for (n, a, b, cell, s, e), ids in where.items():
        out.setdefault(n, []).append(Span(n, a, b, tuple(sorted(ids)), cell, (s, e)))
    for spans in out.values():
        spans.sort(key=lambda x: (x.cell or (-1, 0, 0), x.start, -x.end))
    return out


def faint_spans(doc: PlanDoc, mentions) -> dict[int, list[Span]]:
    """Place names no record covers (layers.mentions Mention objects), placed like highlights."""
    out: dict[int, list[Span]] = {}
    for m in mentions:
        for n, cell, a, b in _place(doc, m.offset, m.end):
            out.setdefault(n, []).append(Span(n, a, b, (), cell, (m.offset, m.end)))
    return out


@dataclass(frozen=True)
class Hit:
    n: int
    offset: int  # in Paragraph.plain()
    snippet: str


def search_text(doc: PlanDoc, q: str, limit: int = 200) -> list[Hit]:
    """Every occurrence of q (case-insensitive, in reading order), with 20 characters around it."""
    q = (q or "").strip()
    if not q:
        return []
    ql, hits = q.lower(), []
    for p in doc.paragraphs:
        plain = for_display(p.plain())
        low = plain.lower()
        i = low.find(ql)
        while i >= 0 and len(hits) < limit:
            hits.append(Hit(p.n, i, plain[max(0, i - 20) : i + len(q) + 20].replace("\n", " ")))
            i = low.find(ql, i + 1)
    return hits


def section_of(doc: PlanDoc, n: int) -> tuple[int, list[int]]:
    """The innermost section around paragraph n: (its heading paragraph or -1, its paragraphs)."""
    p = doc.by_n.get(n)
    if p is None:
        return -1, []
    if not p.section:
        return -1, [x.n for x in doc.paragraphs if not x.section]
    head = p.section[-1]
    return head, [x.n for x in doc.paragraphs if head in x.section]


def section_elements(doc: PlanDoc, records, paragraph: int) -> list[str]:
    """Ids of the records with a quote in the section that paragraph `paragraph` belongs to."""
    _, members = section_of(doc, paragraph)
    inside = set(members)
    ids = set()
    for rec in records:
        if any(doc.at(s) is not None and doc.at(s).n in inside for s, _ in record_spans(doc.text, rec)):
            ids.add(rec["id"])
    return sorted(ids)


def paragraph_of(doc: PlanDoc, quote: str) -> int | None:
    """The paragraph holding the first occurrence of a quote."""
    pos = doc.text.find(quote) if quote else -1
    p = doc.at(pos) if pos >= 0 else None
    return p.n if p else None


def reader_position(value, plan_texts: dict[str, str]) -> tuple[str, int] | str:
    """'000:125' -> ('000', 125); or the notice code saying what is wrong with it."""
    m = re.fullmatch(r"(\d{3}):(\d{1,5})", value or "")
    if not m:
        return "bad_reader"
    plan, n = m.group(1), int(m.group(2))
    if plan not in plan_texts:
        return "unknown_reader_plan"
    lines = plan_texts[plan].split("\n")
    if n >= len(lines) or not lines[n].strip(INDENT):
        return "unknown_reader_paragraph"
    return plan, n


# ---------------------------------------------------------------- rendering


def pieces(text: str, spans: list[Span], faint: list[Span]) -> list[tuple[str, tuple[str, ...], bool]]:
    """Cut a text at every highlight boundary: (text, record ids, faint?) runs, in order."""
    cuts = {0, len(text)}
    for s in spans + faint:
        cuts.update((max(0, min(s.start, len(text))), max(0, min(s.end, len(text)))))
    cuts = sorted(cuts)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        ids = tuple(sorted({i for s in spans if s.start <= a and b <= s.end for i in s.ids}))
        dim = not ids and any(s.start <= a and b <= s.end for s in faint)
        if out and out[-1][1] == ids and out[-1][2] == dim:
            out[-1] = (out[-1][0] + text[a:b], ids, dim)
        else:
            out.append((text[a:b], ids, dim))
    return out


def mark_runs(doc: PlanDoc, spans: dict[int, list[Span]], faint: dict[int, list[Span]]):
    """Every highlighted run in reading order: [(paragraph, cell, text, ids)], its index is the mark's n.

    The rendering and the click handler both number marks with this, so a click's n finds its ids."""
    out = []
    for p in doc.paragraphs:
        for cell, text in _texts(p):
            sp = [s for s in spans.get(p.n, []) if s.cell == cell]
            fs = [s for s in faint.get(p.n, []) if s.cell == cell]
            for run, ids, _ in pieces(text, sp, fs):
                if ids:
                    out.append((p.n, cell, run, ids))
    return out


def _entities(run: str) -> str:
    """'中国&8226;廊坊' as the reader should see it (the data keeps the text verbatim)."""
    return ENTITY.sub(lambda m: entity_char(int(m.group(1))), run) if "&" in run else run


def _texts(p: Paragraph):
    if not p.tables:
        yield None, for_display(p.text)
        return
    for ti, tb in enumerate(p.tables):
        for ri, row in enumerate(tb.rows):
            for ci, c in enumerate(row):
                yield (ti, ri, ci), c.text


LABELS = {
    "toc": ("目录", "Contents"),
    "box": ("专栏", "Box"),
    "uncovered": ("未入图的地名", "place not on the map"),
}


def reader_html(
    doc: PlanDoc,
    spans: dict[int, list[Span]],
    faint: dict[int, list[Span]] | None = None,
    names: dict[str, str] | None = None,
    lang: str = "zh",
    current: int | None = None,
    titles: dict[str, str] | None = None,
):
    """The plan as Dash components: a table of contents and the text with its marks.

    In English the contents list each heading's English title (`titles`: heading -> English, from
    geodata/sections_en.yaml) with the plan's Chinese beside it, marked lang="zh" (the text stays Chinese).

    Marks carry {"type": "quote-link", "id": first record, "n": k} (k from `mark_runs`) and
    data-ids with every record they quote; uncovered place names are faint spans."""
    from dash import html

    faint = faint or {}
    names = names or {}
    en = lang == "en"
    counter = [0]
    plan = doc.plan

    def runs(n: int, cell, text: str):
        sp = [s for s in spans.get(n, []) if s.cell == cell]
        fs = [s for s in faint.get(n, []) if s.cell == cell]
        out = []
        for run, ids, dim in pieces(text, sp, fs):
            if ids:
                k = counter[0]
                counter[0] += 1
                out.append(
                    html.Mark(
                        _entities(run),
                        id={"type": "quote-link", "id": ids[0], "n": k},
                        n_clicks=0,
                        className="ql shared" if len(ids) > 1 else "ql",
                        title=" · ".join(names.get(i, i) for i in ids),
                        **{"data-ids": " ".join(ids), "data-n": str(n)},
                    )
                )
            elif dim:
                out.append(html.Span(_entities(run), className="uncovered", title=LABELS["uncovered"][en]))
            else:
                out.append(_entities(run))
        return out

    body = []
    for p in doc.paragraphs:
        pid = f"p-{plan}-{p.n}"
        cls = "rp" + (" in-box" if p.box is not None else "") + (" current" if p.n == current else "")
        attrs = {"data-n": str(p.n)}
        if p.tables:
            tables = []
            for ti, tb in enumerate(p.tables):
                rows = [
                    html.Tr(
                        [
                            html.Td(
                                runs(p.n, (ti, ri, ci), c.text),
                                colSpan=c.colspan if c.colspan > 1 else None,
                                rowSpan=c.rowspan if c.rowspan > 1 else None,
                                className="box-title" if ri == 0 and tb.title else None,
                            )
                            for ci, c in enumerate(row)
                        ]
                    )
                    for ri, row in enumerate(tb.rows)
                ]
                tables.append(html.Table(html.Tbody(rows), className="box-table"))
            body.append(html.Div(tables, id=pid, className=cls + " box", **attrs))
        elif p.whole_heading:
            tag = (html.H2, html.H3, html.H4, html.H5, html.H4)[p.level]
            body.append(
                tag(
                    runs(p.n, None, for_display(p.text)),
                    id=pid,
                    className=cls + f" rh rh{p.level}" + (" box-title" if p.level == 4 else ""),
                    **attrs,
                )
            )
        else:
            body.append(html.P(runs(p.n, None, for_display(p.text)), id=pid, className=cls, **attrs))
    contents = html.Nav(
        className="reader-toc",
        **{"aria-label": LABELS["toc"][en]},
        children=[
            html.Details(
                [
                    html.Summary(LABELS["toc"][en]),
                    html.Ul(
                        [
                            html.Li(
                                html.A(
                                    _toc_label(title, (titles or {}).get(title) if en else None),
                                    href=f"#p-{plan}-{n}",
                                    className=f"toc-link toc-l{level}",
                                    **{"data-target": f"p-{plan}-{n}", "data-n": str(n)},
                                )
                            )
                            for n, level, title in toc(doc)
                        ]
                    ),
                ]
            )
        ],
    )
    return contents, html.Div(body, className="reader-paragraphs", lang="zh-CN", **{"data-plan": plan})


def _toc_label(title: str, title_en: str | None):
    """A contents entry: the heading as written, or its English title with the Chinese beside it."""
    from dash import html

    if not title_en:
        return title
    return [title_en, " ", html.Span(title, lang="zh", className="toc-zh")]
