"""Search the way a planner types: several words, either language, names found in the passages.

`SearchIndex.build(elements, dataset, boundaries, vocab)` is built once per store. For every
element it holds the words of six fields, best first:

| field    | what it holds                                                                      |
|----------|------------------------------------------------------------------------------------|
| name     | name, display name (&8226; cleaned), name_en                                       |
| place    | province, prefectures, counties, places, places as written: Chinese and English    |
| industry | codes, zh/en labels, the plan terms of its industries, its own terms, sector labels |
| project  | names in the record's `projects` list (when the records carry one)                 |
| alias    | alias-table names (geodata/aliases.yaml) that resolve to one of its units          |
| passage  | its quotes and the paragraph each quote sits in (a 专栏 box: the quote's row)       |

`search(index, q)`: the query splits on spaces (also 　 , ， 、 ; ；); EVERY word must match some
field. Chinese words match as substrings; Latin words (tangshan, steel) match at the start of a
word, case-insensitively, so "Tang Shan" is read as the place "tangshan". A word that names a
place or an industry (唐山, 钢铁, Tangshan, steel) is a vocabulary word: it is searched in the
name, place, industry and alias fields only. Otherwise "唐山 钢铁" would also find every record
whose paragraph mentions 钢铁 in passing. Any other word (英利, 华电, 郑州日产) is
also searched in projects and passages, which is where company and project names live.
Rank: each word scores the weight of the best field it matched; rows sort by the sum.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, field

import numpy as np
import yaml

from geodata.names import short_name

# "quote" is the element's own quotes, "passage" their paragraphs: both answer `why` as "passage",
# a name in the element's own quote ranks above one elsewhere in its paragraph
FIELD_WEIGHTS = {"name": 32, "place": 16, "industry": 8, "project": 4, "alias": 2, "quote": 1.5, "passage": 1}
FIELDS = tuple(FIELD_WEIGHTS)  # best first
VOCAB_FIELDS = ("name", "place", "industry", "alias")  # where a place or industry word is searched
_PART, _ROW = "\x1e", "\x1f"  # never in the texts, never in a query
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_SPLIT = re.compile(r"[\s,，、;；]+")
_LATIN = re.compile(r"^[a-z0-9][a-z0-9'’.\-_]*$")
_ALNUM = np.array([chr(i).isascii() and chr(i).isalnum() for i in range(128)])
_SEPARATORS = np.array([ord(_PART), ord(_ROW)], dtype=np.uint32)
SNIPPET = 14  # characters of passage either side of a match

WHY_LABELS = {
    "name": ("名称", "name"),
    "place": ("地点", "place"),
    "industry": ("产业", "industry"),
    "project": ("项目", "project"),
    "alias": ("地名别称", "place as the plans write it"),
    "passage": ("原文段落提及", "named in the passage"),
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def normalize_query(text: str) -> str:
    """Full-width to half-width, lower case (ＴａｎｇＳｈａｎ -> tangshan); control characters
    (the index's own separators among them) are spaces."""
    return _CONTROL.sub(" ", _fold(text or ""))


def _char_table(text: str) -> dict[int, str]:
    """Per-character normalisation that keeps every offset (so a match maps back to the original)."""
    table = {}
    for c in set(text):
        n = _fold(c)
        if n != c and len(n) == 1 and c not in (_PART, _ROW):
            table[ord(c)] = n
    return table


@dataclass(frozen=True)
class _Field:
    """One field of every row as one string: a word is found in all rows with one scan."""

    original: str
    text: str  # `original`, normalised character by character
    starts: np.ndarray  # offset of each row in `text`
    codes: np.ndarray = field(repr=False)  # `text` as code points: word-boundary checks without a loop

    @classmethod
    def of(cls, rows: list[list[str]]) -> _Field:
        texts = [_PART.join(p) for p in rows]
        lengths = np.fromiter((len(t) + 1 for t in texts), int, len(texts))
        starts = (
            np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int) if len(texts) else np.zeros(0, int)
        )
        original = _ROW.join(texts)
        text = original.translate(_char_table(original))
        codes = np.frombuffer((_ROW + text + _ROW).encode("utf-32-le"), dtype=np.uint32)
        return cls(original, text, starts, codes)

    def find(self, word: str, how: str = "any") -> tuple[np.ndarray, np.ndarray]:
        """(rows, position of the first match in each row), rows ascending.

        how: "any" anywhere; "start" at the start of a word (Latin); "whole" one whole part."""
        pos = np.fromiter((m.start() for m in re.finditer(re.escape(word), self.text)), int)
        if len(pos) and how != "any":
            before = self.codes[pos]  # codes are shifted by the leading separator
            if how == "start":
                pos = pos[~_ALNUM[np.minimum(before, 127)] | (before > 127)]
            else:
                after = self.codes[pos + len(word) + 1]
                pos = pos[np.isin(before, _SEPARATORS) & np.isin(after, _SEPARATORS)]
        if not len(pos):
            return pos, pos
        rows = np.searchsorted(self.starts, pos, side="right") - 1
        rows, first = np.unique(rows, return_index=True)
        return rows, pos[first]

    def part_at(self, pos: int) -> str:
        """The whole part (a place name, a label) a match at `pos` sits in."""
        a = max(self.original.rfind(_PART, 0, pos), self.original.rfind(_ROW, 0, pos)) + 1
        ends = [e for e in (self.original.find(_PART, pos), self.original.find(_ROW, pos)) if e >= 0]
        return self.original[a : min(ends) if ends else len(self.original)]

    def snippet_at(self, pos: int, length: int) -> str:
        """'…华电曹妃甸重工装备制造…': the match with a little text either side, within its part."""
        part_start = max(self.original.rfind(_PART, 0, pos), self.original.rfind(_ROW, 0, pos)) + 1
        ends = [e for e in (self.original.find(_PART, pos), self.original.find(_ROW, pos)) if e >= 0]
        part_end = min(ends) if ends else len(self.original)
        a, b = max(part_start, pos - SNIPPET), min(part_end, pos + length + SNIPPET)
        text = self.original[a:b].replace("\n", " ")
        return ("…" if a > part_start else "") + text + ("…" if b < part_end else "")


