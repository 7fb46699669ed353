from datetime import UTC, date, datetime

import pytest

from khabar.time.expressions import (
    CalendarDate,
    Century,
    Clock,
    Decade,
    Deictic,
    Meaning,
    Named,
    Offset,
    Portion,
    Quarter,
    Reference,
    SameDay,
    Season,
    Since,
    Stretch,
    Weekday,
    Weekend,
)
from khabar.time.resolve import is_duration, resolve
from khabar.time.tense import Tense

FRIDAY = date(2023, 2, 3)  # the seed's anchor: Friday 3 February 2023, ISO week 5


def span(meaning: Meaning, tense: Tense | None = None, anchor: date | None = FRIDAY) -> tuple:
    value = resolve(meaning, anchor, tense)
    assert value is not None
    return value.start.isoformat(), value.end.isoformat(), value.granularity


@pytest.mark.parametrize(
    ("meaning", "tense", "expected"),
    [
        (CalendarDate(None, 3), "future", ("2023-03-01", "2023-03-31", "month")),
        (CalendarDate(None, 3), "past", ("2022-03-01", "2022-03-31", "month")),
        (CalendarDate(None, 3), None, ("2023-03-01", "2023-03-31", "month")),
        (CalendarDate(None, 11), "past", ("2022-11-01", "2022-11-30", "month")),
        (CalendarDate(None, 11), None, ("2022-11-01", "2022-11-30", "month")),
        (CalendarDate(None, 2), "past", ("2023-02-01", "2023-02-28", "month")),
        (CalendarDate(None, 1, 30), None, ("2023-01-30", "2023-01-30", "day")),
        (CalendarDate(None, 2, 29), "past", ("2020-02-29", "2020-02-29", "day")),
        (Weekday(4), "past", ("2023-02-03", "2023-02-03", "day")),
        (Weekday(4), "future", ("2023-02-03", "2023-02-03", "day")),
        (Weekday(0), "past", ("2023-01-30", "2023-01-30", "day")),
        (Weekday(0), "future", ("2023-02-06", "2023-02-06", "day")),
        (Weekday(0), None, ("2023-02-06", "2023-02-06", "day")),
        (Weekday(2), None, ("2023-02-01", "2023-02-01", "day")),
        (Season(1), "past", ("2022-06-01", "2022-08-31", "season")),
        (Season(1), "future", ("2023-06-01", "2023-08-31", "season")),
        (Quarter(2), "past", ("2022-04-01", "2022-06-30", "quarter")),
        (Quarter(2), "future", ("2023-04-01", "2023-06-30", "quarter")),
        (Weekend(), "past", ("2023-01-28", "2023-01-29", "interval")),
        (Since(CalendarDate(None, 11)), "present", ("2022-11-01", "2022-11-30", "month")),
        (Since(CalendarDate(None, 3)), None, ("2022-03-01", "2022-03-31", "month")),
    ],
)
def test_cyclic_times_follow_the_tense(
    meaning: Meaning, tense: Tense | None, expected: tuple
) -> None:
    assert span(meaning, tense) == expected


