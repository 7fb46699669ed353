"""Where: the place where *this* event happened, from the parse, not the sentence's first place.

A place mention of the sentence (the places stage's toponyms; a GPE/LOC/FAC entity it did not
resolve is used too, unresolved) belongs to the event when the dependency path from the place up
to the event's words (trigger, the noun folded into it, the light verb carrying it) is one of:

1. *own*: a locative preposition on the event ("attacked ... in Kabul", "the bombing in
   Peshawar", "a visit to Washington"), the noun in front of an event noun ("the Peshawar
   bombing"), or the object of a verb whose object is a place ("captured Jaffna", "visited
   Moscow"); through "the town of X", "X's Y province" and the like;
2. *argument*: a locative phrase on the event's object or passive subject ("killed a soldier in
   Kabul"), or on a verb coordinated with the event ("killed ... and wounded in X");
3. *setting*: a ``during``/``when`` clause or phrase on the event ("captured during the offensive
   in Afghanistan").

A path that passes through another event's words, a reporting verb, or a subject (the actor's
own country is not where it acted) does not count: "Bilawal, speaking in Washington, said the
Peshawar bombing ..." puts the bombing in Peshawar, never in Washington. ``from`` is an origin,
not a place, except for a withdrawal. The best tier wins, then the most precise place (a city
over a country), then the nearest to the trigger. No path: no place (the dateline, when the
setting allows, is a weak fallback the stage applies to main events that happened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.core.article import Article, EventPlace, PlaceMention
from khabar.events.parse import looks_like_headline
from khabar.events.syntax import Token
from khabar.events.triggers import REPORTING, Core

METHOD = "events.where"
LOCATIVE = frozenset(
    [
        "in",
        "at",
        "near",
        "outside",
        "inside",
        "across",
        "around",
        "throughout",
        "on",
        "into",
        "within",
        "along",
        "off",
        "beyond",
        "over",
        "under",
        "towards",
        "toward",
        "via",
        "nearby",
    ]
)
DESTINATION = frozenset({"to", "into"})
MOVING = frozenset({"MOBILIZE", "PROTEST", "CONSULT"})
EVENT_NOUNS = frozenset(
    [
        "attack",
        "bombing",
        "blast",
        "explosion",
        "strike",
        "raid",
        "shooting",
        "clash",
        "massacre",
        "ambush",
        "offensive",
        "protest",
        "rally",
        "march",
        "riot",
        "unrest",
        "fighting",
        "siege",
    ]
)
FACILITY_NOUNS = frozenset(
    {
        "hospital",
        "airport",
        "square",
        "market",
        "mosque",
        "church",
        "school",
        "junction",
        "bridge",
        "checkpoint",
        "base",
        "camp",
        "plant",
        "dam",
        "station",
        "prison",
        "hotel",
        "ward",
        "road",
    }
)
# Verbs whose object is often a place: "captured Bayyanoun", "shelled Juba".
TERRITORY_VERBS = frozenset(
    [
        "overrun",
        "retake",
        "recapture",
        "liberate",
        "occupy",
        "invade",
        "storm",
        "shell",
        "bomb",
        "bombard",
        "besiege",
        "encircle",
        "enter",
        "raid",
    ]
)
SETTING = frozenset({"during", "amid", "amidst"})
CLAUSE_MARKS = frozenset(
    {"when", "after", "before", "since", "if", "unless", "while", "as", "because", "until", "where"}
)
DIRECTION = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "near",
        "outside",
        "inside",
        "nearby",
        "close",
    ]
)
PLACE_OBJECT_WORDS = frozenset(
    [
        "capture",
        "seize",
        "overrun",
        "retake",
        "recapture",
        "liberate",
        "occupy",
        "invade",
        "storm",
        "shell",
        "bomb",
        "bombard",
        "attack",
        "raid",
        "visit",
        "tour",
        "enter",
        "patrol",
        "besiege",
        "encircle",
        "surround",
        "hit",
        "target",
        "strike",
        "pound",
        "control",
        "take",
        "blockade",
    ]
)
DESTINATION_WORDS = frozenset({"visit", "travel", "arrive", "trip", "go", "fly", "come", "return"})
INNER_DEPS = frozenset(
    {
        "pobj",
        "compound",
        "poss",
        "appos",
        "conj",
        "nmod",
        "amod",
        "npadvmod",
        "case",
        "det",
        "advmod",
        "cc",
        "punct",
    }
)
PLACE_NOUNS = frozenset(
    [
        "town",
        "village",
        "city",
        "district",
        "province",
        "region",
        "area",
        "neighbourhood",
        "neighborhood",
        "suburb",
        "county",
        "state",
        "governorate",
        "municipality",
        "camp",
        "street",
        "streets",
        "square",
        "capital",
        "island",
        "port",
        "valley",
        "gorge",
        "hill",
        "mountain",
        "border",
        "outskirts",
        "countryside",
        "settlement",
        "quarter",
    ]
)
# An unresolved name ranks as a city: the grammar found it where a town's name stands.
PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, None: 1}
# After the dateline's place: ", Colombia —", " (AP) -", ":".
DATELINE_END = re.compile(
    r"^(?:,\s*[A-Z][\w .'-]{1,30})?\s*(?:\([A-Za-z .]{1,20}\)\s*)?(?:[—–]|\s-\s|:\s)"
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class Candidate:
    """A place mention of the sentence: its index in ``Article.places`` (or ``None``) and span."""

    place: int | None
    start: int
    end: int
    mention: PlaceMention | None
    text: str


def sentence_places(article: Article, start: int, end: int) -> list[Candidate]:
    """The place mentions in ``[start, end)``, with NER locations the places stage left out."""
    found = [
        Candidate(i, p.start, p.end, p, p.text)
        for i, p in enumerate(article.places)
        if start <= p.start
        and p.end <= end
        and not p.method.endswith("demonym")
        and _word_like(p.text)
    ]
    for entity in article.entities:
        if entity.label not in PLACE_LABELS or not (start <= entity.start and entity.end <= end):
            continue
        if any(c.start < entity.end and entity.start < c.end for c in found):
            continue
        if any(p.start < entity.end and entity.start < p.end for p in article.places):
            continue  # a demonym or a place the places stage placed elsewhere
        found.append(Candidate(None, entity.start, entity.end, None, entity.text))
    return found


def name_candidates(
    doc: object,
    offset: int,
    known: list[Candidate],
    names: list[tuple[int, int]],
    groups: list[tuple[int, int]],
) -> list[Candidate]:
    """Names the places stage and NER missed that the grammar marks as places: a proper noun
    after a locative preposition, or naming a place noun ("the village of Mainok", "Damboa
    town", "in Rangae district"). ``names`` are the NER's people, organisations and other
    non-places: they block a weak position only; ``groups`` (nationalities, religions) block
    any."""
    found: list[Candidate] = []
    known_spans = [(c.start, c.end) for c in known]
    strong_blocks = groups
    for token in doc:  # type: ignore[attr-defined]
        if token.pos_ != "PROPN" or (token.dep_ == "compound" and token.head.pos_ == "PROPN"):
            continue
        position = _place_position(token)
        if position is None:
            continue
        first = min(
            [token, *(c for c in token.children if c.dep_ == "compound")], key=lambda t: t.i
        )
        start = first.idx + offset
        end = token.idx + len(token.text) + offset
        # a strong position ("Palmyra countryside") overrules the NER's guess of a person
        taken = known_spans + (strong_blocks if position == "strong" else names)
        if any(s < end and start < e for s, e in taken):
            continue
        text = token.doc.text[first.idx : token.idx + len(token.text)]
        found.append(Candidate(None, start, end, None, text))
    return found


def _place_position(token: Token) -> str | None:
    """ "strong" when the grammar names a place ("the village of X", "X district"), "weak" after
    a locative preposition ("in X"), else None."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
        return "strong"
    if token.dep_ in ("compound", "nmod", "appos") and head.lemma_.lower() in PLACE_NOUNS:
        return "strong"
    if any(
        c.dep_ in ("compound", "appos") and c.lemma_.lower() in PLACE_NOUNS for c in token.children
    ):
        return "strong"  # "Maryin Gubay, a small town in southern Somalia"
    if token.dep_ == "pobj" and head.lower_ in LOCATIVE:
        return "weak"
    if token.dep_ == "dobj" and head.lemma_.lower() in TERRITORY_VERBS:
        return "weak"  # "shelled Juba", "stormed Mainok" (people are captured: not "captured")
    named = any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in token.children)
    if named and token.lemma_.lower() in FACILITY_NOUNS | PLACE_NOUNS:
        return "strong"  # "the Kindi Hospital", "Ramses Square", "Jibu Ward"
    if token.dep_ == "compound" and head.lemma_.lower() in EVENT_NOUNS:
        return "weak"  # "the Peshawar bombing"
    return None


