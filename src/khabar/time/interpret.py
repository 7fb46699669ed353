"""From text to resolved times: find each expression, read its clause's tense when the
expression needs it, and place it against the anchor date.

``interpret`` is the entry point for one span (the publication-date stage can try an
expression against several anchor candidates); ``Interpreter.interpret_all`` does a whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from khabar.core.article import TimeValue
from khabar.time.expressions import (
    CalendarDate,
    Clock,
    Found,
    Offset,
    Portion,
    Reference,
    SameDay,
    Since,
    Stretch,
    is_absolute,
    is_cyclic,
)
from khabar.time.find import Finder, day_like
from khabar.time.resolve import is_duration, resolve
from khabar.time.tense import WINDOW, Tense, clause_tense

_UNTIL_BEFORE = re.compile(r"\b(?:until|till|by)[^\S\n]{1,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Interpretation:
    """One time expression at ``[start, end)`` and what it means against ``anchor``.

    ``value`` is None when the expression needs an anchor and none was given. ``tense`` is the
    tense read from the clause (None when nothing marks it, or when the expression did not need
    it and the clause was not read). ``anchor`` is the date the value was counted from (None for
    absolute expressions, which need none).
    """

    start: int
    end: int
    text: str
    value: TimeValue | None
    tense: Tense | None
    anchor: date | None
    method: str
    confidence: float


class Interpreter:
    """Finds and resolves time expressions; build it once and reuse it."""

    def __init__(self, *, day_first: bool = False, recent_days: int = 30) -> None:
        self._finder = Finder(day_first=day_first, recent_days=recent_days)

    def interpret_all(
        self, text: str, anchor: date | None, sentences: Sequence[tuple[int, int]] = ()
    ) -> list[Interpretation]:
        """Every time expression in ``text``, resolved; ``sentences`` bound each clause."""
        starts = [s for s, _ in sentences]
        everything = self._finder.find(text)
        results: list[Interpretation] = []
        reference: date | None = None  # the day the text last named, for "the day"
        for index, item in enumerate(everything):
            lo, hi = _sentence_of(item, sentences, starts, text)
            found = _clock_on_named_day(item, everything, index, lo, hi)
            tense = _tense(text, found, lo, hi) if _needs_tense(found) else None
            result = _interpretation(text, found, anchor, tense, reference)
            if result is None:
                continue
            results.append(result)
            if result.value is not None and result.value.granularity in ("day", "instant"):
                reference = result.value.start
        return results

    def readings(
        self, text: str, sentences: Sequence[tuple[int, int]] = ()
    ) -> list[tuple[Found, Tense | None]]:
        """Every time expression in ``text`` with its clause's tense, unresolved: for trying
        the expressions against several anchors (the publication window, ``extract.window``)."""
        starts = [s for s, _ in sentences]
        return [
            (item, _tense(text, item, *_sentence_of(item, sentences, starts, text)))
            for item in self._finder.find(text)
        ]

    def interpret(
        self,
        text: str,
        start: int,
        end: int,
        anchor: date | None,
        sentence: tuple[int, int] | None = None,
    ) -> Interpretation | None:
        """The longest time expression inside ``text[start:end]``, with its clause's tense."""
        found = self._finder.find(text, start, end)
        if not found:
            return None
        best = max(found, key=lambda f: f.end - f.start)
        lo, hi = sentence if sentence is not None else _line_of(text, best)
        return _interpretation(text, best, anchor, _tense(text, best, lo, hi), None)


@cache
def _default() -> Interpreter:
    return Interpreter()


def readings(text: str) -> list[tuple[Found, Tense | None]]:
    """Every time expression in ``text`` with the tense of its line, unresolved."""
    return _default().readings(text)


