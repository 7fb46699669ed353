"""A TimeValue written as a TIMEX3 ``value`` string, for comparison with TimeML gold data.

By granularity: day ``2023-03-10``, week ``2023-W10``, month ``2023-03``, season ``2022-SU``,
quarter ``2023-Q1``, year ``2023``, decade ``199``, century ``19``, instant ``2023-03-10T18:00``
(``Z`` added when the time is in UTC). An ``interval`` has no TIMEX3 unit of its own, so it is
written by its shape against the anchor: reaching back to the anchor ``PAST_REF`` ("recently",
"the past decade", "since November"), forward from it ``FUTURE_REF``, the anchor day alone
``PRESENT_REF``; a Saturday-Sunday pair ``2023-W10-WE``; a half year ``2023-H1``; anything else
the smallest calendar unit that contains it ("earlier this week" ``2023-W10``, "mid-March"
``2023-03``, "late 2022" ``2022``).
"""

from __future__ import annotations

from datetime import UTC, date, timedelta

from khabar.core.article import TimeValue
from khabar.time.periods import SEASON_CODES, season_of


def timex_value(value: TimeValue, anchor: date | None = None) -> str:
    """The TIMEX3 value string of ``value``; ``anchor`` lets intervals be read as references."""
    start, end = value.start, value.end
    match value.granularity:
        case "instant":
            return _instant(value)
        case "day":
            return start.isoformat()
        case "week":
            iso = start.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        case "month":
            return f"{start.year:04d}-{start.month:02d}"
        case "season":
            year, index = season_of(start)
            return f"{year:04d}-{SEASON_CODES[index]}"
        case "quarter":
            return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
        case "year":
            return f"{start.year:04d}"
        case "decade":
            return f"{start.year // 10:03d}"
        case "century":
            return f"{start.year // 100:02d}"
    return _interval(start, end, anchor)


def _instant(value: TimeValue) -> str:
    if value.at is None:
        return value.start.isoformat()
    at = value.at
    suffix = ""
    if at.tzinfo is not None:
        at, suffix = at.astimezone(UTC), "Z"
    return f"{at.date().isoformat()}T{at.hour:02d}:{at.minute:02d}{suffix}"


def _interval(start: date, end: date, anchor: date | None) -> str:
    if anchor is not None:
        if end == anchor and start < anchor:
            return "PAST_REF"
        if start == anchor and end > anchor:
            return "FUTURE_REF"
        if start == end == anchor:
            return "PRESENT_REF"
    if start.weekday() == 5 and end == start + timedelta(days=1):
        iso = start.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}-WE"
    if start.year == end.year and start.day == 1 and start.month in (1, 7):
        last = date(start.year, start.month + 5, 1)
        if (end.month, end.day) == (last.month, 30 if last.month == 6 else 31):
            return f"{start.year:04d}-H{1 if start.month == 1 else 2}"
    if start == end:
        return start.isoformat()
    if start.isocalendar()[:2] == end.isocalendar()[:2]:
        iso = start.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    if start.year == end.year:
        return f"{start.year:04d}"
    if start.year // 10 == end.year // 10:
        return f"{start.year // 10:03d}"
    if start.year // 100 == end.year // 100:
        return f"{start.year // 100:02d}"
    return "PAST_REF" if anchor is not None and end <= anchor else "FUTURE_REF"