def dateline(article: Article) -> Candidate | None:
    """The place a dateline opens the article with: "POPAYÁN, Colombia — ...", "KABUL (AP) -"."""
    text = article.text
    body = next((s for s in article.sentences if len(text[s.start : s.end]) > 60), None)
    if body is None or looks_like_headline(text[body.start : body.end]):
        return None
    for i, place in enumerate(article.places):
        if place.start != body.start or place.method.endswith("demonym"):
            continue
        rest = text[place.end : place.end + 40]
        if DATELINE_END.match(rest):
            return Candidate(i, place.start, place.end, place, place.text)
    return None


def _word_like(text: str) -> bool:
    """Not a fragment such as the "Al" of "Al-Midan": two letters are a place only as a code."""
    return len(text) > 2 or text.isupper()


def find_place(
    core: Core, offset: int, candidates: list[Candidate], cores: list[Core]
) -> EventPlace | None:
    """The best place for ``core`` among the sentence's ``candidates`` (offsets in the text)."""
    if not candidates:
        return None
    own = _event_words(core)
    others = {t.i for c in cores if c is not core for t in _event_words(c)} - {t.i for t in own}
    best: tuple[tuple[int, bool, int, int, int], Candidate, int] | None = None
    for candidate in candidates:
        token = _head_token(core.token.doc, candidate.start - offset, candidate.end - offset)
        if token is None:
            continue
        found = _tier(token, own, others, core)
        if found is None:
            continue
        tier, hops = found
        precision = candidate.mention.precision if candidate.mention else None
        contained = _container(token, precision)
        key = (
            tier,
            contained,
            PRECISION_RANK.get(precision, 1),
            hops,
            abs(token.i - core.trigger.i),
        )
        if best is None or key < best[0]:
            best = (key, candidate, tier)
    if best is None:
        return None
    return make_place(best[1], f"{METHOD}:tier{best[2]}", (0.9, 0.75, 0.55)[best[2] - 1])


