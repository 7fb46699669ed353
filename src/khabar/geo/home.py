"""A site's home ground: where the places of its earlier articles lie.

A local paper names its own towns without their state ("Dublin", "Athens", "Paris"), because
its readers know which one is meant; a national paper does the same with its country's cities.
The article alone cannot tell the stage which Dublin, but the site's other articles can: the
share of them that name a place in each country and first-level area is the site's profile,
and the resolver reads it as context, weaker than the article's own (the "local lexicon" of
Lieberman, Samet and Sankaranarayanan, 2010, who built the LGL corpus to measure it).

A profile is plain data that can be stored and summed (``SiteProfile``); ``Home`` is the same
profile as the resolver's votes over one gazetteer's countries and areas, with the areas named
by fewer than half of the articles left out (the countries: by fewer than three quarters), so a
wire service or a world-news site, whose places are everywhere, gets no home.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from khabar.core.article import Article, PlaceMention
from khabar.core.errors import ConfigError

if TYPE_CHECKING:
    from khabar.geo.gazetteer import Gazetteer

MIN_ARTICLES = 3  # fewer earlier articles say too little about a site
# A country or area named by fewer of the site's articles is not its home. A country needs
# more: a world-news site names its own country in about half of its articles (WikiNews the
# United States in 121 of GeoVirus's 229), and that is no reason to send "Glasgow" to Kentucky;
# a national paper names its country in nearly all.
MIN_COUNTRY_SHARE = 0.75
MIN_AREA_SHARE = 0.5
LOCAL = frozenset({"city", "admin2", "admin1"})  # precisions that speak for a first-level area


@dataclass
class SiteProfile:
    """How many of a site's articles name a place in each country and first-level area."""

    articles: int = 0
    countries: Counter[str] = field(default_factory=Counter)  # ISO3
    areas: Counter[str] = field(default_factory=Counter)  # "ISO3/area name"

    def add(self, places: Iterable[PlaceMention]) -> None:
        """Count one article: each country and area once, whatever the number of mentions."""
        countries: set[str] = set()
        areas: set[str] = set()
        for place in places:
            if place.country is None:
                continue
            countries.add(place.country)
            if place.admin1 and place.precision in LOCAL:
                areas.add(f"{place.country}/{place.admin1}")
        self.articles += 1
        self.countries.update(countries)
        self.areas.update(areas)

    def merge(self, other: SiteProfile) -> None:
        """Add another profile's articles to this one."""
        self.articles += other.articles
        self.countries.update(other.countries)
        self.areas.update(other.areas)

    def without(self, other: SiteProfile) -> SiteProfile:
        """This profile less another's articles (an article's own, to leave it out)."""
        return SiteProfile(
            self.articles - other.articles,
            self.countries - other.countries,
            self.areas - other.areas,
        )

    @classmethod
    def of_places(cls, places: Iterable[PlaceMention]) -> SiteProfile:
        """The profile of one article with these places."""
        made = cls()
        made.add(places)
        return made

    def rows(self) -> list[str]:
        """The profile of one article as the rows a store keeps: "" for the article itself,
        then its countries ("PAK") and areas ("PAK/Sindh")."""
        return ["", *sorted(self.countries), *sorted(self.areas)]

    @classmethod
    def from_counts(cls, counts: Iterable[tuple[str, int]]) -> SiteProfile:
        """A profile from (key, number of articles) pairs, keyed as ``rows`` makes them."""
        profile = cls()
        for key, count in counts:
            if key == "":
                profile.articles += count
            elif "/" in key:
                profile.areas[key] += count
            else:
                profile.countries[key] += count
        return profile

    def home_keys(self) -> dict[str, float]:
        """The countries and areas that make the site's home, with their shares of its
        articles: none below ``MIN_ARTICLES`` articles."""
        if self.articles < MIN_ARTICLES:
            return {}
        n = self.articles
        home = {k: v / n for k, v in self.countries.items() if v / n >= MIN_COUNTRY_SHARE}
        home |= {k: v / n for k, v in self.areas.items() if v / n >= MIN_AREA_SHARE}
        return home

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "countries": dict(self.countries),
            "areas": dict(self.areas),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SiteProfile:
        """The profile ``to_dict`` made; anything else is an empty profile (no home)."""
        articles, countries, areas = data.get("articles"), data.get("countries"), data.get("areas")
        if not (
            isinstance(articles, int) and isinstance(countries, dict) and isinstance(areas, dict)
        ):
            return cls()
        return cls(articles, Counter(countries), Counter(areas))


