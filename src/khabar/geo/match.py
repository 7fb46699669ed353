"""Recognition: the stretches of the text that name a place in the gazetteer.

One Aho-Corasick pass over the folded text finds every gazetteer name; a match counts only at
word boundaries and when written like a name (capitalised: "Nice", never "nice"). Overlaps go
to the longest match ("New York City" over "York"), so a name that is not a place ("Washington
Post") hides the place inside it. Then each match must pass the evidence rules:

- a common English word ("March", "Of", "Mobile", "Nice") is a place only with evidence: a
  GPE/LOC/FAC entity on it, a locative word before it ("in Nice"), or a region after it
  ("Mobile, Alabama");
- a person's name is not a place: a PERSON entity over it, or a title before it ("Mr. Jordan"),
  except a single name the recogniser calls a person only there, right after "in", "at" and the
  like or after a verb of taking ground ("fighting in Knin", "captured Knin");
- an abbreviation ("Fla.", "TX") only follows "City, ";
- a demonym ("Pakistani") is a country-level mention of lower weight;
- a word that begins Arabic names ("Abu", "Tal", "Wadi") before another capitalised word, and a
  name after the Arabic article ("al-Tijara") with no place in an Arabic-speaking country, are
  parts of longer names the gazetteer lacks.

The work is linear in the text: one automaton pass, then constant work per match.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from khabar.core.article import Entity
from khabar.geo.gazetteer import LENGTH_BITS, LENGTH_MASK, Gazetteer, Kind, Link, NameFlag
from khabar.geo.names import (
    ARABIC_ARTICLE,
    COMPASS_POINTS,
    capitalised_as_name,
    fold,
    is_word_char,
)
from khabar.time.lexicon import CALENDAR_NAMES

DEMONYM, ABBREV, ALIAS = int(Link.DEMONYM), int(Link.ABBREV), int(Link.ALIAS)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PERSON_LABELS = frozenset({"PERSON"})
UNLISTED_LABELS = frozenset({"GPE", "LOC"})  # a place the gazetteer lacks (FAC: a building)
LOCATIVE = frozenset(
    [
        "in",
        "at",
        "near",
        "from",
        "outside",
        "inside",
        "across",
        "around",
        "to",
        "into",
        "through",
        "towards",
        "toward",
        "between",
        "via",
        "of",
        "province",
        "state",
        "city",
        "county",
        "district",
        "region",
        "town",
        "village",
        "capital",
    ]
)
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "president",
        "gen",
        "general",
        "sen",
        "senator",
        "gov",
        "governor",
        "rep",
        "representative",
        "judge",
        "justice",
        "coach",
        "rev",
        "reverend",
        "sgt",
        "lt",
        "capt",
        "col",
        "maj",
        "officer",
        "deputy",
        "minister",
        "prince",
        "king",
        "queen",
        "lord",
        "lady",
        "saint",
        "st",
        "prof",
        "professor",
        "mayor",
        "chief",
        "secretary",
        "ambassador",
    ]
)
# Capitalised words that may stand before a place inside its name ("North Waziristan").
DESCRIPTORS = frozenset(
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
        "greater",
        "new",
        "old",
        "downtown",
        "metro",
        "rural",
        "suburban",
        "coastal",
        "the",
        "in",
        "at",
        "near",
        "from",
        "and",
        "of",
        "to",
        "for",
    ]
)
# Words after which a name is where something happens (a subset of LOCATIVE).
SCENE = frozenset(["in", "at", "near", "outside", "inside", "around"])
# Verbs whose object is ground taken or struck: "captured Knin", "shelled Idlib". After one, a
# name the recogniser calls a person here and nowhere else is a town it does not know (people
# are "captured" too, but then the recogniser knows them, or the name is no place).
TAKING = frozenset(
    [
        "captured",
        "recaptured",
        "seized",
        "overran",
        "overrun",
        "stormed",
        "shelled",
        "bombarded",
        "besieged",
        "retook",
        "retaken",
        "liberated",
        "occupied",
        "invaded",
    ]
)
# Places by that name exist ("March", Cambridgeshire), but alone the word is a date.
DATE_WORDS = CALENDAR_NAMES
# Words after an area's name that say what kind of area it is ("Nyanza Province").
DESIGNATORS = frozenset(
    ["province", "prefecture", "region", "county", "district", "governorate", "oblast", "state"]
)
_WORD_BEFORE = re.compile(r"([A-Za-z][\w.'-]*)[\s,]*$")
NOUN_TOWN_POPULATION = 50_000  # an English noun naming only smaller places needs evidence
MAX_ALL_CAPS_LEN = 3  # all-caps names this short are codes: only aliases ("US", "UK") count
# Regions are named after a bearing alone ("East", Cameroon; "Central", Botswana), but a bearing
# before another name is the start of a longer one the gazetteer lacks: "East Ghouta", "West
# Kordofan", "Central Equatoria".
BEARINGS = COMPASS_POINTS | {"central", "northern", "southern", "eastern", "western"}
# Words that begin Arabic names of people and places ("Abu Dhour", "Tal Sukkar", "Wadi
# Qandil"). Alone they are places too (Abu in Rajasthan, Tal in Nepal), but followed by another
# capitalised word they start a longer name the gazetteer lacks (it would have matched whole).
NAME_STARTS = frozenset(
    [
        "abu",
        "umm",
        "bin",
        "ibn",
        "bani",
        "beni",
        "tel",
        "tal",
        "ras",
        "ain",
        "kafr",
        "wadi",
        "sidi",
        "al",
        "el",
    ]
)
# The Arabic article joined to a name ("al-Tijara", "ash-Shaab"): what follows is an Arabic
# name, so it is no place outside the Arab world (Tijara in India, Shaab in Armenia).
# A name that opens with the Arabic article in lower case: "al-Hol camp", "el-Fasher".
_ARTICLE_AT = re.compile(rf"{ARABIC_ARTICLE}[-‑](?=[A-Z])")
_ARTICLE_BEFORE = re.compile(rf"(?:^|[^\w]){ARABIC_ARTICLE}[-‑]$")
ARABIC_SPEAKING = frozenset(
    [
        "AE",
        "BH",
        "DZ",
        "EG",
        "IQ",
        "JO",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "OM",
        "PS",
        "QA",
        "SA",
        "SD",
        "SO",
        "SY",
        "TN",
        "YE",
        "EH",
        "DJ",
        "KM",
        "TD",
        "IL",
    ]
)
_NAME_AFTER = re.compile(r"[ \t]+[A-Z]")
_JOINED_NAME_AFTER = re.compile(r"(?:[ \t]+|[-‑])[A-Z]")
_NAME_START_BEFORE = re.compile(r"(?:^|[^\w])([A-Z][a-z]+)(?:[ \t]+|[-‑])$")
# "al-X" has its own rule (_ARTICLE_BEFORE)
NAME_STARTS_NOT_ARTICLES = NAME_STARTS - frozenset(["al", "el"])
_SITE_AFTER = re.compile(r"[ \t]+([a-z]+)\b")
# Lower-case nouns after "the X" that make X a place's name: a part, a site or an area of it.
SITE_NOUNS = frozenset(
    [
        "neighbourhood",
        "neighborhood",
        "district",
        "suburb",
        "suburbs",
        "outskirts",
        "countryside",
        "area",
        "region",
        "province",
        "governorate",
        "airport",
        "airbase",
        "border",
        "front",
        "frontline",
        "market",
        "mosque",
        "hospital",
        "prison",
        "office",
        "offices",
        "headquarters",
        "embassy",
        "consulate",
        "hotel",
        "fortress",
        "citadel",
        "garrison",
        "refinery",
        "port",
        "highway",
        "road",
        "camp",
        "enclave",
        "pocket",
        "valley",
        "river",
        "bombing",
        "attack",
        "blast",
        "offensive",
        "siege",
    ]
)


@dataclass
class Match:
    """A recognised stretch of the text and the places its name can refer to."""

    start: int
    end: int
    text: str
    name_id: int
    places: list[tuple[int, int]]  # (place, Link bits)
    label: str | None = None  # the NER label over it, when entities are given
    cues: set[str] = field(default_factory=set)
    is_demonym: bool = False  # a demonym ("Pakistani"), whatever small town shares the word
    abbreviation_only: bool = False  # "Fla.", "TX": a region only after "City, "

    def __post_init__(self) -> None:
        self.is_demonym = any(link & DEMONYM for _, link in self.places)
        self.abbreviation_only = bool(self.places) and all(k == ABBREV for _, k in self.places)


def scan(gazetteer: Gazetteer, folded: str, text: str) -> Iterator[tuple[int, int, int]]:
    """Every capitalised gazetteer name at word boundaries: (start, end, name id)."""
    size = len(folded)
    offsets = gazetteer.names.offsets
    for last, value in gazetteer.automaton.iter(folded):
        length = value & LENGTH_MASK
        name_id = value >> LENGTH_BITS
        if length == LENGTH_MASK:
            length = int(offsets[name_id + 1]) - int(offsets[name_id])
        start, end = last + 1 - length, last + 1
        if not text[start].isupper() and not _ARTICLE_AT.match(text, start):
            continue
        if start > 0 and is_word_char(folded[start - 1]):
            continue
        if end < size and is_word_char(folded[end]) and folded[last] != ".":
            continue
        yield start, end, name_id


def longest_first(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping spans, longer ones winning, in text order.

    Spans come in order of their end; overlapping ones form short runs, and within a run the
    longest goes first, so the work stays linear in the number of spans."""
    chosen: list[tuple[int, int, int]] = []
    run: list[tuple[int, int, int]] = []
    run_end = -1
    for span in sorted(spans):
        if run and span[0] >= run_end:
            chosen.extend(_resolve_run(run))
            run = []
        run.append(span)
        run_end = max(run_end, span[1]) if len(run) > 1 else span[1]
    chosen.extend(_resolve_run(run))
    return sorted(chosen)


