"""What a time expression says, before it is placed on the calendar.

Detection (``find.py``) turns text into these small values; resolution (``resolve.py``) places
them against an anchor date and the tense of their clause. Keeping the two apart lets the
publication-date stage try one expression against several anchor candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

Unit = Literal["day", "week", "weekend", "month", "quarter", "year", "decade", "century"]
Which = Literal["last", "this", "next"]
Part = Literal["early", "mid", "late"]
Side = Literal["before", "after"]
RefKind = Literal["past", "present", "future"]


@dataclass(frozen=True)
class CalendarDate:
    """A date as far as written: "2019", "March 2023", "3 January 2023", "March", "January 3".

    A missing year makes it cyclic: the tense of its clause picks the year, unless
    ``year_offset`` places it in a year counted from the anchor's ("March last year": -1).
    """

    year: int | None
    month: int | None = None
    day: int | None = None
    year_offset: int | None = None


@dataclass(frozen=True)
class Weekday:
    weekday: int  # 0 = Monday


@dataclass(frozen=True)
class Season:
    index: int  # 0 spring, 1 summer, 2 autumn, 3 winter
    year: int | None = None


@dataclass(frozen=True)
class Quarter:
    number: int  # 1..4
    year: int | None = None
    year_offset: int | None = None  # "the first quarter of last year": -1


@dataclass(frozen=True)
class Half:
    number: int  # 1..2
    year: int | None = None
    year_offset: int | None = None


@dataclass(frozen=True)
class Weekend:
    """ "the weekend", "over the weekend": which weekend depends on the tense."""


Cyclic = CalendarDate | Weekday | Season | Quarter | Weekend


@dataclass(frozen=True)
class Named:
    """A cyclic time picked by "last", "this" or "next": "last summer", "next Friday"."""

    base: Cyclic
    which: Which


@dataclass(frozen=True)
class Deictic:
    """A unit counted from the anchor's own: today (day, 0), last week (week, -1)."""

    unit: Unit
    offset: int


@dataclass(frozen=True)
class Offset:
    """A point so many units from the anchor: "two days ago" (-2), "in two weeks" (+2).

    ``low``/``high`` hold a vague amount ("a few days ago": 2..9) when ``amount`` is None.
    """

    unit: Unit
    amount: int | None
    direction: int  # -1 before the anchor, +1 after
    low: int = 2
    high: int = 9


@dataclass(frozen=True)
class Stretch:
    """A stretch reaching to the anchor: "the past decade", "the next four years"."""

    unit: Unit
    amount: int
    direction: int


@dataclass(frozen=True)
class Reference:
    """A vague time relative to the anchor: "recently" (past), "currently" (present)."""

    kind: RefKind
    days: int  # how far the interval reaches from the anchor (0 for the present)


@dataclass(frozen=True)
class Decade:
    """ "the 1990s" (first_year 1990) or "the '80s" (century unknown: first_year 80)."""

    first_year: int
    century_known: bool = True


@dataclass(frozen=True)
class Century:
    number: int  # ordinal: the 19th century is 19 (1801..1900, read as 1800..1899)


@dataclass(frozen=True)
class Clock:
    """A time of day, on a day given beside it or else on the anchor day."""

    hour: int
    minute: int
    tz: tzinfo | None
    on: Meaning | None = None


@dataclass(frozen=True)
class Portion:
    """Early, mid or late part of a time: "mid-March", "late last year", "the end of 2009"."""

    base: Meaning
    part: Part


@dataclass(frozen=True)
class Partial:
    """The part of the current unit before or after the anchor: "earlier this year"."""

    unit: Unit
    side: Side


@dataclass(frozen=True)
class SameDay:
    """A day referred back to ("the day", "that day", "the same day"): the day the text last
    named, else the anchor ("the Dow ended the day up 2%")."""


@dataclass(frozen=True)
class Since:
    """A time written after "since": it lies in the past ("has held since November").

    The span is the time alone, and the value that time, as TimeML does with "since" (a
    signal): "since November" relates an event to November 2022, it does not redefine it.
    """

    base: Meaning


Meaning = (
    CalendarDate
    | Weekday
    | Season
    | Quarter
    | Half
    | Weekend
    | Named
    | Deictic
    | Offset
    | Stretch
    | Reference
    | Decade
    | Century
    | Clock
    | Portion
    | Partial
    | SameDay
    | Since
)


@dataclass(frozen=True)
class Found:
    """A time expression found at ``[start, end)`` of the text, with what it says."""

    start: int
    end: int
    meaning: Meaning
    rule: str


def is_absolute(meaning: Meaning) -> bool:
    """Whether the meaning places itself on the calendar without an anchor date."""
    match meaning:
        case CalendarDate(year=y):
            return y is not None
        case Season(year=y) | Quarter(year=y):
            return y is not None
        case Half(year=y):
            return y is not None
        case Decade(century_known=known):
            return known
        case Century():
            return True
        case Portion(base=base):
            return is_absolute(base)
        case Clock(on=on):
            return on is not None and is_absolute(on)
        case _:
            return False


def is_cyclic(meaning: Meaning) -> bool:
    """Whether the tense of the clause decides which occurrence is meant ("in March")."""
    match meaning:
        case CalendarDate(year=None, year_offset=None) | Quarter(year=None, year_offset=None):
            return True
        case Weekday() | Season(year=None):
            return True
        case Weekend():
            return True
        case Portion(base=base) | Since(base=base):
            return is_cyclic(base)
        case Clock(on=on):
            return on is not None and is_cyclic(on)
        case _:
            return False
