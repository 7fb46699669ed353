"""The ``geo.places.v1`` stage: toponyms in the clean text, resolved to places, offline."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from khabar.core.article import Article, PlaceMention
from khabar.core.registry import Stage, stages
from khabar.geo.gazetteer import Gazetteer, load_or_build
from khabar.geo.home import Home, Homes, SiteProfile, article_site, site_of
from khabar.geo.match import find, unlisted_spans
from khabar.geo.resolve import Resolver
from khabar.geo.unlisted import METHOD as UNLISTED

log = logging.getLogger(__name__)


class PlaceFinder:
    """Recognise and resolve the places of one text; the gazetteer is loaded once."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        demonyms: bool = True,
        use_entities: bool = True,
        min_confidence: float = 0.0,
        max_chars: int = 200_000,
        use_home: bool = True,
        homes: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        index = Homes(gazetteer)
        self.homes = index if use_home else None
        # Homes the user gives (site -> keys), keyed as sites are: they stand in for the
        # store's profile of the site, and serve a site before the store knows it.
        self.declared = {
            site_of(f"http://{site}") or site: index.declared(keys, site=site)
            for site, keys in (homes or {}).items()
        }
        self.max_chars = max_chars
        self.resolver = Resolver(gazetteer)
        self.demonyms = demonyms
        self.use_entities = use_entities
        self.min_confidence = min_confidence

    def places(self, article: Article, home: Home | None = None) -> list[PlaceMention]:
        return self.resolved(article, home)[0]

    def resolved(
        self, article: Article, home: Home | None = None
    ) -> tuple[list[PlaceMention], list[PlaceMention]]:
        """The article's places with its site's home, and as the article names them on its own
        (the same list without a home). The store's profile of the site is made of the second:
        were it made of the first, a wrong home would confirm itself with every article."""
        entities = article.entities if self.use_entities else []
        text = article.text
        if self.max_chars and len(text) > self.max_chars:
            log.info(
                "article %s: places sought in its first %d of %d characters",
                article.id,
                self.max_chars,
                len(text),
            )
            text = text[: self.max_chars]
        hidden: list[tuple[int, int]] = []
        matches = find(self.gazetteer, text, entities, hidden)
        unlisted = unlisted_spans(text, entities, matches, hidden)
        found = self._kept(self.resolver.resolve(text, matches, home, unlisted))
        if home is None:
            return found, found
        own = self._kept(self.resolver.resolve(text, matches, None, unlisted))
        alone = {(p.start, p.end): (p.name, p.lat, p.lon) for p in own}
        # A place the home decided says so: method geo.home, where the article alone would
        # have named another place (a name the gazetteer lacks stays geo.unlisted: its area
        # is a guess from the others either way).
        found = [
            p
            if p.method == UNLISTED
            or alone.get((p.start, p.end), (p.name, p.lat, p.lon)) == (p.name, p.lat, p.lon)
            else p.model_copy(update={"method": "geo.home"})
            for p in found
        ]
        return found, own

    def _kept(self, found: list[PlaceMention]) -> list[PlaceMention]:
        return [
            p
            for p in found
            if p.confidence >= self.min_confidence and (self.demonyms or p.method != "geo.demonym")
        ]

    def home(self, article: Article) -> Home | None:
        """The home the user gave for the article's site, else the votes of the site's earlier
        articles, when the store had enough of them."""
        if self.homes is None:
            return None
        if self.declared:
            site = article_site(article)
            if site in self.declared:
                return self.declared[site]
        if not article.site_profile:
            return None
        return self.homes.of(SiteProfile.from_dict(article.site_profile))

    def __call__(self, article: Article) -> Article:
        article.places, own = self.resolved(article, self.home(article))
        article.site_keys = SiteProfile.of_places(own).rows()
        return article


@functools.cache
def _gazetteer(min_population: int, cache_dir: str) -> Gazetteer:
    """Loaded once per process (about 220 MB): pipelines built again share it read-only."""
    return load_or_build(min_population, Path(cache_dir) if cache_dir != "auto" else None)


@stages.register("geo.places.v1", requires={"text"}, assigns={"places"})
def make_places(
    min_population: int = 500,
    demonyms: bool = True,
    use_entities: bool = True,
    min_confidence: float = 0.3,
    max_chars: int = 200_000,
    cache_dir: str = "auto",
    use_home: bool = True,
    homes: dict[str, tuple[str, ...]] | None = None,
) -> Stage:
    """Place names in the clean text resolved to GeoNames places, by the article's context
    (and, with ``use_home``, by where the site's earlier articles' places lie, or by the home
    ``homes`` gives for the site: ``{"dispatch.example": ["USA/Ohio"]}``)."""
    gazetteer = _gazetteer(min_population, cache_dir)
    return PlaceFinder(
        gazetteer,
        demonyms=demonyms,
        use_entities=use_entities,
        min_confidence=min_confidence,
        max_chars=max_chars,
        use_home=use_home,
        homes=homes,
    )