def _resolve_run(run: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    kept: list[tuple[int, int, int]] = []
    for start, end, name_id in sorted(run, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, name_id))
    return kept


def written_like_a_name(text: str, gazetteer: Gazetteer, name_id: int) -> bool:
    if gazetteer.name_flags[name_id] & NameFlag.NOT_PLACE:
        return text[:1].isupper()  # "the Fano militia": a group's name hides its place
    if not capitalised_as_name(text):
        return False
    letters = sum(c.isalpha() for c in text)
    if text.isupper() and letters <= MAX_ALL_CAPS_LEN:
        # "US" and "UK" are written so; "IN" or "OF" in a headline is not a place.
        return any(link & (ALIAS | ABBREV) for _, link in gazetteer.candidates(name_id))
    return True


def find(
    gazetteer: Gazetteer,
    text: str,
    entities: Sequence[Entity] = (),
    hidden: list[tuple[int, int]] | None = None,
) -> list[Match]:
    """The place mentions in ``text`` that pass the evidence rules, in text order; ``hidden``,
    when given, receives the spans of names that are no place ("Washington Post", an armed
    group's name) and hide the places inside them."""
    folded = fold(text)
    raw = [
        (s, e, n)
        for s, e, n in scan(gazetteer, folded, text)
        if written_like_a_name(text[s:e], gazetteer, n)
    ]
    labels = _label_index(entities)
    starts = [s for s, _, _ in labels]
    people = person_words(entities)
    places_named = {e.text for e in entities if e.label in PLACE_LABELS}
    matches = []
    for start, end, name_id in longest_first(raw):
        flags = NameFlag(int(gazetteer.name_flags[name_id]))
        if flags & NameFlag.NOT_PLACE:
            if hidden is not None:
                hidden.append((start, end))
            continue
        folded_name = fold(text[start:end])
        if folded_name in BEARINGS and _NAME_AFTER.match(text, end):
            continue
        if folded_name in NAME_STARTS and _JOINED_NAME_AFTER.match(text, end):
            continue
        opening = _NAME_START_BEFORE.search(text, max(0, start - 6), start)
        if opening and fold(opening.group(1)) in NAME_STARTS_NOT_ARTICLES:
            continue  # "Abu Zubair", "Tel Hamis": the end of a longer name the gazetteer lacks
        if _ARTICLE_BEFORE.search(text, max(0, start - 5), start) and not any(
            gazetteer.iso2(p) in ARABIC_SPEAKING for p, _ in gazetteer.candidates(name_id)
        ):
            continue
        match = Match(start, end, text[start:end], name_id, gazetteer.candidates(name_id))
        match.label = _label_over(labels, starts, start, end)
        if match.label in PERSON_LABELS and match.text in places_named:
            match.label = None  # one name, one sense: the recogniser called it a place elsewhere
        common = flags & NameFlag.COMMON or (
            flags & NameFlag.NOUN and small_towns_only(gazetteer, match.places)
        )
        if common and not match.is_demonym:
            match.cues.add("common_word")
        if match.text in people and match.text not in places_named:
            match.cues.add("person_name")
            # the recogniser's "person" before a site noun ("the Knin garrison") is no
            # evidence that the name is a person's
            others = [stop for at, stop in people[match.text] if at != start]
            if any(not _before_site(text, stop) for stop in others):
                match.cues.add("person_elsewhere")
        if entities:
            match.cues.add("entities_given")
        matches.append(match)
    _add_context_cues(text, matches)
    kept = [m for m in matches if _passes(m)]
    shared = list(shared_heads(gazetteer, text))
    listed = shared + [
        a
        for a in area_lists(gazetteer, text)
        if not any(a.start < m.end and m.start < a.end for m in shared)
    ]
    if not listed:
        return kept
    # A name in "Clarke, Madison and Oconee counties" is the area, not the town, and the
    # "North" of "North and South Korea" is North Korea: each replaces whatever match lay over
    # it.
    return sorted(
        [m for m in kept if not any(m.start < a.end and a.start < m.end for a in listed)] + listed,
        key=lambda m: m.start,
    )


