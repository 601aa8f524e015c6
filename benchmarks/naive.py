"""The naive baseline: the obvious first implementation, measured beside ours.

Every filter change builds a whole new figure with plotly express from the
GeoDataFrames, carrying boundaries at the finest resolution the project ships
(county geometry, dissolved to prefectures, not simplified again), and sends it
all to the browser. `naive_app()` is a small Dash app doing exactly that, for
the browser measurements.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.express as px
import shapely


@lru_cache(maxsize=1)
def fine_prefectures() -> gpd.GeoDataFrame:
    from layers.store import get_store

    counties = get_store().boundaries["counties"]
    parts = [
        {"name": n, "province": g["province"].iloc[0], "geometry": shapely.union_all(g.geometry.values)}
        for n, g in counties.groupby("prefecture")
    ]
    return gpd.GeoDataFrame(parts, geometry="geometry", crs="EPSG:4326").set_index("name", drop=False)


def naive_figure(elements: pd.DataFrame, mask: np.ndarray):
    prefs = fine_prefectures()
    fig = px.choropleth(
        prefs,
        geojson=prefs.__geo_interface__,
        locations=prefs.index,
        color="province",
        hover_name="name",
        fitbounds="locations",
    )
    shown = elements[mask]
    areas = shown[shown["drawn_as"] != "point"]
    if len(areas):
        gj = areas[["id", "geometry"]].set_index("id", drop=False)
        zones = px.choropleth(
            gj, geojson=gj.__geo_interface__, locations=gj.index, color_discrete_sequence=["#4C72B0"]
        )
        fig.add_traces(list(zones.data))
    pts = shown[shown["drawn_as"] == "point"]
    if len(pts):
        scat = px.scatter_geo(
            pts.assign(size=pts["revenue_yi"].fillna(50)),
            lat="lat",
            lon="lon",
            color="primary_industry",
            symbol="kind",
            size="size",
            hover_name="name",
            custom_data=["id"],
        )  # points drawn last: on top, clickable
        fig.add_traces(list(scat.data))
    fig.update_geos(visible=False)
    return fig


def naive_app():
    """A Dash app the obvious way: every change rebuilds and resends the whole figure."""
    from pathlib import Path

    from dash import Dash, Input, Output, dcc, html

    from callbacks.layout import filter_control
    from layers.filters import filter_mask, parse_filters, spec_for
    from layers.passages import find_passage
    from layers.store import get_store

    store = get_store()
    # the real app's assets folder only for the local topojson (its CSS and JS are not the baseline's)
    app = Dash(
        __name__,
        serve_locally=True,
        assets_folder=str(Path(__file__).resolve().parents[1] / "assets"),
        assets_ignore=r".*\.(css|js)$",
    )
    app.layout = html.Div(
        [
            dcc.Location(id="url"),
            # the same industry dropdown as ours: the browser benchmark drives both through it
            filter_control(spec_for("industry"), store.vocab, "zh", ()),
            dcc.Graph(id="map", style={"height": "800px"}, config={"topojsonURL": "/assets/topojson/"}),
            html.Div(id="details"),
        ]
    )

    @app.callback(
        Output("map", "figure"),
        Input("url", "search"),
        Input("f-industry", "value"),
        Input("map", "clickData"),
    )
    def draw(search, industries, click):
        from urllib.parse import parse_qs

        params = parse_qs((search or "").lstrip("?"))
        if industries:
            params["industry"] = [",".join(industries)]
        f, _ = parse_filters(params, store.vocab)
        return naive_figure(store.elements, filter_mask(store.elements, f))

    @app.callback(Output("details", "children"), Input("map", "clickData"))
    def details(click):
        if not click:
            return ""
        rid = (click["points"][0].get("customdata") or [None])[0]
        hit = store.elements[store.elements["id"] == rid]
        if not len(hit):
            return ""
        row = hit.iloc[0]
        p = find_passage(store.dataset.plan_texts[row["plan_number"]], row["quote"])
        return html.P([p.before, html.Mark(p.quote), p.after])

    return app


def serve_naive(port: int) -> None:
    naive_app().run(host="127.0.0.1", port=port, debug=False)


if __name__ == "__main__":
    import sys

    serve_naive(int(sys.argv[1]))
