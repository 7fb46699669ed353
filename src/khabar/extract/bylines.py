"""Bylines and author boxes in scraped text: who wrote the article, with raw spans.

A byline is a short line shaped like "By Sana Gul", "By Hiba Osman and Daniel Tesfaye",
"Reporting by Karim Haddad in Baghdad; Editing by Lena Marsh", "Amina Yusuf | Staff Reporter"
or "Posted by Catherine on 10 September". An author box is a line holding only a name, next to
a line that starts with that name and says what the person does ("Sana Gul covers security
..."). Role words ("Staff Reporter", "Correspondent, Gazipur") are not names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.extract.line_shape import Line, Shape, vocabulary

BYLINE_MAX_WORDS = 25
BIO_MAX_WORDS = 80
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_PARTICLE = r"(?:al|el|bin|ibn|de|da|del|della|di|du|van|von|der|den|la|le|dos|das|ul)"
_NAME_WORD = rf"(?:[{_UPPER}][\w'’.-]*|{_PARTICLE}-?[{_UPPER}][\w'’-]*)"
NAME = re.compile(
    rf"[{_UPPER}][\w'’.-]*(?:[ \u00a0](?:{_PARTICLE}[ -])?{_NAME_WORD}){{1,3}}",
)
_BY = re.compile(r"\bby\s+", re.IGNORECASE)
_JOINER = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)
_PIPE_ROLE = re.compile(r"^(?P<name>[^|]+?)\s*\|\s*\w", re.IGNORECASE)
_BIO_VERB = re.compile(
    r"\s+(?:is|was|has|covers|reports|writes|edits|joined|works|contributed|leads)\b"
)
ROLE_WORDS = vocabulary(
    """staff reporter reporters correspondent correspondents writer writers editor editors desk
    bureau news team agency agencies wire wires service online web digital report reporting
    editorial senior special chief our the admin administrator contributor guest press
    release monitoring"""
)


@dataclass(frozen=True)
class Name:
    """A person's name found in a line, with its raw span."""

    text: str
    start: int
    end: int


def is_byline(line: Line, s: Shape) -> bool:
    return s.byline and s.words <= BYLINE_MAX_WORDS and not (s.sentence_end and s.words > 12)


def byline_names(line: Line) -> list[Name]:
    """The people a byline line names, in order."""
    text = line.text
    names: list[Name] = []
    by_matches = list(_BY.finditer(text))
    if by_matches:
        for by in by_matches:
            names.extend(_names_from(text, by.end(), line.start))
    else:
        pipe = _PIPE_ROLE.match(text)
        if pipe:
            names.extend(_names_from(text, 0, line.start, limit=pipe.end("name")))
    return names


def _names_from(text: str, at: int, base: int, limit: int | None = None) -> list[Name]:
    """Names joined by "and", "&" or commas, starting exactly at ``at``."""
    end = len(text) if limit is None else limit
    found: list[Name] = []
    while at < end:
        match = NAME.match(text, at, end)
        if not match or not _looks_like_person(match.group()):
            break
        found.append(Name(match.group(), base + match.start(), base + match.end()))
        joiner = _JOINER.match(text, match.end(), end)
        if not joiner:
            break
        at = joiner.end()
    return found


def _looks_like_person(name: str) -> bool:
    words = name.replace("\u00a0", " ").split()
    return 2 <= len(words) <= 4 and not any(w.lower().strip(".,") in ROLE_WORDS for w in words)


def name_only(line: Line, s: Shape) -> Name | None:
    """The line is nothing but a person's name ("Sana Gul")."""
    if not 2 <= s.words <= 4 or s.title_share < 1.0:
        return None
    match = NAME.fullmatch(line.text)
    if match and _looks_like_person(match.group()):
        return Name(match.group(), line.start, line.end)
    return None


def bio_of(line: Line, s: Shape, names: set[str]) -> Name | None:
    """The line is a short biography opening with one of ``names`` ("Sana Gul covers ...")."""
    if s.words > BIO_MAX_WORDS or not names or not line.text[:1].isupper():
        return None
    match = NAME.match(line.text)
    if not match or match.group() not in names:
        return None
    if not _BIO_VERB.match(line.text, match.end()):
        return None
    return Name(match.group(), line.start + match.start(), line.start + match.end())