def interpret(
    text: str,
    start: int,
    end: int,
    anchor: date | None,
    *,
    sentence: tuple[int, int] | None = None,
) -> Interpretation | None:
    """The time expression in ``text[start:end]`` resolved against ``anchor``, with the tense
    of its clause (``sentence`` bounds the clause; by default the line). None when the span
    holds no time expression."""
    return _default().interpret(text, start, end, anchor, sentence)


def _tense(text: str, found: Found, lo: int, hi: int) -> Tense | None:
    """The clause's tense; "until Friday" in a clause that is not past looks ahead."""
    tense = clause_tense(text, found.start, found.end, lo, hi)
    if _UNTIL_BEFORE.search(text, max(lo, found.start - 12), found.start):
        strong = clause_tense(text, found.start, found.end, lo, hi, regular_past=False)
        if strong != "past":
            return "future"
    return tense


def _clock_on_named_day(
    found: Found, everything: Sequence[Found], index: int, lo: int, hi: int
) -> Found:
    """A time of day alone takes the day its sentence names: "flew Tuesday ... at 18:00 UTC"."""
    meaning = found.meaning
    if not isinstance(meaning, Clock) or meaning.on is not None:
        return found
    nearby = [*range(index - 1, max(-1, index - 5), -1), *range(index + 1, index + 5)]
    for other in (everything[i] for i in nearby if 0 <= i < len(everything)):
        if lo <= other.start and other.end <= hi and day_like(other.meaning):
            clock = Clock(meaning.hour, meaning.minute, meaning.tz, other.meaning)
            return Found(found.start, found.end, clock, found.rule)
    return found


def _needs_tense(found: Found) -> bool:
    meaning = found.meaning
    return is_cyclic(meaning) or (isinstance(meaning, Offset) and meaning.direction > 0)


def _interpretation(
    text: str, found: Found, anchor: date | None, tense: Tense | None, reference: date | None
) -> Interpretation | None:
    if is_duration(found.meaning, tense):
        return None
    absolute = is_absolute(found.meaning)
    return Interpretation(
        start=found.start,
        end=found.end,
        text=text[found.start : found.end],
        value=resolve(found.meaning, anchor, tense, reference),
        tense=tense,
        anchor=None if absolute else anchor,
        method=_method(found),
        confidence=_confidence(found, tense),
    )


def _method(found: Found) -> str:
    meaning = found.meaning
    if is_absolute(meaning):
        return "rules:absolute"
    if is_cyclic(meaning):
        return "rules:tense"
    if isinstance(meaning, Reference):
        return "rules:reference"
    if isinstance(meaning.base if isinstance(meaning, Portion) else meaning, SameDay):
        return "rules:anaphora"
    return "rules:relative"


def _confidence(found: Found, tense: Tense | None) -> float:
    meaning = found.meaning
    if isinstance(meaning, Portion | Since):
        meaning = meaning.base
    if isinstance(meaning, Reference | SameDay):
        return 0.5
    if isinstance(meaning, Stretch) or (isinstance(meaning, Offset) and meaning.amount is None):
        return 0.7
    if is_cyclic(meaning):
        return 0.8 if tense is not None else 0.65
    if isinstance(meaning, CalendarDate) and meaning.month is None and found.rule == "year":
        return 0.85  # a bare four-digit number read as a year
    return 0.9


def _sentence_of(
    found: Found, sentences: Sequence[tuple[int, int]], starts: list[int], text: str
) -> tuple[int, int]:
    i = bisect_right(starts, found.start) - 1
    if i >= 0 and sentences[i][0] <= found.start and found.end <= sentences[i][1]:
        return sentences[i]
    return _line_of(text, found)


def _line_of(text: str, found: Found) -> tuple[int, int]:
    """The line around the expression, looked for no further than the tense window."""
    lo = text.rfind("\n", max(0, found.start - WINDOW - 1), found.start) + 1
    hi = text.find("\n", found.end, found.end + WINDOW + 1)
    return lo, hi if hi >= 0 else min(len(text), found.end + WINDOW)
