"""Group the described mentions of one article into actors.

- People: a name joins the cluster of a longer name that contains all its words ("Bilawal" and
  "Mr. Bilawal" join "Bilawal Bhutto-Zardari"), or, failing that, all its hyphen-separated
  parts; a name that fits several clusters joins the one mentioned last before it. A title
  without a name ("the Pakistani Foreign Minister said") joins the only person holding that
  title, if exactly one does and the countries agree.
- Everything else groups by what it is: a KB entry and sector ("Hamas", "Hamas fighters"), a
  state and sector ("Islamabad", "Pakistan", "Pakistani officials": the Pakistani government),
  a place, an unknown organisation by its name, a bare role by its sector ("civilians").

An actor's country and sector are the best-supported values among its mentions: highest
confidence first, then the most mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from khabar.actors.codes import BLOCS, SECTORS
from khabar.actors.describe import Found
from khabar.actors.kb import KnowledgeBase

_NAME_PART = re.compile(r"[\w'’.]+")


@dataclass
class Cluster:
    mentions: list[Found] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    parts: set[str] = field(default_factory=set)

    def add(self, found: Found) -> None:
        self.mentions.append(found)
        if found.kind == "person":
            words = name_words(found.name)
            self.words.update(words)
            self.parts.update(p for w in words for p in w.split("-"))

    @property
    def person_name(self) -> str:
        people = [m for m in self.mentions if m.kind == "person"]
        return max(people, key=lambda m: (len(name_words(m.name)), -m.start)).name

    def best(self, pick: Callable[[Found], str | None]) -> tuple[str | None, float, str]:
        """The best-supported value of a field, its confidence and how it was found."""
        scored: Counter[str] = Counter()
        top: dict[str, tuple[float, str]] = {}
        for m in self.mentions:
            value = pick(m)
            if value is None:
                continue
            scored[value] += 1
            if value not in top or top[value][0] < m.confidence:
                top[value] = (m.confidence, m.how)
        if not top:
            return None, 0.0, ""
        value = max(top, key=lambda v: (top[v][0], scored[v]))
        return value, top[value][0], top[value][1]


def name_words(name: str) -> list[str]:
    return [w.strip(".'’").casefold() for w in _NAME_PART.findall(name) if w.strip(".'’")]


def cluster_people(people: Iterable[Found]) -> list[Cluster]:
    clusters: list[Cluster] = []
    for found in sorted(people, key=lambda f: (-len(name_words(f.name)), f.start)):
        words = set(name_words(found.name))
        fits = [c for c in clusters if words and words <= c.words]
        if not fits:
            parts = {p for w in words for p in w.split("-")}
            fits = [c for c in clusters if parts and parts <= c.parts]
        if not fits:
            clusters.append(Cluster())
            fits = clusters[-1:]
        _nearest_before(fits, found.start).add(found)
    return clusters


def _nearest_before(clusters: list[Cluster], at: int) -> Cluster:
    def last_before(c: Cluster) -> int:
        return max((m.start for m in c.mentions if m.start < at), default=-1)

    return max(clusters, key=last_before)


def attach_titles(titles: list[Found], people: list[Cluster]) -> list[Found]:
    """Join bare titles to the one person holding them; return those that joined no one."""
    left: list[Found] = []
    for title in titles:
        holders = [c for c in people if _holds(c, title)]
        if len(holders) == 1:
            title.kind = "person"
            title.name = holders[0].person_name
            holders[0].mentions.append(title)
        else:
            left.append(title)
    return left


def _holds(cluster: Cluster, title: Found) -> bool:
    if not any(m.role is not None and m.role is title.role for m in cluster.mentions):
        return False
    country = cluster.best(lambda m: m.country)[0]
    return title.country is None or country is None or title.country == country


def group_key(found: Found) -> tuple[str, ...]:
    if found.kind == "entry" and found.entry is not None:
        return ("entry", found.entry.id, found.sector or "")
    if found.kind == "state" or (found.kind == "role" and found.country):
        return ("state", found.country or "", found.sector or "")
    if found.kind == "place":
        return ("place", found.name, found.country or "")
    if found.kind == "role":
        return ("role", found.sector or "")
    return ("org", found.name.casefold(), found.sector or "")


def group_others(found: Iterable[Found]) -> list[Cluster]:
    groups: dict[tuple[str, ...], Cluster] = {}
    for item in found:
        groups.setdefault(group_key(item), Cluster()).add(item)
    return list(groups.values())


def canonical(cluster: Cluster, kb: KnowledgeBase, country: str | None, sector: str | None) -> str:
    first = cluster.mentions[0]
    if first.kind == "person":
        return cluster.person_name
    if first.kind == "entry" and first.entry is not None:
        differs = sector and sector != first.entry.sector
        return f"{first.entry.name} ({SECTORS[sector]})" if differs and sector else first.entry.name
    if first.kind in ("state", "role") and country:
        name = country_name(kb, country)
        return f"{name} ({SECTORS[sector]})" if sector else name
    if first.kind == "role":
        return SECTORS.get(sector or "UNK", "unknown")
    if first.kind == "place":
        return first.name
    return _strip_article(max((m.name for m in cluster.mentions), key=len))


def country_name(kb: KnowledgeBase, code: str) -> str:
    entry = kb.entries.get(f"country/{code}")
    return entry.name if entry is not None else BLOCS.get(code, code)


def _strip_article(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name
