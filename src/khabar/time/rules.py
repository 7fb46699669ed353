"""The rules that recognise time expressions: a name, the triggers near which it runs, a
regular expression and its reader.

A rule runs only within ``before``/``after`` characters of its triggers' hits (words or digit
shapes all its matches contain), so that prose without dates costs a few cheap scans; the
``first`` characters given to ``case_blind`` let the engine skip other positions quickly.
"""

from __future__ import annotations

import re

from khabar.time import readers as read
from khabar.time.lexicon import (
    DECADE_WORDS,
    HOLIDAYS,
    MONTHS,
    ORDINALS,
    SEASONS,
    WEEKDAYS,
    alternation,
)
from khabar.time.patterns import (
    DAY,
    MONTH_ANY,
    MONTH_FULL,
    NOT_NUMBER_AFTER,
    NOT_NUMBER_BEFORE,
    NUM,
    NUM_FIRST,
    ORDINAL_FIRST,
    PART_OF_DAY,
    SO,
    TZ,
    UNIT,
    WEEKDAY,
    WHICH,
    YEAR,
    H,
    Rule,
    S,
    Trigger,
    case_blind,
    cased,
)


def _trigger(regex: str, *, lowered: bool = True) -> tuple[Trigger, ...]:
    return (Trigger(re.compile(regex), lowered),)


_MONTH_PREFIXES = [name[:3] for name in MONTHS]
_T_MONTH = _trigger(
    "|".join([p.title() for p in _MONTH_PREFIXES] + [p.upper() for p in _MONTH_PREFIXES]),
    lowered=False,
)
_T_WEEKDAY = _trigger(
    "|".join([d[:3].title() for d in WEEKDAYS] + [d[:3].upper() for d in WEEKDAYS]),
    lowered=False,
)
_T_SEASON = _trigger("spring|summer|autumn|fall|winter")
_T_UNIT = _trigger("day|week|month|year|decade|centur|quarter|fortnight|hour|minute")
_T_YEAR = _trigger(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)", lowered=False)
_G = r"[^\S\n]{1,3}"


