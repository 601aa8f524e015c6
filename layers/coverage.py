"""Coverage notes: say so where a province is empty because the dataset has no plan of that time.

Henan's only plan here is 004 (2011-2015, with a few 十一五 review records): filtered to
2016-2020 or 2015-2025 it empties, and without a note that reads as "Henan planned nothing".
`coverage_gaps` gives one note per such province (with the point to write it at, for the map);
`coverage_phrase` gives the same in one line for the summary. Pure: the vocabulary knows which
plans' elements carry each period.
"""

from __future__ import annotations

from layers.filters import PROVINCE_EN, in_period

PROVINCES = ("河北省", "河南省")


def province_periods(vocab) -> dict[str, set[str]]:
    """The periods each province's elements carry in the dataset."""
    out: dict[str, set[str]] = {p: set() for p in PROVINCES}
    for period, numbers in vocab.period_plans:
        for n in numbers:
            out.setdefault(vocab.plan(n)["province"], set()).add(period)
    return out


def _selected(f) -> str | None:
    """The time the filters ask for, in words ('2016-2020', '2018'), or None when they ask for none."""
    if not f.period and not f.year:
        return None
    return str(f.year) if f.year else "、".join(f.period)  # a year narrows any period chosen with it


def _covers(periods: set[str], f) -> bool:
    return any((not f.period or p in f.period) and (not f.year or in_period(f.year, p)) for p in periods)


def gap_provinces(f, vocab) -> list[str]:
    """Provinces the filters would show but whose plans in the dataset do not reach the chosen time."""
    if _selected(f) is None:
        return []
    have = province_periods(vocab)
    wanted = [p for p in PROVINCES if not f.province or p in f.province]
    return [p for p in wanted if not _covers(have.get(p, set()), f)]


def _note(province: str, f, vocab) -> tuple[str, str]:
    when = _selected(f)
    own = [p for p in vocab.plans if p["province"] == province]
    has = [f"{p['number']} {p['period']}" for p in own]
    name_en = PROVINCE_EN.get(province, province)
    zh = f"{province}：本数据集没有{when}年的{province}规划（收录的为 {'、'.join(has)}）"
    en = (
        f"{name_en}: no {name_en} plan for {when.replace('、', ', ')} in this dataset "
        f"(its plans here: {', '.join(has)})"
    )
    return zh, en


def coverage_gaps(f, vocab, boundaries) -> list[dict]:
    """One note per province left empty by the dataset's coverage: province, text_zh, text_en, lon, lat
    (the province's label point, where the map writes the note)."""
    gaps = gap_provinces(f, vocab)
    if not gaps:  # the usual case: nothing to index (set_index copied the provinces on every change)
        return []
    provs = boundaries["provinces"].set_index("name")
    out = []
    for province in gaps:
        zh, en = _note(province, f, vocab)
        row = provs.loc[province]
        out.append(
            {
                "province": province,
                "text_zh": zh,
                "text_en": en,
                "lon": float(row["label_lon"]),
                "lat": float(row["label_lat"]),
            }
        )
    return out


def coverage_phrase(f, vocab, lang: str = "zh") -> str:
    """The notes in one line for the summary ('' when every province shown has a plan of that time)."""
    notes = [_note(p, f, vocab) for p in gap_provinces(f, vocab)]
    return ("; " if lang == "en" else "；").join(en if lang == "en" else zh for zh, en in notes)


def coverage_notes(f, vocab, boundaries) -> tuple:
    """The gaps as the map writes them over each empty province: ((lon, lat, zh, en), ...)."""
    return tuple(
        (g["lon"], g["lat"], g["text_zh"], g["text_en"]) for g in coverage_gaps(f, vocab, boundaries)
    )