@dataclass(frozen=True)
class SearchIndex:
    ids: tuple[str, ...]  # element ids, in the row order of the table it was built for
    rows: dict[str, list[list[str]]] = field(repr=False)  # field -> per row, its parts
    fields: dict[str, _Field] = field(repr=False)
    place_words: frozenset = field(repr=False)  # names (zh short/full, en) that are places
    industry_words: frozenset = field(repr=False)  # codes, labels, terms, sector labels
    phrases: frozenset = field(repr=False)  # Latin names a query may spell in pieces
    row_of: dict = field(repr=False, default_factory=dict)  # element id -> row

    @classmethod
    def build(cls, elements, dataset, boundaries, vocab) -> SearchIndex:
        """One pass over the elements table (plus plan texts, boundary names, aliases, vocabulary)."""
        en_of = _english_names(boundaries)
        aliases = _alias_units()
        sector_of = {i["code"]: i.get("sector") for i in vocab.industries}
        records = {r["id"]: r for r in getattr(dataset, "records", [])}
        texts = getattr(dataset, "plan_texts", {})
        rows = {f: [] for f in FIELDS}
        for r in elements.itertuples(index=False):
            rows["name"].append(_name_parts(r))
            rows["place"].append(_place_parts(r, en_of))
            rows["industry"].append(_industry_parts(r, vocab, sector_of))
            rec = records.get(r.id) or {}
            rows["project"].append(
                [
                    p.get(k)
                    for p in (rec.get("projects") or [])
                    if isinstance(p, dict)
                    for k in ("name", "name_en")
                    if p.get(k)
                ]
            )
            units = set(str(r.shape_key).split("|"))
            rows["alias"].append([a for a, unit in aliases.items() if unit in units])
            rows["quote"].append(_quote_parts(r))
            rows["passage"].append(_passage_parts(r, texts.get(r.plan_number, "")))
        index = cls._from_rows(
            tuple(elements["id"]), rows, _place_words(boundaries, aliases, en_of), _industry_words(vocab)
        )
        _remember(elements, index)
        return index

    @classmethod
    def _from_rows(cls, ids, rows, place_words, industry_words) -> SearchIndex:
        fields = {f: _Field.of(rows[f]) for f in FIELDS}
        # "tang shan" -> tangshan, "new energy" -> the label "new energy" (not new AND energy)
        phrases = {w.replace(" ", "") for w in place_words} | {w for w in industry_words if " " in w}
        return cls(
            ids,
            rows,
            fields,
            frozenset(place_words),
            frozenset(industry_words),
            frozenset(w for w in phrases if all(_LATIN.match(x) for x in w.split())),
            {e: i for i, e in enumerate(ids)},
        )

    def rows_of(self, ids) -> np.ndarray | None:
        """Index rows of these element ids (None if one is not in the index)."""
        where = self.row_of
        try:
            return np.fromiter((where[e] for e in ids), int)
        except KeyError:
            return None

    def is_vocabulary(self, word: str) -> bool:
        return word in self.place_words or word in self.industry_words


