from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from khabar.core.article import Granularity, TimeValue
from khabar.time.timex import timex_value

ANCHOR = date(2023, 2, 3)


def value(start: date, end: date, granularity: Granularity) -> TimeValue:
    return TimeValue(start=start, end=end, granularity=granularity)


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        (value(date(2023, 3, 10), date(2023, 3, 10), "day"), "2023-03-10"),
        (value(date(2023, 3, 6), date(2023, 3, 12), "week"), "2023-W10"),
        (value(date(2023, 3, 1), date(2023, 3, 31), "month"), "2023-03"),
        (value(date(2022, 6, 1), date(2022, 8, 31), "season"), "2022-SU"),
        (value(date(2022, 12, 1), date(2023, 2, 28), "season"), "2022-WI"),
        (value(date(2023, 1, 1), date(2023, 3, 31), "quarter"), "2023-Q1"),
        (value(date(2023, 1, 1), date(2023, 12, 31), "year"), "2023"),
        (value(date(1990, 1, 1), date(1999, 12, 31), "decade"), "199"),
        (value(date(1900, 1, 1), date(1999, 12, 31), "century"), "19"),
        (value(date(2023, 1, 4), ANCHOR, "interval"), "PAST_REF"),
        (value(ANCHOR, date(2023, 3, 5), "interval"), "FUTURE_REF"),
        (value(ANCHOR, ANCHOR, "interval"), "PRESENT_REF"),
        (value(date(2023, 1, 28), date(2023, 1, 29), "interval"), "2023-W04-WE"),
        (value(date(2023, 1, 1), date(2023, 6, 30), "interval"), "2023-H1"),
        (value(date(2023, 3, 11), date(2023, 3, 21), "interval"), "2023-03"),
        (value(date(2022, 9, 1), date(2022, 12, 31), "interval"), "2022"),
        (value(date(2023, 1, 30), date(2023, 2, 1), "interval"), "2023-W05"),
    ],
)
def test_each_granularity_has_its_timex3_form(time: TimeValue, expected: str) -> None:
    assert timex_value(time, ANCHOR) == expected


def test_an_instant_is_written_in_utc() -> None:
    at = datetime(2023, 2, 3, 18, 40, tzinfo=timezone(timedelta(hours=8)))
    assert timex_value(TimeValue.day(date(2023, 2, 3), at=at)) == "2023-02-03T10:40Z"
    utc = datetime(2023, 2, 3, 8, 30, tzinfo=UTC)
    assert timex_value(TimeValue.day(date(2023, 2, 3), at=utc)) == "2023-02-03T08:30Z"


def test_without_an_anchor_intervals_are_written_by_their_calendar_unit() -> None:
    recent = value(date(2023, 1, 4), ANCHOR, "interval")
    assert timex_value(recent) == "2023"
