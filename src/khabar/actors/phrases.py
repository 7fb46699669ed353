"""Actor phrases: pieces joined by what stands between them.

The grammar, over pieces (A: an affiliation, i.e. a KB entry, a place or an org; R: a role
noun; P: a person), where adjacent pieces are joined by a space, a possessive ("'s"), one or
two modifier words ("senior", "riot", "high-ranking"), a hyphenated participle ("-backed"), a
coordination ("and", ",") or "of"/"in":

    A+ (and A+)* [R+] [P]          "US State Department's counselor Derek Chollet"
                                   "Hungarian and Romanian officials", "Pakistani Taliban"
    R+ [P]                         "Foreign Minister Bilawal Bhutto-Zardari", "civilians"
    R+ (of|in) A+                  "the Foreign Minister of Pakistan", "police in Karachi"
    P , [A+] R+ [(of|in) A+]       "Derek Chollet, US State Department's counselor"

A+ is a compound affiliation whose last piece is its head ("US State Department": the
department). A modifier word is lower case, not a function word or reporting verb, and not a
verb form ("-ed", "-ing", "-ly", a plural "-s") unless the words file lists it (a listed word
may be capitalised: "Vice Foreign Minister"). Nothing joins
across a line break or a sentence's full stop, so phrases stay inside sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from khabar.actors.kb import KnowledgeBase
from khabar.actors.pieces import Piece

_MAX_GAP = 40
_SPACE = re.compile(r"[ \t\u00a0]{0,2}")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)[ \t\u00a0]+")
_POSSESSIVE_WORDS = re.compile(r"(?:'s|’s|'|’)[ \t\u00a0]+((?:[A-Za-z][a-z-]*[ \t\u00a0]+){1,2})")
_COORD = re.compile(r"[ \t\u00a0]*(?:,|and|or|&|, and)[ \t\u00a0]+")
_OF = re.compile(r"[ \t\u00a0]+(?:of|from)[ \t\u00a0]+(?:the[ \t\u00a0]+)?")
_IN = re.compile(r"[ \t\u00a0]+in[ \t\u00a0]+(?:the[ \t\u00a0]+)?")
_COMMA = re.compile(r"[ \t\u00a0]*,[ \t\u00a0]*(?:(?:the|a|an)[ \t\u00a0]+)?")
_WORDS = re.compile(r"[ \t\u00a0]+(?:-?([A-Za-z][a-z-]*)[ \t\u00a0]+){1,2}")
_HYPHENED = re.compile(r"-([a-z]+)[ \t\u00a0]+")
_WORD = re.compile(r"-?([A-Za-z][a-z-]*)")

JOINS = ("space", "possessive", "modifier")


@dataclass
class Phrase:
    """One actor phrase: where it is, and the pieces it is made of."""

    start: int
    end: int
    affiliation: list[Piece] = field(default_factory=list)  # the head is the last
    roles: list[Piece] = field(default_factory=list)
    person: Piece | None = None
    appositive: bool = False

    @property
    def head(self) -> Piece | None:
        return self.affiliation[-1] if self.affiliation else None


class Linker:
    """Classifies the text between two pieces: how (if at all) they join."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.stop = frozenset(kb.stop_words)
        self.modifiers = frozenset(kb.modifiers)

    def link(self, text: str, left: Piece, right: Piece) -> str | None:
        gap = text[left.end : right.start]
        if len(gap) > _MAX_GAP or "\n" in gap:
            return None
        for name, pattern in (
            ("space", _SPACE),
            ("possessive", _POSSESSIVE),
            ("comma", _COMMA),
            ("coord", _COORD),
            ("of", _OF),
            ("in", _IN),
        ):
            if pattern.fullmatch(gap):
                return name
        if (_WORDS.fullmatch(gap) or _HYPHENED.fullmatch(gap)) and self._modifiers_only(gap):
            return "modifier"
        words = _POSSESSIVE_WORDS.fullmatch(gap)
        if words and self._modifiers_only(words.group(1)):
            return "possessive"  # "Lebanon's new President", "Cairo's security chief"
        return None

    def _modifiers_only(self, gap: str) -> bool:
        return all(self.is_modifier(m.group(1)) for m in _WORD.finditer(gap))

    def is_modifier(self, word: str) -> bool:
        if word.lower() in self.modifiers:
            return True  # listed words may be capitalised: "Vice Foreign Minister"
        if not word.islower() or word in self.stop or len(word) < 2:
            return False
        plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
        return not (plural or word.endswith(("ed", "ing", "ly")))


