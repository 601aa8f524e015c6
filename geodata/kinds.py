"""The one table of element kinds: what a record's `kind` may be, and how each is drawn.

Records (validation), the elements table (geometry), the figure (trace order,
symbols, colours), the filters (the kind filter) and the interface text (labels)
all read it here. Adding a kind is one row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    zh: str
    en: str
    geometry: str  # point | area | line: how the map draws it
    symbol: str = ""  # plotly marker symbol (points)
    colour: str = ""  # outline / line colour (areas and lines)
    draw_order: int = 0  # lower is drawn first (underneath)


KIND_TABLE: tuple[Kind, ...] = (
    # in the order filters and legends list them; draw_order puts areas under lines under points
    Kind("base", "基地", "Base", "point", symbol="circle", draw_order=20),
    Kind("park", "园区", "Park", "point", symbol="square", draw_order=21),
    Kind("new_area", "新区", "New area", "point", symbol="star", draw_order=22),
    Kind("cluster", "产业集群", "Cluster", "point", symbol="diamond", draw_order=23),
    Kind("city_role", "城市定位", "City role", "point", symbol="triangle-up", draw_order=24),
    Kind("project", "重大项目", "Project", "point", symbol="x", draw_order=25),
    Kind("belt", "产业带", "Belt", "area", colour="#DD8452", draw_order=1),
    Kind("zone", "功能区", "Zone", "area", colour="#4C72B0", draw_order=0),
    Kind("group", "组团", "Group", "area", colour="#55A868", draw_order=2),
    Kind("axis", "发展轴", "Axis", "line", colour="#8B1A1A", draw_order=10),
    Kind("corridor", "走廊", "Corridor", "line", colour="#6A3D9A", draw_order=11),
)
KINDS_BY_CODE = {k.code: k for k in KIND_TABLE}


def kinds_drawn_as(geometry: str) -> tuple[str, ...]:
    """Kind codes of one geometry class, in draw order."""
    return tuple(k.code for k in sorted(KIND_TABLE, key=lambda k: k.draw_order) if k.geometry == geometry)


KINDS = tuple(k.code for k in KIND_TABLE)
POINT_KINDS = kinds_drawn_as("point")
AREA_KINDS = kinds_drawn_as("area")
LINE_KINDS = kinds_drawn_as("line")