@dataclass(frozen=True)
class Home:
    """A site's profile as shares of its articles, keyed by the gazetteer's country and
    first-level area indices: the votes the resolver adds to an article's own."""

    country: dict[int, float]
    admin1: dict[int, float]


class Homes:
    """Turns profiles into ``Home`` votes over one gazetteer (its indices looked up once)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.countries = {iso3: i for i, iso3 in enumerate(gazetteer.country_iso3)}
        self.areas = {
            f"{gazetteer.country_iso3[int(c)]}/{name}": i
            for i, (c, name) in enumerate(
                zip(gazetteer.admin1_country, gazetteer.admin1_name, strict=True)
            )
            if name
        }

    def of(self, profile: SiteProfile | None) -> Home | None:
        """None when there is no profile, when it is too thin, or when it names no country or
        area often enough."""
        keys = profile.home_keys() if profile is not None else {}
        country = {self.countries[k]: v for k, v in keys.items() if k in self.countries}
        admin1 = {self.areas[k]: v for k, v in keys.items() if k in self.areas}
        return Home(country, admin1) if country or admin1 else None

    def declared(self, keys: Iterable[str], *, site: str) -> Home:
        """A home the user gives for ``site`` ("USA/Ohio", "PAK"): each key as if every article
        of the site named it; an area's country comes with it."""
        country: dict[int, float] = {}
        admin1: dict[int, float] = {}
        for key in keys:
            iso3 = key.split("/", 1)[0]
            if iso3 not in self.countries or ("/" in key and key not in self.areas):
                close = difflib.get_close_matches(key, [*self.areas, *self.countries], n=3)
                hint = f"; close: {', '.join(close)}" if close else ""
                raise ConfigError(
                    f"stages.places.homes: {site!r} = {key!r} is not a country's ISO3 code "
                    f"or 'ISO3/first-level area' as khabar's gazetteer names it{hint}"
                )
            country[self.countries[iso3]] = 1.0
            if "/" in key:
                admin1[self.areas[key]] = 1.0
        return Home(country, admin1)


def site_of(url: str | None) -> str | None:
    """The site an address belongs to, as profiles are keyed: its host, lower-cased, without
    "www." or a mobile "m."; None without a host."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:  # "http://[": an address no site can be read from
        return None
    for prefix in ("www.", "m."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    return host or None


def article_site(article: Article) -> str | None:
    """The site of an article: of its address, else of its canonical address."""
    return site_of(article.url) or site_of(article.canonical_url)


class SiteProfiles:
    """Each site's profile as the store held it when first asked for (one look-up per site):
    the same for all of a site's articles in one run, whatever order they are done in.

    ``lookup`` reads a site's profile; ``own``, when given, an article's own part of it, which
    is left out (re-processing: an article is not its own evidence)."""

    def __init__(
        self,
        lookup: Callable[[str], SiteProfile],
        own: Callable[[str], SiteProfile] | None = None,
    ) -> None:
        self.lookup = lookup
        self.own = own
        self.sites: dict[str, SiteProfile] = {}

    def for_article(self, article: Article) -> dict[str, Any] | None:
        """The profile to hand the places stage (``Article.site_profile``), or None."""
        site = article_site(article)
        if site is None:
            return None
        if site not in self.sites:
            self.sites[site] = self.lookup(site)
        profile = self.sites[site]
        if self.own is not None:
            profile = profile.without(self.own(article.id))
        return profile.to_dict() if profile.articles > 0 else None
