"""Fusing reports of the same real-world event: blocking, pair scores, constrained clustering.

How two reports are judged (:func:`pair_score`):

- **hard rules**, any of which keeps them apart: incompatible types; one negated or
  hypothetical and the other not; time intervals that do not overlap (each widened by a slack
  that depends on its granularity: a day-precise report is allowed a day either way, a week one
  three); places further apart than the coarser of the two precisions allows (25 km for a point,
  50 for a city, 100 for a district, 300 for a province; a country-level place only needs the
  same country); known countries that differ.
- **a score** from what is left: how exactly the times and places agree, whether the actors
  overlap, and how many content words the two sentences share. Reports link when it reaches
  ``Settings.link``.

Clustering is single-link over the links, strongest first, with the hard rules checked between
whole clusters before each merge (so a chain of near neighbours cannot join two events a week or
a province apart). Links are found through blocks (type, country, week; place for undated
reports; article), never all pairs. Everything is ordered by score and id, so the same reports
in any order give the same fused events, and since clusters never cross the connected components
of the link graph, adding reports re-clusters only the components they touch: incremental fusion
gives exactly what fusing everything at once would.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from khabar.fusion.reports import Report

PRECISION_KM = {"point": 25.0, "city": 50.0, "admin2": 100.0, "admin1": 300.0}
SLACK_DAYS = {"instant": 1, "day": 1, "week": 3, "interval": 1, "month": 0, "year": 0}
PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4}
#: Types one incident is often coded as, by different reports; they may fuse when the
#: sentences also agree (``Settings.cross_type_words``).
COMPATIBLE_TYPES = (frozenset({"ASSAULT", "COERCE"}),)
_APART = {"negated", "hypothetical"}
_COARSE = {"month", "year"}
_LONG = 8  # weeks: a report spanning more is blocked by year


@dataclass(frozen=True)
class Settings:
    link: float = 0.7
    cross_type_words: float = 0.3  # word overlap (Jaccard) two types need to fuse
    km: dict[str, float] = field(default_factory=lambda: dict(PRECISION_KM))
    slack: dict[str, int] = field(default_factory=lambda: dict(SLACK_DAYS))

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        """From a :class:`khabar.core.config.Config`'s ``[fusion]`` section."""
        fusion = config.fusion
        return cls(link=fusion.link, cross_type_words=fusion.cross_type_words)


def km_between(a: Report, b: Report) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _group(type_: str) -> str:
    for pair in COMPATIBLE_TYPES:
        if type_ in pair:
            return "+".join(sorted(pair))
    return type_


def _window(r: Report, settings: Settings) -> tuple[date, date] | None:
    if r.start is None or r.end is None:
        return None
    slack = timedelta(days=settings.slack.get(r.granularity or "day", 1))
    return r.start - slack, r.end + slack


