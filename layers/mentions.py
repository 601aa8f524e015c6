"""Places no record covers: a gazetteer scan of each plan text (issue 17).

`place_terms(gaz)` lists every written form the gazetteer resolves (full unit
names, unambiguous short forms, aliases); `scan_plan` finds them in a plan,
longest match first; `coverage` labels each mention covered when it lies inside
a record's quote. What stays uncovered must be dismissed, with a reason, in
geodata/mentions_reviewed.yaml (`load_reviews` validates it against the scan).

    python -m layers.mentions [--plan 000] [--uncovered]

prints the counts per plan and the uncovered, unreviewed mentions with context.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from geodata.gazetteer import AmbiguousPlace, Gazetteer, PlaceError
from geodata.names import short_name

REVIEWED = Path(__file__).resolve().parent.parent / "geodata" / "mentions_reviewed.yaml"

# Short forms that are ordinary words (or other names) far more often than the unit in these plans.
STOP_SHORT = {
    "新华": "新华区 exists in 石家庄, 沧州 and 平顶山; bare 新华 is also a company/market name",
    "长安": "in the plans always the 长安 car maker (保定长安, 定州长安汽车), not 石家庄 长安区",
    "中原": "the Central Plains region (中原经济区, 中原城市群, 中原电气谷), not 郑州 中原区",
    "海港": "the word 'seaport' (沿海港口) and 唐山海港经济开发区, not 秦皇岛 海港区",
    "商城": "the word 'online mall' (网上商城), not 信阳 商城县",
    "建安": "a substring of 创建安全, not 许昌 建安区",
    "南和": "a substring of 冀中南和冀东, not 邢台 南和区",
    "路北": "衡水's 市区路北工业聚集区 ('north of the road'), not 唐山 路北区",
    "城区": "the word 'urban area'",
    "矿区": "the word 'mining area'",
    "郊区": "the word 'suburbs'",
    "开发": "the word 'develop'",
    "和平": "the word 'peace'",
}
# Words that hold a place form but are not places: matched as blockers so the
# longest-match scan consumes them before the place form can match.
NOT_PLACES = (
    "大城市",  # 'big city', not 大城县 + 市
    "示范县",  # 'demonstration county', not 范县
    "资源汇",  # 资源汇聚 'resources gather', not 漯河 源汇区
    "壮大",  # 壮大周边 'strengthen the surrounding', not the 大周 town
    "大清河",  # the river (固安大清河), not 清河县
)


@dataclass(frozen=True)
class Mention:
    plan: str  # plan number "000"
    offset: int  # character offset in the plan text
    term: str  # the form as written
    unit: str  # gazetteer unit key (唐山市/丰南区); "a|b" when the full name is ambiguous
    paragraph: int  # line index in the plan text
    context: str  # ±20 characters around the mention

    @property
    def end(self) -> int:
        return self.offset + len(self.term)


@dataclass(frozen=True)
class Labelled:
    mention: Mention
    covered_by: str | None  # id of the record whose quote holds the mention


def place_terms(gaz: Gazetteer) -> list[tuple[str, str]]:
    """Every form the gazetteer resolves, as (term, unit key), longest first."""
    terms: dict[str, str] = {}

    def add(form: str) -> None:
        if len(form) < 2 or form in terms or form in STOP_SHORT:
            return
        try:
            terms[form] = gaz.resolve(form).unit.key
        except AmbiguousPlace as e:  # 桥西区: still a place mention, of one of these units
            terms[form] = "|".join(sorted(u.key for u in e.candidates))
        except PlaceError:
            pass

    for u in gaz.units:
        add(u.name)
    for alias in gaz._aliases:  # noqa: SLF001 - the alias table is the gazetteer's own list
        add(alias)
    for u in gaz.units:
        short = short_name(u.name)
        if short != u.name:
            try:
                gaz.resolve(short)
            except AmbiguousPlace:
                continue  # ambiguous short forms are not a reliable mention
            except PlaceError:
                continue
            add(short)
    return sorted(terms.items(), key=lambda t: (-len(t[0]), t[0]))


def scan_plan(text: str, terms: list[tuple[str, str]], plan: str = "") -> list[Mention]:
    """Non-overlapping mentions, left to right, the longest term at each position."""
    by_first: dict[str, list[tuple[str, str | None]]] = {}
    for term, unit in list(terms) + [(w, None) for w in NOT_PLACES]:
        by_first.setdefault(term[0], []).append((term, unit))
    for cands in by_first.values():
        cands.sort(key=lambda t: -len(t[0]))
    out, i, line = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
        hit = next(((t, u) for t, u in by_first.get(ch, ()) if text.startswith(t, i)), None)
        if hit is None:
            i += 1
            continue
        term, unit = hit
        if unit is not None:
            ctx = text[max(0, i - 20) : i + len(term) + 20].replace("\n", " ")
            out.append(Mention(plan, i, term, unit, line, ctx))
        i += len(term)
    return out


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of a quote in the text, as (start, end)."""
    spans, start = [], text.find(quote) if quote else -1
    while start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def record_quotes(rec: dict) -> list[str]:
    return (
        [rec.get("quote")]
        + list(rec.get("more_quotes") or [])
        + [t.get("quote") for t in rec.get("revenue_targets") or []]
    )


