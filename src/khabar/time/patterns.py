"""The pieces time-expression rules are built of: regular-expression fragments (a month, a day,
a year, a count, a time zone) and the ``Rule`` and ``Trigger`` records.

Every quantifier is bounded and every digit run is fenced by look-arounds, so a rule runs in
time linear in the text (a megabyte of digits or of spaces included).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from khabar.time.expressions import Meaning
from khabar.time.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    NUMBERS,
    OPTIONAL_SPACE,
    ORDINALS,
    SPACE,
    TENS,
    TIMEZONES,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAYS,
    alternation,
)

S = SPACE
SO = OPTIONAL_SPACE
H = rf"(?:-|{S})"  # "mid-March" or "mid March"
YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"


def cased(words: Iterable[str]) -> str:
    """The words capitalised or in capitals ("March", "MARCH"), matched case-sensitively
    inside an otherwise case-blind pattern: "march" and "may" are verbs."""
    forms = [w.title() for w in words] + [w.upper() for w in words]
    return f"(?-i:{alternation(forms)})"


MONTH_FULL = rf"(?P<month>{cased(MONTHS)})"
MONTH_ANY = rf"(?P<month>{cased(MONTHS)}|{cased(MONTH_ABBREVIATIONS)}\.?)"
WEEKDAY = rf"(?P<weekday>{cased(WEEKDAYS)})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
TENS_COMPOUND = rf"(?:{'|'.join(TENS)})-(?:one|two|three|four|five|six|seven|eight|nine)"
NUM = rf"(?P<num>\d{{1,3}}|{TENS_COMPOUND}|{alternation([*NUMBERS, *VAGUE_NUMBERS])})"
UNIT = rf"(?P<unit>{alternation(UNITS)})"
PART_OF_DAY = r"(?:morning|afternoon|evening|night|overnight)"
_TZ = rf"(?P<tz>{alternation(TIMEZONES)})\b(?:{SO}(?P<offset>[+-]{SO}\d{{1,2}}(?::?\d\d)?))?"
TZ = rf"(?:\(?{SO}{_TZ}{SO}\)?|(?P<local>local{S}time)\b)"


@dataclass(frozen=True)
class Trigger:
    """A cheap pattern found in every match of a rule: the rule runs only near its hits.

    ``lowered`` triggers are searched in the text with its ASCII letters in lower case.
    """

    pattern: re.Pattern[str]
    lowered: bool = True


@dataclass(frozen=True)
class Rule:
    """A named pattern, the reader that turns its match into a meaning (or refuses it), and
    where to look: within ``before`` characters before and ``after`` after a trigger's hit."""

    name: str
    triggers: tuple[Trigger, ...]
    before: int
    after: int
    pattern: re.Pattern[str]
    read: Callable[[str, re.Match[str]], Meaning | None]


def case_blind(regex: str, first: str = "") -> re.Pattern[str]:
    """A case-blind pattern; ``first`` lists the characters a match can start with, which lets
    the regex engine skip every other position quickly (a large speed-up on long texts)."""
    return re.compile(f"(?=[{first}])(?:{regex})" if first else regex, re.IGNORECASE)


NOT_NUMBER_BEFORE = r"(?:(?<=\bmid-)|(?<![\w$£€¥#.,/:'’+-])(?<!\d ))"
NOT_NUMBER_AFTER = r"(?![\w%°]|[.,/:-]\d|[^\S\n]?%|[^\S\n]\d)"
ORDINAL_FIRST = "".join(sorted({w[0] for w in ORDINALS}))
NUM_FIRST = "".join(sorted({w[0] for w in [*NUMBERS, *VAGUE_NUMBERS, *TENS]})) + r"\d"
WHICH = rf"(?P<which>last|next|this{S}past|this{S}coming|this|coming|past)"
