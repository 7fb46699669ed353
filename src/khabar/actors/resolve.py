"""Mentions to actors: scan, reconcile with NER, build phrases, describe, cluster, code.

A role noun, or a titled person, that names no country of its own takes one from its context
when ``context_country`` is on: the only country named in its sentence, else the country that
holds at least half of the article's country mentions (two or more); such a country is marked
``:context`` in the actor's method, with a low confidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from khabar.actors.cluster import (
    Cluster,
    attach_titles,
    canonical,
    cluster_people,
    group_others,
)
from khabar.actors.codes import is_state
from khabar.actors.describe import CONFIDENCE, Found, describe
from khabar.actors.kb import KnowledgeBase
from khabar.actors.offices import Offices, Term
from khabar.actors.phrases import Linker, phrases
from khabar.actors.pieces import Piece, build_pieces
from khabar.actors.places import Gazetteer, Place
from khabar.actors.scan import Scanner
from khabar.core.article import Actor, Entity, PlaceMention, Span
from khabar.geo.unlisted import METHOD as UNLISTED

METHOD = "actors.resolve.v1"
_LAST_WORD = re.compile(r"(\w+)[ \t\u00a0]+(?:the[ \t\u00a0]+)?$")


class Resolver:
    def __init__(
        self,
        kb: KnowledgeBase,
        gazetteer: Gazetteer | None = None,
        context_country: bool = True,
        offices: Offices | None = None,
    ) -> None:
        self.kb = kb
        self.scanner = Scanner(kb)
        self.linker = Linker(kb)
        self.gazetteer = gazetteer
        self.context_country = context_country
        self.offices = offices

    def found(
        self, text: str, entities: Sequence[Entity], places: Sequence[PlaceMention] = ()
    ) -> list[Found]:
        """Every actor mention in the text, described but not yet grouped."""
        pieces = build_pieces(text, self.scanner.hits(text), entities, self.gazetteer)
        if places:
            pieces = _agree_with_places(pieces, places)
        pieces = [p for p in pieces if p.kind != "org" or not self._is_word(text, p)]
        found = [describe(text, p) for p in phrases(text, pieces, self.linker)]
        for item in found:
            if item.how in ("capital", "country") and self._after_locative(text, item.start):
                _as_place(item, text)
        return found

    def _after_locative(self, text: str, at: int) -> bool:
        before = _LAST_WORD.search(text, max(0, at - 30), at)
        return before is not None and before.group(1).lower() in self.kb.locatives

    def _is_word(self, text: str, piece: Piece) -> bool:
        """An "organisation" that is a function word ("Contact Us"): the model's noise."""
        return text[piece.start : piece.end].casefold() in self.kb.stop_words

    def resolve(
        self,
        text: str,
        entities: Sequence[Entity],
        sentences: Sequence[Span] = (),
        when: date | None = None,
        places: Sequence[PlaceMention] = (),
    ) -> list[Actor]:
        """The article's actors; ``places``, the places stage's, settle which town a name is
        where the two disagree."""
        found = self.found(text, entities, places)
        context = _Context(found, sentences) if self.context_country else None
        if context is not None:
            for item in found:
                if item.kind == "role" and item.country is None and item.sector:
                    context.assign(item)
        found = [f for f in found if f.kind != "role" or f.sector or f.title_only]
        people = cluster_people(f for f in found if f.kind == "person")
        titles = [f for f in found if f.title_only and f.kind in ("role", "state")]
        unattached = attach_titles(titles, people)
        unattached = [f for f in unattached if f.kind != "role" or f.sector]
        taken = {id(f) for f in titles}
        rest = [f for f in found if f.kind != "person" and id(f) not in taken] + unattached
        clusters = people + group_others(rest)
        actors = [self._actor(text, c, context, when) for c in clusters]
        return sorted(actors, key=lambda a: (a.mentions[0].start, a.mentions[0].end))

    def _actor(
        self, text: str, cluster: Cluster, context: _Context | None, when: date | None
    ) -> Actor:
        country, country_conf, country_how = cluster.best(lambda m: m.country)
        sector, sector_conf, sector_how = cluster.best(lambda m: m.sector)
        first = min(cluster.mentions, key=lambda m: m.start)
        is_person = first.kind == "person"
        if is_person and country is None and self.offices is not None:
            held = self._office(text, cluster, when)
            if held is not None:
                country, country_conf, country_how = held[0], CONFIDENCE["office"], "office"
                if sector is None and held[1]:
                    sector, sector_conf, sector_how = "GOV", CONFIDENCE["office"], "office"
        if country is None and context is not None and is_person and sector:
            country = context.country_at(first.start)
            if country is not None:
                country_conf, country_how = CONFIDENCE["context"], "context"
        confidences = [c for c in (country_conf, sector_conf) if c > 0]
        spans = sorted({(m.start, m.end) for m in cluster.mentions})
        longest = max(spans, key=lambda s: (s[1] - s[0], -s[0]))
        return Actor(
            text=text[longest[0] : longest[1]],
            canonical=canonical(cluster, self.kb, country, sector),
            country=country,
            sector=sector,
            kb_id=self._kb_id(first, country),
            mentions=[Span(start=s, end=e) for s, e in spans],
            method=f"{METHOD}:{country_how or sector_how or first.how}",
            confidence=round(min(confidences) if confidences else first.confidence, 3),
        )

    def _office(self, text: str, cluster: Cluster, when: date | None) -> tuple[str, bool] | None:
        """The country of the office-holder a person's names name, and whether they held the
        office at ``when`` (or ``when`` is unknown): "Putin" is RUS, and GOV while in office.
        A name two holders of different countries share decides nothing."""
        assert self.offices is not None
        terms = [t for m in cluster.mentions for t in self._holder(text[m.start : m.end])]
        countries = {t.country for t in terms}
        if len(countries) != 1:
            return None
        serving = when is None or any(
            t.start <= when and (t.end is None or when <= t.end) for t in terms
        )
        return countries.pop(), serving

    def _holder(self, mention: str) -> tuple[Term, ...]:
        """The terms of the longest tail of ``mention`` that names a holder: "President Putin"
        is Putin whatever the words before the name."""
        assert self.offices is not None
        words = mention.split()
        for i in range(len(words)):
            terms = self.offices.terms_of(" ".join(words[i:]))
            if terms:
                return terms
        return ()

    def _kb_id(self, first: Found, country: str | None) -> str | None:
        if first.kind == "entry" and first.entry is not None:
            return first.entry.id
        if first.kind in ("state", "role") and country:
            entry_id = f"country/{country}"
            return entry_id if entry_id in self.kb.entries else None
        return None