def coverage(mentions: list[Mention], records: list[dict], text: str) -> list[Labelled]:
    """Label each mention with the first record (of its plan) whose quote span holds it."""
    spans = []
    for rec in records:
        for q in record_quotes(rec):
            if isinstance(q, str) and q:
                spans += [(s, e, rec["id"]) for s, e in quote_spans(text, q)]
    out = []
    for m in mentions:
        rid = next((r for s, e, r in spans if s <= m.offset and m.end <= e), None)
        out.append(Labelled(m, rid))
    return out


# ---------------------------------------------------------------- reviews


class ReviewError(ValueError):
    pass


def _entry_name(i: int, r: dict) -> str:
    what = r.get("context") or r.get("paragraph_contains") or ",".join(r.get("terms") or [])
    terms = r.get("term") or r.get("terms")
    return f"geodata/mentions_reviewed.yaml: review {i + 1} (plan {r.get('plan')}, {terms}, '{what[:30]}')"


def match_review(review: dict, text: str, uncovered: list[Mention], provinces: set[str]) -> list[Mention]:
    """The uncovered mentions one review dismisses; ReviewError (no entry name) when malformed."""
    if not review.get("reason"):
        raise ReviewError("needs a one-line reason")
    if "context" in review:
        term, ctx = review.get("term"), review["context"]
        if not term or term not in ctx:
            raise ReviewError("a context review needs `term`, written inside its `context`")
        spans = quote_spans(text, ctx)
        if len(spans) != 1:
            raise ReviewError(f"context found {len(spans)} times in the plan text (must be exactly once)")
        s, e = spans[0]
        return [m for m in uncovered if m.term == term and s <= m.offset and m.end <= e]
    terms = review.get("terms")
    if terms is not None and (not isinstance(terms, list) or not terms):
        raise ReviewError("`terms` must be a non-empty list")
    if "paragraph_contains" in review:
        lines = [i for i, line in enumerate(text.split("\n")) if review["paragraph_contains"] in line]
        if len(lines) != 1:
            raise ReviewError(f"paragraph_contains found in {len(lines)} paragraphs (must be exactly one)")
        return [m for m in uncovered if m.paragraph == lines[0] and (terms is None or m.term in terms)]
    if review.get("everywhere") is True:
        # only a province's name may be dismissed plan-wide: it never places an element on its own
        if not terms or not set(terms) <= provinces:
            raise ReviewError("`everywhere` is only for province names (河北, 河南省, 北京, 天津 …)")
        return [m for m in uncovered if m.term in terms]
    raise ReviewError(
        "needs `term` + `context`, `paragraph_contains` (+ optional `terms`) or `terms` + `everywhere: true`"
    )