# --- what goes into the fields ---------------------------------------------------
def _english_names(boundaries) -> dict[str, str]:
    """Chinese unit name -> English (pinyin) name, for provinces, prefectures and counties."""
    out = {}
    for level in ("counties", "prefectures", "provinces"):  # prefectures overwrite same-named counties
        gdf = boundaries.get(level) if hasattr(boundaries, "get") else None
        if gdf is None or "name_en" not in gdf:
            continue
        for zh, en in zip(gdf["name"], gdf["name_en"]):
            if isinstance(en, str) and en:
                out[zh] = en
    return out


def _alias_units() -> dict[str, str]:
    """Alias-table name -> the key of the unit it resolves to (as in an element's shape_key)."""
    from geodata.gazetteer import GEODATA, PlaceError, default_gazetteer

    gaz = default_gazetteer()
    with open(GEODATA / "aliases.yaml", encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)["aliases"]
    out = {}
    for a in entries:
        try:
            out[a["name"]] = gaz.resolve(a["name"]).unit.key
        except PlaceError:
            continue  # the gazetteer refuses broken aliases at load; nothing to index
    return out


def _place_words(boundaries, aliases, en_of) -> set[str]:
    words = set(aliases)
    for level in ("provinces", "prefectures", "counties"):
        gdf = boundaries.get(level) if hasattr(boundaries, "get") else None
        if gdf is not None:
            for name in gdf["name"]:
                words |= {name, short_name(name), name.removesuffix("省")}
    words |= {normalize_query(en) for en in en_of.values()}
    return {w for w in words if len(w) >= 2}


def _industry_words(vocab) -> set[str]:
    from layers.sectors import load_sectors

    words = set()
    for ind in vocab.industries:
        words |= {ind["code"], ind["zh"], ind["en"], *ind.get("terms", [])}
    for s in load_sectors():
        words |= {s["code"], s["zh"], s["en"]}
    return {normalize_query(w) for w in words if w}


def _name_parts(r) -> list[str]:
    from layers.display import clean_entities

    parts = [clean_entities(r.name), r.name, r.name_en or ""]  # the display form answers `why`
    return [p for p in dict.fromkeys(parts) if p]


def _place_parts(r, en_of) -> list[str]:
    zh = [r.province, *r.prefectures, *r.counties, *r.places, *r.places_as_written]
    parts = zh + [en_of[p] for p in zh if p in en_of]
    return [p for p in dict.fromkeys(parts) if p]


def _industry_parts(r, vocab, sector_of) -> list[str]:
    from layers.sectors import GENERAL, sector_label

    parts = []
    for code in r.industries:
        ind = vocab.industry(code)
        parts += [code, ind["zh"], ind["en"], *ind.get("terms", [])]
    parts += list(r.industry_terms)
    for s in dict.fromkeys(sector_of.get(c) for c in r.industries) or [GENERAL]:
        if s:
            parts += [s, sector_label(s, "zh"), sector_label(s, "en")]
    return [p for p in dict.fromkeys(parts) if p]