def _disjoint(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and (a[1] < b[0] or b[1] < a[0])


def _limit(a: Report, b: Report, settings: Settings) -> float | None:
    """How far apart two placed reports may be: the coarser precision's distance, or None
    when either is only a country (then the country decides)."""
    limits = [settings.km.get(r.precision or "city") for r in (a, b)]
    if any(x is None for x in limits):
        return None
    return max(x for x in limits if x is not None)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def hard_compatible(a: Report, b: Report, settings: Settings) -> bool:
    """False when the rules above say two reports cannot be one event, whatever else agrees."""
    if a.article_id == b.article_id and (a.status == "planned") != (b.status == "planned"):
        return False  # one article that tells of a plan and of a deed tells of two events
    if a.type != b.type and _group(a.type) != _group(b.type):
        return False
    if (a.status in _APART) != (b.status in _APART):
        return False
    if _disjoint(_window(a, settings), _window(b, settings)):
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if a.placed and b.placed:
        limit = _limit(a, b, settings)
        if limit is not None and km_between(a, b) > limit:
            return False
    return True


def pair_score(a: Report, b: Report, settings: Settings) -> float | None:
    """How likely two reports are one event (0..1), or None when a hard rule keeps them apart."""
    if not hard_compatible(a, b, settings):
        return None
    words = jaccard(a.words, b.words)
    if a.type != b.type and words < settings.cross_type_words:
        return None
    if a.dated and b.dated:
        if a.granularity in _COARSE or b.granularity in _COARSE:
            time_s = 0.3  # "this year", "in March": a summary's time, weak evidence of one event
        else:
            time_s = 1.0 if a.start == b.start and a.end == b.end else 0.8
    else:
        time_s = 0.5
    if a.placed and b.placed:
        limit = _limit(a, b, settings)
        place_s = 0.75 if limit is None else 1.0 - 0.5 * km_between(a, b) / limit
    elif a.country and a.country == b.country:
        place_s = 0.6
    else:
        place_s = 0.5
    if a.actors and b.actors:
        shared = a.actors & b.actors
        if any(not name.endswith(")") for name in shared):
            actor_s = 1.0  # a named actor both report
        elif shared:
            actor_s = 0.6  # only a generic one, "Pakistan (rebels)"
        elif a.actor_countries and b.actor_countries and not a.actor_countries & b.actor_countries:
            actor_s = 0.1
        else:
            actor_s = 0.3
    else:
        actor_s = 0.5
    # Sentences written from one template share half their words; a copy shares nearly all.
    text_s = min(1.0, max(0.0, (words - 0.2) / 0.6))
    score = 0.3 * time_s + 0.3 * place_s + 0.15 * actor_s + 0.25 * text_s
    # Tolls far apart tell events apart, unless the days agree (then it is a conflict to flag).
    x, y = (a.killed[1] if a.killed else None), (b.killed[1] if b.killed else None)
    if x is not None and y is not None and time_s < 0.8 and abs(x - y) > max(2, 0.5 * max(x, y)):
        score -= 0.2
    # An article rarely reports two events of one kind that no rule tells apart: its own
    # reports link first (strongest), so its main event's day binds its summaries ("the
    # deadliest attack this year") before they can bind another article's.
    if a.article_id == b.article_id:
        score += 0.35
    # "The recent bombing in Peshawar": an undated background mention of a placed event.
    if (not a.main or not b.main) and not (a.dated and b.dated) and place_s >= 0.6:
        score += 0.2
    return min(1.0, score)


# -- blocking ------------------------------------------------------------------------------------
class _Blocks:
    """Where to look for a report's possible partners, so that no pair is compared blindly."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.week: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        self.week_any: dict[tuple[str, int], list[str]] = defaultdict(list)
        self.year_all: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        self.place: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.article: dict[str, list[str]] = defaultdict(list)

    def _weeks(self, r: Report) -> list[int] | None:
        window = _window(r, self.settings)
        if window is None:
            return None
        first, last = window[0].toordinal() // 7, window[1].toordinal() // 7
        return list(range(first, last + 1)) if last - first <= _LONG else None

    @staticmethod
    def _place_key(r: Report) -> str | None:
        return (r.place or "").strip().lower() or None

    def add(self, r: Report) -> None:
        g, c = _group(r.type), r.country or "?"
        self.article[r.article_id].append(r.id)
        weeks = self._weeks(r)
        for w in weeks or ():
            self.week[g, c, w].append(r.id)
            self.week_any[g, w].append(r.id)
        if r.start and r.end:
            for year in range(r.start.year, r.end.year + 1):
                self.year_all[g, c, year].append(r.id)
        key = self._place_key(r)
        if key:
            self.place[g, c, key].append(r.id)

    def candidates(self, r: Report) -> set[str]:
        g, c = _group(r.type), r.country or "?"
        found = set(self.article[r.article_id])
        weeks = self._weeks(r)
        if weeks is not None:
            for w in weeks:
                found.update(self.week[g, c, w] if r.country else self.week_any[g, w])
                if r.country:
                    found.update(self.week[g, "?", w])
        elif r.start and r.end:  # a long interval: everything of its kind in its years
            for year in range(r.start.year, r.end.year + 1):
                found.update(self.year_all[g, c, year])
        key = self._place_key(r)
        if key and (weeks is None or not r.main):
            found.update(self.place[g, c, key])
        found.discard(r.id)
        return found


# -- clusters ------------------------------------------------------------------------------------
class _Cluster:
    """What the hard rules need to know about a whole cluster."""

    def __init__(self, r: Report, settings: Settings) -> None:
        self.members = [r.id]
        self.window = _window(r, settings)
        self.placed = [r] if r.placed else []
        self.countries = {r.country} if r.country else set()
        self.types = {r.type}
        self.apart = r.status in _APART

    def can_join(self, other: _Cluster, settings: Settings) -> bool:
        if self.apart != other.apart:
            return False
        if len(self.countries | other.countries) > 1:
            return False
        for t in self.types:
            for u in other.types:
                if t != u and _group(t) != _group(u):
                    return False
        if _disjoint(self.window, other.window):
            return False
        for a in self.placed:
            for b in other.placed:
                limit = _limit(a, b, settings)
                if limit is not None and km_between(a, b) > limit:
                    return False
        return True

    def absorb(self, other: _Cluster) -> None:
        self.members += other.members
        if self.window and other.window:
            self.window = (
                max(self.window[0], other.window[0]),
                min(self.window[1], other.window[1]),
            )
        else:
            self.window = self.window or other.window
        # Distinct places only: a syndicated story repeats one place many times.
        seen = {(round(p.lat or 0, 2), round(p.lon or 0, 2), p.precision) for p in self.placed}
        for p in other.placed:
            key = (round(p.lat or 0, 2), round(p.lon or 0, 2), p.precision)
            if key not in seen:
                seen.add(key)
                self.placed.append(p)
        self.countries |= other.countries
        self.types |= other.types


def fused_id(members: Iterable[str]) -> str:
    """A fused event's id: from its smallest report id, so it does not depend on order."""
    return "fz-" + hashlib.blake2b(min(members).encode(), digest_size=8).hexdigest()


@dataclass
class Fuser:
    """Fused events over a growing set of reports; ``add`` re-clusters only what it touches.

    ``merged`` and ``split`` are a user's decisions: groups of report ids that must be one
    event, and pairs that must not be. They hold whatever the scores say."""

    settings: Settings = field(default_factory=Settings)
    reports: dict[str, Report] = field(default_factory=dict)
    cluster_of: dict[str, str] = field(default_factory=dict)
    merged: list[frozenset[str]] = field(default_factory=list)
    split: set[frozenset[str]] = field(default_factory=set)
    comparisons: int = 0

    def __post_init__(self) -> None:
        self._blocks = _Blocks(self.settings)
        self._links: dict[str, dict[str, float]] = defaultdict(dict)
        self._members_of: dict[str, set[str]] = {}

    def add(self, new: Iterable[Report]) -> set[str]:
        """Add reports (a report already present is replaced only if it is new by id); return
        the ids of the fused events that changed or appeared."""
        fresh = [r for r in new if r.id not in self.reports]
        for r in sorted(fresh, key=lambda r: r.id):
            self.reports[r.id] = r
            self._blocks.add(r)
        for r in fresh:
            for other in self._blocks.candidates(r):
                self.comparisons += 1
                score = pair_score(r, self.reports[other], self.settings)
                if score is not None and score >= self.settings.link:
                    self._links[r.id][other] = score
                    self._links[other][r.id] = score
        return self._recluster({r.id for r in fresh})

    def decide(
        self, *, merge: Iterable[str] = (), split: tuple[str, str] | None = None
    ) -> set[str]:
        """Record a user's decision and apply it: ``merge`` report ids into one event, or keep
        the two reports of ``split`` apart."""
        touched: set[str] = set()
        if merge:
            group = frozenset(merge)
            missing = group - self.reports.keys()
            if missing:
                raise KeyError(f"no such reports to merge: {sorted(missing)}")
            self.merged.append(group)
            touched |= group
        if split:
            pair = frozenset(split)
            self.split.add(pair)
            self.merged = [g for g in self.merged if not pair <= g]
            touched |= pair
        return self._recluster(touched)

    def component(self, ids: Iterable[str]) -> set[str]:
        """The reports linked, directly or not, to ``ids`` (with their current clusters and
        what a user merged with them)."""
        return self._component(set(ids))

    def refresh(self, ids: Iterable[str]) -> set[str]:
        """Cluster again the components of ``ids``; the fused ids that changed."""
        return self._recluster(set(ids))

    def _component(self, seeds: set[str]) -> set[str]:
        must: dict[str, set[str]] = defaultdict(set)
        for group in self.merged:
            for r in group:
                must[r] |= group
        for r in list(seeds):  # what the seeds were clustered with before goes again too
            if r in self.cluster_of:
                seeds |= self._members_of[self.cluster_of[r]]
        seen, todo = set(seeds), list(seeds)
        while todo:
            r = todo.pop()
            for other in (*self._links.get(r, ()), *must.get(r, ())):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    def _recluster(self, seeds: set[str]) -> set[str]:
        component = self._component(set(seeds))
        before = {self.cluster_of[r] for r in component if r in self.cluster_of}
        clusters = {r: _Cluster(self.reports[r], self.settings) for r in sorted(component)}
        parent = {r: r for r in component}

        def find(r: str) -> str:
            while parent[r] != r:
                parent[r] = parent[parent[r]]
                r = parent[r]
            return r

        def union(a: str, b: str, check: bool) -> None:
            ra, rb = find(a), find(b)
            if ra == rb:
                return
            if check and not clusters[ra].can_join(clusters[rb], self.settings):
                return
            if check and self._split_between(clusters[ra], clusters[rb]):
                return
            keep, gone = (ra, rb) if ra < rb else (rb, ra)
            clusters[keep].absorb(clusters.pop(gone))
            parent[gone] = keep

        for group in sorted(sorted(g) for g in self.merged if g & component):
            for r in group[1:]:
                union(group[0], r, check=False)
        edges = sorted(
            (-score, a, b)
            for a in component
            for b, score in self._links.get(a, {}).items()
            if a < b and b in component
        )
        for _, a, b in edges:
            union(a, b, check=True)
        for old in before:
            self._members_of.pop(old, None)
        after = set()
        for cluster in clusters.values():
            fid = fused_id(cluster.members)
            after.add(fid)
            self._members_of[fid] = set(cluster.members)
            for r in cluster.members:
                self.cluster_of[r] = fid
        return after | (before - after)

    def _split_between(self, a: _Cluster, b: _Cluster) -> bool:
        if not self.split:
            return False
        ours, theirs = set(a.members), set(b.members)
        return any(len(pair & ours) == 1 and len(pair & theirs) == 1 for pair in self.split)

    def clusters(self) -> dict[str, list[Report]]:
        """Each fused event's reports, by fused id, both in id order."""
        return {
            fid: [self.reports[r] for r in sorted(members)]
            for fid, members in sorted(self._members_of.items())
        }

    def __iter__(self) -> Iterator[tuple[str, list[Report]]]:
        return iter(self.clusters().items())


def fuse(reports: Iterable[Report], settings: Settings | None = None) -> Fuser:
    """Fuse a set of reports at once."""
    fuser = Fuser(settings or Settings())
    fuser.add(reports)
    return fuser