def _container(token: Token, precision: str | None) -> bool:
    """A place that only contains the event's place: "Mogadishu's Yaqshid district", "the West
    Bank town of Tulkarm" (a country or region naming a town, not "the Zahra neighbourhood of
    Jiddah", where the name is the neighbourhood's)."""
    if token.dep_ == "poss":
        return True
    head = token.head
    if token.dep_ in ("compound", "nmod", "amod") and head.lemma_.lower() in PLACE_NOUNS:
        has_of = any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
        return has_of and precision in ("country", "admin1")
    return False


def make_place(candidate: Candidate, method: str, confidence: float) -> EventPlace:
    m = candidate.mention
    return EventPlace(
        place=candidate.place,
        text=candidate.text,
        start=candidate.start,
        end=candidate.end,
        name=m.name if m else None,
        geonameid=m.geonameid if m else None,
        lat=m.lat if m else None,
        lon=m.lon if m else None,
        country=m.country if m else None,
        admin1=m.admin1 if m else None,
        precision=m.precision if m else None,
        method=method,
        confidence=round(confidence * (m.confidence if m else 0.6), 3),
    )


def _event_words(core: Core) -> list[Token]:
    words = [core.token, core.trigger, *core.folded]
    if core.governor is not None:
        words.append(core.governor)
    return words