def _agree_with_places(pieces: list[Piece], places: Sequence[PlaceMention]) -> list[Piece]:
    """A capital, town or country's name that the places stage placed in another country, on
    evidence of its own, is that place: "Police in Dublin" of an Ohio paper are American police,
    "Paris, Texas" is no metonym for France's government, and "State troopers in Georgia ...
    near Atlanta" are in the state. This stage alone reads a capital's name as its country's,
    and "Georgia" as the country.

    The evidence: a "Place, Region" pattern, the site's home, or another place of the article
    with another name in the same first-level area. A country vote alone is not enough: "a US
    national ... in Genoa" does not make Genoa American."""
    # A name the gazetteer lacks was placed where the others are (geo.unlisted): it is no
    # evidence of its own.
    places = [p for p in places if p.method != UNLISTED]
    names_in: dict[tuple[str, str], set[str]] = defaultdict(set)  # (country, area) -> names
    for p in places:
        if p.country and p.admin1:
            names_in[(p.country, p.admin1)].add(p.text)
    resolved = {}
    for p in places:
        if not (p.country and p.name and p.precision in ("city", "admin1", "admin2")):
            continue
        local = bool(names_in.get((p.country, p.admin1 or ""), set()) - {p.text})
        if p.method in ("geo.pattern", "geo.home") or local:
            resolved[(p.start, p.end)] = p
    agreed = []
    for piece in pieces:
        place = resolved.get((piece.start, piece.end))
        own = piece.place.country if piece.place else None
        entry, alias = piece.entry, piece.alias
        if entry is not None and entry.kind == "country" and alias is not None:
            own = entry.country if alias.form in ("capital", "name") else None
        if place is not None and own is not None and place.country != own:
            assert place.name is not None and place.country is not None
            found_at = Place(place.name, place.country, "city", "places")
            agreed.append(Piece(piece.start, piece.end, "place", place=found_at, label=piece.label))
        else:
            agreed.append(piece)
    return agreed


def _as_place(item: Found, text: str) -> None:
    """A capital or country after "in", "to", "near"...: a place, not the government.

    PLOVER's gold records code a capital as the government only as subject or object; "a
    curfew in Algiers" is the city's civilians. A country named as a place keeps no sector.
    """
    if item.how == "capital":
        item.kind, item.how, item.sector = "place", "place", "CVL"
        item.name = text[item.start : item.end]
        item.confidence = CONFIDENCE["place"]
    else:
        item.sector = None


class _Context:
    """Countries named per sentence and in the whole article: country names, demonyms,
    capitals and places (an armed group's base says little about who a person is)."""

    def __init__(self, found: Sequence[Found], sentences: Sequence[Span]) -> None:
        self.starts = [s.start for s in sentences]
        self.by_sentence: dict[int, set[str]] = {}
        counts: Counter[str] = Counter()
        for item in found:
            if item.country and is_state(item.country) and item.kind in ("state", "place"):
                self.by_sentence.setdefault(self._sentence(item.start), set()).add(item.country)
                counts[item.country] += 1
        self.dominant: str | None = None
        if counts:
            top, n = counts.most_common(1)[0]
            if n >= 2 and n * 2 >= sum(counts.values()):
                self.dominant = top

    def _sentence(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1 if self.starts else -1

    def country_at(self, offset: int) -> str | None:
        here = self.by_sentence.get(self._sentence(offset), set()) if self.starts else set()
        return next(iter(here)) if len(here) == 1 else self.dominant

    def assign(self, item: Found) -> None:
        country = self.country_at(item.start)
        if country is not None:
            item.country, item.how, item.confidence = country, "context", CONFIDENCE["context"]
