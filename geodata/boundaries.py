"""Read the committed boundary layers (geodata/boundaries/*.geojson), WGS-84."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd

BOUNDARIES = Path(__file__).resolve().parent / "boundaries"
LAYERS = ("provinces", "prefectures", "counties")


class BoundaryFileError(RuntimeError):
    pass


def load_boundaries(folder: Path = BOUNDARIES) -> dict[str, gpd.GeoDataFrame]:
    """{'provinces', 'prefectures', 'counties'} -> GeoDataFrame (EPSG:4326).

    A missing or unreadable file stops start-up with a message naming it.
    """
    out = {}
    for name in LAYERS:
        path = folder / f"{name}.geojson"
        try:
            gdf = gpd.read_file(path)
        except Exception as e:  # pyogrio raises several types; name the file either way
            raise BoundaryFileError(
                f"cannot read boundary file {path}: {e}. "
                f"Restore it from git or rebuild it with `make geodata`."
            ) from e
        if gdf.empty or "name" not in gdf.columns:
            raise BoundaryFileError(
                f"boundary file {path} has no named units; rebuild it with `make geodata`"
            )
        out[name] = gdf.set_crs("EPSG:4326", allow_override=True)
    out["rivers"] = load_rivers(folder / "rivers.geojson")
    return out


def load_rivers(path: Path) -> gpd.GeoDataFrame:
    """The quiet base layer of main rivers (geodata/build_rivers.py); without the file, none."""
    if not path.exists():
        return gpd.GeoDataFrame({"class": []}, geometry=[], crs="EPSG:4326")
    return gpd.read_file(path).set_crs("EPSG:4326", allow_override=True)


@lru_cache(maxsize=1)
def default_boundaries() -> dict[str, gpd.GeoDataFrame]:
    return load_boundaries()
