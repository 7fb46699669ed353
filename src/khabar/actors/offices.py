"""Office-holders and their terms: "Foreign Minister Bilawal Bhutto Zardari" dates a text.

A scraped page often has no publication date, and its relative references ("next month", "in
March") fix the month but not the year. A person named with the office they hold at the time of
writing does: the text was written during one of that person's terms in that office. The terms
come from ``data/actors/offices.tsv`` (columns ``name aliases country office titles start end
source``; ``end`` is empty for a holder still in office when the file was compiled) and from a
user's own files in the same format.

A mention counts only with its title right before the name ("Pakistani Foreign Minister
Bilawal") or right after it ("Bilawal, the foreign minister"), and not after "former",
"then-" and the like: a name alone may be a former holder, a namesake or a historical mention.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import ahocorasick

from khabar.actors.scan import leftmost_longest, same_length_lower
from khabar.core.errors import ConfigError

COLUMNS = ("name", "aliases", "country", "office", "titles", "start", "end", "source")
OFFICES = frozenset(
    {
        "head_of_state",
        "head_of_government",
        "foreign_minister",
        "defence_minister",
        "secretary_general",
    }
)
# Titles any holder of the office may carry, besides the ones a row lists.
GENERIC_TITLES = {
    "head_of_state": ("President",),
    "head_of_government": ("Prime Minister", "PM", "Premier"),
    "foreign_minister": (
        "Foreign Minister",
        "Minister of Foreign Affairs",
        "Foreign Affairs Minister",
    ),
    "defence_minister": ("Defence Minister", "Defense Minister", "Minister of Defence"),
    "secretary_general": ("Secretary-General", "Secretary General"),
}
_NOT_NOW = re.compile(
    r"\b(?:former|ex|then|late|outgoing|previous|erstwhile|one-time|onetime|past|"
    r"acting|caretaker|interim|designate|elect|would-be|ousted|deposed|toppled|overthrown|"
    r"slain|assassinated|murdered|jailed|imprisoned|exiled|impeached|emeritus|retired|"
    r"sacked|dismissed|sidelined|deceased|dead)[\s-]*$",
    re.IGNORECASE,
)
# A word that makes the title another office: "Vice President", "Deputy Foreign Minister".
_LESSER = re.compile(
    r"\b(?:vice|deputy|assistant|junior|associate|under|state|shadow|first deputy|"
    r"co|party|former)[\s-]*$",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"^[\s.]*(?:[A-Z][\w'.-]*\s+){0,2}$")  # "Minister [Sardar] Bilawal"
_AFTER = re.compile(r"^,\s+(?:the\s+|(?:[A-Z][\w.]*'s|its|his|her)\s+)?([^,;.\n]{3,60})")
_ADJECTIVE = re.compile(r"^(?:[A-Z][a-z][\w-]*\s+)?$")  # one capitalised word, not "UDPS"
REACH = 80  # how far before a name a title may start


class OfficesError(ConfigError):
    """An office-holders file is missing or has a bad row."""


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    country: str
    office: str
    titles: tuple[str, ...]
    start: date
    end: date | None
    source: str


@dataclass(frozen=True, slots=True)
class OfficeMention:
    """A title and a name in the text, and every term that could make the pairing true."""

    start: int  # the name's span (the title is not part of it)
    end: int
    name: str
    terms: tuple[Term, ...]

    def spans(self) -> list[tuple[date, date | None]]:
        return [(t.start, t.end) for t in self.terms]


class Offices:
    """The office-holders, found in a text by any of their names."""

    def __init__(self, terms: Sequence[Term], aliases: dict[str, set[str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        by_alias: dict[str, list[Term]] = {}
        for term in terms:
            for alias in aliases[term.name] | {term.name}:
                by_alias.setdefault(alias.lower(), []).append(term)
        self._by_alias = {alias: tuple(rows) for alias, rows in by_alias.items()}
        for alias, rows in by_alias.items():
            self._automaton.add_word(alias, (alias, tuple(rows)))
        if by_alias:
            self._automaton.make_automaton()
        self._empty = not by_alias

    def __len__(self) -> int:
        return 0 if self._empty else len(self._automaton)

    def terms_of(self, name: str) -> tuple[Term, ...]:
        """The terms of the holder called exactly ``name`` (any of their names, any case)."""
        return self._by_alias.get(name.strip().lower(), ())

    def find(self, text: str) -> list[OfficeMention]:
        """Every name in ``text`` that stands with one of its titles."""
        if self._empty:
            return []
        folded = same_length_lower(text)
        found: list[OfficeMention] = []
        for last, (alias, rows) in self._automaton.iter(folded):
            start, end = last - len(alias) + 1, last + 1
            if not _word_bounded(text, start, end) or not text[start].isupper():
                continue
            titled = tuple(t for t in rows if _titled(text, start, end, t))
            if titled:
                found.append(OfficeMention(start, end, text[start:end], titled))
        return leftmost_longest(found)


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-")


def _titled(text: str, start: int, end: int, term: Term) -> bool:
    """Whether the name at ``[start, end)`` stands with a title of ``term``'s office, as the
    holder at the time: "Foreign Minister X", "X, the foreign minister", not "Deputy Foreign
    Minister X" or "ousted President X"."""
    titles = term.titles + GENERIC_TITLES[term.office]
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - REACH) : start]
    for title in titles:  # before a name, a title is capitalised ("UDPS president" is not one)
        at = before.rfind(title)
        while at >= 0:
            if _BETWEEN.match(before[at + len(title) :]) and _title_start(before, at):
                return _current(before[:at])
            at = before.rfind(title, 0, at)
    after = _AFTER.match(text[end : end + REACH])
    if after:
        phrase = after.group(1)
        for title in titles:
            at = same_length_lower(phrase).find(title.lower())
            # "the foreign minister", "Kenya's president", "the Nigerian foreign minister"
            if at >= 0 and _ADJECTIVE.match(phrase[:at]) and _current(phrase[:at]):
                return True
    return False


