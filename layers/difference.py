"""The difference between two plan periods: which elements continued, which are new, which were dropped.

Pure functions of (elements, filters, two periods). "The same element" across plans is
its lineage (geodata/lineage.yaml; the elements table's `lineage` column); an element
with no lineage is only ever itself. Periods are compared by the plans that carry them
(`plan_period`), not by years: 2015-2025 and 2016-2020 overlap in years but are
different plans.

- continued: an element of period B whose lineage has a member in period A that the
  filters show (the pair a_id -> b_id, with both revenue targets);
- new: an element of period B with no such member in A;
- dropped: an element of period A with no lineage member in B that the filters show.

So under `industry=steel`, an A element whose B successor is no longer a steel element
counts as dropped from steel, and that successor (if shown at all) as new.

The map of the difference (`difference_traces`, `difference_figure`) marks each element
at its drawn positions (the elements' `mark_lon` / `mark_lat`): continued = filled circle,
new = ring, dropped = x; areas and lines as outlines in the state's colour.
"""

from __future__ import annotations

import io
import math
import weakref

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from layers.figure import BASE_TRACES, MapOptions, base_traces, layout
from layers.filters import Filters, filter_mask, with_period
from layers.i18n import t

STATES = ("continued", "new", "dropped")

# Okabe-Ito blue and vermillion, and a dark grey for what is gone. Closest pair (CIEDE2000,
# layers/colour.py): 23.2 normal; 23.5 deuteranopia, 24.0 protanopia, 24.2 tritanopia (simulated).
# The symbol (and for lines the dash) carries the state too, so colour is never the only cue.
STATE_COLOURS = {"continued": "#0072B2", "new": "#D55E00", "dropped": "#555555"}
STATE_SYMBOLS = {"continued": "circle", "new": "circle-open", "dropped": "x"}
STATE_DASHES = {"continued": "solid", "new": "dash", "dropped": "dot"}
MARK_SIZE = 10
DRAW_ORDER = ("dropped", "continued", "new")  # rings on top: they do not hide what lies below

# the element's own columns, copied from the elements table into each row of the difference
ELEMENT_COLUMNS = (
    "id",
    "name",
    "name_en",
    "kind",
    "plan_number",
    "plan_period",
    "province",
    "prefectures",
    "drawn_as",
    "lineage",
)
COLUMNS = (
    "state",
    *ELEMENT_COLUMNS,
    "a_id",
    "a_name",
    "a_plan",
    "a_revenue_yi",
    "b_id",
    "b_name",
    "b_plan",
    "b_revenue_yi",
)


def state_label(state: str, lang: str = "zh") -> str:
    return t(f"diff_{state}", lang)


def _same_element_key(elements: pd.DataFrame) -> np.ndarray:
    """One key per element that is equal for the members of one lineage (else the element's own id)."""
    lineage = elements["lineage"].fillna("").to_numpy(dtype=object)
    ids = elements["id"].to_numpy(dtype=object)
    return np.where(lineage != "", lineage, "self:" + ids.astype(str)).astype(object)


def difference(elements: pd.DataFrame, filters: Filters, period_a: str, period_b: str) -> pd.DataFrame:
    """One row per element shown in period A or B under the other filters (columns: COLUMNS).

    Rows of period B come first (continued or new, in the elements' order), then the dropped
    elements of A. `id` is the element the row draws (B's for continued and new, A's for
    dropped); a continued row names its A member in a_id (the first in elements order when
    a lineage has two members in A)."""
    in_a = filter_mask(elements, with_period(filters, period_a))
    in_b = filter_mask(elements, with_period(filters, period_b))
    key = _same_element_key(elements)
    first_in_a: dict[str, int] = {}
    for k in np.nonzero(in_a)[0]:
        first_in_a.setdefault(key[k], int(k))
    keys_in_b = set(key[in_b])

    b_rows = np.nonzero(in_b)[0]
    a_of_b = np.array([first_in_a.get(key[k], -1) for k in b_rows], dtype=int)
    dropped = np.array([k for k in np.nonzero(in_a)[0] if key[k] not in keys_in_b], dtype=int)
    shown = np.r_[b_rows, dropped].astype(int)
    a_side = np.r_[a_of_b, dropped].astype(int)  # -1: no A member
    b_side = np.r_[b_rows, np.full(len(dropped), -1)].astype(int)
    state = np.array(
        ["continued" if a >= 0 else "new" for a in a_of_b] + ["dropped"] * len(dropped), dtype=object
    )

    def col(name, rows):
        return elements[name].to_numpy(dtype=object)[rows]

    def side(rows, name, empty):
        values = elements[name].to_numpy(dtype=object)[np.maximum(rows, 0)]
        return np.where(rows >= 0, values, empty)

    revenue = elements["revenue_yi"].to_numpy(dtype=float)
    out = pd.DataFrame(
        {
            "state": state,
            **{c: col(c, shown) for c in ELEMENT_COLUMNS},
            "a_id": side(a_side, "id", ""),
            "a_name": side(a_side, "name", ""),
            "a_plan": side(a_side, "plan_number", ""),
            "a_revenue_yi": np.where(a_side >= 0, revenue[np.maximum(a_side, 0)], np.nan),
            "b_id": side(b_side, "id", ""),
            "b_name": side(b_side, "name", ""),
            "b_plan": side(b_side, "plan_number", ""),
            "b_revenue_yi": np.where(b_side >= 0, revenue[np.maximum(b_side, 0)], np.nan),
        },
        columns=list(COLUMNS),
    )
    out["name_en"] = out["name_en"].fillna("")
    out["lineage"] = out["lineage"].fillna("")
    out["prefectures"] = [list(p) for p in out["prefectures"]]
    return out


