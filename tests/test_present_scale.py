"""Presentation for a room, drawn by the server: at MapOptions.scale every size grows alike, the size
key still describes the marks, labels are placed for the bigger text (so none collide) and the legend
still fits the map."""

import itertools

import pytest

from callbacks.map import map_scale, map_size
from layers import style
from layers.figure import (
    MapOptions,
    base_labels,
    build_figure,
    fit_view,
    frame_size,
    layout_patch,
    trace_index,
)
from layers.filters import Filters, filter_mask
from layers.labels import text_size

ROOM = (1260, 589)  # the map's size on a projector's 1280x720 while presenting (measured)
BIG_ROOM = (1420, 769)  # 1440x900


def _opts(size, scale, **kw):
    frame = frame_size(size, scale=scale)
    return MapOptions(size=size, scale=scale, view=fit_view(None, *frame), **kw)


def _fig(store, size=ROOM, scale=1.0, filters=None, **kw):
    mask = filter_mask(store.elements, filters or Filters())
    return build_figure(store.map, mask, _opts(size, scale, **kw))


def _by_uid(fig):
    return {tr.uid or tr.name: tr for tr in fig.data}


def _mark_sizes(fig) -> list[float]:
    return [s for uid, tr in _by_uid(fig).items() if uid.startswith("points-") for s in tr.marker.size]


def _circles(fig) -> list[float]:
    return [s.x1 - s.x0 for s in fig.layout.shapes if s.type == "circle"]


def _frame(fig, opts):
    """The frame the figure's labels were placed in: what the legend beside it leaves."""
    from layers.figure import _view_size, legend_width

    legend_w = legend_width([tr.to_plotly_json() for tr in fig.data], fig.layout.legend.font.size or 11)
    return _view_size(opts, legend_w)


def _label_boxes(fig, opts) -> list[tuple]:
    """The text boxes (px) of the mark and area labels the figure draws, from the trace itself: its
    points, textpositions and font (as chromium lays them out, see layers.labels.BOTTOM_EM)."""
    from layers.labels import BOTTOM_EM, project

    view, w, h = _frame(fig, opts)
    out = []
    for uid in ("labels-marks", "labels-areas"):
        tr = _by_uid(fig)[uid]
        x, y = project(tr.lon, tr.lat, view, w, h)
        for xi, yi, text, pos in zip(x, y, tr.text, tr.textposition):
            tw, th = text_size(text, tr.textfont.size)
            v, hz = pos.split()
            dv = {"top": -1, "middle": 0, "bottom": 1}[v]
            x0 = xi if hz == "right" else (xi - tw if hz == "left" else xi - tw / 2)
            y0 = yi + BOTTOM_EM[dv] * tr.textfont.size - th
            out.append((x0, y0, x0 + tw, y0 + th))
    return out


def _overlaps(boxes) -> list:
    return [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
    ]


@pytest.mark.parametrize("filters", [Filters(), Filters(plan=("003",))])
def test_marks_and_size_key_grow_alike(store, filters):
    laptop, room = _fig(store, filters=filters), _fig(store, scale=style.PRESENT_SCALE, filters=filters)
    a, b = _mark_sizes(laptop), _mark_sizes(room)
    assert len(a) == len(b) > 50
    assert b == pytest.approx([x * 1.5 for x in a], abs=0.01)
    ka, kb = _circles(laptop), _circles(room)
    assert len(ka) >= 3 and kb == pytest.approx([x * 1.5 for x in ka])
    # the key's circles are the marks' own size function at the key's values, at the same scale
    key_values = [
        float(a.text.replace(",", "")) for a in room.layout.annotations if a.text.replace(",", "").isdigit()
    ]
    revenue = store.elements.loc[filter_mask(store.elements, filters), "revenue_yi"].dropna()
    vmax = style.size_vmax(revenue)
    assert kb == pytest.approx([style.marker_size(v, vmax, 1.5) for v in key_values])
    assert max(b) == pytest.approx(style.SIZE_MAX * 1.5)


def test_label_fonts_grow_and_fewer_names_fit(store):
    laptop, room = _fig(store), _fig(store, scale=style.PRESENT_SCALE)
    for uid in ("labels-marks", "labels-areas", "prefecture_labels", "context_labels", "notes"):
        assert _by_uid(room)[uid].textfont.size == pytest.approx(_by_uid(laptop)[uid].textfont.size * 1.5)
    named = {uid: len(_by_uid(f)["labels-marks"].text) for uid, f in (("laptop", laptop), ("room", room))}
    assert 0 < named["room"] <= named["laptop"]
    drawn = {
        k: sum(bool(t) for t in _by_uid(f)["prefecture_labels"].text) for k, f in (("l", laptop), ("r", room))
    }
    assert 15 <= drawn["r"] <= drawn["l"]  # bigger names: fewer fit apart, the larger prefectures keep theirs


