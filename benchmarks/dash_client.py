"""A minimal Dash client: calls the app's callbacks over HTTP exactly as the browser does.

It reads /_dash-dependencies, so the payloads always match the running app.
Used by the load script and the benchmarks (loopback only).
"""

from __future__ import annotations

import json
import random
import time
from urllib.parse import urlencode

import requests


class DashClient:
    def __init__(self, base: str, session: requests.Session | None = None, timeout: float = 30):
        self.base = base.rstrip("/")
        self.http = session or requests.Session()
        self.timeout = timeout
        self.deps = self.http.get(self.base + "/_dash-dependencies", timeout=timeout).json()

    def _dep(self, output_part: str) -> dict:
        for d in self.deps:
            if output_part in d["output"]:
                return d
        raise KeyError(output_part)

    def call(self, output_part: str, values: dict, changed: list[str]) -> tuple[int, int, float, dict | None]:
        """POST one callback. values: 'id.prop' -> value for its inputs and state.

        Returns (status, response bytes, seconds, parsed body or None).
        """
        d = self._dep(output_part)
        outputs = [
            {"id": o.split(".")[0].lstrip("."), "property": o.split(".")[1].split("@")[0]}
            for o in d["output"].strip(".").split("...")
        ]
        payload = {
            "output": d["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in d["inputs"]],
            "state": [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in d["state"]],
            "changedPropIds": changed,
        }
        t0 = time.perf_counter()
        r = self.http.post(
            self.base + "/_dash-update-component",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
            timeout=self.timeout,
        )
        dt = time.perf_counter() - t0
        size = len(r.content)
        body = r.json() if r.status_code == 200 and r.content else None
        return r.status_code, size, dt, body

    # --- what a planner does -------------------------------------------------------
    def change_filters(self, filters: dict, lang: str = "zh") -> list[tuple[int, int, float]]:
        """A filter change as the page runs it: the map patch, then the table and charts."""
        out = []
        vals = {
            "filters.data": filters,
            "selection.data": None,
            "f-layers.value": ["labels", "context"],
            "f-zoom.value": "all",
            "lang.data": lang,
        }
        out.append(self.call("map.figure", vals, ["filters.data"])[:3])
        out.append(self.call("grid.rowData", vals, ["filters.data"])[:3])
        return out

    def open_page(self, query: str = "") -> tuple[int, int, float]:
        return self.call("page-body.children", {"url.pathname": "/", "url.search": query}, ["url.pathname"])[
            :3
        ]

    def download_csv(self, filters: dict) -> tuple[int, int, float]:
        return self.call(
            "download.data",
            {"dl-csv.n_clicks": 1, "dl-geojson.n_clicks": 0, "filters.data": filters},
            ["dl-csv.n_clicks"],
        )[:3]


def random_filters(vocab_codes: list[str], rng: random.Random) -> dict:
    """A random but valid filter combination (canonical params, as the filters store holds them)."""
    f = {}
    if rng.random() < 0.6:
        f["industry"] = ",".join(rng.sample(vocab_codes, rng.randint(1, 3)))
    if rng.random() < 0.4:
        f["period"] = rng.choice(["2011-2015", "2016-2020", "2015-2025", "2017", "2013"])
    if rng.random() < 0.3:
        f["min_revenue"] = str(rng.choice([100, 500, 1000]))
    if rng.random() < 0.3:
        f["province"] = rng.choice(["hebei", "henan"])
    if rng.random() < 0.2:
        f["kind"] = rng.choice(["base", "park,cluster", "zone,belt", "axis,corridor"])
    if rng.random() < 0.2:
        f["q"] = rng.choice(["曹妃甸", "钢铁", "郑州", "园区", "沿海", "羊绒"])
    if rng.random() < 0.1:
        f["no_target"] = "hide"
    return f


def page_query(filters: dict) -> str:
    return "?" + urlencode(filters) if filters else ""