def _head_token(doc: object, start: int, end: int) -> Token | None:
    inside = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]  # type: ignore[attr-defined]
    words = [t for t in inside if t.dep_ not in ("det", "punct", "case")] or inside
    if not words:
        return None
    for token in words:
        if token.head not in inside or token.head == token:
            return token
    return words[-1]


def _tier(place: Token, own: list[Token], others: set[int], core: Core) -> tuple[int, int] | None:
    """How the place relates to the event (1 own, 2 argument, 3 setting) and how many words
    are between them, or None."""
    own_ids = {t.i for t in own}
    related = {t.i for t in _related_verbs(core)}
    path: list[Token] = []
    current = place
    setting = False
    while current.i not in own_ids:
        if current.i in related and path:
            tier = _judge(path, current, core)
            return None if tier is None else (max(tier, 2 if not setting else 3), len(path))
        if current.i in others and current is not place:
            if not _adjunct_event(current, own_ids):
                return None
            setting = True  # "captured after a gun battle in Karachi": the battle's place
        if current.head == current:
            tier = _conjoined(place, own, [*path, current], core)
            return None if tier is None else (tier, len(path))
        path.append(current)
        current = current.head
    tier = _judge(path, current, core)
    if tier is not None and setting:
        tier = 3
    return None if tier is None else (tier, len(path))


def _related_verbs(core: Core) -> list[Token]:
    """Verbs the event shares its scene with: the verb its participle hangs on ("threw a bomb
    at a truck in X, killing five"), and the noun a relative clause describes ("the subway
    system that killed 12")."""
    head = core.token
    found: list[Token] = []
    participle = head.dep_ in ("advcl", "conj", "xcomp") and head.tag_ == "VBG"
    if participle and head.head.pos_ == "VERB" and head.head.lemma_.lower() not in REPORTING:
        found.append(head.head)
    if head.dep_ == "relcl" and head.head.pos_ in ("NOUN", "PROPN"):
        found.append(head.head)
    return found


