"""Reading calendar dates written out in pages: ISO stamps, "14 May 2024", "May 14, 2024".

Only explicit dates with a year are read here; relative ones ("last week") need an anchor and
belong to the time-expression stage. Numeric dates with slashes are read only when the order is
unambiguous (a part over 12 is the day), so "03/04/2024" is not guessed; with dots they are read
day first ("03.04.2024" is 3 April), the order of every site that writes them so but a few in
the US, whose "12.25.2019" has no other reading.

Pages are dated in the language they are written in, so month names come in the languages of
the main Western European news markets as well as English: "3. April 2024", "3 avril 2024",
"3 de abril de 2024", "3 aprile 2024". Abbreviations that are English words ("set", "ago") are
left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# German, French, Spanish, Italian, Portuguese and Dutch: full names, then the abbreviations
# sites print ("Okt.", "févr.", "dic.")
MONTHS |= {
    name: number
    for number, names in enumerate(
        (
            (
                "januar",
                "jänner",
                "janvier",
                "janv",
                "enero",
                "ene",
                "gennaio",
                "janeiro",
                "januari",
            ),
            (
                "februar",
                "feber",
                "février",
                "févr",
                "fevrier",
                "febrero",
                "febbraio",
                "fevereiro",
                "februari",
            ),
            ("märz", "maerz", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt"),
            ("avril", "avr", "abril", "abr", "aprile"),
            ("mai", "mayo", "maggio", "maio", "mei"),
            ("juni", "juin", "junio", "giugno", "junho"),
            ("juli", "juillet", "juil", "julio", "luglio", "julho"),
            ("august", "août", "aout", "agosto", "augustus"),
            ("september", "septembre", "septiembre", "settembre", "setembro"),
            ("oktober", "okt", "octobre", "octubre", "ottobre", "outubro"),
            ("november", "novembre", "noviembre", "novembro"),
            (
                "dezember",
                "dez",
                "décembre",
                "déc",
                "decembre",
                "diciembre",
                "dic",
                "dicembre",
                "dezembro",
            ),
        ),
        start=1,
    )
    for name in names
    if name not in MONTHS
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"  # "1st", "1er" (French), "1." (German)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = (
    r"(?:,?\s*(?:at\s+)?(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?::[0-5]\d)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
_ISO = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
    r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-][0-2]\d:?[0-5]\d)?)?(?!\d)"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w-]){_DAY}\s+(?:of\s+|de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}{_TIME}(?!\d)", re.I
)
_MONTH_DAY_YEAR = re.compile(rf"(?<![\w-]){_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}(?!\d)", re.I)
_SLASHED = re.compile(
    r"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)\d\d)"
    r"(?![\d/]|\.\d)"
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    day: date
    at: datetime | None  # when the text gives a time of day with an offset


def find_dates(text: str, start: int = 0, end: int | None = None) -> Iterator[FoundDate]:
    """Every explicit date in ``text[start:end]``, with its offsets, in order of position."""
    stop = len(text) if end is None else end
    found: list[FoundDate] = []
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _SLASHED):
        for match in pattern.finditer(text, start, stop):
            value = _value(match, pattern)
            begin, finish = match.start(), match.start() + len(match.group().rstrip(" ,"))
            if value is not None and not any(f.start < finish and begin < f.end for f in found):
                found.append(FoundDate(begin, finish, *value))
    yield from sorted(found, key=lambda f: f.start)


def parse_date(value: str) -> FoundDate | None:
    """The first explicit date in ``value`` (a meta tag's content, a JSON-LD value)."""
    return next(find_dates(value), None)


def _value(match: re.Match[str], pattern: re.Pattern[str]) -> tuple[date, datetime | None] | None:
    groups = match.groupdict()
    try:
        if pattern is _SLASHED:
            a, b = int(groups["a"]), int(groups["b"])
            if groups["sep"] == "." and b <= 12:
                return date(int(groups["year"]), b, a), None  # 03.04.2024: 3 April
            if groups["sep"] == ".":
                return date(int(groups["year"]), a, b), None  # 12.25.2019: a US site's dots
            if a <= 12 and b <= 12 and a != b:
                return None  # 03/04/2024: March or April? not guessed
            day, month_number = (a, b) if a > 12 or a == b else (b, a)
            return date(int(groups["year"]), month_number, day), None
        month = groups["month"]
        number = int(month) if month.isdigit() else MONTHS[month.lower()]
        day_value = date(int(groups["year"]), number, int(groups["day"]))
    except (ValueError, KeyError):
        return None
    return day_value, _instant(day_value, groups)


def _instant(day: date, groups: dict[str, str | None]) -> datetime | None:
    """A timestamp only when the text gives both a time and its offset (else it is ambiguous)."""
    tz = groups.get("tz")
    if not (groups.get("hour") and tz):
        return None
    stamp = f"{day.isoformat()}T{int(groups['hour'] or 0):02d}:{groups['minute']}"
    offset = "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    try:
        return datetime.fromisoformat(stamp + offset).astimezone(UTC)
    except ValueError:
        return None