def _quote_parts(r) -> list[str]:
    from layers.passages import for_display

    return list(dict.fromkeys(for_display(q) for q in (r.quote, *r.more_quotes) if q))


def _passage_parts(r, text: str) -> list[str]:
    """Each quote within its paragraph, made readable (专栏 cell walls gone, so split words join).

    A quote already inside a paragraph taken is not looked up again: a short target quote
    ("到2015年，实现主营业务收入200亿元") first occurs in some other paragraph of the plan."""
    from layers.passages import find_passage, for_display, readable

    quotes = [r.quote, *r.more_quotes, *(t.get("quote") or "" for t in r.revenue_targets)]
    raw, parts = [], []
    for q in dict.fromkeys(q for q in quotes if q):
        if any(q in x for x in raw):
            continue
        p = find_passage(text, q, context=0) if text else None
        if p is None:
            raw.append(q)
            parts.append(for_display(q))
        else:
            raw.append(f"{p.before}{p.quote}{p.after}")
            p = readable(p)
            parts.append(f"{p.before}{p.quote}{p.after}")
    return list(dict.fromkeys(parts))


# --- searching ---------------------------------------------------------------------
@dataclass(frozen=True)
class SearchResult:
    mask: np.ndarray  # bool per row: every word matched somewhere
    score: np.ndarray  # float per row: sum over words of the best field's weight (0 off the mask)
    why: dict  # row -> (field, matched text): the weakest of the words' best matches
    words: tuple[str, ...] = ()


def query_words(index: SearchIndex, q: str) -> list[str]:
    """The words of a query; a run of Latin words that spells a place or a label is one word
    ('Tang Shan' -> tangshan, 'new energy' -> the industry, not new AND energy)."""
    raw = [w for w in _SPLIT.split(normalize_query(q)) if w]
    out, i = [], 0
    while i < len(raw):
        for j in range(len(raw), i + 1, -1):  # the longest run first
            run = raw[i:j]
            joined = next((x for x in ("".join(run), " ".join(run)) if x in index.phrases), None)
            if joined and all(_LATIN.match(w) for w in run):
                out.append(joined)
                i = j
                break
        else:
            out.append(raw[i])
            i += 1
    return list(dict.fromkeys(out))


def _how(word: str, whole: bool = False) -> str:
    """Chinese: anywhere; Latin: at the start of a word; whole: one whole part (a label, a term)."""
    if whole:
        return "whole"
    return "start" if all(_LATIN.match(w) for w in word.split()) else "any"


def search(index: SearchIndex, q: str) -> SearchResult:
    n = len(index.ids)
    words = query_words(index, q)
    if not words:
        return SearchResult(np.ones(n, bool), np.zeros(n), {}, ())
    mask = np.ones(n, bool)
    score = np.zeros(n)
    weakest = np.full(n, np.inf)  # weight of the weakest best-field over the words
    why_at: dict[int, tuple[str, int, int]] = {}
    for word in words:
        # an industry word is a whole label or term there: 钢铁 is steel, not the sector 钢铁冶金
        fields = VOCAB_FIELDS if index.is_vocabulary(word) else FIELDS
        industry_word = word in index.industry_words
        best = np.zeros(n)
        best_at: dict[int, tuple[str, int]] = {}
        for f in fields:  # best first: a row keeps its first (best) field
            rows, pos = index.fields[f].find(word, _how(word, whole=f == "industry" and industry_word))
            if not len(rows):
                continue
            new = best[rows] == 0
            rows, pos = rows[new & mask[rows]], pos[new & mask[rows]]
            best[rows] = FIELD_WEIGHTS[f]
            for r, p in zip(rows.tolist(), pos.tolist()):
                best_at[r] = (f, p)
        mask &= best > 0
        score += best
        for r, (f, p) in best_at.items():
            if mask[r] and FIELD_WEIGHTS[f] < weakest[r]:
                weakest[r] = FIELD_WEIGHTS[f]
                why_at[r] = (f, p, len(word))
        if not mask.any():
            break
    score[~mask] = 0
    why = {}
    for r in np.flatnonzero(mask).tolist():
        f, p, length = why_at[r]
        fld = index.fields[f]
        if f in ("quote", "passage"):
            why[r] = ("passage", index.fields["passage"].snippet_at(_in_paragraph(index, r, f, p), length))
        else:
            why[r] = (f, fld.part_at(p))
    return SearchResult(mask, score, why, tuple(words))


