from datetime import date

import pytest

from khabar.time import periods as p


def test_an_iso_week_runs_monday_to_sunday_across_a_new_year() -> None:
    week = p.iso_week(date(2021, 1, 1))
    assert (week.start, week.end, week.granularity) == (
        date(2020, 12, 28),
        date(2021, 1, 3),
        "week",
    )


def test_winter_belongs_to_the_year_of_its_december() -> None:
    winter = p.season(2022, 3)
    assert (winter.start, winter.end) == (date(2022, 12, 1), date(2023, 2, 28))
    assert p.season_of(date(2023, 2, 3)) == (2022, 3)
    assert p.season_of(date(2023, 7, 1)) == (2023, 1)


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [(1, date(2023, 1, 1), date(2023, 3, 31)), (4, date(2023, 10, 1), date(2023, 12, 31))],
)
def test_quarters(number: int, start: date, end: date) -> None:
    quarter = p.quarter(2023, number)
    assert (quarter.start, quarter.end, quarter.granularity) == (start, end, "quarter")


def test_decade_and_century_are_counted_as_timex3_counts_them() -> None:
    assert (p.decade(1994).start, p.decade(1994).end) == (date(1990, 1, 1), date(1999, 12, 31))
    assert (p.century(1850).start, p.century(1850).end) == (date(1800, 1, 1), date(1899, 12, 31))


def test_adding_months_keeps_to_the_end_of_a_shorter_month() -> None:
    assert p.add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert p.add_months(date(2023, 3, 15), -3) == date(2022, 12, 15)


def test_distance_is_zero_inside_a_period() -> None:
    march = p.month(2023, 3)
    assert p.distance(march, date(2023, 3, 9)) == 0
    assert p.distance(march, date(2023, 2, 3)) == 26
    assert p.distance(march, date(2023, 4, 3)) == 3
