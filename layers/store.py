"""Everything the app reads, loaded and validated once per process (read-only, shared by all users)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd

from geodata.boundaries import default_boundaries
from geodata.records import Dataset, default_dataset
from layers.elements import build_elements
from layers.filters import Vocabulary


@dataclass(frozen=True)
class Store:
    dataset: Dataset
    boundaries: dict[str, gpd.GeoDataFrame]
    elements: gpd.GeoDataFrame
    vocab: Vocabulary


@lru_cache(maxsize=1)
def get_store() -> Store:
    """Load boundaries and plan records; raises with the file named if anything is broken."""
    dataset = default_dataset()
    boundaries = default_boundaries()
    return Store(dataset, boundaries, build_elements(dataset, boundaries), Vocabulary.from_dataset(dataset))