def _adjunct_event(token: Token, own_ids: set[int]) -> bool:
    """Another event named in a phrase of this one ("after a gun battle", "during the
    offensive"): its place is this event's setting."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ != "pobj":
        return False
    prep = token.head
    return (
        prep.lower_ in ("after", "during", "in", "amid", "following", "before")
        and prep.head.i in own_ids
    )


def _judge(path: list[Token], reached: Token, core: Core) -> int | None:
    if not path:
        return None
    first_hop = path[-1]  # the word attached directly to the event
    dep, word = first_hop.dep_, first_hop.lower_
    if (
        dep == "conj"
        and first_hop.pos_ in ("VERB", "AUX")
        and first_hop.lemma_.lower() not in REPORTING
    ):
        tier = _judge(path[:-1], first_hop, core)  # "killed three and raped ten in Darfur"
        return None if tier is None else max(tier, 2)
    if dep == "nsubjpass" and reached.pos_ != "NOUN":
        if reached.lemma_.lower() in PLACE_OBJECT_WORDS and _inner_ok(path[:-1], allow_of=True):
            return 1  # "Gaza was bombed", "the village of Abadam was bombed"
        return _argument(path[:-1])
    if dep == "agent" or (dep == "prep" and word == "by"):
        return _argument(path[:-1])  # "captured by the Northern Alliance in Afghanistan"
    if dep in ("nsubj", "csubj") and reached.pos_ != "NOUN":
        inner = _argument(path[:-1])  # "demonstrators ... in Nepal protested"
        return None if inner is None else 3
    if dep in ("compound", "nmod", "amod") and reached.pos_ in ("NOUN", "PROPN"):
        return 1 if _inner_ok(path[:-1]) else None
    if dep == "prep" and (
        word in LOCATIVE or (word in DESTINATION and _is_destination(reached, core))
    ):
        if _inner_ok(path[:-1], allow_of=True):
            return 1
        inner = _argument(path[:-1])
        if inner is None and _loose(path[:-1]):
            return 2  # "near the fence separating the Gaza Strip from Israel"
        return inner
    if dep == "prep" and word == "from" and (core.mode == "withdraw" or core.type in MOVING):
        return 2 if _inner_ok(path[:-1]) else None  # "withdrew from Lebanon", "marched from X"
    if dep in ("dobj", "pobj") and _places_as_object(reached, core):
        return 1 if _inner_ok(path[:-1], allow_of=True) else _argument(path[:-1])
    if dep == "npadvmod":
        return _argument(path[:-1])  # "killed six, two in Miranshah and four in Mir Ali"
    if dep in ("advcl", "xcomp") and first_hop.pos_ == "VERB" and not _marked(first_hop):
        tier = _judge(path[:-1], first_hop, core)  # "captured wearing a belt in the resort"
        return None if tier is None else max(tier, 2)
    if dep in ("npadvmod", "advmod", "prep") and word in DIRECTION:
        return 1 if _inner_ok(path[:-1], allow_of=True) else None  # "raids north of Baghdad"
    if dep == "prep" and word in SETTING:
        return 3
    if dep == "prep" and word in ("after", "before", "following"):
        inner = _argument(path[:-1])  # "after prayers in the mosque of X, ten were killed"
        return None if inner is None else 3
    if dep == "prep" and word not in ("from", "since", "until"):
        return _argument(path[:-1])  # "an ambush of an army convoy in the region of Biskra"
    if dep == "advcl" and any(c.lower_ in ("when", "as", "while") for c in first_hop.children):
        return 3
    if dep in ("dobj", "nsubjpass", "pobj", "attr", "oprd"):
        return _argument(path[:-1])
    return None


def _marked(clause: Token) -> bool:
    """A clause opened by a subordinator ("when", "after", "if") tells of another moment."""
    return any(c.dep_ in ("mark", "advmod") and c.lower_ in CLAUSE_MARKS for c in clause.children)


def _argument(path: list[Token]) -> int | None:
    """A place phrase on the event's argument: "killed a soldier in Kabul", "targeted a bus
    carrying pilgrims in the town of Taji"."""
    for i, token in enumerate(path):
        if token.dep_ == "prep" and token.lower_ in LOCATIVE:
            return 2 if _inner_ok(path[:i], allow_of=True) else None
        if token.dep_ == "prep" and token.lower_ in LOCATIVE and _loose(path[:i]):
            return 3
        if token.dep_ not in INNER_DEPS and token.dep_ not in ("dobj", "prep", "acl"):
            return None
    return None


def _inner_ok(path: list[Token], allow_of: bool = False) -> bool:
    """The words between the place and the first hop only name or narrow a place."""
    for token in path:
        if token.dep_ in INNER_DEPS:
            continue
        if token.dep_ == "prep" and (
            token.lower_ in LOCATIVE or (allow_of and token.lower_ == "of")
        ):
            continue
        return False
    return True


def _loose(path: list[Token]) -> bool:
    """Only nouns, their modifiers and participles between: a place the phrase still names."""
    return all(t.dep_ in INNER_DEPS or t.dep_ in ("acl", "dobj", "prep") for t in path)


def _is_destination(reached: Token, core: Core) -> bool:
    return core.mode == "visit" or reached.lemma_.lower() in DESTINATION_WORDS


def _places_as_object(reached: Token, core: Core) -> bool:
    return reached.lemma_.lower() in PLACE_OBJECT_WORDS or core.mode == "visit"


def _conjoined(place: Token, own: list[Token], path: list[Token], core: Core) -> int | None:
    """A place on a verb coordinated with the event's verb ("killed ... and wounded in X"), or
    on the verb the event's participle hangs on ("hit a bus in Donetsk, killing 8")."""
    head = core.token
    related = list(head.conjuncts)
    if head.tag_ == "VBG" and head.dep_ in ("advcl", "conj") and head.head.pos_ == "VERB":
        related.append(head.head)
    for sibling in related:
        if sibling.pos_ != "VERB" or sibling.lemma_.lower() in REPORTING:
            continue
        if sibling in path:
            index = path.index(sibling)
            tier = _judge(path[:index], sibling, core)
            return None if tier is None else max(tier, 2)
    return None
