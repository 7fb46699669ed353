"""Readers: each turns one rule's match into what the expression says (a ``Meaning``), or
refuses it (None) when its surroundings show it is no date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, timedelta, timezone, tzinfo

from khabar.time.context import (
    CAPITALISED_WORD_BEFORE,
    CLOCK_CONTEXT,
    COUNTED_AFTER,
    NAME_AROUND,
    NAME_BEFORE,
    NAMED_DAY_BEFORE,
    NOW_AFTER,
    PAPER_AFTER,
    PLURAL_AFTER,
    RECENT_AFTER,
    SAME_DAY_CONTEXT,
    SEASON_CONTEXT,
    SOON_AFTER,
    YEAR_NOUNS,
    followed_by,
    month_context,
    preceded_by,
    quantity_context,
    year_context,
)
from khabar.time.expressions import (
    CalendarDate,
    Century,
    Clock,
    Decade,
    Deictic,
    Half,
    Meaning,
    Named,
    Offset,
    Part,
    Partial,
    Portion,
    Quarter,
    Reference,
    SameDay,
    Season,
    Side,
    Stretch,
    Unit,
    Weekday,
    Weekend,
    Which,
)
from khabar.time.lexicon import (
    DECADE_WORDS,
    HOLIDAYS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    ORDINALS,
    SEASONS,
    TIMEZONES,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAYS,
    number,
)


def _capitalised(m: re.Match[str], group: str) -> bool:
    return m.group(group)[0].isupper()


def _month(m: re.Match[str]) -> int:
    word = m.group("month").lower().rstrip(".")
    return MONTHS.get(word) or MONTH_ABBREVIATIONS[word]


def _year(m: re.Match[str]) -> int | None:
    value = m.groupdict().get("year")
    return int(value) if value else None


def _valid_day(month: int, day: int) -> bool:
    return 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


def iso(text: str, m: re.Match[str]) -> Meaning | None:
    month, day = int(m.group("m")), int(m.group("d"))
    if not (1 <= month <= 12 and _valid_day(month, day)):
        return None
    on = CalendarDate(int(m.group("y")), month, day)
    if m.group("h") is None:
        return on
    tz = _offset_zone(m.group("tz"))
    return Clock(int(m.group("h")), int(m.group("mi")), tz, on)


def _offset_zone(value: str | None) -> tzinfo | None:
    if not value:
        return None
    if value.upper() == "Z":
        return UTC
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def numeric(day_first: bool) -> Callable[[str, re.Match[str]], Meaning | None]:
    def read(text: str, m: re.Match[str]) -> Meaning | None:
        a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
        year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) <= 50 else 1900 + int(y))
        if a > 12 or (day_first and b <= 12):
            a, b = b, a  # written day first: "25/12/2023", or day-first by setting
        month, day = a, b
        if not (1 <= month <= 12 and _valid_day(month, day)):
            return None
        return CalendarDate(year, month, day)

    return read


def day_month(text: str, m: re.Match[str]) -> Meaning | None:
    if not _capitalised(m, "month"):
        return None
    month, day = _month(m), int(m.group("day"))
    return CalendarDate(_year(m), month, day) if _valid_day(month, day) else None


def month_year(text: str, m: re.Match[str]) -> Meaning | None:
    return CalendarDate(_year(m), _month(m)) if _capitalised(m, "month") else None


def bare_month(text: str, m: re.Match[str]) -> Meaning | None:
    if not _capitalised(m, "month") or not month_context(text, m.start()):
        return None
    return CalendarDate(None, _month(m))


def weekday(text: str, m: re.Match[str]) -> Meaning | None:
    if not _capitalised(m, "weekday"):
        return None
    named = preceded_by(text, m.start(), NAMED_DAY_BEFORE)
    if m.group("which") is None and (named or followed_by(text, m.end(), PAPER_AFTER)):
        return None  # "Black Monday", "the Sunday Times"
    base = Weekday(WEEKDAYS[m.group("weekday").lower()])
    which = _which(m.group("which"))
    return Named(base, which) if which else base


def _which(word: str | None) -> Which | None:
    if word is None:
        return None
    word = " ".join(word.lower().split())
    if word in ("last", "past", "this past"):
        return "last"
    if word in ("next", "coming", "this coming"):
        return "next"
    return "this"


def named_month_or_season(text: str, m: re.Match[str]) -> Meaning | None:
    name = m.group("name").lower()
    which = _which(m.group("which")) or "this"
    if name in SEASONS:
        return Named(Season(SEASONS[name]), which)
    if not m.group("name")[0].isupper():
        return None
    return Named(CalendarDate(None, MONTHS[name]), which)


def season(text: str, m: re.Match[str]) -> Meaning | None:
    name = m.group("season").lower()
    year = _year(m)
    if year is None:
        if not preceded_by(text, m.start(), SEASON_CONTEXT):
            return None
        if name == "fall" and text[m.end() : m.end() + 4].lower() in (" of ", " in "):
            return None  # "the fall of Kabul", "a fall in prices"
    if m.group("season")[0].isupper() and preceded_by(text, m.start(), NAME_BEFORE):
        return None  # "the Arab Spring", "Operation Winter Shield"
    return Season(SEASONS[name], year)


def deictic_day(text: str, m: re.Match[str]) -> Meaning | None:
    word = m.group("word").lower()
    named = m.group("word")[0].isupper() and word[0] == "t"
    if named and preceded_by(text, m.start(), CAPITALISED_WORD_BEFORE):
        return None  # "USA Today", "Pakistan Today": names, not the day
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    return Deictic("day", offset)


def day_phrase(text: str, m: re.Match[str]) -> Meaning | None:
    phrase = " ".join(m.group().lower().split())
    if phrase.startswith("the day before"):
        return Deictic("day", -2)
    if phrase.startswith("the day after"):
        return Deictic("day", 2)
    if phrase.startswith(("last", "yesterday")):
        return Deictic("day", -1)
    if phrase.startswith("tomorrow"):
        return Deictic("day", 1)
    return Deictic("day", 0)


def deictic_unit(text: str, m: re.Match[str]) -> Meaning | None:
    which = " ".join(m.group("which").lower().split())
    unit = m.group("unit").lower()
    if unit == "quarter" and which in ("last", "past", "previous"):
        return Deictic("quarter", -1)  # "the last quarter": the one before the anchor's
    if unit == "fortnight":
        return Stretch("week", 2, 1 if which in ("next", "coming") else -1)
    the = m.group("the") is not None
    if which in ("previous", "preceding"):
        return Deictic(_unit(unit), -1)
    if which == "following":
        return Deictic(_unit(unit), 1)
    if which in ("current", "this"):
        return Deictic(_unit(unit), 0)
    if the:  # "the past week", "the next year": a stretch reaching to the anchor
        return Stretch(_unit(unit), 1, -1 if which in ("past", "last") else 1)
    direction = -1 if which in ("last", "past", "this past") else 1
    if unit == "weekend" and which.startswith("this"):
        direction = -1 if which == "this past" else 1
    return Deictic(_unit(unit), direction)


def _unit(word: str) -> Unit:
    value = UNITS.get(word.lower(), word.lower())
    units: dict[str, Unit] = {
        "day": "day",
        "week": "week",
        "weekend": "weekend",
        "month": "month",
        "quarter": "quarter",
        "year": "year",
        "decade": "decade",
        "century": "century",
        "hour": "day",
        "minute": "day",
        "fortnight": "week",
    }
    return units[value]


def _amount(m: re.Match[str]) -> int | None:
    """The count, in weeks for fortnights ("a fortnight ago": 2); None when vague ("a few")."""
    word = " ".join(m.group("num").lower().split())
    value = None if word in VAGUE_NUMBERS else number(word)
    if value is not None and UNITS[m.group("unit").lower()] == "fortnight":
        value *= 2
    return value


def _in_hours(m: re.Match[str]) -> bool:
    return UNITS[m.group("unit").lower()] in ("hour", "minute")


def ago(text: str, m: re.Match[str]) -> Meaning | None:
    amount = _amount(m)
    if _in_hours(m):
        return Deictic("day", 0)  # "two hours ago": the anchor's day
    return Offset(_unit(m.group("unit")), amount, -1)


def in_units(text: str, m: re.Match[str]) -> Meaning | None:
    amount = _amount(m)
    if amount is None or _in_hours(m):
        return None
    unit = _unit(m.group("unit"))
    if m.group("prep").lower() == "within":
        return Stretch(unit, amount, 1)
    return Offset(unit, amount, 1)


def stretch(text: str, m: re.Match[str]) -> Meaning | None:
    which = m.group("which").lower()
    amount = 1 if m.group("num") is None else _amount(m)
    unit = _unit(m.group("unit"))
    if which == "recent" or amount is None:  # "the past few weeks": about three
        return Reference("past", _reach_days(unit, 3))
    if _in_hours(m):  # "the past 48 hours": the days they cover
        amount = max(1, amount // 24) if UNITS[m.group("unit").lower()] == "hour" else 1
    direction = 1 if which in ("next", "coming", "following") else -1
    return Stretch(unit, amount, direction)


def _reach_days(unit: Unit, amount: int) -> int:
    per = {"day": 1, "week": 7, "weekend": 7, "month": 30, "quarter": 91, "year": 365}
    return per.get(unit, 3650) * amount


def recent_units(text: str, m: re.Match[str]) -> Meaning | None:
    reach = {"days": 7, "weeks": 30, "months": 180, "years": 5 * 365, "decades": 30 * 365}
    return Reference("past", reach[m.group("unit").lower()])


def reference(recent_days: int) -> Callable[[str, re.Match[str]], Meaning | None]:
    def read(text: str, m: re.Match[str]) -> Meaning | None:
        phrase = " ".join(m.group().lower().split())
        if phrase.endswith(("recently", "lately", "recent times")):
            return Reference("past", recent_days)
        if phrase == "recent":
            if not followed_by(text, m.end(), RECENT_AFTER):
                return None
            return Reference("past", recent_days)
        if phrase.endswith(("soon", "shortly")):
            if followed_by(text, m.end(), SOON_AFTER):
                return None
            return Reference("future", recent_days)
        if "future" in phrase or "coming" in phrase:
            return Reference("future", 365 if "near" not in phrase else recent_days * 3)
        if phrase == "now" and followed_by(text, m.end(), NOW_AFTER):
            return None
        return Reference("present", 0)

    return read


def decade(text: str, m: re.Match[str]) -> Meaning | None:
    if m.group("full"):
        return Decade(int(m.group("full")) * 100 + int(m.group("d")) * 10)
    if m.group("word"):
        return Decade(DECADE_WORDS[m.group("word").lower()], century_known=False)
    return Decade(int(m.group("short") or m.group("short2")) * 10, century_known=False)


def century(text: str, m: re.Match[str]) -> Meaning | None:
    word = m.group("ord").lower()
    value = int(word[:-2]) if word[:1].isdigit() else ORDINALS.get(word)
    return Century(value) if value and 1 <= value <= 21 else None


def bare_year(text: str, m: re.Match[str]) -> Meaning | None:
    start, end = m.start(), m.end()
    if followed_by(text, end, COUNTED_AFTER) or quantity_context(text, start):
        return None
    year = int(m.group("year"))
    if year_context(text, start):
        return CalendarDate(year)
    if preceded_by(text, start, NAME_AROUND[0]) and followed_by(text, end, NAME_AROUND[1]):
        return None  # "the Russell 2000 Index", "Windows 2000 Server": a name
    if not 1900 <= year <= 2099:
        return None
    plural = PLURAL_AFTER.match(text[end : end + 40])
    if plural and plural.group(1) not in YEAR_NOUNS:
        return None
    return CalendarDate(year)


def short_year(text: str, m: re.Match[str]) -> Meaning | None:
    if not year_context(text, m.start()):
        return None
    yy = int(m.group("yy"))
    return CalendarDate(2000 + yy if yy <= 30 else 1900 + yy)


def quarter(text: str, m: re.Match[str]) -> Meaning | None:
    word = m.group("ord").lower()
    number_ = 4 if word in ("final", "last") else ORDINALS.get(word) or int(word[0])
    year = _year(m)
    relative = (m.group("rel") or "").lower()
    year_offset = {"this": 0, "last": -1, "next": 1}.get(relative)
    if m.group("the_year"):
        year_offset = 0
    if m.group("unit").lower() == "half":
        if number_ > 2 or (year is None and year_offset is None):
            return None  # "the first half" alone is as often a match as a half-year
        return Half(number_, year, year_offset)
    if number_ > 4:
        return None
    if year is None and year_offset is None and word in ("last", "final"):
        return Deictic("quarter", -1)  # "the last quarter": the one before the anchor's
    return Quarter(number_, year, year_offset)


def q_code(text: str, m: re.Match[str]) -> Meaning | None:
    code = m.group("code")
    if not code[0].isupper():
        return None
    year = _year(m) or (2000 + int(m.group("yy")) if m.group("yy") else None)
    value = int(code[1])
    if code[0] == "H":
        return Half(value, year) if year and value <= 2 else None
    return Quarter(value, year)


def holiday(text: str, m: re.Match[str]) -> Meaning | None:
    if not m.group("name")[0].isupper():
        return None
    month, day = HOLIDAYS[" ".join(m.group("name").lower().split())]
    return CalendarDate(_year(m), month, day)


def clock(text: str, m: re.Match[str]) -> Meaning | None:
    groups = m.groupdict()
    hour = int(m.group("h"))
    minute = int(groups.get("mi") or groups.get("mi2") or 0)
    ampm = (groups.get("ampm") or "").lower()
    zoned = groups.get("tz") is not None or groups.get("local") is not None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    elif groups.get("sep") == ".":
        if not zoned:
            return None  # "at 10.30" may be a price or a score: only with a time zone
    elif groups.get("sep") == ":":
        if not zoned and not preceded_by(text, m.start(), CLOCK_CONTEXT):
            return None
    elif not zoned and not groups.get("hours"):
        return None  # "0800 GMT" or "1400 hours", never a bare four-digit number
    return Clock(hour, minute, _zone(groups.get("tz"), groups.get("offset")))


def _zone(name: str | None, offset: str | None) -> tzinfo | None:
    if name is None:
        return None
    zone = TIMEZONES[name.lower()]
    if offset:
        digits = offset.replace(" ", "")
        sign = -1 if digits[0] == "-" else 1
        hours, _, minutes = digits[1:].partition(":")
        if len(hours) > 2:
            hours, minutes = hours[:-2], hours[-2:]
        zone = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))
    return zone


def noon(text: str, m: re.Match[str]) -> Meaning | None:
    if not preceded_by(text, m.start(), CLOCK_CONTEXT):
        return None
    return Clock(0 if m.group().lower() == "midnight" else 12, 0, None)


def part_of(word: str) -> Part:
    """The part a modifier names: "early"/"start"/"beginning", "mid"/"middle", "late"/"end"."""
    word = word.lower()
    if word in ("mid", "middle"):
        return "mid"
    return "late" if word in ("late", "end", "close") else "early"


def edge_of_unit(text: str, m: re.Match[str]) -> Meaning | None:
    return Portion(Deictic(_unit(m.group("unit")), 0), part_of(m.group("edge")))


def partial(text: str, m: re.Match[str]) -> Meaning | None:
    side: Side = "before" if m.group("side").lower() == "earlier" else "after"
    return Partial(_unit(m.group("unit")), side)


def weekend(text: str, m: re.Match[str]) -> Meaning | None:
    return Weekend()


def same_day(text: str, m: re.Match[str]) -> Meaning | None:
    if not preceded_by(text, m.start(), SAME_DAY_CONTEXT):
        return None  # "the day" alone is as often daytime or a generic day
    return SameDay()


def month_relative_year(text: str, m: re.Match[str]) -> Meaning | None:
    if not _capitalised(m, "month"):
        return None
    month = _month(m)
    day = int(m.group("day")) if m.group("day") else None
    if day is not None and not _valid_day(month, day):
        return None
    offset = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
    return CalendarDate(None, month, day, year_offset=offset)
