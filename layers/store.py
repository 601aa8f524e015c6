"""Everything the app reads, loaded and validated once per process (read-only, shared by all users)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geodata.boundaries import default_boundaries
from geodata.records import DataErrors, Dataset, default_dataset
from layers.elements import build_elements
from layers.figure import MapData, prepare_map
from layers.filters import Vocabulary
from layers.headings import check_titles, load_titles, plan_headings
from layers.hit import HitIndex
from layers.search import SearchIndex


@dataclass(frozen=True)
class Store:
    dataset: Dataset
    boundaries: dict[str, gpd.GeoDataFrame]
    elements: gpd.GeoDataFrame
    vocab: Vocabulary
    map: MapData = field(repr=False)
    hits: HitIndex = field(repr=False, default=None)  # "what is here" for a click anywhere
    element_ids: frozenset = field(repr=False, default=frozenset())
    prefecture_names: frozenset = field(repr=False, default=frozenset())
    search_index: SearchIndex | None = field(repr=False, default=None)  # layers/search.py, built once
    place_en: dict = field(repr=False, default_factory=dict)  # Chinese place name -> English (all levels)
    section_titles: dict = field(repr=False, default_factory=dict)  # plan -> heading -> English title

    def has_element(self, element_id) -> bool:
        return isinstance(element_id, str) and element_id in self.element_ids

    def has_prefecture(self, name) -> bool:
        return isinstance(name, str) and name in self.prefecture_names


def build_store(dataset: Dataset, boundaries: dict[str, gpd.GeoDataFrame]) -> Store:
    """The store for one dataset: elements placed, vocabulary and figure data prepared, the English
    heading titles checked against the plans (raises DataErrors like the records' loader)."""
    titles = load_titles()
    errors = check_titles(titles, dataset.records, plan_headings(dataset.plan_texts))
    if errors:
        raise DataErrors(errors)
    place_en = english_place_names(boundaries)
    elements = with_english_places(build_elements(dataset, boundaries), place_en)
    vocab = Vocabulary.from_dataset(dataset)
    return Store(
        dataset,
        boundaries,
        elements,
        vocab,
        prepare_map(elements, boundaries, vocab),
        HitIndex(elements, boundaries, marks=drawn_marks(elements)),
        frozenset(elements["id"]),
        frozenset(boundaries["prefectures"]["name"]),
        SearchIndex.build(elements, dataset, boundaries, vocab),
        place_en,
        titles,
    )


def english_place_names(boundaries: dict[str, gpd.GeoDataFrame]) -> dict[str, str]:
    """Chinese -> English name of every county, prefecture and province (a prefecture wins over a
    county of the same name, a province over both), built once for every panel that names places."""
    out: dict[str, str] = {}
    for level in ("counties", "prefectures", "provinces"):
        b = boundaries[level]
        out.update(
            {zh: en for zh, en in zip(b["name"], b["name_en"], strict=False) if isinstance(en, str) and en}
        )
    return out


def with_english_places(elements, place_en: dict[str, str]):
    """prefectures_en, counties_en, places_en beside the Chinese lists (hover, table, charts in English)."""
    for col in ("prefectures", "counties", "places"):
        elements[f"{col}_en"] = [tuple(place_en.get(n) or n for n in names) for names in elements[col]]
    return elements


def drawn_marks(elements) -> pd.DataFrame:
    """One row per point mark where the map draws it (element row, lon, lat): what a click can hit."""
    rows = [
        (k, lon, lat)
        for k, (lons, lats) in enumerate(zip(elements["mark_lon"], elements["mark_lat"]))
        for lon, lat in zip(lons, lats)
    ]
    return pd.DataFrame(rows, columns=["row", "lon", "lat"])


@lru_cache(maxsize=1)
def get_store() -> Store:
    """Load boundaries and plan records; raises with the file named if anything is broken.

    Called at start-up (create_app, and gunicorn --preload before it forks), so every
    worker shares the one read-only store."""
    return build_store(default_dataset(), default_boundaries())