# "Swift and Wilkin counties", "Helmand and Kandahar provinces": the plural designator after a
# list of names says that each is an area of that kind, though the text never names one whole.
_AREA_LIST_END = re.compile(
    r"\b(counties|parishes|provinces|governorates|districts)\b", re.IGNORECASE
)
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*&\s*)")
_LIST_LOOKBACK = 200  # characters: a list longer than this is read from its end only
_MAX_NAME_WORDS = 3
_AREA_SUFFIXES = {
    "counties": (" County",),
    "parishes": (" Parish",),
    "provinces": ("", " Province"),
    "governorates": ("", " Governorate"),
    "districts": ("", " District"),
}
_AREA_KINDS = {
    "counties": (Kind.ADMIN2,),
    "parishes": (Kind.ADMIN2,),
    "provinces": (Kind.ADMIN1, Kind.ADMIN2),
    "governorates": (Kind.ADMIN1, Kind.ADMIN2),
    "districts": (Kind.ADMIN1, Kind.ADMIN2),
}


def area_lists(gazetteer: Gazetteer, text: str) -> Iterator[Match]:
    """The names listed before a plural area designator, each matched to the areas of that
    kind so named ("Clarke" in "Clarke and Oconee counties" is Clarke County)."""
    for end_word in _AREA_LIST_END.finditer(text):
        designator = end_word.group(1).lower()
        start = max(0, end_word.start() - _LIST_LOOKBACK)
        before = text[start : end_word.start()].rstrip()
        names = _listed_names(before)
        if len(names) < 2:
            continue  # one name before the plural modifies it: "Indiana counties"
        for name_start, name_end in names:
            name = before[name_start:name_end]
            match = _area_match(gazetteer, start + name_start, name, designator)
            if match is not None:
                match.cues.add("area_list")
                yield match


