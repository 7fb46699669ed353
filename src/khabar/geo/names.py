"""Name forms shared by the gazetteer and the matcher: folding and the shape of a name in text.

Matching runs over a *folded* copy of the text: lower case, accents removed, typographic
apostrophes and odd spaces made plain. Folding maps every character to exactly one character,
so an offset in the folded copy is the same offset in the text; names are folded the same way
when the gazetteer is built.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter plus accents.
_EXTRA = {"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ı": "i", "ħ": "h", "Ħ": "h"}
_PUNCT = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "–": "-"}
_SPACES = "\t\n\r\x0b\x0c\xa0\u2002\u2003\u2009\u202f"
FOLD_LIMIT = (
    0x2FF  # Latin scripts; other scripts stay as they are (the gazetteer has no names there)
)

# Words of a multi-word name that may stay lower case ("Isle of Man", "Bosnia and Herzegovina").
CONNECTORS = frozenset(
    [
        "of",
        "the",
        "and",
        "on",
        "upon",
        "in",
        "de",
        "del",
        "della",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "da",
        "das",
        "du",
        "el",
        "en",
        "la",
        "las",
        "le",
        "les",
        "los",
        "y",
        "e",
        "al",
        "am",
        "an",
        "bei",
        "im",
        "sur",
        "sous",
        "von",
        "van",
        "den",
        "aan",
        "op",
        "ter",
    ]
)


def _fold_char(char: str) -> str:
    if char in _EXTRA:
        return _EXTRA[char]
    if char in _PUNCT:
        return _PUNCT[char]
    if char in _SPACES:
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lowered = base.lower()
    if len(lowered) == 1:
        return lowered
    single = char.lower()
    return single if len(single) == 1 else char


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(FOLD_LIMIT + 1):
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
    for char in (*_PUNCT, *_SPACES, "İ"):
        table[ord(char)] = _fold_char(char)
    return table


FOLD_TABLE = _fold_table()


def fold(text: str) -> str:
    """Lower case without accents, one character for one: offsets stay valid."""
    return text.translate(FOLD_TABLE)


def is_latin_name(name: str) -> bool:
    """A name written in Latin letters (others can never match English text)."""
    return all(ord(c) <= FOLD_LIMIT or not c.isalpha() or c in _PUNCT for c in name)


def usable_name(name: str) -> bool:
    """A gazetteer name worth matching: Latin letters, capitalised, no digits, not a code."""
    if len(name) < 2 or not name[0].isupper() or any(c.isdigit() for c in name):
        return False
    if name.isupper() and len(name) <= 3:  # airport and other codes ("PEW", "WAS")
        return False
    return is_latin_name(name) and "(" not in name and ";" not in name


def capitalised_as_name(span: str) -> bool:
    """The span is written like a proper name: every word capitalised except connectors."""
    words = span.replace("-", " ").split()
    if not words or not words[0][:1].isupper():
        return False
    for word in words[1:]:
        first = word[:1]
        if first.isalpha() and not first.isupper() and fold(word) not in CONNECTORS:
            return False
    return True


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
