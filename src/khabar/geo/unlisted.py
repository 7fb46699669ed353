"""Places the gazetteer does not list, placed in the area the article's other places share.

A local paper's "Harwinton" or an aid report's "Kampungu" is too small for the packaged
gazetteer (GeoNames places of 500 people or more, and the areas). The entity recogniser still
calls it a place, and dropping it would lose where something happened. Conflict data has a
practice for this: ACLED codes a village it cannot find at the smallest area it is sure of
(its geo-precision 2 and 3), GTD likewise with its "specificity". khabar does the same:

- the article's resolved places vote for their country, first-level area and second-level area
  (a demonym and a country's own name for the country only, at the resolver's vote weights);
- the site's home, when it has one, votes like the resolver's home, as ``Weights.home``
  mentions times its share;
- the deepest level whose leading choice holds at least ``MIN_SHARE`` of its parent's votes
  is the area: a county, else a state or province, else a country. No vote, no place.

The mention keeps the name as written (``name``), has no GeoNames id, and carries the area's
point, country, first-level area and precision, with the method ``geo.unlisted``: it says
"somewhere in Litchfield County", not that the name is the county.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from khabar.core.article import PlaceMention
from khabar.geo.gazetteer import PRECISION, Gazetteer, Kind
from khabar.geo.home import Home

log = logging.getLogger(__name__)

METHOD = "geo.unlisted"
# The area's share of its level's votes (of its parent's votes, below a country): a third is
# enough, since a wrong guess at a level costs no more than stopping above it would.
MIN_SHARE = 1 / 3
CONFIDENCE = 0.6  # times the country's share: below a listed place that the context chose
NEAR_CHARS = 300  # a place mentioned this close to the name (about a paragraph) ...
NEAR_BONUS = 3.0  # ... counts this much more: the paragraph speaks of the same ground
LOCAL = (Kind.CITY, Kind.ADMIN2, Kind.ADMIN1)  # kinds whose first-level area a vote names
MAX_SPANS = 300  # unlisted names placed per article: each one weighs every resolved place


@dataclass(frozen=True)
class Decided:
    """A resolved place of the article and how much its mentions count as context."""

    place: int
    weight: float
    starts: tuple[int, ...] = ()


def area_of(
    gazetteer: Gazetteer, decided: Sequence[Decided], home: Home | None = None
) -> tuple[int, float] | None:
    """The place (a country's, an area's) of the smallest area the article's places share,
    and its country's share of the votes; None when they share none."""
    gaz = gazetteer
    country: dict[int, float] = defaultdict(float)
    admin1: dict[int, float] = defaultdict(float)
    admin2: dict[int, float] = defaultdict(float)
    for d in decided:
        c, kind = int(gaz.country[d.place]), Kind(int(gaz.kind[d.place]))
        if c < 0:
            continue
        country[c] += d.weight
        if kind in LOCAL and int(gaz.admin1[d.place]) >= 0:
            admin1[int(gaz.admin1[d.place])] += d.weight
        if kind in (Kind.CITY, Kind.ADMIN2):
            a2 = d.place if kind == Kind.ADMIN2 else int(gaz.admin2[d.place])
            if a2 >= 0:
                admin2[a2] += d.weight
    if home is not None:
        for c, votes in home.country.items():
            country[c] += votes
        for a, votes in home.admin1.items():
            admin1[a] += votes
    if not country:
        return None
    best_c, share = _leader(country)
    if share < MIN_SHARE:
        return None
    chosen = int(gaz.country_place[best_c])
    inside = {a: v for a, v in admin1.items() if int(gaz.admin1_country[a]) == best_c}
    if not inside:
        return chosen, share
    best_a, votes_a = max(inside.items(), key=lambda kv: kv[1])
    if votes_a / country[best_c] < MIN_SHARE or int(gaz.admin1_place[best_a]) < 0:
        return chosen, share
    chosen = int(gaz.admin1_place[best_a])
    counties = {d: v for d, v in admin2.items() if int(gaz.admin1[d]) == best_a}
    if counties:
        best_d, votes_d = max(counties.items(), key=lambda kv: kv[1])
        if votes_d / votes_a >= MIN_SHARE:
            chosen = best_d
    return chosen, share


def _leader(votes: dict[int, float]) -> tuple[int, float]:
    best, top = max(votes.items(), key=lambda kv: kv[1])
    return best, top / sum(votes.values())


def unlisted_places(
    gazetteer: Gazetteer,
    text: str,
    spans: Sequence[tuple[int, int]],
    decided: Sequence[Decided],
    home: Home | None = None,
) -> list[PlaceMention]:
    """A mention for each span at the smallest area the article's places share, those near
    the span counting more (none for a span where they share none)."""
    gaz = gazetteer
    if len(spans) > MAX_SPANS:
        log.info("%d unlisted names: the first %d placed", len(spans), MAX_SPANS)
    # every mention of a resolved place, by where it starts: its neighbours by bisection
    order = sorted((at, k) for k, d in enumerate(decided) for at in d.starts)
    starts = [at for at, _ in order]
    mentions = []
    for start, end in spans[:MAX_SPANS]:
        lo = bisect.bisect_left(starts, start - NEAR_CHARS)
        hi = bisect.bisect_right(starts, start + NEAR_CHARS)
        near = {order[j][1] for j in range(lo, hi)}
        weighed = [
            Decided(d.place, d.weight * (1.0 + NEAR_BONUS * (k in near)))
            for k, d in enumerate(decided)
        ]
        found = area_of(gaz, weighed, home)
        if found is None:
            continue
        place, share = found
        kind = Kind(int(gaz.kind[place]))
        lat, lon = float(gaz.lat[place]), float(gaz.lon[place])
        if math.isnan(lat) or math.isnan(lon):
            continue
        mentions.append(
            PlaceMention(
                start=start,
                end=end,
                text=text[start:end],
                method=METHOD,
                confidence=round(CONFIDENCE * share, 3),
                name=text[start:end],
                lat=round(lat, 5),
                lon=round(lon, 5),
                country=gaz.iso3(place),
                admin1=gaz.admin1_of(place) if kind != Kind.COUNTRY else None,
                precision=PRECISION[kind],
            )
        )
    return mentions