def rules(day_first: bool = False, recent_days: int = 30) -> list[Rule]:
    """Every rule, built once per stage (the numeric-date order and "recent" are settings)."""
    return [
        Rule(
            "iso",
            _trigger(r"\d{4}-\d\d-\d\d", lowered=False),
            0,
            40,
            case_blind(
                r"(?<![\w.\-/])(?P<y>1[5-9]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
                r"(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d(?:\.\d{1,6})?)?"
                r"(?P<tz>Z|[+-][01]\d:?[0-5]\d)?)?(?![\w\-/]|\.\d)",
                "\\d",
            ),
            read.iso,
        ),
        Rule(
            "numeric",
            _trigger(r"\d/\d", lowered=False),
            6,
            10,
            case_blind(
                r"(?<![\w.\-/:])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d{2})"
                r"(?![\w/]|[.\-:]\d)",
                "\\d",
            ),
            read.numeric(day_first),
        ),
        Rule(
            "day_month",
            _T_MONTH,
            40,
            30,
            case_blind(
                rf"(?<![\w.$£€,/-])(?:the{S})?{DAY}(?:{S}of)?{S}{MONTH_ANY}(?![a-z])"
                rf"(?:,?{S}{YEAR}{NOT_NUMBER_AFTER})?",
                "\\dtT",
            ),
            read.day_month,
        ),
        Rule(
            "month_day",
            _T_MONTH,
            20,
            30,
            case_blind(
                rf"\b{MONTH_ANY}{S}(?:the{S})?{DAY}(?![\d]|[.,:]\d|[a-z])"
                rf"(?:,?{S}{YEAR}{NOT_NUMBER_AFTER})?",
                "JFMASOND",
            ),
            read.day_month,
        ),
        Rule(
            "month_year",
            _T_MONTH,
            0,
            30,
            case_blind(rf"\b{MONTH_ANY}(?:{S}of)?,?{S}{YEAR}{NOT_NUMBER_AFTER}", "JFMASOND"),
            read.month_year,
        ),
        Rule(
            "month_relative_year",
            _T_MONTH,
            0,
            40,
            case_blind(
                rf"\b{MONTH_FULL}(?:{S}{DAY})?,?{S}(?:of{S})?(?P<rel>this|last|next){S}year\b"
                rf"(?!{SO}['’])",
                "JFMASOND",
            ),
            read.month_relative_year,
        ),
        Rule(
            "month",
            _T_MONTH,
            0,
            12,
            case_blind(rf"\b{MONTH_FULL}\b(?!{SO}\d)", "JFMASOND"),
            read.bare_month,
        ),
        Rule(
            "weekday",
            _T_WEEKDAY,
            20,
            25,
            case_blind(
                rf"\b(?:{WHICH}{S})?{WEEKDAY}(?![a-z])(?:{S}{PART_OF_DAY}\b)?", "lntcpMTWFS"
            ),
            read.weekday,
        ),
        Rule(
            "named",
            _T_MONTH + _T_SEASON,
            20,
            15,
            case_blind(
                rf"\b{WHICH}{S}(?P<name>{cased(MONTHS)}|{alternation(SEASONS)})\b"
                rf"(?!{SO}\d)",
                "lntcp",
            ),
            read.named_month_or_season,
        ),
        Rule(
            "season",
            _T_SEASON,
            0,
            20,
            case_blind(
                rf"\b(?P<season>{alternation(SEASONS)})\b"
                rf"(?:{S}(?:of{S})?{YEAR}{NOT_NUMBER_AFTER})?",
                "swaf",
            ),
            read.season,
        ),
        Rule(
            "deictic_day",
            _trigger("today|tonight|yesterday|tomorrow"),
            10,
            20,
            case_blind(
                rf"\b(?:(?:earlier|later){S})?(?P<word>today|tonight|yesterday|tomorrow)\b"
                rf"(?:{S}{PART_OF_DAY}\b)?",
                "elty",
            ),
            read.deictic_day,
        ),
        Rule(
            "day_phrase",
            _trigger("yesterday|tomorrow|morning|afternoon|evening|night"),
            30,
            20,
            case_blind(
                rf"\b(?:the{S}day{S}(?:before{S}yesterday|after{S}tomorrow)"
                rf"|(?:last|this){S}(?:morning|afternoon|evening|night)"
                rf"|(?:yesterday|tomorrow){S}{PART_OF_DAY})\b",
                "tly",
            ),
            read.day_phrase,
        ),
        Rule(
            "deictic_unit",
            _T_UNIT,
            25,
            10,
            case_blind(
                rf"\b(?:(?P<the>the){S})?(?P<which>this{S}past|this{S}coming|last|this|next"
                rf"|past|coming|previous|preceding|following|current){S}"
                rf"(?P<unit>week|weekend|month|year|decade|century|quarter|fortnight)\b"
                rf"(?!{S}of\b|-)",
                "tlnpcf",
            ),
            read.deictic_unit,
        ),
        Rule(
            "weekend",
            _trigger("weekend"),
            10,
            10,
            case_blind(rf"\bthe{S}weekend\b(?!{S}of\b)", "t"),
            read.weekend,
        ),
        Rule(
            "ago",
            _trigger(r"ago\b"),
            40,
            5,
            case_blind(rf"\b{NUM}{S}{UNIT}{S}ago\b", NUM_FIRST),
            read.ago,
        ),
        Rule(
            "in_units",
            _T_UNIT,
            40,
            12,
            case_blind(
                rf"\b(?P<prep>in|within){S}(?:another{S})?{NUM}{S}{UNIT}\b(?:'?{S}time\b)?", "iw"
            ),
            read.in_units,
        ),
        Rule(
            "stretch",
            _T_UNIT,
            40,
            10,
            case_blind(
                rf"\b(?:the|these){S}(?P<which>past|last|next|coming|previous|following|recent)"
                rf"(?:{S}{NUM})?{S}{UNIT}\b(?!{S}of\b)",
                "t",
            ),
            read.stretch,
        ),
        Rule(
            "recent_units",
            _trigger("recent"),
            5,
            15,
            case_blind(rf"\b(?:in{S})?recent{S}(?P<unit>days|weeks|months|years|decades)\b", "ir"),
            read.recent_units,
        ),
        Rule(
            "reference",
            _trigger(
                "recent|lately|current|present|nowaday|moment|being|now|soon|shortly|future|coming"
            ),
            25,
            25,
            case_blind(
                rf"\b(?:(?:more|until|only|very|most){S})?recently\b|\blately\b"
                rf"|\bin{S}recent{S}times\b|\brecent\b|\bcurrently\b|\bat{S}present\b"
                rf"|\bnowadays\b|\bat{S}the{S}moment\b|\bfor{S}the{S}time{S}being\b"
                rf"|\b(?:right{S})?now\b|\b(?:very{S})?soon\b|\bshortly\b"
                rf"|\bin{S}(?:the{S})?(?:near{S})?future\b"
                rf"|\bin{S}the{S}coming{S}(?:days|weeks|months)\b",
                "mruovilcanfs",
            ),
            read.reference(recent_days),
        ),
        Rule(
            "decade",
            _trigger(r"\d0['’]?s|ties\b"),
            10,
            5,
            case_blind(
                rf"(?:\bthe{S})?(?:\b(?P<full>1[0-9]|20)(?P<d>\d)0['’]?s\b"
                rf"|(?<![\w'‘’])['‘’](?P<short>\d)0s\b)"
                rf"|\bthe{S}(?:(?P<short2>\d)0s|(?P<word>{alternation(DECADE_WORDS)}))\b",
                "t\\d'‘’",
            ),
            read.decade,
        ),
        Rule(
            "century",
            _trigger("century"),
            25,
            10,
            case_blind(
                rf"\b(?:the{S})?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{alternation(ORDINALS)})"
                rf"{H}century\b",
                f"t\\d{ORDINAL_FIRST}",
            ),
            read.century,
        ),
        Rule(
            "year",
            _T_YEAR,
            5,
            5,
            case_blind(rf"{NOT_NUMBER_BEFORE}{YEAR}{NOT_NUMBER_AFTER}", "12"),
            read.bare_year,
        ),
        Rule(
            "short_year",
            _trigger(r"['’]\d\d", lowered=False),
            2,
            4,
            case_blind(r"(?<=[\s(])['’](?P<yy>\d\d)(?![\w'’]|[.,]\d)", "'’"),
            read.short_year,
        ),
        Rule(
            "quarter",
            _trigger("quarter|half"),
            25,
            30,
            case_blind(
                rf"\b(?:(?:the|this|last|next|a){S})?(?P<ord>first|second|third|fourth|final"
                rf"|last|1st|2nd|3rd|4th){H}(?P<unit>quarter|half)\b(?:{S}(?:of{S})?(?:{YEAR}"
                rf"{NOT_NUMBER_AFTER}|(?P<rel>this|last|next){S}year\b"
                rf"|(?P<the_year>the{S}year)\b))?",
                "tlnafs\\d",
            ),
            read.quarter,
        ),
        Rule(
            "q_code",
            _trigger("[QH][1-4]", lowered=False),
            1,
            10,
            case_blind(
                rf"\b(?P<code>[QH][1-4])\b(?:{SO}{YEAR}{NOT_NUMBER_AFTER}"
                rf"|{SO}['’](?P<yy>\d\d)\b)?",
                "QH",
            ),
            read.q_code,
        ),
        Rule(
            "holiday",
            _trigger("christmas|boxing|new year|july|halloween|valentine"),
            15,
            20,
            case_blind(
                rf"\b(?P<name>{alternation(HOLIDAYS)})(?![\w'])(?:{S}{YEAR}{NOT_NUMBER_AFTER})?",
                "cbnfhv",
            ),
            read.holiday,
        ),
        Rule(
            "clock_ampm",
            _trigger(r"\d[^\S\n]{0,3}[ap]\.?m"),
            6,
            25,
            case_blind(
                rf"(?<![\w:.])(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d)|\.(?P<mi2>[0-5]\d))?{SO}"
                rf"(?P<ampm>[ap]\.?m\b\.?)(?:{SO}{TZ})?",
                "\\d",
            ),
            read.clock,
        ),
        Rule(
            "clock",
            _trigger(r"\d[:.]\d\d", lowered=False),
            3,
            25,
            case_blind(
                rf"(?<![\w:.])(?P<h>[01]?\d|2[0-3])(?P<sep>[:.])(?P<mi>[0-5]\d)(?![\d:]|\.\d)"
                rf"(?:{SO}{TZ})?",
                "\\d",
            ),
            read.clock,
        ),
        Rule(
            "military_clock",
            _trigger(r"\d{4}[^\S\n]{0,3}[a-z(]"),
            0,
            25,
            case_blind(
                rf"(?<![\w:.,])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?![\w:]|[.,]\d)"
                rf"(?:{SO}{TZ}|{S}(?P<hours>hours|hrs)\b)",
                "\\d",
            ),
            read.clock,
        ),
        Rule(
            "same_day",
            _trigger(rf"(?:the|that){_G}(?:same{_G})?day"),
            0,
            20,
            case_blind(
                rf"\b(?:the|that)(?:{S}same)?{S}day\b(?!{S}(?:of|when|before|after|that|which"
                rf"|in{S}which|on{S}which)\b|['’-])",
                "t",
            ),
            read.same_day,
        ),
        Rule(
            "noon",
            _trigger("noon|midday|midnight"),
            0,
            10,
            case_blind(r"\b(?:noon|midday|midnight)\b", "nm"),
            read.noon,
        ),
        Rule(
            "edge_of_unit",
            _trigger(rf"of{_G}the{_G}(?:day|week|month|year)"),
            30,
            10,
            case_blind(
                rf"\b(?:the{S})?(?P<edge>end|beginning|start|middle|close){S}of{S}the{S}"
                rf"(?P<unit>day|week|month|year)\b",
                "tebsmc",
            ),
            read.edge_of_unit,
        ),
        Rule(
            "partial",
            _trigger(rf"(?:earlier|later){_G}(?:this|in)"),
            0,
            30,
            case_blind(
                rf"\b(?P<side>earlier|later){S}(?:this|in{S}the){S}(?P<unit>week|month|year)\b",
                "el",
            ),
            read.partial,
        ),
    ]