def _current(before: str) -> bool:
    return not _NOT_NOW.search(before) and not _LESSER.search(before)


def _title_start(before: str, at: int) -> bool:
    return at == 0 or not before[at - 1].isalnum()


def read_terms(lines: Iterable[str], where: str) -> Iterator[tuple[Term, set[str]]]:
    """The rows of one office-holders file, each with the person's aliases."""
    rows = csv.reader((line for line in lines if not line.startswith("#")), delimiter="\t")
    header = next(rows, None)
    if header is None or tuple(header) != COLUMNS:
        raise OfficesError(f"{where}: the header must be {' '.join(COLUMNS)}, not {header}")
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise OfficesError(f"{where}, row {number}: {len(row)} cells, expected {len(COLUMNS)}")
        cell = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
        if cell["office"] not in OFFICES:
            raise OfficesError(
                f"{where}, row {number}: unknown office {cell['office']!r}; "
                f"use one of {', '.join(sorted(OFFICES))}"
            )
        try:
            start = date.fromisoformat(cell["start"])
            end = date.fromisoformat(cell["end"]) if cell["end"] else None
        except ValueError as exc:
            raise OfficesError(f"{where}, row {number}: {exc}; dates are YYYY-MM-DD") from None
        if end is not None and end < start:
            raise OfficesError(f"{where}, row {number}: the term ends before it starts")
        if not cell["name"] or not cell["source"]:
            raise OfficesError(f"{where}, row {number}: a name and a source are required")
        titles = tuple(t.strip() for t in cell["titles"].split("|") if t.strip())
        aliases = {a.strip() for a in cell["aliases"].split("|") if a.strip()}
        term = Term(
            cell["name"], cell["country"], cell["office"], titles, start, end, cell["source"]
        )
        yield term, aliases


def load(extra: Sequence[str | Path] = ()) -> Offices:
    """The packaged office-holders and a user's own files, in that order."""
    return _load(tuple(str(p) for p in extra))


@cache
def _load(extra: tuple[str, ...]) -> Offices:
    packaged = resources.files("khabar.data.actors").joinpath("offices.tsv")
    sources: list[tuple[str, Iterable[str]]] = [
        ("offices.tsv", packaged.read_text(encoding="utf-8").splitlines())
    ]
    for path in extra:
        try:
            sources.append((path, Path(path).read_text(encoding="utf-8").splitlines()))
        except OSError as exc:
            raise OfficesError(f"cannot read the office-holders file {path}: {exc}") from None
    terms: list[Term] = []
    aliases: dict[str, set[str]] = {}
    for where, lines in sources:
        for term, names in read_terms(lines, where):
            terms.append(term)
            aliases.setdefault(term.name, set()).update(names)
    return Offices(terms, aliases)