@pytest.mark.parametrize(
    ("meaning", "expected"),
    [
        (Named(Season(1), "last"), ("2022-06-01", "2022-08-31", "season")),
        (Named(Season(1), "next"), ("2023-06-01", "2023-08-31", "season")),
        (Named(Season(3), "this"), ("2022-12-01", "2023-02-28", "season")),
        (Named(Season(3), "last"), ("2021-12-01", "2022-02-28", "season")),
        (Named(CalendarDate(None, 3), "last"), ("2022-03-01", "2022-03-31", "month")),
        (Named(CalendarDate(None, 1), "last"), ("2023-01-01", "2023-01-31", "month")),
        (Named(Weekday(4), "last"), ("2023-01-27", "2023-01-27", "day")),
        (Named(Weekday(4), "next"), ("2023-02-10", "2023-02-10", "day")),
        (Named(Weekday(0), "this"), ("2023-01-30", "2023-01-30", "day")),
        (Deictic("day", -1), ("2023-02-02", "2023-02-02", "day")),
        (Deictic("week", -1), ("2023-01-23", "2023-01-29", "week")),
        (Deictic("week", 0), ("2023-01-30", "2023-02-05", "week")),
        (Deictic("weekend", -1), ("2023-01-28", "2023-01-29", "interval")),
        (Deictic("month", 1), ("2023-03-01", "2023-03-31", "month")),
        (Deictic("quarter", -1), ("2022-10-01", "2022-12-31", "quarter")),
        (Deictic("year", 0), ("2023-01-01", "2023-12-31", "year")),
        (Deictic("decade", -1), ("2010-01-01", "2019-12-31", "decade")),
        (Offset("day", 2, -1), ("2023-02-01", "2023-02-01", "day")),
        (Offset("week", 2, 1), ("2023-02-17", "2023-02-17", "day")),
        (Offset("month", 3, -1), ("2022-11-01", "2022-11-30", "month")),
        (Offset("year", 20, -1), ("2003-01-01", "2003-12-31", "year")),
        (Offset("day", None, -1, 2, 9), ("2023-01-25", "2023-02-01", "interval")),
        (Stretch("decade", 1, -1), ("2013-02-03", "2023-02-03", "interval")),
        (Stretch("year", 4, 1), ("2023-02-03", "2027-02-03", "interval")),
        (Reference("past", 30), ("2023-01-04", "2023-02-03", "interval")),
        (Reference("present", 0), ("2023-02-03", "2023-02-03", "interval")),
        (Portion(Deictic("year", -1), "late"), ("2022-09-01", "2022-12-31", "interval")),
        (Portion(CalendarDate(2023, 3), "mid"), ("2023-03-11", "2023-03-21", "interval")),
        (Portion(CalendarDate(2023, 3), "early"), ("2023-03-01", "2023-03-10", "interval")),
        (Portion(Deictic("day", -1), "late"), ("2023-02-02", "2023-02-02", "day")),
        (CalendarDate(None, 3, year_offset=-1), ("2022-03-01", "2022-03-31", "month")),
        (Quarter(1, year_offset=-1), ("2022-01-01", "2022-03-31", "quarter")),
        (Decade(80, century_known=False), ("1980-01-01", "1989-12-31", "decade")),
        (Decade(10, century_known=False), ("2010-01-01", "2019-12-31", "decade")),
        (SameDay(), ("2023-02-03", "2023-02-03", "day")),
    ],
)
def test_relative_times_count_from_the_anchor(meaning: Meaning, expected: tuple) -> None:
    assert span(meaning) == expected


@pytest.mark.parametrize(
    ("meaning", "expected"),
    [
        (CalendarDate(2023, 1, 3), ("2023-01-03", "2023-01-03", "day")),
        (CalendarDate(2019), ("2019-01-01", "2019-12-31", "year")),
        (Decade(1990), ("1990-01-01", "1999-12-31", "decade")),
        (Century(19), ("1800-01-01", "1899-12-31", "century")),
        (Season(3, 2022), ("2022-12-01", "2023-02-28", "season")),
        (Quarter(3, 2022), ("2022-07-01", "2022-09-30", "quarter")),
    ],
)
def test_absolute_times_need_no_anchor(meaning: Meaning, expected: tuple) -> None:
    assert span(meaning, anchor=None) == expected


@pytest.mark.parametrize(
    "meaning",
    [CalendarDate(None, 3), Weekday(4), Deictic("week", -1), Reference("past", 30), SameDay()],
)
def test_without_an_anchor_relative_times_have_no_value(meaning: Meaning) -> None:
    assert resolve(meaning, None, "past") is None


def test_the_day_refers_to_the_day_the_text_last_named() -> None:
    value = resolve(SameDay(), FRIDAY, None, reference=date(2023, 2, 1))
    assert value is not None and value.start == date(2023, 2, 1)


def test_a_clock_time_is_an_instant_on_its_day() -> None:
    value = resolve(Clock(18, 0, UTC, Weekday(0)), FRIDAY, "past")
    assert value is not None
    assert (value.granularity, value.at) == ("instant", datetime(2023, 1, 30, 18, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("meaning", "anchor"),
    [
        (Deictic("year", 1), date(9999, 12, 31)),
        (Deictic("day", -1), date(1, 1, 1)),
        (Offset("century", 3, 1), date(9990, 1, 1)),
    ],
)
def test_the_edges_of_the_calendar_give_no_value_rather_than_an_error(
    meaning: Meaning, anchor: date
) -> None:
    assert resolve(meaning, anchor, None) is None


def test_in_two_weeks_in_a_past_clause_is_a_duration() -> None:
    assert is_duration(Offset("week", 2, 1), "past")
    assert not is_duration(Offset("week", 2, 1), "future")
    assert not is_duration(Offset("week", 2, -1), "past")