@pytest.mark.parametrize("size", [ROOM, BIG_ROOM])
@pytest.mark.parametrize("scale", [1.0, style.PRESENT_SCALE])
def test_no_two_names_collide(store, size, scale):
    opts = _opts(size, scale)
    fig = build_figure(store.map, filter_mask(store.elements, Filters()), opts)
    boxes = _label_boxes(fig, opts)
    for _, drawn in base_labels(store.map, opts, _frame(fig, opts)).values():
        boxes += drawn
    assert len(boxes) > 30
    assert not _overlaps(boxes)


@pytest.mark.parametrize("size", [ROOM, BIG_ROOM])
def test_room_legend_is_bigger_and_fits_the_map(store, size):
    from layers.figure import legend_height

    fig = _fig(store, size=size, scale=style.PRESENT_SCALE)
    font = fig.layout.legend.font.size
    rows = sum(1 for tr in fig.data if tr.showlegend) + 3  # entries and group titles
    assert font > 11  # the laptop's
    assert legend_height(rows, font) <= size[1] - 8
    assert font <= 11 * style.PRESENT_SCALE
    # and the patch a filter change or a new size sends carries the same font
    opts = _opts(size, style.PRESENT_SCALE)
    assert (
        layout_patch(store.map, filter_mask(store.elements, Filters()), opts)["legend"]["font"]["size"]
        == font
    )


@pytest.mark.parametrize(
    "reported, size, scale",
    [
        ([1260, 589], (1260, 589), 1.0),  # the old form
        ([1260, 589, 1], (1260, 589), 1.5),
        ([1260, 589, 0], (1260, 589), 1.0),
        ([1260, 589, 7], (1260, 589), 1.0),
        ([1260, 589, True], (1260, 589), 1.0),
        ([1260, 589, "1"], (1260, 589), 1.0),
        ([1260, 589, None], (1260, 589), 1.0),
        ([1260, 589, 1, 1], MapOptions().size, 1.0),
        (["1260", 589, 1], MapOptions().size, 1.0),
        (None, MapOptions().size, 1.0),
    ],
)
def test_the_browser_reports_size_and_presenting(reported, size, scale):
    assert map_size(reported) == size
    assert map_scale(reported) == scale


def test_trace_names_unchanged(store):
    # the scale changes sizes only: every slot is where the patches expect it
    assert [tr.uid or tr.name for tr in _fig(store, scale=1.5).data] == [
        tr.uid or tr.name for tr in _fig(store).data
    ] and len(trace_index(store.vocab)) == len(_fig(store).data)


def _reported(size) -> dict:
    """update_map's patch when assets/map.js reports `size` (the map-size store fired)."""
    from contextvars import copy_context

    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    from callbacks import map as map_cb

    def go():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "map-size.data", "value": None}]))
        return map_cb.update_map({}, None, ["labels", "context"], "all", size, "zh", None)

    patch, _held = copy_context().run(go)
    return patch.to_plotly_json()["operations"]


def _patched(ops, *path):
    """The values assigned at `path`, or inside a whole value assigned at a shorter path (a trace sent
    whole when the browser does not hold it)."""
    out = []
    for op in ops:
        at = tuple(op["location"])
        if op["operation"] != "Assign" or at != path[: len(at)]:
            continue
        value = op["params"]["value"]
        for k in path[len(at) :]:
            value = value[k] if isinstance(value, dict) and k in value else None
        if value is not None:
            out.append(value)
    return out


def test_entering_and_leaving_the_room_patches_every_size(store):
    index = trace_index(store.vocab)
    room, laptop = _reported([1260, 589, 1]), _reported([1260, 589, 0])
    j = index["points-0"]
    big, small = (
        _patched(room, "data", j, "marker", "size")[0],
        _patched(laptop, "data", j, "marker", "size")[0],
    )
    assert big == pytest.approx([s * 1.5 for s in small], abs=0.01)
    assert _patched(room, "layout", "legend", "font") == [{"size": 15.0}]  # all sectors: what fits 589 px
    assert _patched(laptop, "layout", "legend", "font") == [{"size": 11}]
    key = [s["x1"] - s["x0"] for s in _patched(room, "layout", "shapes")[0] if s["type"] == "circle"]
    assert max(key) == pytest.approx(max(big))  # the key's largest circle is the largest mark
    for name, font in (("labels-marks", 16.5), ("prefecture_labels", 16.5), ("context_labels", 18)):
        found = _patched(room, "data", index[name], "textfont", "size") or [
            v["textfont"]["size"] for v in _patched(room, "data", index[name])
        ]
        assert found == [font], name
