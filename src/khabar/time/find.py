"""Finding time expressions: run every rule, keep the longest of overlapping matches, then join
the pieces that belong together ("18:00 UTC" + "Monday", "late" + "last year", "since" +
"November").

Rules run only around the hits of cheap triggers and every look-around is bounded, so finding
is linear in the size of the text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator

from khabar.time.expressions import (
    CalendarDate,
    Clock,
    Decade,
    Deictic,
    Found,
    Half,
    Meaning,
    Named,
    Portion,
    Quarter,
    SameDay,
    Season,
    Since,
    Weekday,
)
from khabar.time.lexicon import SPACE as S
from khabar.time.patterns import Rule, Trigger
from khabar.time.readers import part_of
from khabar.time.rules import rules

_PORTION_BEFORE = re.compile(
    rf"(?:\b(?:the{S})?(?P<mod>early|mid|late)(?:-|{S}(?:in{S})?)"
    rf"|\b(?:the{S})?(?P<edge>end|beginning|start|middle|close){S}of{S}(?:the{S})?"
    rf"|\b(?P<mid>mid)-?)$",
    re.IGNORECASE,
)
LOOKAHEAD = 8  # characters a rule's look-ahead may read past the end of its match
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_SINCE_BEFORE = re.compile(rf"\b(?:ever{S})?since{S}$", re.IGNORECASE)
_CLOCK_THEN_DAY = re.compile(r"^[^\S\n]{0,3}(?:,|on|of)?[^\S\n]{0,3}$", re.IGNORECASE)
_DAY_THEN_CLOCK = re.compile(r"^[^\S\n]{0,3}(?:,|at|,[^\S\n]at)?[^\S\n]{0,3}$", re.IGNORECASE)
_WEEKDAY_THEN_DATE = re.compile(r"^,?[^\S\n]{1,3}(?:the[^\S\n]{1,3})?$", re.IGNORECASE)


class Finder:
    """Finds time expressions in text; build it once (the rules compile on creation)."""

    def __init__(self, *, day_first: bool = False, recent_days: int = 30) -> None:
        self._rules: list[Rule] = rules(day_first=day_first, recent_days=recent_days)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Found]:
        """The time expressions in ``text[start:end]``, in order, none overlapping."""
        chosen = longest(self.candidates(text, start, end))
        return [_extend(text, found, start) for found in _join_pieces(text, chosen)]

    def candidates(self, text: str, start: int = 0, end: int | None = None) -> list[Found]:
        """Every rule's matches, overlapping ones included.

        Each rule runs only in windows around the hits of its triggers (words or digit shapes
        that all its matches contain), so that prose without dates costs one cheap scan per
        trigger, not one scan per rule.
        """
        stop = len(text) if end is None else min(end, len(text))
        hits = _Hits(text, start, stop)
        found: list[Found] = []
        for rule in self._rules:
            for lo, hi in _windows(hits.of(rule.triggers), rule, start, stop):
                # A match ending in the window's last characters may owe its end to the cut
                # (its look-ahead could not see on): the next window, or none, holds it.
                last_end = hi if hi == stop else hi - LOOKAHEAD
                for match in rule.pattern.finditer(text, lo, hi):
                    if match.end() > last_end:
                        break
                    meaning = rule.read(text, match)
                    if meaning is not None:
                        found.append(Found(match.start(), match.end(), meaning, rule.name))
        return found


class _Hits:
    """Where each trigger occurs in ``text[start:stop]``, each trigger searched once."""

    def __init__(self, text: str, start: int, stop: int) -> None:
        self._text, self._start, self._stop = text, start, stop
        self._lowered: str | None = None
        self._found: dict[Trigger, list[tuple[int, int]]] = {}

    def of(self, triggers: tuple[Trigger, ...]) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for trigger in triggers:
            if trigger not in self._found:
                haystack = self._lower() if trigger.lowered else self._text
                self._found[trigger] = [
                    m.span() for m in trigger.pattern.finditer(haystack, self._start, self._stop)
                ]
            spans.extend(self._found[trigger])
        return sorted(spans) if len(triggers) > 1 else spans

    def _lower(self) -> str:
        if self._lowered is None:
            lowered = self._text.lower()
            # str.lower can change the length ("İ"); offsets must not move
            self._lowered = (
                lowered if len(lowered) == len(self._text) else self._text.translate(_ASCII_LOWER)
            )
        return self._lowered


def _windows(
    hits: Iterable[tuple[int, int]], rule: Rule, start: int, stop: int
) -> Iterator[tuple[int, int]]:
    """Merged stretches of text around the hits where the rule's matches can lie."""
    lo = hi = -1
    for hit_start, hit_end in hits:
        begin = max(start, hit_start - rule.before)
        finish = min(stop, hit_end + rule.after + LOOKAHEAD)
        if begin > hi:
            if hi > lo:
                yield lo, hi
            lo = begin
        hi = max(hi, finish)
    if hi > lo >= 0:
        yield lo, hi