def load_reviews(
    labelled: dict[str, list[Labelled]],
    texts: dict[str, str],
    path: Path = REVIEWED,
    provinces: set[str] = frozenset(),
) -> dict[tuple[str, int], dict]:
    """Validate the reviewed file against the scan: {(plan, offset): review} for dismissed mentions.

    Errors (each naming the entry): unknown plan, context not found or not unique,
    a review that dismisses no uncovered mention (stale)."""
    with open(path, encoding="utf-8") as fh:
        reviews = (yaml.safe_load(fh) or {}).get("reviews") or []
    errors, matched = [], {}
    for i, r in enumerate(reviews):
        if not isinstance(r, dict):
            errors.append(f"geodata/mentions_reviewed.yaml: review {i + 1}: must be a mapping")
            continue
        plan = str(r.get("plan"))
        if plan not in texts:
            errors.append(f"{_entry_name(i, r)}: unknown plan")
            continue
        uncovered = [x.mention for x in labelled.get(plan, []) if x.covered_by is None]
        try:
            hits = match_review(r, texts[plan], uncovered, provinces)
        except ReviewError as e:
            errors.append(f"{_entry_name(i, r)}: {e}")
            continue
        if not hits:
            errors.append(f"{_entry_name(i, r)}: stale - matches no uncovered mention")
        for m in hits:
            matched.setdefault((plan, m.offset), r)
    if errors:
        raise ReviewError(f"{len(errors)} problem(s):\n  " + "\n  ".join(errors))
    return matched


# ---------------------------------------------------------------- the whole dataset


@dataclass
class PlanBalance:
    plan: str
    labelled: list[Labelled]
    reviewed: dict[tuple[str, int], dict]

    @property
    def covered(self) -> list[Labelled]:
        return [x for x in self.labelled if x.covered_by]

    @property
    def dismissed(self) -> list[Labelled]:
        return [
            x for x in self.labelled if not x.covered_by and (self.plan, x.mention.offset) in self.reviewed
        ]

    @property
    def open(self) -> list[Mention]:
        """Uncovered and unreviewed: what a maintainer still has to decide."""
        return [
            x.mention
            for x in self.labelled
            if not x.covered_by and (self.plan, x.mention.offset) not in self.reviewed
        ]


def scan_dataset(dataset=None, gaz: Gazetteer | None = None, path: Path = REVIEWED) -> dict[str, PlanBalance]:
    from geodata.gazetteer import default_gazetteer
    from geodata.records import default_dataset

    dataset = dataset or default_dataset()
    gaz = gaz or default_gazetteer()
    terms = place_terms(gaz)
    labelled = {}
    for plan, text in dataset.plan_texts.items():
        recs = [r for r in dataset.records if r["plan_number"] == plan]
        labelled[plan] = coverage(scan_plan(text, terms, plan), recs, text)
    province_keys = {u.key for u in gaz.units if u.level == "province"}
    provinces = {t for t, key in terms if key in province_keys}
    reviewed = load_reviews(labelled, dataset.plan_texts, path, provinces) if path.exists() else {}
    return {p: PlanBalance(p, labelled[p], reviewed) for p in labelled}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Place mentions no record covers, per plan.")
    ap.add_argument("--plan", help="plan number, e.g. 000")
    ap.add_argument("--uncovered", action="store_true", help="list every uncovered mention, reviewed or not")
    args = ap.parse_args(argv)
    try:
        balances = scan_dataset()
    except ReviewError as e:
        print(e, file=sys.stderr)
        return 1
    for plan, b in sorted(balances.items()):
        if args.plan and plan != args.plan:
            continue
        print(
            f"plan {plan}: {len(b.labelled)} mentions, {len(b.covered)} covered by a record, "
            f"{len(b.dismissed)} reviewed, {len(b.open)} open"
        )
        show = [x.mention for x in b.labelled if not x.covered_by] if args.uncovered else b.open
        for m in show:
            review = b.reviewed.get((plan, m.offset))
            mark, why = ("  ", f"  — {review['reason']}") if review else ("! ", "")
            print(f"{mark}{plan} ¶{m.paragraph} @{m.offset} {m.term} [{m.unit}]  …{m.context}…{why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
