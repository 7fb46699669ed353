"""Scraped plain text: the line cleaner's article, its headline and authors as claims.

``clean_scraped`` runs the line cleaner (``lines.clean_scraped_text``) on the raw text: the
article's text is the kept lines, each mapped back to the raw input by ``raw_segments``; the
headline and the byline's or author box's names, which cleaning removed, become claims whose
evidence is their raw span. A date on the byline is not claimed here: the publication-date stage
reads the raw text's first lines itself (``published.text_candidates``, method ``text.byline``).

``clean_text`` and ``claim_headline`` are the plain fallbacks: every line kept, and the first
headline-shaped line as the title.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from khabar.core.article import Article, Evidence
from khabar.core.errors import DropArticle
from khabar.extract.dates import MONTHS
from khabar.extract.evidence import offer
from khabar.extract.lines import CleanText, clean_scraped_text

log = logging.getLogger(__name__)

METHOD = "text.headline"
AUTHOR_METHOD = "text.byline"
HEADLINE_CONFIDENCE = 0.6
AUTHOR_CONFIDENCE = 0.7
_SPACE_AT_LINE_END = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")
# Weekdays in the languages whose month names dates.MONTHS reads, and the words their dates
# are written with ("3 de abril", "am 3. April", "14:20 Uhr")
_FOREIGN_WEEKDAYS = (
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|"
    "vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|"
    "martedì|mercoledì|giovedì|venerdì|sabato|domenica|segunda|terça|quarta|quinta|sexta|feira|"
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
)
_JOINING = "uhr|de|le|el|op"
_JOINING_WORD = re.compile(_JOINING, re.I)
_NAMED_DAY_OR_MONTH = re.compile(
    rf"(mon|tues|wednes|thurs|fri|satur|sun)day|{'|'.join(MONTHS)}|{_FOREIGN_WEEKDAYS}", re.I
)
_CALENDAR_WORD = re.compile(
    r"(\d+(st|nd|rd|th|er)?|(mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|"
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|"
    rf"oct(ober)?|nov(ember)?|dec(ember)?|am|pm|gmt|utc|pkt|ist|est|{'|'.join(MONTHS)}|"
    rf"{_FOREIGN_WEEKDAYS}|{_JOINING})",
    re.I,
)
HEADLINE_SCAN_LINES = 15


def clean_scraped(article: Article, *, min_chars: int = 0) -> None:
    """Keep the article's lines of a scraped page and claim its headline and authors.

    A page of at least ``min_chars`` on which no line looks like an article is dropped as
    ``no_article`` (a shorter one is left to the caller's length check).
    """
    raw = article.raw_text
    clean = clean_scraped_text(raw)
    if not clean.segments and len(raw.strip()) >= max(1, min_chars):
        raise DropArticle(
            "no_article",
            f"the line cleaner found no article line among {len(clean.removed)} lines of "
            "scraped text: they all look like page furniture",
        )
    article.text = clean.text
    article.raw_segments = list(clean.segments)
    _log_removed(article, clean)
    if clean.title is not None:
        start, end = clean.title
        offer(
            article,
            "title",
            raw[start:end],
            method=METHOD,
            confidence=HEADLINE_CONFIDENCE,
            evidence=Evidence.raw_span(start, end, raw[start:end]),
        )
    elif article.accepted("title") is None:
        claim_headline(article)
    if clean.authors:
        offer(
            article,
            "authors",
            [name for name, _, _ in clean.authors],
            method=AUTHOR_METHOD,
            confidence=AUTHOR_CONFIDENCE,
            evidence=[Evidence.raw_span(s, e, raw[s:e]) for _, s, e in clean.authors],
        )


def _log_removed(article: Article, clean: CleanText) -> None:
    kinds = Counter(kind for _, _, kind in clean.removed)
    log.debug(
        "article %s: kept %d lines, removed %s",
        article.id,
        len(clean.segments),
        ", ".join(f"{n} {kind}" for kind, n in kinds.most_common()) or "none",
    )


def clean_text(raw_text: str) -> str:
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_AT_LINE_END.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def claim_headline(article: Article) -> None:
    """The first early line shaped like a headline (4-25 words, no closing punctuation)."""
    for number, match in enumerate(_LINE.finditer(article.raw_text)):
        if number >= HEADLINE_SCAN_LINES:
            return
        line = match.group().strip()
        if _is_headline(line):
            start = match.start() + match.group().index(line)
            article.claim(
                "title",
                line,
                method=METHOD,
                confidence=0.5,
                evidence=Evidence.raw_span(start, start + len(line), line),
            )
            return


def _is_headline(line: str) -> bool:
    words = line.split()
    return (
        4 <= len(words) <= 25
        and line[-1] not in ".!?,;:"
        and not is_date_line(line)
        and "|" not in line
    )


def is_date_line(line: str) -> bool:
    """A line made only of calendar words and numbers ("Wednesday, April 17, 2024"). The words
    dates are written with ("de", "le", "op", "Uhr") count only beside a month or a weekday:
    "Le 12" and "Op 10" are no dates."""
    words = _WORD.findall(line)
    if not words or not all(_CALENDAR_WORD.fullmatch(w) for w in words):
        return False
    joined = [w for w in words if _JOINING_WORD.fullmatch(w)]
    return not joined or any(_NAMED_DAY_OR_MONTH.fullmatch(w) for w in words)