def longest(candidates: Iterable[Found]) -> list[Found]:
    """Of overlapping candidates keep the longest (on a tie, the rule listed first)."""
    chosen: list[Found] = []
    for found in sorted(candidates, key=lambda f: (f.start, f.start - f.end)):
        if chosen and found.start < chosen[-1].end:
            if found.end - found.start > chosen[-1].end - chosen[-1].start:
                chosen[-1] = found
            continue
        chosen.append(found)
    return chosen


def day_like(meaning: Meaning) -> bool:
    """Whether the meaning is one day ("Monday", "3 March", "yesterday")."""
    match meaning:
        case CalendarDate(day=d):
            return d is not None
        case Weekday() | Named(base=Weekday()):
            return True
        case Deictic(unit="day"):
            return True
        case _:
            return False


def _join_pieces(text: str, found: list[Found]) -> list[Found]:
    """Pieces of one expression become one: a weekday before its date ("Tuesday, 3 January
    2023") and a time of day next to its day ("12:00 UTC Monday")."""
    joined: list[Found] = []
    for item in found:
        last = joined[-1] if joined else None
        if last is not None and item.start - last.end <= 6:
            gap = text[last.end : item.start]
            if (
                isinstance(last.meaning, Weekday)
                and isinstance(item.meaning, CalendarDate)
                and item.meaning.day is not None
                and _WEEKDAY_THEN_DATE.match(gap)
            ):
                joined[-1] = Found(last.start, item.end, item.meaning, item.rule)
                continue
            if (
                isinstance(last.meaning, Clock)
                and last.meaning.on is None
                and day_like(item.meaning)
                and _CLOCK_THEN_DAY.match(gap)
            ):
                clock = Clock(last.meaning.hour, last.meaning.minute, last.meaning.tz, item.meaning)
                joined[-1] = Found(last.start, item.end, clock, f"{last.rule}+{item.rule}")
                continue
            if (
                isinstance(item.meaning, Clock)
                and item.meaning.on is None
                and day_like(last.meaning)
                and _DAY_THEN_CLOCK.match(gap)
            ):
                clock = Clock(item.meaning.hour, item.meaning.minute, item.meaning.tz, last.meaning)
                joined[-1] = Found(last.start, item.end, clock, f"{last.rule}+{item.rule}")
                continue
        joined.append(item)
    return joined


def _portionable(meaning: Meaning) -> bool:
    match meaning:
        case CalendarDate() | Season() | Quarter() | Half() | Decade() | Weekday():
            return True
        case Named() | Deictic() | SameDay():
            return True
        case _:
            return False


def _extend(text: str, found: Found, floor: int) -> Found:
    """Take in a modifier written before the expression ("late" last year), and note a
    "since" before it (since November: a November in the past)."""
    window = max(floor, found.start - 40)
    meaning: Meaning = found.meaning
    start = found.start
    if _portionable(meaning):
        m = _PORTION_BEFORE.search(text, window, start)
        if m is not None:
            word = m.group("mod") or m.group("edge") or m.group("mid")
            meaning, start = Portion(meaning, part_of(word)), m.start()
    if not isinstance(meaning, Clock) and _SINCE_BEFORE.search(text, window, start):
        meaning = Since(meaning)  # "since" stays outside the span, as a TimeML signal
    if meaning is found.meaning:
        return found
    return Found(start, found.end, meaning, found.rule)