def _in_paragraph(index: SearchIndex, row: int, f: str, pos: int) -> int:
    """A match in a quote, as a position in the quote's paragraph (the snippet shows the paragraph)."""
    if f == "passage":
        return pos
    fld = index.fields["quote"]
    quote = fld.part_at(pos)
    offset = pos - (max(fld.original.rfind(_PART, 0, pos), fld.original.rfind(_ROW, 0, pos)) + 1)
    par = index.fields["passage"]
    start = int(par.starts[row])
    at = par.original.find(quote, start)
    return at + offset if at >= 0 else start


def why_text(result: SearchResult, row: int, lang: str = "zh") -> str:
    """'named in the passage: …华电曹妃甸重工…' for one row of the result ('' when it did not match)."""
    if row not in result.why:
        return ""
    f, text = result.why[row]
    zh, en = WHY_LABELS[f]
    return f"{en}: {text}" if lang == "en" else f"{zh}：{text}"


# --- for the filters and the table ----------------------------------------------------
# the tables an index was built for (a Store's elements): id -> (weak reference, index)
_BUILT: dict[int, tuple[weakref.ref, SearchIndex]] = {}


def _remember(elements, index: SearchIndex) -> None:
    for k in [k for k, (ref, _) in _BUILT.items() if ref() is None]:
        del _BUILT[k]
    try:
        _BUILT[id(elements)] = (weakref.ref(elements), index)
    except TypeError:
        pass  # a table type without weak references: it is simply not remembered


def _locate(elements) -> tuple[SearchIndex, np.ndarray | None]:
    """The index for this table and, for a table of some of its rows, where they sit in it.

    The store's table has its index; a slice of it (tests, sub-tables) uses the same index;
    a table nobody indexed gets one built now from the store's texts and boundaries."""
    hit = _BUILT.get(id(elements))
    if hit and hit[0]() is elements and len(hit[1].ids) == len(elements):
        return hit[1], None
    ids = list(elements["id"])
    for ref, full in sorted(_BUILT.values(), key=lambda x: -len(x[1].ids)):  # the store's first
        rows = full.rows_of(ids) if ref() is not None else None
        if rows is not None:
            return full, rows
    from layers.store import get_store

    store = get_store()
    return SearchIndex.build(elements, store.dataset, store.boundaries, store.vocab), None


def index_for(elements) -> SearchIndex:
    """The index the store built for `elements` (or one that holds all of its rows)."""
    return _locate(elements)[0]


def search_table(elements, q: str) -> SearchResult:
    """`search` for the rows of this table: mask, score and why by its row positions."""
    index, rows = _locate(elements)
    res = search(index, q)
    if rows is None:
        return res
    why = {i: res.why[r] for i, r in enumerate(rows.tolist()) if r in res.why}
    return SearchResult(res.mask[rows], res.score[rows], why, res.words)


def search_mask(elements, q: str) -> np.ndarray:
    """The `q` filter: which rows of `elements` every word of `q` matches."""
    if not query_words_plain(q):
        return np.ones(len(elements), bool)
    return search_table(elements, q).mask


def query_words_plain(q: str) -> list[str]:
    return [w for w in _SPLIT.split(normalize_query(q)) if w]


def rank_order(elements, q: str) -> np.ndarray:
    """Positions of the matching rows of `elements`, best match first (table order among equals)."""
    if not query_words_plain(q):
        return np.arange(len(elements))
    res = search_table(elements, q)
    rows = np.flatnonzero(res.mask)
    return rows[np.argsort(-res.score[rows], kind="stable")]
