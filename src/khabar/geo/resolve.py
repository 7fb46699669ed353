"""Resolution: which place each recognised name refers to, decided by the article around it.

Each candidate place gets a score: a prior (its population, what kind of place it is, whether it
is a capital, whether the name is its own name or only an alternate) plus context:

- the countries and first-level areas the article's other mentions point to (a soft vote that is
  iterated a few times, so "Tbilisi" pulls "Georgia" to the Caucasus and "Atlanta" to the US);
- neighbouring countries (weaker), and how close the candidate is to the other places;
- the words around the name: "Washington state", "the province of X", "X city";
- "City, Region" and "City, Country" ("Paris, Texas", "Birmingham, Alabama", "Gainesville,
  Fla."): the city is taken inside that region, and the region is the one that contains it;
  where no place of that name lies in the region ("Stroud, Ontario": the gazetteer's Strouds
  are English and American), the name is placed at the region, not at a namesake abroad;
- a place the article names by its own name is not named again by one of its alternates: after
  "Mount Gilead", "Youngstown" (an old name of Mount Gilead) is the city of that name;
- one sense per article: every mention of the same name resolves to the same place.

The scores of a name's candidates become probabilities (a softmax); the winner's probability,
times how likely the span is a place at all, is the mention's confidence.

"Washington said" / "Washington's policy" (a national capital speaking for its government) is a
metonym: the mention resolves to the *country* (precision "country"), method ``metonymy``, so
that an event is not placed in the capital because its government spoke.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from khabar.core.article import PlaceMention
from khabar.geo.gazetteer import PRECISION, Gazetteer, Kind, Link
from khabar.geo.home import Home
from khabar.geo.match import ABBREV, ALIAS, DEMONYM, PLACE_LABELS, Match, after_region_join
from khabar.geo.unlisted import Decided, unlisted_places

ALTERNATE, PRIMARY = int(Link.ALTERNATE), int(Link.PRIMARY)
GroupKey = int | tuple[int, int] | tuple[int, int, str]
MAX_CANDIDATES = 40  # the most populous; enough for "Springfield"
MAX_POINTS = 60  # the places whose nearness counts: the first ones in the text
ITERATIONS = 3
CERTAINTY_POWER = 0.25  # an ambiguous name is still a place: certainty counts little
EARTH_DIAMETER_KM = 12742.0
SPEECH = (
    "said|says|say|warned|warns|urged|urges|announced|announces|accused|accuses|demanded|"
    "demands|insisted|insists|wants|wanted|rejected|rejects|denied|denies|condemned|condemns|"
    "believes|believed|has said|has warned|has urged|has announced|has accused|has demanded|"
    "has rejected|has denied|has condemned|has called|called on|responded|agreed|refused"
)
STANCE = (
    "policy|policies|position|stance|decision|support|response|government|administration|"
    "relations|ties|officials|demands|sanctions|allies|ally|envoy|diplomats|approach|strategy"
)
_METONYM = re.compile(rf"^(?:'s|’s)?\s+(?:{SPEECH})\b|^(?:'s|’s)\s+(?:{STANCE})\b")
# After the name the designator may be capitalised ("Kandahar Province", "Nasarawa State");
# before it, "State of" is as often a country's style ("the State of Israel").
_REGION_AFTER = re.compile(
    r"^\s+(state|province|region|county|district|oblast|governorate)\b", re.IGNORECASE
)
_REGION_BEFORE = re.compile(r"\b(state|province|region|county|district|governorate) of\s+$")
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
_CITY_NEAR = re.compile(r"^\s+city\b|\bcity of\s+$")
# Words that speak of a sovereign state: "Georgia's parliament", "the president of Georgia".
_NATION_WORDS = (
    r"parliament|prime minister|president|presidential|embassy|ambassador|ministry|"
    r"foreign minister|defen[cs]e minister|national|nationals|nation|republic|sovereignty|"
    r"independence|invasion|invaded|troops"
)
_NATION_AFTER = re.compile(rf"^(?:'s|’s)?\s+(?:{_NATION_WORDS})\b", re.IGNORECASE)
_NATION_BEFORE = re.compile(rf"\b(?:{_NATION_WORDS})\s+(?:of|in|to|from)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class Weights:
    """How much each piece of evidence counts (tuned on the development sets' training part)."""

    population: float = 0.6  # per power of ten of population
    continent: float = 3.0
    region: float = 3.0
    site: float = 3.0  # a site has no population to speak for it; its full name is rare
    country: float = 2.0
    admin1: float = 2.0
    admin2: float = 0.5
    city: float = 0.0
    capital: float = 3.0
    own_name: float = 1.5  # the name is the place's own (or an alias), not only an alternate
    country_context: float = 5.0
    admin1_context: float = 6.0
    admin2_context: float = 9.0  # a county or district of the article contains the place
    vote_placeness: float = 0.0  # 1: a mention votes by how likely it is a place at all
    vote_power: float = 1.0  # above 1, a mention votes mostly for its likeliest place
    country_name: float = 2.0  # the name is a country's own: "China" is not a Japanese village
    country_first: float = 0.0  # a place's country's whole probability counts in the choice
    nation_word: float = 0.0  # "Georgia's parliament", "president of Georgia": the country
    neighbour_context: float = 1.0
    nearby: float = 2.0  # within NEARBY_KM of another place of the article
    region_word: float = 4.0  # "Washington state", "province of X"
    city_word: float = 2.0  # "X city", "city of X"
    twin_region: float = 3.0  # an area named after its city ("Moscow" oblast): the city first
    twin_lift: float = 0.5  # the city scores at least its twin area's score less this
    list_area: float = 2.0  # an item of a list of first-level areas is one too
    named_again: float = 4.0  # a place the article names by its own name, under an alternate
    demonym_weight: float = 0.5  # a demonym's vote for its country, against a name's 1.0
    country_vote: float = 1.0  # a country's own mention's vote (it names an actor as often)
    nearby_km: float = 250.0
    home: float = 3.0  # the site's earlier articles (``geo.home``), as this many mentions

    def kind_prior(self, kind: Kind) -> float:
        return {
            Kind.CONTINENT: self.continent,
            Kind.COUNTRY: self.country,
            Kind.ADMIN1: self.admin1,
            Kind.ADMIN2: self.admin2,
            Kind.CITY: self.city,
            Kind.REGION: self.region,
            Kind.SITE: self.site,
        }[kind]


@dataclass
class Votes:
    """The article's mentions, voting for the countries and areas their places lie in."""

    country: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    admin1: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    admin2: dict[int, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, gaz: Gazetteer, distribution: list[tuple[int, float]], weight: float) -> None:
        for place, prob in distribution:
            c, a, d = int(gaz.country[place]), int(gaz.admin1[place]), int(gaz.admin2[place])
            if c >= 0:
                self.country[c] += weight * prob
            if a >= 0:
                self.admin1[a] += weight * prob
            if d >= 0:
                self.admin2[d] += weight * prob

    @staticmethod
    def others(table: dict[int, float], own: dict[int, float], key: int) -> float:
        """The votes for ``key`` from the other mentions."""
        return max(0.0, table.get(key, 0.0) - own.get(key, 0.0))


@dataclass
class Group:
    """All mentions of one name in the article: they share one resolution."""

    matches: list[Match]
    places: list[int]
    prior: np.ndarray
    fixed: int | None = None  # a place fixed by a "City, Region" pattern
    probs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    alternate: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    method: str = "gazetteer"

    @property
    def weight(self) -> float:
        return float(len(self.matches))


class Resolver:
    def __init__(self, gazetteer: Gazetteer, weights: Weights | None = None) -> None:
        self.gaz = gazetteer
        self.w = weights or Weights()
        self.log_population = np.log10(gazetteer.population.astype(np.float64) + 1.0)
        self.is_capital = np.asarray([code == "PPLC" for code in gazetteer.fcodes], dtype=bool)[
            gazetteer.fcode
        ]
        self.neighbours = [
            [gazetteer.country_by_iso2[c] for c in n.split(",") if c in gazetteer.country_by_iso2]
            for n in gazetteer.country_neighbours
        ]

    # -- candidates and priors --------------------------------------------------------------
    def candidates(self, match: Match) -> list[tuple[int, int]]:
        if match.is_demonym:
            return [(p, k) for p, k in match.places if k & DEMONYM]
        usable = [
            (p, k)
            for p, k in match.places
            if k != ABBREV
            or "region_after_comma" in match.cues
            or "." in match.text[:-1]
            or match.label in PLACE_LABELS
        ]
        usable.sort(key=lambda pk: -int(self.gaz.population[pk[0]]))
        return usable[:MAX_CANDIDATES]

    def prior(self, match: Match, candidates: list[tuple[int, int]], text: str) -> np.ndarray:
        gaz, w = self.gaz, self.w
        after = text[match.end : match.end + 20]
        before = text[max(0, match.start - 20) : match.start]
        region_word = bool(_REGION_AFTER.match(after) or _REGION_BEFORE.search(before))
        city_word = bool(_CITY_NEAR.search(after[:6]) or _CITY_NEAR.search(before))
        cities = [p for p, k in candidates if gaz.kind[p] == Kind.CITY and k != ALTERNATE]
        scores = np.empty(len(candidates))
        lifts: list[tuple[int, int]] = []  # (a city, the candidate index of its twin area)
        for i, (place, link) in enumerate(candidates):
            kind = Kind(int(gaz.kind[place]))
            score = w.population * self.log_population[place] + w.kind_prior(kind)
            twin = kind in (Kind.ADMIN1, Kind.ADMIN2) and not region_word
            inner = [city for city in cities if twin and self.contains(place, city)]
            if inner:
                lifts += [(city, i) for city in inner]
                score -= w.twin_region
            score += w.capital * self.is_capital[place]
            if link & (PRIMARY | ALIAS | ABBREV):
                score += w.own_name + (w.country_name if kind == Kind.COUNTRY else 0.0)
            if region_word and kind in (Kind.ADMIN1, Kind.ADMIN2, Kind.REGION):
                score += w.region_word
            if city_word and kind == Kind.CITY:
                score += w.city_word
            scores[i] = score
        if w.twin_lift:
            # The city comes first, but as strong as the pair: an area named after its city
            # does not hand the name to a same-named area elsewhere (Gaza, not Mozambique's).
            index = {p: i for i, (p, _) in enumerate(candidates)}
            for city, area in lifts:
                j = index[city]
                scores[j] = max(scores[j], scores[area] + w.twin_region - w.twin_lift)
        return scores

    # -- the article ------------------------------------------------------------------------
    def resolve(
        self,
        text: str,
        matches: Sequence[Match],
        home: Home | None = None,
        unlisted: Sequence[tuple[int, int]] = (),
    ) -> list[PlaceMention]:
        """The places of ``matches``; ``home``, the profile of the site's earlier articles, is
        context the article's own places outweigh. ``unlisted``: spans that name a place the
        gazetteer lacks, placed in the area the others share (``geo.unlisted``)."""
        groups = self._groups(text, matches)
        self._apply_patterns(text, groups)
        scaled = self._scaled(home)
        self._iterate(groups, scaled)
        mentions = self._mentions(text, groups)
        if unlisted:
            decided = [
                Decided(self._top(g), self._vote(g), tuple(m.start for m in g.matches))
                for g in groups.values()
            ]
            mentions += unlisted_places(self.gaz, text, unlisted, decided, scaled)
            mentions.sort(key=lambda m: m.start)
        return mentions

    def _scaled(self, home: Home | None) -> Home:
        """The home as votes: each share of the site's articles times ``w.home`` mentions."""
        if home is None or not self.w.home:
            return Home({}, {})
        return Home(
            {c: self.w.home * share for c, share in home.country.items()},
            {a: self.w.home * share for a, share in home.admin1.items()},
        )

    def _groups(self, text: str, matches: Sequence[Match]) -> dict[GroupKey, Group]:
        """Mentions of one name share a group; "City, Region" pairs group by the pair."""
        groups: dict[GroupKey, Group] = {}
        for i, match in enumerate(matches):
            key: GroupKey = match.name_id
            if "before_region" in match.cues and i + 1 < len(matches):
                key = (match.name_id, matches[i + 1].name_id)
            elif "region_after_comma" in match.cues and i > 0:
                key = (matches[i - 1].name_id, match.name_id, "region")
            if key in groups:
                groups[key].matches.append(match)
                continue
            cands = self.candidates(match)
            if not cands:
                continue
            groups[key] = Group(
                [match],
                [p for p, _ in cands],
                self.prior(match, cands, text),
                alternate=np.asarray([k == ALTERNATE for _, k in cands], dtype=bool),
            )
        if self.w.list_area:
            self._areas_in_lists(text, matches, groups)
        if self.w.nation_word:
            for group in groups.values():
                if any(_speaks_of_a_nation(text, m) for m in group.matches):
                    countries = self.gaz.kind[group.places] == Kind.COUNTRY
                    group.prior = group.prior + self.w.nation_word * countries
        return groups

    def _areas_in_lists(
        self, text: str, matches: Sequence[Match], groups: dict[GroupKey, Group]
    ) -> None:
        """An item of a list of first-level areas is one too: "Utah, Virginia, Washington, West
        Virginia and Wyoming" names the state of Washington, not the capital. A neighbour counts
        when its likeliest reading on its own is a first-level area ("Washington and Moscow"
        are two capitals: Moscow is an area too, but a capital first)."""
        group_at = _by_start(groups)

        def an_area(match: Match) -> bool:
            group = group_at.get(match.start)
            return group is not None and bool(self.gaz.kind[_likeliest(group)] == Kind.ADMIN1)

        listed: set[int] = set()
        for a, b in itertools.pairwise(matches):
            if _LIST_JOIN.fullmatch(text, a.end, b.start) is None:
                continue
            if an_area(b):
                listed.add(a.start)
            if an_area(a):
                listed.add(b.start)
        for group in groups.values():
            if any(m.start in listed for m in group.matches):
                areas = self.gaz.kind[group.places] == Kind.ADMIN1
                group.prior = group.prior + self.w.list_area * areas

    def _apply_patterns(self, text: str, groups: dict[GroupKey, Group]) -> None:
        """ "City, Region": fix both to the best pair where the region contains the city."""
        by_start = _by_start(groups)
        for group in list(groups.values()):
            for match in group.matches:
                if "before_region" not in match.cues or self._names_a_region(match):
                    continue
                region_start = after_region_join(text, match.end)
                region_group = by_start.get(region_start)
                if region_group is None:
                    continue
                pair = self._best_pair(group, region_group)
                if pair is None and not self._not_town_and_region(
                    text, by_start, match, region_start
                ):
                    # "Stroud, Ontario" where no Stroud the gazetteer knows is in Ontario: the
                    # place is somewhere in Ontario, not the Stroud of another country.
                    area = self._named_area(region_group)
                    pair = None if area is None else (area, area)
                if pair is not None:
                    group.fixed, region_group.fixed = pair
                    group.method = region_group.method = "pattern"
                    break

    def _names_a_region(self, match: Match) -> bool:
        """A country's or first-level area's own name: in "Illinois, Missouri" an item of a
        list, not a town of Missouri that GeoNames also calls Illinois."""
        return any(
            link & (PRIMARY | ALIAS) and self.gaz.kind[place] in (Kind.COUNTRY, Kind.ADMIN1)
            for place, link in match.places
        )

    def _not_town_and_region(
        self, text: str, by_start: dict[int, Group], match: Match, region_start: int
    ) -> bool:
        """The name and the one after its comma are not a town and its region: they are items
        of a list ("Zaire, Bundibugyo, Côte d'Ivoire and Sudan", "Suba, Migori and Homa Bay":
        the name follows a comma itself, or the region is followed by another item that is not
        a country, while "Stroud, Ontario, Canada" is a town, its region and its country), or
        the name ends a longer one ("Nad Ali district, Helmand")."""
        cues = match.cues
        if {"region_after_comma", "after_capitalised"} & cues or match.is_demonym:
            return True
        region = by_start[region_start]
        after = next(m for m in region.matches if m.start == region_start).end
        joined = _LIST_JOIN.match(text, after)
        following = by_start.get(joined.end()) if joined else None
        if following is None:
            return False
        return bool(self.gaz.kind[_likeliest(following)] != Kind.COUNTRY)

    def _named_area(self, region: Group) -> int | None:
        """The country or first-level area that the region's name is the own name of, the most
        likely one first; None when it names none."""
        areas = [
            (float(region.prior[i]), place)
            for i, place in enumerate(region.places)
            if self.gaz.kind[place] in (Kind.COUNTRY, Kind.ADMIN1) and not region.alternate[i]
        ]
        return max(areas)[1] if areas else None

    def _best_pair(self, city: Group, region: Group) -> tuple[int, int] | None:
        best: tuple[float, int, int] | None = None
        for i, p in enumerate(city.places):
            for j, r in enumerate(region.places):
                if p != r and self.contains(r, p):
                    score = city.prior[i] + region.prior[j]
                    if best is None or score > best[0]:
                        best = (score, p, r)
        return (best[1], best[2]) if best else None

    def contains(self, region: int, place: int) -> bool:
        gaz = self.gaz
        kind = Kind(int(gaz.kind[region]))
        if kind == Kind.COUNTRY:
            return bool(gaz.country[region] == gaz.country[place])
        if kind == Kind.ADMIN1:
            return bool(gaz.admin1[region] == gaz.admin1[place]) and gaz.admin1[place] >= 0
        if kind == Kind.ADMIN2:
            return bool(gaz.admin2[place] == region)
        return False

    def _iterate(self, groups: dict[GroupKey, Group], scaled: Home) -> None:
        for group in groups.values():
            group.probs = _softmax(group.prior)
        for _ in range(ITERATIONS):
            votes, points, by_name = self._context(groups)
            named = self._named(groups)
            for group in groups.values():
                if group.fixed is None:
                    # A name's other groups ("St. Petersburg" alone and in "X, St. Petersburg")
                    # are the same name again, not context: they must not vote for each other.
                    name = group.matches[0].name_id
                    others = [(lat, lon) for lat, lon, n in points if n != name][:MAX_POINTS]
                    support = self._support(group, votes, others, by_name[name], scaled)
                    if named and self.w.named_again:
                        again = np.isin(group.places, list(named))
                        support -= self.w.named_again * (again & group.alternate)
                    group.probs = _softmax(group.prior + support)

    def _named(self, groups: dict[GroupKey, Group]) -> set[int]:
        """The places the article names by their own names (or aliases): "Mount Gilead" named,
        a "Youngstown" nearby is not Mount Gilead again under its old name."""
        named = set()
        for group in groups.values():
            top = self._top(group)
            i = group.places.index(top) if top in group.places else -1
            if i >= 0 and not group.alternate[i]:
                named.add(top)
        return named

    def _context(
        self, groups: dict[GroupKey, Group]
    ) -> tuple[Votes, list[tuple[float, float, int]], dict[int, Votes]]:
        """The votes of all groups, the points of the local places (with their name), and
        each name's own votes, summed over its groups."""
        votes = Votes()
        by_name: dict[int, Votes] = defaultdict(Votes)
        points: list[tuple[float, float, int]] = []
        for group in groups.values():
            weight = self._vote(group)
            top = self._top(group)
            distribution = self._distribution(group)
            name = group.matches[0].name_id
            votes.add(self.gaz, distribution, weight)
            if group.fixed is None:
                by_name[name].add(self.gaz, distribution, weight)
            if Kind(int(self.gaz.kind[top])) in (Kind.CITY, Kind.ADMIN2):
                # A name fixed by "City, Region" does count for its other mentions.
                owner = name if group.fixed is None else -1
                points.append((float(self.gaz.lat[top]), float(self.gaz.lon[top]), owner))
        return votes, points, by_name

    def _vote(self, group: Group) -> float:
        """How much a group's places count as context for the others."""
        weight = group.weight
        if self.w.vote_placeness:
            top = self._top(group)
            kind = Kind(int(self.gaz.kind[top]))
            sure = sum(
                placeness(m, kind, any(p == top and k != ALTERNATE for p, k in m.places))
                for m in group.matches
            )
            weight = (1.0 - self.w.vote_placeness) * weight + self.w.vote_placeness * sure
        if group.matches[0].is_demonym:
            weight *= self.w.demonym_weight
        if Kind(int(self.gaz.kind[self._top(group)])) == Kind.COUNTRY:
            weight *= self.w.country_vote
        return weight

    def _distribution(self, group: Group) -> list[tuple[int, float]]:
        if group.fixed is not None:
            return [(group.fixed, 1.0)]
        probs = group.probs
        if self.w.vote_power != 1.0:
            probs = probs**self.w.vote_power
            probs = probs / probs.sum()
        return [(p, float(q)) for p, q in zip(group.places, probs, strict=True) if q > 0.01]

    def _top(self, group: Group) -> int:
        if group.fixed is not None:
            return group.fixed
        return group.places[int(np.argmax(self._decision(group)))]

    def _decision(self, group: Group) -> np.ndarray:
        """Each place's probability, times its country's whole probability to the power
        ``country_first``: twenty American Berlins together outweigh the German capital."""
        if not self.w.country_first:
            return group.probs
        countries = self.gaz.country[group.places]
        mass = np.zeros(len(group.places))
        for country in np.unique(countries):
            mine = countries == country
            mass[mine] = group.probs[mine].sum()
        result: np.ndarray = group.probs * mass**self.w.country_first
        return result

    def _support(
        self,
        group: Group,
        votes: Votes,
        others: list[tuple[float, float]],
        own: Votes,
        home: Home,
    ) -> np.ndarray:
        """Each candidate's context: the other mentions' votes for its country and areas, its
        neighbours' and its nearness to the other places; and the site's home (as votes), for
        a place the name names by its own name: a local paper's "Paris" may be Paris,
        Tennessee, but not Saint Paris, Ohio, whose alternate name it is."""
        gaz, w = self.gaz, self.w
        countries = votes.country
        total = max(0.0, sum(countries.values()) - sum(own.country.values())) + 1.0
        total += sum(home.country.values())
        support = np.zeros(len(group.places))
        if others:
            local = np.isin(gaz.kind[group.places], (Kind.CITY, Kind.ADMIN2))
            support += w.nearby * local * self._nearness(group.places, others)
        for i, place in enumerate(group.places):
            c, a, d = int(gaz.country[place]), int(gaz.admin1[place]), int(gaz.admin2[place])
            at_home = not group.alternate[i]
            from_home_c = home.country.get(c, 0.0) if at_home else 0.0
            from_home_a = home.admin1.get(a, 0.0) if at_home else 0.0
            share_c = (votes.others(votes.country, own.country, c) + from_home_c) / total
            share_a = (votes.others(votes.admin1, own.admin1, a) + from_home_a) / total
            share_a = share_a if a >= 0 else 0.0
            share_d = votes.others(votes.admin2, own.admin2, d) / total if d >= 0 else 0.0
            near = sum(countries.get(n, 0.0) for n in self.neighbours[c]) / total if c >= 0 else 0.0
            support[i] += w.country_context * share_c + w.admin1_context * share_a
            support[i] += w.admin2_context * share_d
            support[i] += w.neighbour_context * min(near, 1.0)
        return support

    def _nearness(self, places: list[int], others: list[tuple[float, float]]) -> np.ndarray:
        """1 at another place of the article, falling to 0 at ``nearby_km`` and beyond."""
        points = np.radians(np.asarray(others))
        lat = np.radians(self.gaz.lat[places])[:, None]
        lon = np.radians(self.gaz.lon[places])[:, None]
        h = (
            np.sin((points[None, :, 0] - lat) / 2) ** 2
            + np.cos(lat) * np.cos(points[None, :, 0]) * np.sin((points[None, :, 1] - lon) / 2) ** 2
        )
        closest = EARTH_DIAMETER_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))).min(axis=1)
        result: np.ndarray = np.clip(
            1.0 - np.nan_to_num(closest, nan=np.inf) / self.w.nearby_km, 0.0, 1.0
        )
        return result

    # -- output -----------------------------------------------------------------------------
    def _mentions(self, text: str, groups: dict[GroupKey, Group]) -> list[PlaceMention]:
        mentions = []
        for group in groups.values():
            top = self._top(group)
            chosen = group.places.index(top) if group.fixed is None else -1
            prob = 1.0 if group.fixed is not None else float(group.probs[chosen])
            for match in group.matches:
                mentions.append(self._mention(text, match, top, prob, group.method))
        return sorted(mentions, key=lambda m: m.start)

    def _mention(
        self, text: str, match: Match, place: int, prob: float, method: str
    ) -> PlaceMention:
        gaz = self.gaz
        own_name = any(p == place and k != ALTERNATE for p, k in match.places)
        kind = Kind(int(gaz.kind[place]))
        if match.is_demonym:
            method = "demonym"
        elif self.is_capital[place] and _METONYM.match(text[match.end : match.end + 40]):
            place, kind, method = (
                int(gaz.country_place[gaz.country[place]]),
                Kind.COUNTRY,
                "metonymy",
            )
        lat, lon = float(gaz.lat[place]), float(gaz.lon[place])
        return PlaceMention(
            start=match.start,
            end=match.end,
            text=match.text,
            method=f"geo.{method}",
            confidence=round(prob**CERTAINTY_POWER * placeness(match, kind, own_name), 3),
            name=gaz.name[place],
            geonameid=int(gaz.geonameid[place]) or None,
            lat=None if math.isnan(lat) else round(lat, 5),
            lon=None if math.isnan(lon) else round(lon, 5),
            country=gaz.iso3(place),
            admin1=gaz.admin1_of(place) if kind in (Kind.ADMIN1, Kind.ADMIN2, Kind.CITY) else None,
            precision=PRECISION[kind],
        )


