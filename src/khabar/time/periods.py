"""Calendar periods as inclusive day intervals: ISO weeks, months, seasons, quarters, decades.

Seasons are northern-hemisphere meteorological seasons (spring March-May, summer June-August,
autumn September-November, winter December-February); a winter belongs to the year of its
December, so winter 2022 is 2022-12-01..2023-02-28.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from khabar.core.article import Granularity, TimeValue

SEASON_CODES = ("SP", "SU", "FA", "WI")  # TIMEX3 season codes, in the order above
_SEASON_FIRST_MONTH = (3, 6, 9, 12)
MIN_YEAR = 1
MAX_YEAR = 9998  # one year of head room below date.max for "next year" arithmetic


@lru_cache(maxsize=8192)
def span(start: date, end: date, granularity: Granularity) -> TimeValue:
    """The interval as a TimeValue. Resolution builds many candidate periods, the same ones
    again and again: they are cached (a TimeValue is immutable) and built without pydantic's
    validation, which would only re-check what is checked here."""
    if end < start:
        raise ValueError(f"time interval ends ({end}) before it starts ({start})")
    return TimeValue.model_construct(start=start, end=end, granularity=granularity, at=None)


def day(when: date) -> TimeValue:
    return span(when, when, "day")


@lru_cache(maxsize=4096)
def month(year: int, number: int) -> TimeValue:
    last = calendar.monthrange(year, number)[1]
    return span(date(year, number, 1), date(year, number, last), "month")


def year(number: int) -> TimeValue:
    return span(date(number, 1, 1), date(number, 12, 31), "year")


def iso_week(when: date) -> TimeValue:
    """The Monday-to-Sunday ISO week containing ``when``."""
    monday = when - timedelta(days=when.weekday())
    return span(monday, monday + timedelta(days=6), "week")


def weekend(when: date) -> TimeValue:
    """Saturday and Sunday of the ISO week containing ``when``."""
    saturday = when - timedelta(days=when.weekday()) + timedelta(days=5)
    return span(saturday, saturday + timedelta(days=1), "interval")


def season(year_: int, index: int) -> TimeValue:
    """Season ``index`` (0 spring .. 3 winter) of ``year_``; winter runs into the next year."""
    first = _SEASON_FIRST_MONTH[index]
    start = date(year_, first, 1)
    end_year, end_month = (year_ + 1, 2) if index == 3 else (year_, first + 2)
    return span(start, month(end_year, end_month).end, "season")


def season_of(when: date) -> tuple[int, int]:
    """``(year, index)`` of the season containing ``when``."""
    if when.month in (1, 2):
        return when.year - 1, 3
    return when.year, (when.month - 3) // 3


def quarter(year_: int, number: int) -> TimeValue:
    first = 3 * (number - 1) + 1
    return span(date(year_, first, 1), month(year_, first + 2).end, "quarter")


def half(year_: int, number: int) -> TimeValue:
    first = 6 * (number - 1) + 1
    return span(date(year_, first, 1), month(year_, first + 5).end, "interval")


def decade(first_year: int) -> TimeValue:
    start = first_year - first_year % 10
    return span(date(start, 1, 1), date(start + 9, 12, 31), "decade")


def century(first_year: int) -> TimeValue:
    """The hundred years ``first_year`` falls in, counted as TIMEX3 does: 1900..1999 is "19"."""
    start = first_year - first_year % 100
    return span(date(max(start, MIN_YEAR), 1, 1), date(start + 99, 12, 31), "century")


def add_months(when: date, months: int) -> date:
    index = when.year * 12 + when.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(when.day, calendar.monthrange(y, m + 1)[1]))


def add_years(when: date, years: int) -> date:
    """``when`` moved by whole years (29 February becomes the 28th); ValueError off the
    calendar."""
    y = when.year + years
    if not MIN_YEAR <= y <= MAX_YEAR + 1:
        raise ValueError(f"year {y} is outside the calendar")
    return date(y, when.month, min(when.day, calendar.monthrange(y, when.month)[1]))


def valid_year(number: int) -> bool:
    return MIN_YEAR < number < MAX_YEAR


# -- cyclic choice ---------------------------------------------------------------------------
Occurrence = Callable[[int], TimeValue | None]  # cycle number (a year, a week) -> the period


def previous_or_current(occurrence: Occurrence, cycle: int, anchor: date) -> TimeValue | None:
    """The latest occurrence that has started by the anchor (it may contain the anchor)."""
    for k in range(cycle, cycle - 6, -1):  # the next cycle's occurrence starts after it
        found = occurrence(k)
        if found is not None and found.start <= anchor:
            return found
    return None


def current_or_next(occurrence: Occurrence, cycle: int, anchor: date) -> TimeValue | None:
    """The earliest occurrence that has not ended before the anchor."""
    for k in range(cycle - 1, cycle + 6):
        found = occurrence(k)
        if found is not None and found.end >= anchor:
            return found
    return None


def strictly_before(occurrence: Occurrence, cycle: int, anchor: date) -> TimeValue | None:
    """The latest occurrence that ended before the anchor ("last March", "last summer")."""
    for k in range(cycle + 1, cycle - 6, -1):
        found = occurrence(k)
        if found is not None and found.end < anchor:
            return found
    return None


def strictly_after(occurrence: Occurrence, cycle: int, anchor: date) -> TimeValue | None:
    """The earliest occurrence that starts after the anchor ("next March", "next Friday")."""
    for k in range(cycle - 1, cycle + 6):
        found = occurrence(k)
        if found is not None and found.start > anchor:
            return found
    return None


def distance(period: TimeValue, anchor: date) -> int:
    """Days from the anchor to the period (0 when the period contains it)."""
    if period.start > anchor:
        return (period.start - anchor).days
    if period.end < anchor:
        return (anchor - period.end).days
    return 0