# "North and South Korea", "Central and South America", "North, South and West Darfur": the
# bearings before the last one share the name that follows it.
_BEARING = "|".join(sorted((b.capitalize() for b in BEARINGS), key=len, reverse=True))
# (a bounded list of bearings only: a page of capitalised words stays linear to scan)
_SHARED_HEAD = re.compile(
    rf"\b((?:(?:{_BEARING})(?:,| and| or|/)\s*){{1,4}})({_BEARING})\s+"
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
_LISTED_WORD = re.compile(r"[A-Z][a-z]+")


def shared_heads(gazetteer: Gazetteer, text: str) -> Iterator[Match]:
    """Each bearing that shares the name after the last one: "North" in "North and South
    Korea" is North Korea, where the gazetteer knows both the whole names."""
    for found in _SHARED_HEAD.finditer(text):
        last, head = found.group(2), found.group(3)
        listed = list(_LISTED_WORD.finditer(found.group(1)))
        if fold(last) not in BEARINGS or not all(fold(w.group()) in BEARINGS for w in listed):
            continue
        for words in (head, head.split()[0]):
            if gazetteer.name_id(f"{last} {words}") is None:
                continue
            for word in listed:
                name_id = gazetteer.name_id(f"{word.group()} {words}")
                if name_id is None:
                    continue
                at = found.start(1) + word.start()
                places = gazetteer.candidates(name_id)
                match = Match(at, at + len(word.group()), word.group(), name_id, places)
                match.cues.add("shared_head")
                yield match
            break


def _listed_names(before: str) -> list[tuple[int, int]]:
    """The spans of the list's items, read backwards from its end: each item is a run of up
    to three capitalised words; an item with other words before its run ends the list."""
    spans: list[tuple[int, int]] = []
    end = len(before)
    while end > 0:
        separator = None
        for found in _LIST_SEPARATOR.finditer(before, 0, end):
            separator = found  # the last one before ``end``
        item_start = separator.end() if separator else 0
        words = list(re.finditer(r"\S+", before[item_start:end]))
        run: list[re.Match[str]] = []
        for word in reversed(words):
            if not word.group()[0].isupper() or len(run) == _MAX_NAME_WORDS:
                break
            run.append(word)
        if not run:
            break
        spans.append((item_start + run[-1].start(), item_start + run[0].end()))
        if len(run) < len(words) or separator is None:
            break
        end = separator.start()
    return spans


def _area_match(gazetteer: Gazetteer, start: int, name: str, designator: str) -> Match | None:
    kinds = _AREA_KINDS[designator]
    for suffix in _AREA_SUFFIXES[designator]:
        name_id = gazetteer.name_id(name + suffix)
        if name_id is None:
            continue
        places = [(p, k) for p, k in gazetteer.candidates(name_id) if gazetteer.kind[p] in kinds]
        if places:
            return Match(start, start + len(name), name, name_id, places)
    return None


def small_towns_only(gazetteer: Gazetteer, places: list[tuple[int, int]]) -> bool:
    """No place of the name is a country, an area or a town of ``NOUN_TOWN_POPULATION``:
    "Council" or "Mercury" is then the English noun more often than the town."""
    return all(
        gazetteer.kind[p] in (Kind.CITY, Kind.ADMIN2)
        and gazetteer.population[p] < NOUN_TOWN_POPULATION
        for p, _ in places
    )


def person_words(entities: Sequence[Entity]) -> dict[str, list[tuple[int, int]]]:
    """The names that a PERSON entity of the text is (one word) or ends with (a surname), each
    with where those entities lie: "Meredith" after "Don Meredith" is the man, as the entity
    recogniser often misses."""
    words: dict[str, list[tuple[int, int]]] = {}
    for entity in entities:
        if entity.label in PERSON_LABELS:
            parts = entity.text.split()
            if parts:
                words.setdefault(parts[-1], []).append((entity.start, entity.end))
    return words


def _label_index(entities: Sequence[Entity]) -> list[tuple[int, int, str]]:
    return sorted((e.start, e.end, e.label) for e in entities)


def _label_over(
    labels: list[tuple[int, int, str]], starts: list[int], start: int, end: int
) -> str | None:
    """The label of an entity that covers the span (entities do not nest)."""
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and labels[i][1] >= end:
        return labels[i][2]
    return None


def _add_context_cues(text: str, matches: list[Match]) -> None:
    """Cues from the words around each match: the patterns the evidence rules look for."""
    for i, match in enumerate(matches):
        before = text[max(0, match.start - 40) : match.start]
        word = _WORD_BEFORE.search(before)
        previous = word.group(1).rstrip(".").lower() if word else ""
        if previous in LOCATIVE and not before.rstrip().endswith((",", ";")):
            match.cues.add("locative")
            if previous in SCENE:
                match.cues.add("scene")
        elif previous in TAKING and before.endswith(" "):
            match.cues.add("scene")
        if previous in TITLES and before.endswith(" "):
            match.cues.add("title")
        if previous == "the" and word and word.group(1) == "the":
            # "the Bulls", "the Rangers": a team, a band, a name; but "the Homs neighbourhood of
            # X", "the Kabul airport" name a part or a site of the place
            if _before_site(text, match.end):
                match.cues.add("names_a_site")
            else:
                match.cues.add("after_the")
        if _sentence_start(before):
            match.cues.add("sentence_start")
        elif (
            word
            and word.group(1)[0].isupper()
            and previous not in DESCRIPTORS
            and previous not in TITLES
            and before.endswith(" ")
            and not before.rstrip().endswith(",")
        ):
            match.cues.add("after_capitalised")  # "Michael Jordan", "George Washington"
        following = matches[i + 1] if i + 1 < len(matches) else None
        if following and _REGION_JOIN.fullmatch(text, match.end, following.start):
            match.cues.add("before_region")
            following.cues.add("region_after_comma")


# What joins a place to the region it lies in: "Paris, Texas", "Kapho district, Pattani".
_REGION_JOIN = re.compile(
    r"\s*(?:(?:district|county|province|region|governorate|municipality|prefecture)\s*)?,\s*",
    re.IGNORECASE,
)


def after_region_join(text: str, end: int) -> int:
    """Where the region's name starts after a place's name that ends at ``end`` ("Paris,
    Texas", "Kapho district, Pattani"); ``end`` itself when no comma follows."""
    joined = _REGION_JOIN.match(text, end)
    return joined.end() if joined else end


def _before_site(text: str, end: int) -> bool:
    """A site noun follows: "the Kabul airport", "the Knin garrison"."""
    site = _SITE_AFTER.match(text, end)
    return site is not None and site.group(1).lower() in SITE_NOUNS


def _person_in_a_scene(match: Match) -> bool:
    """A single name right after "in", "at", "near", or between "the" and a site ("the Sydney
    offices"), that the recogniser calls a person here and nowhere else in the text: people are
    rarely "in" anything."""
    cues = match.cues
    return (
        bool(cues & {"scene", "names_a_site"})
        and " " not in match.text
        and not match.abbreviation_only
        and fold(match.text) not in DATE_WORDS
        and not cues & {"person_elsewhere", "after_capitalised", "common_word", "title"}
    )


def _dotted(text: str) -> bool:
    """ "S.C.", "N.Y.": an abbreviation that cannot be a word ("Mass." can)."""
    return "." in text.rstrip(".")


def _sentence_start(before: str) -> bool:
    stripped = before.rstrip(" \"'“‘([")
    return not stripped or stripped.endswith((".", "!", "?", "\n", ":", "—", "-"))


def _passes(match: Match) -> bool:
    cues, label = match.cues, match.label
    if label in PERSON_LABELS and _person_in_a_scene(match):
        return True  # "fighting in Knin": the recogniser's person is a town it does not know
    if label in PERSON_LABELS or (label is None and "title" in cues):
        return False
    if "person_name" in cues and label not in PLACE_LABELS:
        return False
    if match.abbreviation_only:
        return "region_after_comma" in cues or _dotted(match.text) or label in PLACE_LABELS
    if fold(match.text) in DATE_WORDS:
        return label in PLACE_LABELS or "before_region" in cues
    if "common_word" in cues:
        if "entities_given" in cues:  # the recogniser read the sentence: its word decides
            return label in PLACE_LABELS
        strong = {"locative", "before_region", "region_after_comma"}
        return label in PLACE_LABELS or (bool(cues & strong) and "sentence_start" not in cues)
    return True


# Words that make a name a place's where they begin or end it: "the Neches River",
# "Readington Township", "Lake Lanier". ("Way", "Park" and "Center" name organisations too.)
FEATURE_WORDS = frozenset(
    [
        "river",
        "creek",
        "lake",
        "bay",
        "island",
        "islands",
        "mountain",
        "mountains",
        "mount",
        "valley",
        "canyon",
        "desert",
        "plateau",
        "peninsula",
        "gulf",
        "sea",
        "hills",
        "forest",
        "township",
        "village",
        "county",
        "parish",
        "district",
        "province",
        "region",
        "avenue",
        "street",
        "road",
        "drive",
        "boulevard",
        "highway",
    ]
)
_SETTLEMENT_OF = re.compile(
    r"\b(?:village|town|city|hamlet|community|township|district|province|region|county|area|"
    r"suburb|neighbou?rhood|camp) of\s+$",
    re.IGNORECASE,
)


def unlisted_spans(
    text: str,
    entities: Sequence[Entity],
    matches: Sequence[Match],
    hidden: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """The recogniser's places (GPE, LOC) where no gazetteer name was found, written where a
    place is: names the gazetteer lacks ("in Harwinton", "the Neches River", "Sulpher, La.").

    The small English model calls many a surname a GPE ("under Pawlenty's proposal"), so its
    label alone is not enough: the name needs a locative word before it, a feature word in it,
    or a listed region after a comma, in one of its mentions, and no PERSON label anywhere.
    Nor is a span inside a name that is no place (``hidden``: "Islamic State West Africa
    Province" hides "West Africa Province")."""
    people = {w for e in entities if e.label in PERSON_LABELS for w in e.text.split()}
    taken = _Intervals([(m.start, m.end) for m in matches] + list(hidden))
    region_starts = {m.start for m in matches}
    candidates: dict[str, list[tuple[int, int]]] = {}
    evidence: set[str] = set()
    for entity in entities:
        if entity.label not in UNLISTED_LABELS or entity.end > len(text):
            continue  # an entity past the end: the text was cut to the stage's limit
        start, end = entity.start, entity.end
        if text.startswith(("the ", "The "), start):
            start += 4
        name = text[start:end]
        words = name.split()
        if (
            start >= end
            or not text[start].isupper()
            or any(w in people or not w.replace("-", "").replace(".", "").isalpha() for w in words)
            or all(fold(w) in FEATURE_WORDS for w in words)
        ):
            continue
        if taken.overlaps(start, end):
            continue
        candidates.setdefault(name, []).append((start, end))
        if _placed_by_context(text, start, end, region_starts):
            evidence.add(name)
    return sorted({span for name in evidence for span in candidates[name]})


class _Intervals:
    """Spans that may overlap, asked in logarithmic time whether one overlaps a span."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        # the furthest end of the spans up to each one: any of them reaching past a start?
        self.reach = list(itertools.accumulate((e for _, e in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        last = bisect.bisect_left(self.starts, end) - 1  # the spans that start before ``end``
        return last >= 0 and self.reach[last] > start


def _placed_by_context(text: str, start: int, end: int, region_starts: set[int]) -> bool:
    words = text[start:end].split()
    if (len(words) > 1 and fold(words[0]) in FEATURE_WORDS) or fold(words[-1]) in FEATURE_WORDS:
        return True
    before = text[max(0, start - 40) : start]
    word = _WORD_BEFORE.search(before)
    previous = word.group(1).lower() if word else ""
    if previous in SCENE and before.endswith(" "):
        return True
    if _SETTLEMENT_OF.search(before):
        return True
    region = after_region_join(text, end)
    return region > end and region in region_starts


def match_span(gazetteer: Gazetteer, text: str, start: int, end: int) -> Match | None:
    """A match for a span given from outside (an entity, a gold toponym), without the evidence
    rules: None when no gazetteer name is written there."""
    surface = text[start:end]
    for prefix in ("", "the ", "The "):
        if not surface.startswith(prefix):
            continue
        whole = surface[len(prefix) :]
        words = whole.split()
        bare = " ".join(words[:-1]) if words and fold(words[-1]) in DESIGNATORS else ""
        for name in (whole, bare):
            name_id = gazetteer.name_id(name) if name else None
            if name_id is not None and gazetteer.candidates(name_id):
                return Match(start, end, surface, name_id, gazetteer.candidates(name_id))
    return None
