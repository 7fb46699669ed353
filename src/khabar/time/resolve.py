"""Placing what an expression says on the calendar, against an anchor date and a tense.

- Absolute expressions ("3 January 2023", "the 1990s") need neither.
- Deictic ones ("last week", "two days ago", "this year") count from the anchor.
- Cyclic ones ("in March", "on Friday", "the second quarter", "the weekend") need the tense of
  their clause: past picks the latest occurrence that has started by the anchor, future the
  earliest that has not ended (for a weekday: the next one after the anchor), and without a
  tense the nearer of the two, the past on a tie.
- "last"/"next" + a cyclic name pick the latest occurrence that ended before the anchor and the
  first that starts after it ("last summer" in February 2023 is June-August 2022).

Every result is an interval of whole days with an honest granularity: a month is a month, a
week an ISO week (Monday-Sunday); what has no calendar unit ("mid-March", "recently", "since
November", "the past decade", "last weekend") is an ``interval``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from khabar.core.article import TimeValue
from khabar.time import periods as p
from khabar.time.expressions import (
    CalendarDate,
    Century,
    Clock,
    Cyclic,
    Decade,
    Deictic,
    Half,
    Meaning,
    Named,
    Offset,
    Partial,
    Portion,
    Quarter,
    Reference,
    SameDay,
    Season,
    Since,
    Stretch,
    Unit,
    Weekday,
    Weekend,
)
from khabar.time.tense import Tense


def resolve(
    meaning: Meaning,
    anchor: date | None,
    tense: Tense | None = None,
    reference: date | None = None,
) -> TimeValue | None:
    """The interval ``meaning`` denotes; None when it needs an anchor and has none, or falls off
    the calendar. ``reference`` is the day the text last named ("the day" refers to it)."""
    if _refers_to_day(meaning):
        on = reference or anchor
        return p.day(on) if on is not None else None
    try:
        return _resolve(meaning, anchor, tense)
    except (ValueError, OverflowError):
        return None  # an anchor or a year at the edge of the calendar (year 1 or 9999)


def _refers_to_day(meaning: Meaning) -> bool:
    return isinstance(meaning, SameDay) or (
        isinstance(meaning, Portion) and isinstance(meaning.base, SameDay)
    )


def is_duration(meaning: Meaning, tense: Tense | None) -> bool:
    """Whether an offset is a duration: "was built in two weeks" is no date after the anchor."""
    return isinstance(meaning, Offset) and meaning.direction > 0 and tense == "past"


def _resolve(meaning: Meaning, anchor: date | None, tense: Tense | None) -> TimeValue | None:
    match meaning:
        case CalendarDate(year=int(y), month=m, day=d):
            return _calendar(y, m, d)
        case Season(year=int(y), index=i):
            return p.season(y, i)
        case Quarter(year=int(y), number=n):
            return p.quarter(y, n)
        case Half(year=int(y), number=n):
            return p.half(y, n)
        case Decade(century_known=True, first_year=y):
            return p.decade(y)
        case Century(number=n):
            return p.century((n - 1) * 100)
        case Portion(base=base, part=part):
            whole = _resolve(base, anchor, tense)
            return _portion(whole, part) if whole else None
        case Clock():
            return _clock(meaning, anchor, tense)
    if anchor is None:
        return None
    return _relative(meaning, anchor, tense)


def _relative(meaning: Meaning, anchor: date, tense: Tense | None) -> TimeValue | None:
    match meaning:
        case CalendarDate(year_offset=int(offset), month=m, day=d):
            return _calendar(anchor.year + offset, m, d)
        case Quarter(year_offset=int(offset), number=n):
            return p.quarter(anchor.year + offset, n)
        case Half(year_offset=int(offset), number=n):
            return p.half(anchor.year + offset, n)
        case CalendarDate() | Weekday() | Season() | Quarter() | Weekend():
            return _cyclic(meaning, anchor, tense)
        case Named(base=base, which=which):
            return _named(base, which, anchor)
        case Deictic(unit=unit, offset=offset):
            return deictic(unit, offset, anchor)
        case Offset():
            return _offset(meaning, anchor)
        case Stretch(unit=unit, amount=amount, direction=direction):
            return _stretch(unit, amount, direction, anchor)
        case Reference(kind=kind, days=days):
            return _reference(kind, days, anchor)
        case Decade(first_year=y):
            first = anchor.year - anchor.year % 100 + y  # "the '80s": the latest such decade
            return p.decade(first if first <= anchor.year else first - 100)
        case Partial(unit=unit, side=side):
            return _partial(unit, side, anchor)
        case Since(base=base):
            return _resolve(base, anchor, "past")
    return None


def _calendar(year: int, month: int | None, day: int | None) -> TimeValue:
    if month is None:
        return p.year(year)
    if day is None:
        return p.month(year, month)
    return p.day(date(year, month, day))


# -- cyclic ------------------------------------------------------------------------------------
def _occurrences(base: Cyclic, anchor: date) -> tuple[p.Occurrence, int, bool]:
    """The k-th occurrence of ``base``, the anchor's cycle number, and whether "future" means
    strictly after the anchor (none does: "will land on Monday" said on a Monday is that day)."""
    monday = anchor - timedelta(days=anchor.weekday())
    match base:
        case Weekday(weekday=wd):
            return (lambda k: p.day(monday + timedelta(days=7 * k + wd))), 0, False
        case Weekend():
            return (lambda k: p.weekend(monday + timedelta(days=7 * k))), 0, False
        case Season(index=i):
            return (lambda k: p.season(k, i) if p.valid_year(k) else None), anchor.year, False
        case Quarter(number=n):
            return (lambda k: p.quarter(k, n) if p.valid_year(k) else None), anchor.year, False
        case CalendarDate(month=m, day=d):
            return (lambda k: _safe_calendar(k, m, d)), anchor.year, False
    raise ValueError(f"not a cyclic time: {base!r}")


def _safe_calendar(year: int, month: int | None, day: int | None) -> TimeValue | None:
    if not p.valid_year(year):
        return None
    try:
        return _calendar(year, month, day)
    except ValueError:
        return None  # 29 February in a common year


def _cyclic(base: Cyclic, anchor: date, tense: Tense | None) -> TimeValue | None:
    occurrence, cycle, strict = _occurrences(base, anchor)
    past = p.previous_or_current(occurrence, cycle, anchor)
    ahead = p.strictly_after if strict or tense is None else p.current_or_next
    future = ahead(occurrence, cycle, anchor)
    if tense == "past":
        return past or future
    if tense == "future":
        return future or past
    if past is None or future is None:
        return past or future
    return future if p.distance(future, anchor) < p.distance(past, anchor) else past


def _named(base: Cyclic, which: str, anchor: date) -> TimeValue | None:
    occurrence, cycle, _ = _occurrences(base, anchor)
    if which == "last":
        return p.strictly_before(occurrence, cycle, anchor)
    if which == "next":
        return p.strictly_after(occurrence, cycle, anchor)
    if isinstance(base, Season):
        year, index = p.season_of(anchor)
        return p.season(year if index == base.index else anchor.year, base.index)
    return occurrence(cycle)  # "this Friday": in the anchor's week; "this March": its year


# -- counted from the anchor -------------------------------------------------------------------
def deictic(unit: Unit, offset: int, anchor: date) -> TimeValue:
    """The ``unit`` that is ``offset`` units from the anchor's own ("last week": week, -1)."""
    if unit == "day":
        return p.day(anchor + timedelta(days=offset))
    if unit == "week":
        return p.iso_week(anchor + timedelta(days=7 * offset))
    if unit == "weekend":
        return p.weekend(anchor + timedelta(days=7 * offset))
    if unit == "month":
        moved = p.add_months(anchor, offset)
        return p.month(moved.year, moved.month)
    if unit == "quarter":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + offset
        return p.quarter(index // 4, index % 4 + 1)
    if unit == "year":
        return p.year(anchor.year + offset)
    if unit == "decade":
        return p.decade(anchor.year + 10 * offset)
    return p.century(anchor.year + 100 * offset)


def _back(anchor: date, unit: Unit, amount: int) -> date:
    """The anchor moved by ``amount`` units (negative: into the past)."""
    if unit in ("day", "week", "weekend"):
        return anchor + timedelta(days=amount * (1 if unit == "day" else 7))
    if unit in ("month", "quarter"):
        return p.add_months(anchor, amount * (1 if unit == "month" else 3))
    return p.add_years(anchor, amount * {"year": 1, "decade": 10}.get(unit, 100))


def _offset(meaning: Offset, anchor: date) -> TimeValue:
    unit, sign = meaning.unit, meaning.direction
    if meaning.amount is None:  # "a few days ago": somewhere between two and nine days back
        near = _back(anchor, unit, sign * meaning.low)
        far = _back(anchor, unit, sign * meaning.high)
        return p.span(min(near, far), max(near, far), "interval")
    moved = _back(anchor, unit, sign * meaning.amount)
    if unit in ("day", "week", "weekend"):
        return p.day(moved)
    if unit in ("month", "quarter"):
        return p.month(moved.year, moved.month)
    if unit == "year":
        return p.year(moved.year)
    return p.decade(moved.year) if unit == "decade" else p.century(moved.year)


def _stretch(unit: Unit, amount: int, direction: int, anchor: date) -> TimeValue:
    other = _back(anchor, unit, direction * amount)
    return p.span(min(anchor, other), max(anchor, other), "interval")


def _reference(kind: str, days: int, anchor: date) -> TimeValue:
    if kind == "past":
        return p.span(anchor - timedelta(days=days), anchor, "interval")
    if kind == "future":
        return p.span(anchor, anchor + timedelta(days=days), "interval")
    return p.span(anchor, anchor, "interval")


def _partial(unit: Unit, side: str, anchor: date) -> TimeValue:
    whole = deictic(unit, 0, anchor)
    if unit == "day":
        return whole
    if side == "before":
        end = anchor - timedelta(days=1)
        return p.span(whole.start, max(whole.start, end), "interval")
    start = anchor + timedelta(days=1)
    return p.span(min(start, whole.end), whole.end, "interval")


def _portion(whole: TimeValue, part: str) -> TimeValue:
    """The first, middle or last third of a period, by months when it spans several."""
    if whole.granularity in ("day", "instant"):
        return whole
    months = (whole.end.year - whole.start.year) * 12 + whole.end.month - whole.start.month + 1
    if months >= 3 and whole.start.day == 1:
        third = months // 3
        if part == "early":
            start, end = whole.start, p.add_months(whole.start, third) - timedelta(days=1)
        elif part == "late":
            start, end = p.add_months(whole.start, months - third), whole.end
        else:
            start = p.add_months(whole.start, third)
            end = p.add_months(whole.start, months - third) - timedelta(days=1)
        return p.span(start, end, "interval")
    length = (whole.end - whole.start).days + 1
    third = max(1, length // 3)
    if part == "early":
        return p.span(whole.start, whole.start + timedelta(days=third - 1), "interval")
    if part == "late":
        return p.span(whole.end - timedelta(days=third - 1), whole.end, "interval")
    return p.span(
        whole.start + timedelta(days=third), whole.end - timedelta(days=third), "interval"
    )


def _clock(meaning: Clock, anchor: date | None, tense: Tense | None) -> TimeValue | None:
    if meaning.on is not None:
        on = _resolve(meaning.on, anchor, tense)
    else:
        on = p.day(anchor) if anchor is not None else None
    if on is None or on.start != on.end:
        return on
    day = on.start
    at = datetime(day.year, day.month, day.day, meaning.hour, meaning.minute, tzinfo=meaning.tz)
    return TimeValue.day(day, at=at)
