"""When a text was written, from its own time expressions: the publication window.

A scraped page without a trustworthy date still says when it was written. "Ended its ceasefire
in November" (past) and "will hold a conference in March" (future) put the writing between the
two; "talks next month" and "in March", written about the same plan, coincide only if it was
written in February. Named months without a year are read as lying within ``NEAR_MONTHS`` of
the writing, the way news uses them.

Every month in the last ``YEARS`` years (up to the latest date the page can have, ``before``) is
tried as the month of writing:

- **hard constraints** rule months out: a dated past event ("on 3 January 2023 ... attacked")
  happened before the writing, a dated future one after it, and a titled office-holder
  ("Foreign Minister X", ``khabar.actors.offices``) was in office;
- **soft evidence** ranks what is left: how many tensed month names lie near the month, then
  how many relative references ("next month", "last year") land on a time the text also names.

The best-ranked months form runs, one a year when only month names speak. The year is fixed
only when one run is left (an office-holder's term or a dated event picked it); otherwise the
latest run is kept as an untrusted candidate, so the record shows what the text implies without
dating the article by a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from khabar.actors.offices import OfficeMention, Offices
from khabar.core.article import Evidence, TimeValue
from khabar.time import periods
from khabar.time.expressions import CalendarDate, Deictic, Found, Named, Since, is_absolute
from khabar.time.interpret import readings
from khabar.time.resolve import resolve
from khabar.time.tense import Tense

YEARS = 25
NEAR_MONTHS = 6
MAX_MONTHS = 3  # a wider window says too little to date an article by
MAX_READINGS = 40  # of each kind: enough for any article, and a 5 MB page of dates stays cheap
TERM_GRACE = timedelta(days=14)  # news keeps a title for days after a handover
CONFIDENCE = {"fixed": 0.45, "unfixed": 0.2, "coincidence": 0.1}


@dataclass(frozen=True)
class Window:
    value: TimeValue
    confidence: float
    trusted: bool
    evidence: tuple[Evidence, ...]
    note: str


@dataclass(frozen=True)
class _Reading:
    found: Found
    tense: Tense | None
    meaning: CalendarDate | Deictic | Named


def infer(text: str, before: date, offices: Offices | None = None) -> Window | None:
    """The month(s) ``text`` was most likely written in, no later than ``before``; None when the
    text says too little."""
    named, relative, dated = _classify(readings(text))
    if not named and not relative:
        return None
    holders = (offices.find(text) if offices is not None else [])[:MAX_READINGS]
    bounds = _bounds(dated)  # the dated events place the writing after or before them
    last = _month(before)
    scored: dict[int, tuple[int, int]] = {}
    for month in range(last - 12 * YEARS, last + 1):
        span = _span(month)
        if not all(after <= span.end for after in bounds.after) or not all(
            span.start <= upto for upto in bounds.before
        ):
            continue
        if holders and not all(_in_office(h, span.start, span.end) for h in holders):
            continue
        scored[month] = _score(month, named, relative)
    if not scored and holders:  # the terms contradict the text: a missed "former", say
        return None
    best = max(scored.values(), default=(0, 0))
    if best == (0, 0):
        return None
    runs = _runs(sorted(m for m, s in scored.items() if s == best))
    window = runs[-1]
    if len(window) > MAX_MONTHS:
        return None
    fixed = len(runs) == 1
    lo, hi = _span(window[0]).start, min(_span(window[-1]).end, before)
    whole_month = len(window) == 1 and hi == _span(window[0]).end
    value = TimeValue(start=lo, end=hi, granularity="month" if whole_month else "interval")
    evidence = _evidence(named, relative, dated, holders)
    confidence = CONFIDENCE["fixed" if fixed else "unfixed"]
    if best[1]:
        confidence += CONFIDENCE["coincidence"]
    note = _note(holders, fixed, before, best)
    return Window(value, round(confidence, 2), fixed, tuple(evidence), note)


def _classify(
    found: Sequence[tuple[Found, Tense | None]],
) -> tuple[list[_Reading], list[_Reading], list[_Reading]]:
    """Month names with a tense, references counted from the writing, dated times with a tense."""
    named: list[_Reading] = []
    relative: list[_Reading] = []
    dated: list[_Reading] = []
    for item, read in found:
        meaning, tense = item.meaning, read
        if isinstance(meaning, Since):  # "since November": in the past
            meaning, tense = meaning.base, "past"
        match meaning:
            case CalendarDate(year=None, month=int(), year_offset=None) if tense in (
                "past",
                "future",
            ):
                named.append(_Reading(item, tense, meaning))
            case CalendarDate(year=int()) if tense in ("past", "future") and is_absolute(meaning):
                dated.append(_Reading(item, tense, meaning))
                named.append(_Reading(item, tense, meaning))  # a target for "last year"
            case Deictic(unit="month" | "year", offset=offset) if offset != 0:
                relative.append(_Reading(item, tense, meaning))
            case Named(base=CalendarDate(year=None, month=int())):
                relative.append(_Reading(item, tense, meaning))
    return named[:MAX_READINGS], relative[:MAX_READINGS], dated[:MAX_READINGS]


def _score(month: int, named: list[_Reading], relative: list[_Reading]) -> tuple[int, int]:
    anchor = _span(month).start + timedelta(days=14)
    near = 0
    targets: set[tuple[date, date]] = set()
    for r in named:
        value = resolve(r.meaning, anchor, r.tense)
        if value is None:
            continue
        targets.add((value.start, value.end))
        if (
            isinstance(r.meaning, CalendarDate)
            and r.meaning.year is None
            and abs(_month(value.start) - month) <= NEAR_MONTHS
        ):
            near += 1
    landed = 0
    for r in relative:
        value = resolve(r.meaning, anchor, r.tense)
        if value is not None and (value.start, value.end) in targets:
            landed += 1
    return near, landed


@dataclass(frozen=True)
class _Bounds:
    after: list[date]  # the month of writing ends on or after each (a past event's start)
    before: list[date]  # and starts on or before each (a future event's end)


def _bounds(dated: list[_Reading]) -> _Bounds:
    """A dated past event happened before the end of the month of writing; a future one ends
    after its start."""
    values = [(resolve(r.meaning, None, r.tense), r.tense) for r in dated]
    return _Bounds(
        after=[v.start for v, tense in values if v is not None and tense == "past"],
        before=[v.end for v, tense in values if v is not None and tense != "past"],
    )


def _in_office(mention: OfficeMention, first: date, last: date) -> bool:
    return any(
        start <= last and (end is None or first <= end + TERM_GRACE)
        for start, end in mention.spans()
    )


def _evidence(
    named: list[_Reading],
    relative: list[_Reading],
    dated: list[_Reading],
    holders: list[OfficeMention],
) -> list[Evidence]:
    spans = {(r.found.start, r.found.end) for r in [*named, *relative, *dated]}
    spans |= {(h.start, h.end) for h in holders}
    return [Evidence.text_span(start, end) for start, end in sorted(spans)]


def _note(
    holders: list[OfficeMention],
    fixed: bool,
    before: date,
    best: tuple[int, int],
) -> str:
    parts = [f"{best[0]} month name(s) near the writing"]
    if best[1]:
        parts.append(f"{best[1]} relative reference(s) landing on a named time")
    said: set[tuple[str, str]] = set()
    for h in holders:
        terms = ", ".join(f"{t.start}..{t.end or 'in office'}" for t in h.terms)
        key = (h.terms[0].name, terms)
        if key not in said:
            said.add(key)
            parts.append(f"{h.terms[0].name} in office ({h.terms[0].office}: {terms})")
    text = "inferred from the text: " + "; ".join(parts)
    if not fixed:
        text += f"; the year is not fixed by the text (the latest that fits before {before})"
    return text


def _runs(months: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _span(month: int) -> TimeValue:
    return periods.month(month // 12, month % 12 + 1)