def phrases(text: str, pieces: Sequence[Piece], linker: Linker) -> list[Phrase]:
    """The actor phrases of a text, left to right; every piece ends up in at most one."""
    links = [linker.link(text, a, b) for a, b in pairwise(pieces)]
    parser = _Parser(pieces, links)
    found: list[Phrase] = []
    while parser.at < len(pieces):
        found.extend(parser.parse())
    return found


class _Parser:
    def __init__(self, pieces: Sequence[Piece], links: list[str | None]) -> None:
        self.pieces = pieces
        self.links = links
        self.at = 0

    def parse(self) -> list[Phrase]:
        start = self.at
        groups = self._affiliations()
        roles = self._roles(joined=not groups or self._joins(JOINS))
        person = self._person(after_prefix=bool(groups or roles))
        ends_in_of = roles and person is None and self._joins(("of", "in"))
        if not groups and ends_in_of and self._is_affiliation():
            groups = [self._compound()]
        if self.at == start:
            self.at += 1  # a piece that starts nothing (cannot happen with the kinds above)
            return []
        made = self._make(groups, roles, person)
        if person is not None and self._joins(("comma",)):
            self._appositive(made[-1])
        return made

    # -- pieces -------------------------------------------------------------------------------
    def _is(self, kind: str) -> bool:
        return self.at < len(self.pieces) and self.pieces[self.at].kind == kind

    def _is_affiliation(self) -> bool:
        return any(self._is(kind) for kind in ("entry", "place", "org"))

    def _joins(self, kinds: tuple[str, ...]) -> bool:
        """Whether the piece before ``at`` joins the piece at ``at`` in one of these ways."""
        return 0 < self.at < len(self.pieces) and self.links[self.at - 1] in kinds

    def _affiliations(self) -> list[list[Piece]]:
        groups: list[list[Piece]] = []
        while self._is_affiliation():
            groups.append(self._compound())
            if not (self._joins(("coord", "comma")) and self._is_affiliation()):
                break
        return groups

    def _compound(self) -> list[Piece]:
        group = [self.pieces[self.at]]
        self.at += 1
        while self._is_affiliation() and self._joins(JOINS):
            group.append(self.pieces[self.at])
            self.at += 1
        return group

    def _roles(self, joined: bool) -> list[Piece]:
        roles: list[Piece] = []
        while self._is("role") and (joined if not roles else self._joins(("space", "modifier"))):
            roles.append(self.pieces[self.at])
            self.at += 1
        return roles

    def _person(self, after_prefix: bool) -> Piece | None:
        """The person a prefix leads to (joined by a space or "'s"), or one starting a phrase."""
        if not self._is("person") or (after_prefix and not self._joins(("space", "possessive"))):
            return None
        person = self.pieces[self.at]
        self.at += 1
        return person

    # -- output -------------------------------------------------------------------------------
    def _make(
        self, groups: list[list[Piece]], roles: list[Piece], person: Piece | None
    ) -> list[Phrase]:
        last = person or (roles[-1] if roles else None)
        only_titles = all(r.role is not None and r.role.title == "only" for r in roles)
        if roles and only_titles and person is None:
            roles = []  # "Mr." or "General" with no name after it names nobody
        if not groups:
            first = roles[0] if roles else person
            if first is None or last is None:
                return []
            return [Phrase(first.start, last.end, roles=roles, person=person)]
        made = [Phrase(g[0].start, g[-1].end, affiliation=g, roles=roles) for g in groups]
        if last is not None and groups[0][0].start < last.start:
            made[-1].end = last.end
        made[-1].person = person
        if roles and roles[0].start < groups[0][0].start:  # "the Foreign Minister of Pakistan"
            made[-1].start = roles[0].start
        return made

    def _appositive(self, phrase: Phrase) -> None:
        """``P, [A+] R+ [of A+]``: the role and affiliation describe the person."""
        mark = self.at
        groups = self._affiliations() if self._is_affiliation() else []
        roles = self._roles(joined=not groups or self._joins(JOINS))
        if roles and not groups and self._joins(("of", "in")) and self._is_affiliation():
            groups = [self._compound()]
        if not roles:
            self.at = mark  # "Bilawal, Pakistan and ..." is no appositive
            return
        if len(groups) == 1:
            phrase.affiliation = groups[0]
        phrase.roles = phrase.roles or roles
        phrase.appositive = True
        phrase.end = self.pieces[self.at - 1].end
