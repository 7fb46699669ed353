"""Scraped plain text: normalised line endings and blank lines, and a headline guess.

The line-level boilerplate cleaner comes with the "news in" work; for now every line is kept.
"""

from __future__ import annotations

import re

from khabar.core.article import Article, Evidence

METHOD = "text.headline"
_SPACE_AT_LINE_END = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+")
_CALENDAR_WORD = re.compile(
    r"(\d+(st|nd|rd|th)?|(mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun|"
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|"
    r"oct(ober)?|nov(ember)?|dec(ember)?|am|pm|gmt|utc|pkt|ist|est)",
    re.I,
)
HEADLINE_SCAN_LINES = 15


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
    """A line made only of calendar words and numbers ("Wednesday, April 17, 2024")."""
    words = _WORD.findall(line)
    return bool(words) and all(_CALENDAR_WORD.fullmatch(w) for w in words)