def state_counts(diff: pd.DataFrame) -> dict[str, int]:
    """Elements per state (each element once)."""
    got = diff["state"].value_counts()
    return {s: int(got.get(s, 0)) for s in STATES}


def counts_by_prefecture(diff: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    """(prefecture, continued, new, dropped) per prefecture named by the rows' elements.

    An element naming several prefectures counts in each (so the rows can sum to more than
    the elements); an element naming none (a province-wide one) counts under its province's
    name. A prefecture is one row even where the other province's plan names it too (Henan's
    安邯地区 names 邯郸市). Ordered by the province whose plans name it most, then by most
    elements, then by name."""
    tally: dict[str, dict[str, int]] = {}
    named_by: dict[str, dict[str, int]] = {}
    for state, province, prefectures in zip(diff["state"], diff["province"], diff["prefectures"]):
        for place in prefectures or [province]:
            tally.setdefault(place, dict.fromkeys(STATES, 0))[state] += 1
            named_by.setdefault(place, {}).setdefault(province, 0)
            named_by[place][province] += 1

    def order(place):
        province = max(sorted(named_by[place]), key=named_by[place].get)
        return (province, place != province, -sum(tally[place].values()), place)

    return [(place, *(tally[place][s] for s in STATES)) for place in sorted(tally, key=order)]


def to_csv(diff: pd.DataFrame) -> str:
    """The difference rows as CSV (lists joined by '|'; UTF-8 with BOM so spreadsheets read Chinese)."""
    df = diff.copy()
    df.insert(1, "state_zh", [state_label(s, "zh") for s in df["state"]])
    df["prefectures"] = ["|".join(p) for p in df["prefectures"]]
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return "\ufeff" + buf.getvalue()


# --- the map ---------------------------------------------------------------------
def plans_in(md, period: str) -> list[str]:
    """The plan numbers whose records carry `period` (from the records: a plan can hold an older period too)."""
    md = getattr(md, "map", md)
    return sorted(set(md.elements.loc[md.elements["plan_period"].eq(period), "plan_number"]))


def diff_slots(md, periods: tuple[str, str]) -> list[tuple[str, str, str]]:
    """The difference traces after the base traces: (name, state, plan). Fixed for one pair of periods.

    Points have one trace per state and plan: the plan's name then sits in the trace's hover
    template instead of in every point's text (the texts are most of a filter change's patch);
    the legend shows one entry per state (the first of its traces)."""
    slots = [("diff-areas", "", "")] + [(f"diff-lines-{s}", s, "") for s in DRAW_ORDER]
    for state in DRAW_ORDER:
        period = _period_of(state, periods)
        slots += [(f"diff-points-{state}-{plan}", state, plan) for plan in plans_in(md, period) or [""]]
    return slots


def diff_trace_index(md, periods: tuple[str, str]) -> dict[str, int]:
    """Trace name -> index in the difference figure (patches address traces by name, never a bare index)."""
    names = list(BASE_TRACES) + [name for name, _, _ in diff_slots(md, periods)]
    return {n: i for i, n in enumerate(names)}


_AREA_SHAPES: dict[int, tuple] = {}


def _area_shapes(md) -> tuple[dict, dict]:
    """Every area shape of the map in one geojson with short ids, and shape_key -> id.

    Sent once with the figure; a filter change sends the short ids of the areas shown."""
    hit = _AREA_SHAPES.get(id(md))
    if hit and hit[0]() is md:
        return hit[1], hit[2]
    ids: dict[str, str] = {}
    features = []
    for fc in md.areas.values():
        for f in fc["features"]:
            if f["id"] not in ids:
                ids[f["id"]] = str(len(ids))
                features.append({**f, "id": ids[f["id"]]})
    shapes = {"type": "FeatureCollection", "features": features}
    _AREA_SHAPES[id(md)] = (weakref.ref(md), shapes, ids)
    return shapes, ids


def _name(name: str, name_en: str, lang: str) -> str:
    return name_en if lang == "en" and name_en else name


def _target(v: float) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{v:g}"


def _details(diff: pd.DataFrame, plans: dict, lang: str, names_en: dict | None = None) -> list[str]:
    """Per row, what the hover says beyond the name (mostly nothing: it is most of a patch):
    the earlier name of a continued element, and the revenue targets where stated."""
    key = "short_en" if lang == "en" else "short"
    unit = "100m yuan" if lang == "en" else "亿元"
    target = t("diff_target", lang)
    out = []
    for r in diff.itertuples(index=False):
        text = ""
        if r.state == "continued" and r.a_id != r.id:
            earlier = (names_en or {}).get(r.a_id) if lang == "en" else None
            text += f"<br>{t('diff_from', lang)}: {earlier or r.a_name} ({plans[r.a_plan][key]})"
        a, b = math.isfinite(r.a_revenue_yi), math.isfinite(r.b_revenue_yi)
        if r.state == "continued" and (a or b):
            text += f"<br>{target} {_target(r.a_revenue_yi)} → {_target(r.b_revenue_yi)} {unit}"
        elif a or b:
            text += f"<br>{target} {_target(r.a_revenue_yi if a else r.b_revenue_yi)} {unit}"
        out.append(text)
    return out


def _period_of(state: str, periods: tuple[str, str]) -> str:
    return periods[0] if state == "dropped" else periods[1]


def _template(state: str, plan: str, periods, plans: dict, lang: str, details: bool) -> str:
    """The hover of one trace: the point's name (and details), then what the whole trace shares."""
    short = plans[plan]["short_en" if lang == "en" else "short"] if plan in plans else ""
    shared = " · ".join(x for x in (state_label(state, lang), short, _period_of(state, periods)) if x)
    return "<b>%{text}</b>" + ("%{customdata}" if details else "") + f"<br>{shared}<extra></extra>"


def difference_traces(md, diff: pd.DataFrame, opts: MapOptions, periods: tuple[str, str]) -> list[dict]:
    """The difference (rows of `difference(..., *periods)`) as plain trace dicts, one per `diff_slots`.

    Accepts a MapData or a Store. Points are drawn at the elements' mark positions; areas as
    one choropleth whose shapes are constant (a patch sends ids, states and texts only),
    outlined in their state's colour; lines per state, dashed by state. The legend is one
    point trace per state, named with the state and its count (all kinds)."""
    md = getattr(md, "map", md)
    lang = opts.lang
    elements = md.elements
    plans = {p["number"]: p for p in md.vocab.plans}
    pos = pd.Index(elements["id"]).get_indexer(diff["id"])
    names = [_name(n, e, lang) for n, e in zip(diff["name"], diff["name_en"])]
    details = _details(diff, plans, lang, dict(zip(elements["id"], elements["name_en"])))
    states = diff["state"].to_numpy(dtype=object)
    drawn = diff["drawn_as"].to_numpy(dtype=object)
    plan_of = diff["plan_number"].to_numpy(dtype=object)
    counts = state_counts(diff)
    traces: list[dict] = []

    shapes, shape_id = _area_shapes(md)
    areas = np.nonzero(drawn == "area")[0]
    shape_keys = elements["shape_key"].to_numpy(dtype=object)[pos[areas]]
    # outlines only: the plans' zones overlap by the dozen, and stacked tints would bury the marks
    # (the fill is transparent, not absent, so hovering inside an area still names it)
    clear = "rgba(255,255,255,0)"
    traces.append(
        dict(
            type="choropleth",
            geojson=shapes,
            name="diff-areas",
            uid="diff-areas",
            showlegend=False,
            locations=[shape_id[k] for k in shape_keys],
            z=[STATES.index(states[k]) for k in areas],
            zmin=0,
            zmax=2,
            colorscale=[[0, clear], [1, clear]],
            showscale=False,
            marker=dict(opacity=1, line=dict(color=[STATE_COLOURS[states[k]] for k in areas], width=1.4)),
            text=[
                f"<b>{names[k]}</b>{details[k]}<br>{state_label(states[k], lang)} · "
                f"{plans[plan_of[k]]['short_en' if lang == 'en' else 'short']} · {_period_of(states[k], periods)}"
                for k in areas
            ],
            hovertemplate="%{text}<extra></extra>",
        )
    )

    for state in DRAW_ORDER:
        lons, lats, texts = [], [], []
        for k in np.nonzero((drawn == "line") & (states == state))[0]:
            xy = np.asarray(elements.geometry.iat[pos[k]].coords).round(4)
            lons += [*xy[:, 0].tolist(), None]
            lats += [*xy[:, 1].tolist(), None]
            texts += [names[k] + details[k]] * len(xy) + [None]
        traces.append(
            dict(
                type="scattergeo",
                lon=lons,
                lat=lats,
                mode="lines",
                name=f"diff-lines-{state}",
                uid=f"diff-lines-{state}",
                line=dict(color=STATE_COLOURS[state], width=3, dash=STATE_DASHES[state]),
                text=texts,
                hovertemplate=_template(state, "", periods, plans, lang, False),
                legendgroup=state,
                showlegend=False,
            )
        )

    mark_lon, mark_lat = (
        elements["mark_lon"].to_numpy(dtype=object),
        elements["mark_lat"].to_numpy(dtype=object),
    )
    keyed = set()
    for name, state, plan in diff_slots(md, periods)[1 + len(DRAW_ORDER) :]:
        lons, lats, texts, more = [], [], [], []
        for k in np.nonzero((drawn == "point") & (states == state) & (plan_of == plan))[0]:
            n = len(mark_lon[pos[k]])
            lons += mark_lon[pos[k]]
            lats += mark_lat[pos[k]]
            texts += [names[k]] * n
            more += [details[k]] * n
        legend = state not in keyed  # the state's first trace keys the legend, even when empty
        keyed.add(state)
        if not lons and legend:
            lons, lats = [None], [None]
        has_details = any(more)
        open_mark = STATE_SYMBOLS[state].endswith("-open")
        tr = dict(
            type="scattergeo",
            lon=lons,
            lat=lats,
            mode="markers",
            name=f"{state_label(state, lang)} ({counts[state]})",
            uid=name,
            legendgroup=state,
            legendrank=STATES.index(state) + 1,
            showlegend=legend,
            marker=dict(
                symbol=STATE_SYMBOLS[state],
                color=STATE_COLOURS[state],
                size=MARK_SIZE,
                opacity=0.95,
                line=dict(
                    width=2.4 if open_mark else 0.8, color=STATE_COLOURS[state] if open_mark else "white"
                ),
            ),
            text=texts,
            hovertemplate=_template(state, plan, periods, plans, lang, has_details),
        )
        if has_details:
            tr["customdata"] = more
        traces.append(tr)
    return traces


def legend_title(period_a: str, period_b: str, lang: str) -> str:
    return t("diff_title", lang, a=period_a, b=period_b)


def difference_figure(
    store,
    filters: Filters,
    period_a: str,
    period_b: str,
    lang: str = "zh",
    view=None,
    height: int | None = None,
) -> go.Figure:
    """The whole difference map: the page's base map, the three states, a legend naming them with counts.

    `view` is a zoom target (河北省, 'lon0,lat0,lon1,lat1', 'all') or bounds; it is widened to the
    page map's shape, so the same relayout values mean the same view on both maps."""
    from layers.page_state import page_view  # page_state builds on the store; imported when a figure is made

    bounds = page_view(view, store) if isinstance(view, str) or view is None else view
    opts = MapOptions(lang=lang, view=bounds, height=height)
    diff = difference(store.elements, filters, period_a, period_b)
    base = base_traces(store.map, opts)
    fig = go.Figure(
        data=[base[n] for n in BASE_TRACES]
        + difference_traces(store, diff, opts, (period_a, period_b))
        + [base["prefecture_labels"]]
    )
    fig.update_layout(**layout(opts))
    fig.update_layout(
        uirevision="compare",
        legend=dict(title=dict(text=legend_title(period_a, period_b, lang)), groupclick="togglegroup"),
    )
    return fig
