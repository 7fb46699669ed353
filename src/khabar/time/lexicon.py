"""The English words time expressions are made of: months, weekdays, numbers, seasons, zones."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, timedelta, timezone

from khabar.nlp.numbers import CARDINALS

SPACE = r"[^\S\n]{1,3}"  # the space between the words of one expression: never a line break
OPTIONAL_SPACE = r"[^\S\n]{0,3}"

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
# Abbreviations are read only next to a day or a year ("Jan. 3", "Sept 2021"): alone they are
# too often something else ("Jun" the name, "Mar" the verb in other languages).
MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
#: The names of the months and weekdays: dates, whatever places share them.
CALENDAR_NAMES = frozenset(MONTHS) | frozenset(WEEKDAYS)
SEASONS = {"spring": 0, "summer": 1, "autumn": 2, "fall": 2, "winter": 3}
NUMBERS = {
    "a": 1,
    "an": 1,
    **CARDINALS,
    "hundred": 100,
    "a couple of": 2,
}
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many")
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
}
DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}
# Holidays on a fixed day of the Western calendar. Movable feasts (Easter, Eid, Diwali) and
# national days that differ by country ("Independence Day") are not guessed.
HOLIDAYS = {
    "christmas": (12, 25),
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "boxing day": (12, 26),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "fourth of july": (7, 4),
    "halloween": (10, 31),
    "valentine's day": (2, 14),
}
_UTC = UTC
TIMEZONES = {
    "utc": _UTC,
    "gmt": _UTC,
    "est": timezone(timedelta(hours=-5)),
    "edt": timezone(timedelta(hours=-4)),
    "cst": timezone(timedelta(hours=-6)),
    "cdt": timezone(timedelta(hours=-5)),
    "mst": timezone(timedelta(hours=-7)),
    "mdt": timezone(timedelta(hours=-6)),
    "pst": timezone(timedelta(hours=-8)),
    "pdt": timezone(timedelta(hours=-7)),
    "bst": timezone(timedelta(hours=1)),
    "cet": timezone(timedelta(hours=1)),
    "cest": timezone(timedelta(hours=2)),
    "eet": timezone(timedelta(hours=2)),
    "eest": timezone(timedelta(hours=3)),
    "msk": timezone(timedelta(hours=3)),
    "pkt": timezone(timedelta(hours=5)),
    "aft": timezone(timedelta(hours=4, minutes=30)),
    "jst": timezone(timedelta(hours=9)),
}
# Units a count of time can be given in, singular and plural, to the unit resolution uses.
UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "decade": "decade",
    "decades": "decade",
    "century": "century",
    "centuries": "century",
    "hour": "hour",
    "hours": "hour",
    "minute": "minute",
    "minutes": "minute",
}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first (so "sept" is tried before "sep")."""
    names = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(name).replace(r"\ ", " ").replace(" ", SPACE) for name in names)


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set (long lists read better as prose)."""
    return frozenset(words.split())


def number(word: str) -> int | None:
    """The value of a count written in digits or words ("3", "three", "twenty-five"), else None."""
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    if "-" in word:
        tens, _, ones = word.partition("-")
        if tens in TENS and ones in NUMBERS and NUMBERS[ones] < 10:
            return NUMBERS[tens] + NUMBERS[ones]
    return NUMBERS.get(word)
