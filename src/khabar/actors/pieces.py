"""Pieces: the knowledge base's hits and the NER model's mentions, reconciled into one sequence.

Where both speak about the same stretch of text:

- a KB name that covers a PERSON mention wins (the model sometimes calls "Hamas" a person);
- titles at the start of a PERSON mention stay titles ("Foreign Minister" + "Bilawal");
- KB hits strictly inside a person's name are dropped ("Chad" in "Chad Smith");
- an ORG/GPE/NORP mention that KB hits fully explain (up to "the", "'s" and punctuation)
  gives way to them; one with other capitalised words stays a single ``org`` piece that keeps
  the country and role found inside it ("Montenegro Municipality Association": MNE);
- a mention the KB lacks is looked up in the gazetteer (a ``place`` piece): an exact place
  name that the model called an organisation is a place all the same;
- a one-word ORG/GPE/NORP mention that is part of a PERSON mention's name elsewhere in the
  article is a person ("Bilawal visited Moscow", where the model said ORG).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from khabar.actors.kb import Alias, Entry, Role
from khabar.actors.places import Gazetteer, Place
from khabar.actors.scan import Hit
from khabar.core.article import Entity

PieceKind = Literal["entry", "role", "person", "org", "place"]
ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_POSSESSIVE = re.compile(r"\s*(?:'s|’s|'|’)$")
_FILLER = re.compile(r"(?:\bthe\b|\bThe\b|'s|’s|[\s\W])+")
_NAME_WORD = re.compile(r"[^\W\d_][\w.'’-]*")


@dataclass(frozen=True, slots=True)
class Piece:
    start: int
    end: int
    kind: PieceKind
    alias: Alias | None = None
    place: Place | None = None
    label: str | None = None
    inner: tuple[Hit, ...] = ()  # KB hits inside an org piece

    @property
    def entry(self) -> Entry | None:
        return self.alias.entry if self.alias is not None else None

    @property
    def role(self) -> Role | None:
        return self.alias.role if self.alias is not None else None

    @property
    def country(self) -> str | None:
        """The country this piece names or implies, if any."""
        if self.entry is not None:
            return self.entry.country
        if self.place is not None:
            return self.place.country
        return next((h.alias.entry.country for h in self.inner if h.alias.entry), None)

    @property
    def inner_role(self) -> Role | None:
        return next(
            (h.alias.role for h in self.inner if h.alias.role and h.alias.role.sector), None
        )


def build_pieces(
    text: str, hits: list[Hit], entities: Sequence[Entity], gazetteer: Gazetteer | None
) -> list[Piece]:
    """All pieces of one text, sorted by offset and never overlapping."""
    starts = [h.start for h in hits]
    ends = [h.end for h in hits]
    dropped: set[int] = set()
    pieces: list[Piece] = []
    people = [e for e in entities if e.label == "PERSON"]
    name_words = {w.casefold() for e in people for w in _NAME_WORD.findall(e.text)}
    for ent in entities:
        inside = range(bisect_right(ends, ent.start), bisect_left(starts, ent.end))
        if ent.label == "PERSON" or _is_name_word(ent, name_words, inside):
            piece = _person(text, ent, hits, inside, dropped)
        elif ent.label in ORG_LABELS or ent.label in PLACE_LABELS:
            piece = _org_or_place(text, ent, hits, inside, dropped, gazetteer)
        else:
            piece = None
        if piece is not None:
            pieces.append(piece)
    for index, hit in enumerate(hits):
        if index not in dropped and hit.alias.form != "block":
            kind: PieceKind = "role" if hit.alias.role is not None else "entry"
            pieces.append(Piece(hit.start, hit.end, kind, alias=hit.alias))
    pieces.sort(key=lambda p: (p.start, -p.end))
    return _without_overlaps(pieces)


def _is_name_word(ent: Entity, name_words: set[str], inside: range) -> bool:
    return (
        ent.label in ORG_LABELS
        and not inside
        and " " not in ent.text.strip()
        and ent.text.strip().casefold() in name_words
    )


def _person(
    text: str, ent: Entity, hits: list[Hit], inside: range, dropped: set[int]
) -> Piece | None:
    start, end = ent.start, ent.end
    for index in inside:
        hit = hits[index]
        if hit.alias.entry is not None and hit.start <= start and hit.end >= end:
            return None  # the KB knows this name: not a person
        if hit.start <= start < hit.end or (hit.start == start and hit.end < end):
            start = _skip_space(text, hit.end, end)  # a leading title stays a title
        elif hit.start >= start and hit.end <= end:
            dropped.add(index)  # a country word inside a name
    match = _POSSESSIVE.search(text, start, end)
    if match:
        end = match.start()
    if not any(c.isupper() for c in text[start:end]):
        return None  # "bush", "officials": not a name
    return Piece(start, end, "person", label="PERSON")


def _org_or_place(
    text: str,
    ent: Entity,
    hits: list[Hit],
    inside: range,
    dropped: set[int],
    gazetteer: Gazetteer | None,
) -> Piece | None:
    inner = [hits[i] for i in inside if hits[i].alias.form != "block"]
    if any(h.start < ent.start or h.end > ent.end for h in inner):
        return None  # a KB name runs past the mention: the KB's reading wins
    if inner and not _unexplained(text, ent, inner):
        return None
    if inner:
        dropped.update(inside)
        return Piece(ent.start, ent.end, "org", label=ent.label, inner=tuple(inner))
    if gazetteer is not None:
        place = gazetteer.find(ent.text)
        if place is not None:
            return Piece(ent.start, ent.end, "place", place=place, label=ent.label)
    if ent.label in ORG_LABELS:
        start = ent.start + 4 if ent.text.startswith(("the ", "The ")) else ent.start
        match = _POSSESSIVE.search(text, start, ent.end)
        return Piece(start, match.start() if match else ent.end, "org", label=ent.label)
    return None


def _unexplained(text: str, ent: Entity, inner: list[Hit]) -> bool:
    """Whether the mention has capitalised words that no KB hit covers."""
    rest, at = [], ent.start
    for hit in inner:
        rest.append(text[at : hit.start])
        at = hit.end
    rest.append(text[at : ent.end])
    leftover = _FILLER.sub(" ", " ".join(rest))
    return any(word[:1].isupper() for word in leftover.split())


def _skip_space(text: str, at: int, stop: int) -> int:
    while at < stop and not text[at].isalnum():
        at += 1
    return at


def _without_overlaps(pieces: list[Piece]) -> list[Piece]:
    kept: list[Piece] = []
    for piece in pieces:
        if not kept or piece.start >= kept[-1].end:
            kept.append(piece)
    return kept