def placeness(match: Match, kind: Kind, own_name: bool) -> float:
    """How likely the span names a place at all, whatever place it is."""
    if match.is_demonym:
        return 0.6
    if match.label in PLACE_LABELS:
        return 1.0
    if "after_capitalised" in match.cues:
        return 0.3  # inside a longer name: "Michael Jordan", "George Washington"
    if kind in (Kind.COUNTRY, Kind.CONTINENT, Kind.REGION, Kind.SITE):
        return 1.0
    score = 0.8 if own_name else 0.4  # only another place's alternate name ("Michael")
    if "after_the" in match.cues and kind == Kind.CITY:
        score = 0.25
    if (
        "locative" in match.cues
        or "before_region" in match.cues
        or "region_after_comma" in match.cues
    ):
        score = 0.95
    if "common_word" in match.cues:
        score -= 0.3
    if match.label is not None:
        score -= 0.3  # the entity recogniser saw a name here, but not a place
    return max(score, 0.05)


def _speaks_of_a_nation(text: str, match: Match) -> bool:
    after = text[match.end : match.end + 30]
    before = text[max(0, match.start - 40) : match.start]
    return bool(_NATION_AFTER.match(after) or _NATION_BEFORE.search(before))


def _by_start(groups: dict[GroupKey, Group]) -> dict[int, Group]:
    """Each mention's group, by where the mention starts."""
    return {m.start: g for g in groups.values() for m in g.matches}


def _likeliest(group: Group) -> int:
    """The group's likeliest place on its prior alone (before any context)."""
    return group.places[int(np.argmax(group.prior))]


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max())
    result: np.ndarray = shifted / shifted.sum()
    return result


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180.0
    h = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return EARTH_DIAMETER_KM * math.asin(math.sqrt(min(1.0, h)))
