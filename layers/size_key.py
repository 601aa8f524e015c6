"""The revenue-target size key, drawn as layout shapes so it is to scale.

plotly's legend clamps every marker symbol to 2-16 px (plotly.js legend/style.js:
`marker.size` constrained to [2, 16]), so legend entries cannot show a 20 or 40 px mark:
the old key's 500, 1,000 and 5,000 circles were all 16 px. Shapes in pixel size mode can:
each circle's diameter here is `style.marker_size(value, scale)`, the function the marks use.
"""

from __future__ import annotations

from layers import style

KEY_COLOUR = "#555555"
GAP_PX = 8  # between neighbouring circles
LABEL_EM = 0.62  # width of one digit or comma, in em, for spacing labels under small circles


def _label(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def size_key_layout(
    vmin: float,
    vmax: float,
    scale: float | None = None,
    *,
    title: str = "",
    x: float = 0.01,
    y: float = 0.02,
    font_size: float = 11,
    factor: float = 1.0,
) -> dict:
    """Layout shapes and annotations of the size key: circles side by side on one baseline,
    their values underneath, anchored at paper (x, y) = the key's lower-left corner.

    factor: the presentation scale: circles, text and padding grow with the marks they describe.

    Returns {"shapes", "annotations", "width_px", "height_px", "values", "diameters"} so the
    caller can place the key clear of the legend and test that it matches the marks.
    """
    items = style.size_key(vmin, vmax, scale, factor)
    font_size = font_size * factor
    label_w = [len(_label(v)) * LABEL_EM * font_size for v, _ in items]
    pad, label_h = 6 * factor, font_size * 1.3
    base = pad + label_h  # circles sit above their labels
    shapes, annotations, left = [], [], pad
    centres = []
    for (value, d), lw in zip(items, label_w):
        half = max(d, lw) / 2
        cx = left + half
        centres.append(cx)
        shapes.append(
            dict(
                type="circle",
                xref="paper",
                yref="paper",
                xsizemode="pixel",
                ysizemode="pixel",
                xanchor=x,
                yanchor=y,
                x0=cx - d / 2,
                x1=cx + d / 2,
                y0=base,
                y1=base + d,
                line=dict(color=KEY_COLOUR, width=1),
                fillcolor="rgba(0,0,0,0)",
                layer="above",
            )
        )
        annotations.append(
            dict(
                xref="paper",
                yref="paper",
                x=x,
                y=y,
                xshift=cx,
                yshift=pad + label_h / 2,
                text=_label(value),
                showarrow=False,
                xanchor="center",
                yanchor="middle",
                font=dict(size=font_size, color=KEY_COLOUR),
            )
        )
        left = cx + half + GAP_PX * factor
    tallest = max((d for _, d in items), default=0)
    height = base + tallest + pad + (label_h if title else 0)
    width = left - GAP_PX * factor + pad
    if title:
        annotations.append(
            dict(
                xref="paper",
                yref="paper",
                x=x,
                y=y,
                xshift=pad,
                yshift=base + tallest + pad / 2 + label_h / 2,
                text=title,
                showarrow=False,
                xanchor="left",
                yanchor="middle",
                font=dict(size=font_size, color="#333333"),
            )
        )
    backdrop = dict(
        type="rect",
        xref="paper",
        yref="paper",
        xsizemode="pixel",
        ysizemode="pixel",
        xanchor=x,
        yanchor=y,
        x0=0,
        x1=width,
        y0=0,
        y1=height,
        fillcolor="rgba(255,255,255,0.85)",
        line=dict(color="#dddddd", width=1),
        layer="above",
    )
    return {
        "shapes": [backdrop, *shapes],
        "annotations": annotations,
        "width_px": width,
        "height_px": height,
        "values": [v for v, _ in items],
        "diameters": [d for _, d in items],
    }
