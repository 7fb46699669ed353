"""What stands around a candidate time expression: the checks that refuse what only looks like
a date ("may" the verb, "2000 people", "$2019", "Room 2019", "the Arab Spring", "USA Today").

Each check reads a few dozen characters around the match, so it costs the same in any text.
"""

from __future__ import annotations

import re

from khabar.time.lexicon import MONTHS, word_set
from khabar.time.patterns import SO, H, S, case_blind

# Words that introduce a time: a bare month ("in March") or a bare year ("in 2019") needs one.
_MONTH_CONTEXT_WORDS = word_set(
    """in since until till by from through throughout during before after of between early
    late mid beginning start end middle their its our"""
)
_RANGE_WORDS = frozenset({"and", "or", "to", "through", "until", "till", "-", "–"})
_YEAR_TIME_WORDS = word_set(
    """in since by until till from through during before after of between and or to year
    fiscal early late mid around circa spring summer autumn fall winter season christmas"""
)
# Words before a number that make it a count, a price or a label, not a year.
_YEAR_QUANTITY_WORDS = word_set(
    """nearly almost approximately estimated killing killed wounding injuring no no. rs rs.
    page pages room flight route highway bus model code number plot house suite apartment box
    ext ext. section article chapter paragraph clause resolution rule item case file vol vol.
    volume issue grade gate terminal platform channel row exit pillar unit battalion brigade
    regiment division squadron district sector block street road"""
)
_YEAR_QUANTITY_PAIRS = frozenset(
    {"at least", "more than", "less than", "fewer than", "up to", "total of", "number of"}
)
# A count's noun after a number, or after a range that the number opens ("1500 and 2000 people").
COUNTED_AFTER = case_blind(
    rf"^(?:(?:{S}(?:and|or|to){S}|{SO}[-–]{SO})\d[\d,.]{{0,12}})?(?:{S}|-)(?:years?|months?|days?|weeks?|hours?|minutes?|seconds?|km|kilometres?"
    rf"|kilometers?|miles?|metres?|meters?|feet|ft|kg|kilograms?|tons?|tonnes?|percent|per{S}cent"
    rf"|pc|points?|people|persons|men|women|children|troops|soldiers|officers|police|policemen"
    rf"|residents|refugees|civilians|fighters|militants|workers|students|families|households"
    rf"|homes|houses|buildings|vehicles|cars|trucks|votes|seats|cases|deaths|dead|jobs|units"
    rf"|shares|barrels|acres|hectares|calories|words|pages|copies|rupees|dollars|euros|pounds"
    rf"|yuan|yen)\b"
)
# Nouns that follow a year in news ("the 2019 elections"), as opposed to counted ones.
YEAR_NOUNS = frozenset(
    re.findall(
        r"\w+",
        """elections polls games olympics talks protests riots floods attacks accords
        negotiations hearings results figures earnings budgets uprisings clashes killings
        bombings reforms sanctions rules laws levels highs lows""",
    )
)
PLURAL_AFTER = re.compile(rf"^{S}([a-z]+s)\b")
NAME_AROUND = (re.compile(rf"\b[A-Z][a-z]+{S}$"), re.compile(rf"^{S}[A-Z][a-z]+\b"))
SAME_DAY_CONTEXT = case_blind(
    rf"(?:\b(?:for|on|end|ends|ended|ending|finish|finishes|finished|finishing|close|closes"
    rf"|closed|closing|start|starts|started|starting|began|begin|open|opens|opened|opening)"
    rf"|\b(?:late|early|later|earlier){S}in){S}$"
)
NAMED_DAY_BEFORE = case_blind(
    rf"\b(?:black|cyber|super|good|bloody|ash|holy|maundy|easter|palm|shrove|fat|giving)"
    rf"{S}$"
)
PAPER_AFTER = re.compile(
    rf"^{S}(?:Times|Telegraph|Express|Mirror|Herald|Tribune|Post|Mail|Observer|Independent"
    rf"|Star|Sport|Night{S}Live|Morning{S}Herald)\b"
)
SEASON_CONTEXT = case_blind(
    rf"(?:\b(?:in|during|over|through|throughout|by|until|till|since|before|after|this|that"
    rf"|last|next|early|late|mid|of|for|the|coming|past|its|their|his|her|our|my)(?:{S}the)?{H}"
    rf"|\bmid-)$"
)
CAPITALISED_WORD_BEFORE = re.compile(rf"\b[A-Z][\w.&'-]*{S}$")
# A capitalised word before a season makes it a name ("the Arab Spring"), unless it is one of
# the words that start a sentence about a time ("In spring", "Last summer").
NAME_BEFORE = re.compile(
    rf"\b(?!(?:In|During|This|Last|Next|By|Since|Until|Over|The|Early|Late|Mid|Of|Through"
    rf"|Before|After|Every|That|Coming|Past)\b)[A-Z][\w'-]*{S}$"
)
CLOCK_CONTEXT = case_blind(
    rf"\b(?:at|by|from|until|till|to|before|after|around|about|since|between|and|@){S}$"
)
SOON_AFTER = case_blind(rf"^{S}(?:as|after|afterwards?|before|thereafter)\b|^-")
NOW_AFTER = case_blind(rf"^(?:-|{S}that\b)")
RECENT_AFTER = re.compile(rf"^{S}(?:[a-z][a-z-]*)")


