"""Place names as the plans write them -> boundary units.

`Gazetteer.resolve("丰南")` returns the unit 唐山市/丰南区 with precision
"county". Forms understood, in order:
1. an entry of the alias table (geodata/aliases.yaml: renames, towns, ports, new areas);
2. a province, prefecture or county by its full official name (唐山市, 曹妃甸区);
3. "prefecture/county" for county names that exist in more than one prefecture
   (石家庄市/桥西区, 石家庄/桥西);
4. a short form without 市/区/县 (唐山, 丰南). A prefecture wins over a county
   with the same short form (安阳 is the city, not 安阳县), because that is how
   the plans use bare city names.
Unknown names raise UnknownPlace naming the input; names that fit several units
raise AmbiguousPlace listing the candidates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from geodata.names import short_name

GEODATA = Path(__file__).resolve().parent
BOUNDARIES = GEODATA / "boundaries"


@dataclass(frozen=True)
class Unit:
    """One boundary unit: level is province, prefecture or county."""

    level: str
    name: str
    province: str
    prefecture: str | None = None
    adcode: str | None = None

    @property
    def key(self) -> str:
        """Unique, readable key: 河北省, 唐山市, 唐山市/丰南区."""
        return f"{self.prefecture}/{self.name}" if self.level == "county" else self.name


@dataclass(frozen=True)
class Resolution:
    unit: Unit
    precision: str  # province | prefecture | county | town
    written: str
    note: str | None = None


class PlaceError(ValueError):
    pass


class UnknownPlace(PlaceError):
    def __init__(self, written: str):
        super().__init__(
            f"unknown place '{written}': not a province, prefecture, county or alias in geodata/aliases.yaml"
        )
        self.written = written


class AmbiguousPlace(PlaceError):
    def __init__(self, written: str, candidates: list[Unit]):
        names = ", ".join(sorted(u.key for u in candidates))
        super().__init__(f"ambiguous place '{written}': could be {names}; write it as prefecture/county")
        self.written = written
        self.candidates = candidates


def _read_properties(path: Path) -> list[dict]:
    from geodata.boundaries import BoundaryFileError

    try:
        with open(path, encoding="utf-8") as fh:
            return [f["properties"] for f in json.load(fh)["features"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise BoundaryFileError(
            f"cannot read boundary file {path}: {e}. Restore it from git or rebuild it with `make geodata`."
        ) from e


class Gazetteer:
    def __init__(self, units: list[Unit], aliases: list[dict]):
        self.units = units
        self._full: dict[str, list[Unit]] = {}
        self._short: dict[str, list[Unit]] = {}
        for u in units:
            self._full.setdefault(u.name, []).append(u)
            self._short.setdefault(short_name(u.name), []).append(u)
        for a in aliases:  # a stray key is usually a comma inside an unquoted note
            extra = set(a) - {"name", "to", "precision", "note"}
            if extra or not a.get("note"):
                raise ValueError(
                    f"geodata/aliases.yaml: alias {a.get('name')!r}: needs name, to, precision, note "
                    f"(unexpected: {', '.join(map(str, extra)) or 'none'}; quote notes with commas)"
                )
        self._aliases = {a["name"]: a for a in aliases}
        for a in aliases:  # an alias that points nowhere is a data error: fail at load
            self._lookup(a["to"], within=None)

    @classmethod
    def from_files(cls, boundaries: Path = BOUNDARIES, aliases: Path = GEODATA / "aliases.yaml"):
        units = []
        for p in _read_properties(boundaries / "provinces.geojson"):
            units.append(Unit("province", p["name"], p["name"]))
        for p in _read_properties(boundaries / "prefectures.geojson"):
            units.append(Unit("prefecture", p["name"], p["province"], p["name"], p["adcode"]))
        for p in _read_properties(boundaries / "counties.geojson"):
            # 济源 is both a prefecture-level city and its own only county: keep the prefecture
            if p["name"] == p["prefecture"]:
                continue
            units.append(Unit("county", p["name"], p["province"], p["prefecture"], p["adcode"]))
        with open(aliases, encoding="utf-8") as fh:
            return cls(units, yaml.safe_load(fh)["aliases"])

    def _lookup(self, written: str, within: set[str] | None) -> Unit:
        if "/" in written:
            pref_w, county_w = written.split("/", 1)
            pref = self._lookup(pref_w, None)
            if pref.level != "prefecture":
                raise UnknownPlace(written)
            return self._lookup(county_w, {pref.name})
        for table in (self._full, self._short):
            found = table.get(written, [])
            if within:
                inside = [u for u in found if u.level != "county" or u.prefecture in within]
                found = inside or found
            if not found:
                continue
            top = [u for u in found if u.level != "county"] or found
            if len(top) > 1:
                raise AmbiguousPlace(written, top)
            return top[0]
        raise UnknownPlace(written)

    def resolve(self, written: str, within: set[str] | None = None) -> Resolution:
        """Resolve one written place. `within`: prefecture names that disambiguate counties."""
        written = written.strip()
        if not written:
            raise UnknownPlace(written)
        alias = self._aliases.get(written)
        if alias:
            unit = self._lookup(alias["to"], within)
            return Resolution(unit, alias.get("precision", unit.level), written, alias.get("note"))
        unit = self._lookup(written, within)
        return Resolution(unit, unit.level, written)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_files()
