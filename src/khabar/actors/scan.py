"""Find the knowledge base's surface forms in a text: one Aho-Corasick pass, linear in its length.

The automaton holds every alias in lower case and runs over a lower-cased copy of the text of
the same length, so offsets carry over unchanged. A hit counts only at word boundaries, and
only if every capital letter of the alias is a capital in the text: "US" does not match "us",
"Hamas" does not match "hamas", while a lower-case role noun ("police") matches in any case.
Overlapping hits are resolved leftmost-longest ("Pakistani Taliban" over "Pakistani").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

import ahocorasick

from khabar.actors.kb import Alias, KnowledgeBase


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    alias: Alias


class Scanner:
    """Built once from a knowledge base (a few hundred ms for tens of thousands of forms)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        by_key: dict[str, list[Alias]] = {}
        for text, alias in kb.aliases.items():
            by_key.setdefault(text.lower(), []).append(alias)
        self._automaton = ahocorasick.Automaton()
        for key, aliases in by_key.items():
            self._automaton.add_word(key, (len(key), tuple(aliases)))
        if by_key:
            self._automaton.make_automaton()
        self._empty = not by_key

    def hits(self, text: str) -> list[Hit]:
        """Non-overlapping hits, left to right."""
        if self._empty or not text:
            return []
        lowered = same_length_lower(text)
        found: list[Hit] = []
        for last, (length, aliases) in self._automaton.iter(lowered):
            start, end = last + 1 - length, last + 1
            if not _at_boundaries(text, start, end):
                continue
            surface = text[start:end]
            for alias in aliases:
                if case_fits(alias.text, surface):
                    found.append(Hit(start, end, alias))
                    break
        return leftmost_longest(found)


def same_length_lower(text: str) -> str:
    """``text.lower()``, except characters whose lower case is longer stay as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := c.lower()) == 1 else c for c in text)


def case_fits(alias: str, surface: str) -> bool:
    """Every capital of the alias is a capital in the text ("al-Shabaab" fits "Al-Shabaab")."""
    return all(s.isupper() for a, s in zip(alias, surface, strict=True) if a.isupper())


def _at_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not _word_char(before) and not (_word_char(after) and _word_char(text[end - 1]))


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Spanned)


def leftmost_longest(hits: list[S]) -> list[S]:
    """Overlapping hits keep the leftmost, and of those the longest."""
    hits.sort(key=lambda h: (h.start, h.start - h.end))
    kept: list[S] = []
    reach = 0
    for hit in hits:
        if hit.start >= reach:
            kept.append(hit)
            reach = hit.end
    return kept