def words_before(text: str, start: int, count: int = 2) -> list[str]:
    """The last ``count`` words before ``start`` on its line, in lower case; empty when the
    character just before is not a space (the words must stand apart from what follows)."""
    if start == 0 or text[start - 1] not in " \t\u00a0":
        return []
    line = text[max(0, start - 40) : start].rsplit("\n", 1)[-1]
    return line.lower().split()[-count:]


def month_context(text: str, start: int) -> bool:
    """Whether a word that introduces a time comes just before a month written alone: "in",
    "since", "mid-", or another month and "and"/"to" ("between January and March")."""
    if text[max(0, start - 6) : start].lower().endswith(("mid-", "early-", "late-")):
        return True
    words = words_before(text, start, 3)
    if not words:
        return text[max(0, start - 1) : start] in ("-", "–") and _month_before(text, start - 1)
    if words[-1] in _MONTH_CONTEXT_WORDS or words[-2:] == ["as", "of"]:
        return True
    return words[-1] in _RANGE_WORDS and len(words) > 1 and words[-2].rstrip(",") in MONTHS


def _month_before(text: str, end: int) -> bool:
    words = text[max(0, end - 12) : end].lower().split()
    return bool(words) and words[-1] in MONTHS


def year_context(text: str, start: int) -> bool:
    """Whether a time word, a bracket or a comma comes just before a year."""
    if text[max(0, start - 4) : start].lower() == "mid-":
        return True
    if text[max(0, start - 4) : start].rstrip(" \t").endswith(("(", ",")):
        return True
    words = words_before(text, start)
    if not words:
        return False
    last = words[-1]
    return last in _YEAR_TIME_WORDS or last.endswith(("'s", "’s")) or words == ["class", "of"]


def quantity_context(text: str, start: int) -> bool:
    """Whether a number is a count, a price or a label: "at least 2000", "$2019", "Room 2019"."""
    if text[max(0, start - 3) : start].rstrip(" \t").endswith(("$", "£", "€", "¥", "#", "+")):
        return True
    words = words_before(text, start)
    return bool(words) and (
        words[-1] in _YEAR_QUANTITY_WORDS or " ".join(words) in _YEAR_QUANTITY_PAIRS
    )


def preceded_by(text: str, start: int, pattern: re.Pattern[str], width: int = 40) -> bool:
    """Whether ``pattern`` (anchored with ``$``) matches just before ``start``."""
    return pattern.search(text, max(0, start - width), start) is not None


def followed_by(text: str, end: int, pattern: re.Pattern[str], width: int = 40) -> bool:
    """Whether ``pattern`` (anchored with ``^``) matches just after ``end``."""
    return pattern.match(text[end : end + width]) is not None
