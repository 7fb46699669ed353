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
not a place, except for a withdrawal; ``against``, ``about``, ``according to`` name a topic or a
source (but an attack's target locates it: "an assault against a police post in Tillaberi"). A place
that only locates another (a bearing's landmark, "Iskandariya, 50 km south of
Baghdad"; the city around a named site, "the Al-Khidmat hospital in Karachi") loses to that
other; then the best tier wins, then a place that is not only a container, then the most precise
place (a city over a country), then the nearest to the trigger. No path: the event takes the
place of the event it hangs on in the sentence, if that one has a place ("police arrested 12
protesters in the town of Baruwa after they blocked the road": the road was blocked there; method
``events.where:host``, at 0.8 of that place's confidence); or of the event that is its subject
or the participle of what its subject was doing ("the blast in Kabul killed 5", "were killed
patrolling in Jilib": ``events.where:cause``); or the place the sentence opens with, set off by
a comma ("In Goma, the night was quiet until gunmen opened fire": ``events.where:scene``),
unless a reporting verb stands between. Else no place (the dateline, when the setting allows, is
a weak fallback the stage applies to main events that happened).

A country in front of a noun that is not a site says whose it is ("near a U.S. convoy"), not
where, and so do two joined by a hyphen ("a US-Iraqi operation"); a nationality in front of a
border names a place ("near the Pakistani border"). An unknown name the grammar gives as a
quarter of a town or a site in it ("in al-Fardous neighbourhood in Aleppo") is finer than the
town. What is destroyed is where ("the Kisangani offices were destroyed"), but a building's
"of" names its owner ("the offices of the District Treasury"). Among the other links a path may
take: an attack's ``against`` ("an assault against a police station in the Tillaberi region"),
what the victim was doing ("arrested while planning an ambush in eastern Chad"), a clause
coordinated with the event's ("four died and 22 were injured when gunmen threw a grenade into a
market in Bunia"), a relative clause on the place ("Aleppo, where rebels attacked"), and a war a
``since`` phrase names ("since the start of the war in Yemen"); an anniversary is a date, not a
scene. docs/events.md, "Where", has the full list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.core.article import Article, EventPlace, PlaceMention
from khabar.events.parse import looks_like_headline
from khabar.events.syntax import Token
from khabar.events.triggers import REPORTING, Core
from khabar.geo.names import COMPASS_POINTS
from khabar.geo.unlisted import METHOD as UNLISTED
from khabar.time.lexicon import CALENDAR_NAMES

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
        "through",
        "above",
        "below",
        "beneath",
        "behind",
    ]
)
SCENE_PREPS = frozenset(
    {"in", "at", "inside", "near", "outside", "through", "throughout", "across", "within", "into"}
)
DESTINATION = frozenset({"to", "into"})
MOVING = frozenset({"MOBILIZE", "PROTEST", "CONSULT"})
STRIKING = frozenset({"ASSAULT", "COERCE"})
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
        "airstrike",
        "operation",
        "campaign",
        "battle",
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
        "stadium",
        "palace",
    }
)
# Buildings a place name in front of locates: "a Kabul restaurant", "the Lagos home of".
BUILDINGS = FACILITY_NOUNS | {
    "restaurant",
    "cafe",
    "office",
    "shop",
    "home",
    "house",
    "building",
    "embassy",
    "consulate",
    "headquarters",
    "bar",
    "club",
    "university",
    "college",
    "temple",
    "synagogue",
    "shrine",
    "court",
    "courthouse",
    "ministry",
    "factory",
    "warehouse",
}
# Buildings whose "of" names their owner ("the embassy of Japan"), where a facility's names its
# place ("the airport of Udbina").
OWNED_BUILDINGS = BUILDINGS - FACILITY_NOUNS
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
OCCASIONS = frozenset({"anniversary", "eve", "occasion", "commemoration", "memory"})
CLAUSE_MARKS = frozenset(
    {"when", "after", "before", "since", "if", "unless", "while", "as", "because", "until", "where"}
)
DIRECTION = COMPASS_POINTS | {"near", "outside", "inside", "nearby", "close"}
# Words whose object is the place acted on: the territory verbs, and more.
PLACE_OBJECT_WORDS = TERRITORY_VERBS | frozenset(
    [
        "capture",
        "seize",
        "attack",
        "visit",
        "tour",
        "patrol",
        "surround",
        "hit",
        "target",
        "strike",
        "pound",
        "control",
        "take",
        "blockade",
        "destroy",  # what is destroyed is where: "destroyed the embassy", "razed Grozny"
        "raze",
        "devastate",
        "ravage",
        "flatten",
        "secure",
    ]
)
# Event nouns whose "of" names the place acted on: "the bombardment of the Sheikh Maqsoud
# district", "the siege of Homs", "the occupation of Iraq".
PLACE_OF_NOUNS = frozenset(
    [
        "bombardment",
        "shelling",
        "siege",
        "occupation",
        "capture",
        "invasion",
        "liberation",
        "blockade",
        "encirclement",
        "storming",
        "seizure",
        "recapture",
    ]
)
DESTINATION_WORDS = frozenset(
    {"visit", "travel", "arrive", "trip", "go", "fly", "come", "return", "march"}
)
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
        "community",  # in Nigerian news the word for a village: "X, a farming community in Y"
        "hamlet",
        "hilltop",
    ]
)
CITY_PARTS = frozenset(["neighbourhood", "neighborhood", "suburb", "quarter"])
PART_NOUNS = CITY_PARTS | FACILITY_NOUNS  # an unknown name before these is finer than a town
SETTLEMENTS = frozenset(["town", "village", "city", "settlement", "hamlet"])
AREA_WORDS = PLACE_NOUNS | {"lga"}  # Nigeria's local government areas: "of Bokkos LGA"
# An unresolved name ranks as a city: the grammar found it where a town's name stands.
PRECISION_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, None: 1}
# After the dateline's place: ", Colombia —", " (AP) -", ":".
DATELINE_END = re.compile(
    r"^(?:,\s*[A-Z][\w .'-]{1,30})?\s*(?:\([A-Za-z .]{1,20}\)\s*)?(?:[—–]|\s-\s|:\s)"
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A demonym names a place in front of a border: "the Greek-Macedonian border", "the Afghan
# frontier"
BORDER_AFTER = re.compile(r"(?:[-–/][A-Z][\w-]*)?\s+(?:border|frontier|boundary)\b")
LED_BY = re.compile(r"[-\u2010\u2011](?:led|backed|funded|sponsored|allied|trained|armed)\b")
HYPHENS = frozenset(["-", "\u2010", "\u2011"])
KUNYA = frozenset({"abu", "bin", "ibn"})  # "father of", "son of": how Arabic names of men start
# Adverbs of place a locative phrase narrows: "elsewhere in Malawi", "back in Kabul".
PLACE_ADVERBS = frozenset(["elsewhere", "here", "there", "nearby", "back", "abroad", "overseas"])
# Below this confidence a place mention yields to a surer one of the same tier.
DOUBTFUL = 0.5
# A compass bearing from a place is measured from a landmark, not where the event was: "in
# Iskandariya, some 50 km south of Baghdad", "the refinery outside Basra".
COMPASS = COMPASS_POINTS
# Phrases that name a topic or a source, not a scene: "protesting against the mining project in
# Balochistan", "according to a statement from the ministry in Riyadh".
NOT_SCENE = frozenset(
    {"to", "from", "since", "until", "against", "according", "about", "despite", "like"}
)
# The gazetteer has towns called after weekdays and months; a capitalised "Thursday" is a date.
CLOCK_WORDS = frozenset(["a.m.", "p.m.", "am", "pm", "gmt", "utc", "noon", "midnight"])
CALENDAR_WORDS = CALENDAR_NAMES - {"may"}  # "May" the places stage drops already


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
        and (not p.method.endswith("demonym") or BORDER_AFTER.match(article.text, p.end))
        and _word_like(p.text)
        and p.text.lower() not in CALENDAR_WORDS
    ]
    for entity in article.entities:
        if entity.label not in PLACE_LABELS or not (start <= entity.start and entity.end <= end):
            continue
        if any(c.start < entity.end and entity.start < c.end for c in found):
            continue
        if any(p.start < entity.end and entity.start < p.end for p in article.places):
            continue  # a demonym or a place the places stage placed elsewhere
        if entity.text.islower():
            continue  # "the eastern coast": a description, not a name
        if entity.text.split(maxsplit=1)[0].lower() in KUNYA:
            continue  # "Abu Zubaydah": a man; a town so named is in the gazetteer ("Abu Kamal")
        found.append(Candidate(None, entity.start, entity.end, None, entity.text))
    return found


def name_candidates(
    doc: object,
    offset: int,
    known: list[Candidate],
    names: list[tuple[int, int]],
    groups: list[tuple[int, int]],
    people: list[tuple[int, int]] | None = None,
) -> list[Candidate]:
    """Names the places stage and NER missed that the grammar marks as places: a proper noun
    after a locative preposition, or naming a place noun ("the village of Mainok", "Damboa
    town", "in Rangae district"). ``names`` are the NER's people, organisations and other
    non-places: they block a weak position only; ``groups`` (nationalities, religions) block
    any. ``people`` (the NER's persons) block a weak position too, except a bare name right after
    "in", "at", "inside" and the like: there the NER's person is most often a foreign town
    ("inside Kafr Batna", "at Kalaiya"), while people are attacked "on" someone."""
    found: list[Candidate] = []
    known_spans = [(c.start, c.end) for c in known]
    strong_blocks = groups
    for token in doc:  # type: ignore[attr-defined]
        if token.pos_ != "PROPN" or (token.dep_ == "compound" and token.head.pos_ == "PROPN"):
            continue
        if token.lower_ in CLOCK_WORDS or token.lower_ in CALENDAR_WORDS:
            continue  # "at 9:20 A.M.", "on Friday"
        if _next_word_of_name(token, 1, token.head) is not None:
            continue  # the name goes on: "al-Zahawi school" is one name, not "al", "-", "Zahawi"
        position = _place_position(token)
        if position is None:
            continue
        first = min(
            [token, *(c for c in token.children if c.dep_ == "compound")], key=lambda t: t.i
        )
        while (before := _next_word_of_name(first, -1, token.head)) is not None:
            first = before
        start = first.idx + offset
        end = token.idx + len(token.text) + offset
        # a strong position ("Palmyra countryside") overrules the NER's guess of a person, and
        # "the village of X" its guess of a group too
        if position == "named" and _inside(token.head.head, offset, names):
            continue  # "the Islamic State of Iraq": the state is the name's, not the grammar's
        blocks = [] if position == "named" else strong_blocks
        taken = known_spans + (blocks if position in ("strong", "named") else names)
        if position == "weak" and people and not _scene_object(token):
            taken = taken + people
        if any(s < end and start < e for s, e in taken):
            continue
        text = token.doc.text[first.idx : token.idx + len(token.text)]
        found.append(Candidate(None, start, end, None, text))
    return found


def _inside(token: Token, offset: int, spans: list[tuple[int, int]]) -> bool:
    """The word lies within one of ``spans`` (offsets in the text; the doc starts at ``offset``)."""
    at = token.idx + offset
    return any(s <= at and at + len(token.text) <= e for s, e in spans)


def _next_word_of_name(token: Token, step: int, head: Token) -> Token | None:
    """The word beside ``token`` (after it for ``step`` 1, before it for -1), across a hyphen,
    that is another word of the name whose last word hangs on ``head``: a proper noun hanging on
    it too, or on another proper noun that does, as the parser leaves the words of "al-Zahawi
    school" or "the Bustan Al-Basha district"."""
    doc = token.doc
    i = token.i + step
    if 0 <= i < len(doc) and doc[i].text in HYPHENS:
        i += step
    if not 0 <= i < len(doc) or doc[i].pos_ != "PROPN" or doc[i].dep_ != token.dep_:
        return None
    other = doc[i]
    up = other.head
    if up.pos_ == "PROPN" and up.i not in (other.i, head.i):
        up = up.head  # "Al" hangs on "Basha", which hangs on "district"
    return other if up.i == head.i else None


def _scene_object(token: Token) -> bool:
    """A bare name governed by a preposition of being somewhere: "at Kalaiya"."""
    bare = not any(c.dep_ in ("case", "poss") for c in token.children)
    return bare and token.dep_ == "pobj" and token.head.lower_ in SCENE_PREPS


def _place_position(token: Token) -> str | None:
    """ "named" for "the village of X", "strong" when the grammar names a place ("X district",
    "Damboa town"), "weak" after a locative preposition ("in X"), else None."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS:
        return "named"
    if token.dep_ in ("compound", "nmod", "appos") and head.lemma_.lower() in PLACE_NOUNS:
        return "strong"
    facility = head.pos_ == "NOUN" and head.lemma_.lower() in FACILITY_NOUNS
    if token.dep_ == "compound" and facility and not token.text.isupper():
        return "strong"  # "Karachi's Al-Khidmat hospital" (an acronym is a body: "the UN base")
    if any(
        c.dep_ in ("compound", "appos") and c.lemma_.lower() in PLACE_NOUNS for c in token.children
    ):
        return "strong"  # "Maryin Gubay, a small town in southern Somalia"
    if token.dep_ == "poss" and head.lemma_.lower() in PLACE_NOUNS:
        return "strong"  # "Kabul's streets"
    named = any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in token.children)
    if named and token.lemma_.lower() in FACILITY_NOUNS | PLACE_NOUNS:
        # before the weak positions: the NER's "organisation" does not outvote the noun
        return "strong"  # "the Kindi Hospital", "Ramses Square", "Jibu Ward"
    if token.dep_ == "pobj" and head.lower_ in LOCATIVE:
        return "weak"
    if token.dep_ == "dobj" and head.lemma_.lower() in TERRITORY_VERBS:
        return "weak"  # "shelled Juba", "stormed Mainok" (people are captured: not "captured")
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
    found = _own_place(core, offset, candidates, cores)
    if found is not None or not candidates:
        return found
    owners = _owners(core, cores)
    for how, find_other in (("host", _host), ("cause", _cause)):
        other = find_other(core, owners)
        inherited = None if other is None else _own_place(other, offset, candidates, cores)
        if inherited is not None:
            return inherited.model_copy(
                update={
                    "method": f"{METHOD}:{how}",
                    "confidence": round(inherited.confidence * 0.8, 3),
                }
            )
    return _fronted_scene(core, offset, candidates)


# Links up which an event shares the scene of the event it hangs on: a participle or clause on
# it ("arrested 12 protesters in Baruwa after they blocked the road"), a verb coordinated with
# it, a relative clause on its object ("stormed a market where traders were selling ...").
HOST_LINKS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "relcl", "pobj", "prep"})
HOST_HOPS = 6


def _owners(core: Core, cores: list[Core]) -> dict[int, Core]:
    """The other events of the sentence, by the index of each of their words."""
    return {t.i: c for c in cores if c is not core for t in _event_words(c)}


def _host(core: Core, owners: dict[int, Core]) -> Core | None:
    """The event this one hangs on in the sentence, whose scene it shares: up the parse from
    its clause through :data:`HOST_LINKS` only, never through a reporting verb."""
    current = core.clause
    for _ in range(HOST_HOPS):
        if current.dep_ not in HOST_LINKS or current.head == current:
            return None
        current = current.head
        if current.lemma_.lower() in REPORTING:
            return None
        if current.i in owners:
            return owners[current.i]
    return None


def _cause(core: Core, owners: dict[int, Core]) -> Core | None:
    """The event that is this one's subject, whose scene it shares: "the blast at a market in
    Maiduguri killed nine", "the clashes in Bentiu left 12 dead"; or a participle of the same
    moment under it: "were killed fighting in the town of Jilib", "were killed patrolling in
    Jilib" (which the parser may attach as a predicate, ``oprd``)."""
    for child in core.clause.children:
        subject = child.dep_ in ("nsubj", "csubj") and child.pos_ in ("NOUN", "PROPN")
        participle = (
            # the tagger may call the participle a noun: "killed fighting/NN in ..."
            child.dep_ in ("advcl", "xcomp", "oprd")
            and (child.tag_ == "VBG" or child.lower_.endswith("ing"))
            and not _marked(child)
            # what the subject was doing when it happened to them, not a second act of theirs
            # ("launched an assault, targeting ...")
            and not any(c.dep_ == "dobj" for c in core.clause.children)
        )
        if (subject or participle) and child.i in owners:
            return owners[child.i]
    return None


def _fronted_scene(core: Core, offset: int, candidates: list[Candidate]) -> EventPlace | None:
    """A place the sentence opens with, set off by a comma, is the scene of what the sentence
    tells ("In Goma, the night was quiet until gunmen opened fire"), unless the event is reported by
    someone there ("In Washington, officials said militants attacked ..."): method
    ``events.where:scene``, a setting's confidence."""
    doc = core.token.doc
    if len(doc) < 4 or doc[0].lower_ not in SCENE_PREPS:
        return None
    objects = [c for c in doc[0].children if c.dep_ == "pobj"]
    if not objects:
        return None
    phrase = list(objects[0].subtree)
    after = phrase[-1].i + 1
    if after >= len(doc) or doc[after].text != "," or after > 8:
        return None
    current = core.clause
    while current.lemma_.lower() not in REPORTING:
        if current.head == current:
            break
        current = current.head
    else:
        return None
    ids = {t.i for t in phrase}
    for candidate in candidates:
        token = _head_token(doc, candidate.start - offset, candidate.end - offset)
        if token is not None and token.i in ids:
            return make_place(candidate, f"{METHOD}:scene", 0.55)
    return None


def _own_place(
    core: Core, offset: int, candidates: list[Candidate], cores: list[Core]
) -> EventPlace | None:
    if not candidates:
        return None
    own = _event_words(core)
    own_ids = {t.i for t in own}
    others = {t.i for c in cores if c is not core for t in _event_words(c)} - own_ids
    heads = [_head_token(core.token.doc, c.start - offset, c.end - offset) for c in candidates]
    # a country before a noun is a side ("the French army base"), not the name of a site
    anchors = {
        t.i
        for c, t in zip(candidates, heads, strict=True)
        if t is not None and _ranked_precision(c) != "country"
    }
    best: tuple[tuple[bool, int, bool, bool, bool, int, int, int], Candidate, int] | None = None
    for candidate, token in zip(candidates, heads, strict=True):
        if token is None:
            continue
        found = _tier(token, own, others, core)
        if found is None:
            continue
        tier, hops, borrowed = found
        precision = _ranked_precision(candidate)
        if precision == "country" and (
            _names_a_side(token, own_ids) or _names_whose(token) or _pair_of_sides(token)
        ):
            continue  # "a U.S. airstrike": the country of the side that struck
        if LED_BY.match(token.doc.text, token.idx + len(token.text)):
            continue  # "a US-led coalition", "Iranian-backed militias": who, not where
        if candidate.mention is not None and precision is None and not _unlisted(candidate):
            # a region or a physical feature the gazetteer knows ("Darfur", "the Red Sea")
            # has no administrative level: it ranks and contains as an area (an unknown name
            # ranks as a town)
            precision = "admin1"
        contained = _container(token, precision)
        key = (
            _landmark(token, own_ids, anchors - {token.i}),
            tier,
            borrowed,
            _doubtful(candidate, token),
            contained,
            0
            if (candidate.mention is None or _unlisted(candidate)) and _names_a_part(token)
            else PRECISION_RANK[precision],
            hops,
            abs(token.i - core.trigger.i),
        )
        if best is None or key < best[0]:
            best = (key, candidate, tier)
    if best is None:
        return None
    return make_place(best[1], f"{METHOD}:tier{best[2]}", (0.9, 0.75, 0.55)[best[2] - 1])


def _unlisted(candidate: Candidate) -> bool:
    """A name the gazetteer lacks, which the places stage placed in its area (``geo.unlisted``)."""
    return candidate.mention is not None and candidate.mention.method == UNLISTED


def _ranked_precision(candidate: Candidate) -> str | None:
    """The precision a candidate ranks by: an unknown name's, or an unlisted one's (whose point
    is its area's), is a town's or finer, as the name itself is."""
    return (
        None if candidate.mention is None or _unlisted(candidate) else candidate.mention.precision
    )


def _names_a_part(token: Token) -> bool:
    """An unknown name the grammar gives as a part of a town or a site in it: "in al-Fardous
    neighbourhood", "the district of Bab Amr", "near al-Wahda Stadium" (finer than a city)."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    elif token.dep_ not in ("compound", "nmod", "appos"):
        head = token
    return head.lemma_.lower() in PART_NOUNS


def _doubtful(candidate: Candidate, token: Token) -> bool:
    """A gazetteer name the places stage itself barely believed ("Salazar was captured in Peru":
    towns of that name exist), unless the grammar names it a place ("the Kalehe district"): any
    surer place of the same tier goes first."""
    mention = candidate.mention
    if mention is None or _unlisted(candidate) or mention.confidence >= DOUBTFUL:
        return False
    return _place_position(token) not in ("named", "strong")


def _names_a_side(token: Token, own_ids: set[int]) -> bool:
    """A country in front of the event's noun tells who acted, not where."""
    modifies = token.dep_ in ("compound", "amod", "nmod")
    return modifies and token.head.i in own_ids and token.head.pos_ == "NOUN"


def _names_whose(token: Token) -> bool:
    """A country in front of a noun that is not a site tells whose it is: "near a U.S. convoy",
    "the French champion" (but "a U.S. base", "the Syrian capital" are places)."""
    head = token.head
    modifies = token.dep_ in ("compound", "amod", "nmod") and head.pos_ == "NOUN"
    return modifies and head.lemma_.lower() not in SITES


def _pair_of_sides(token: Token) -> bool:
    """One of two countries joined by a hyphen in front of a noun that is not a place: "a
    US-Kurdish operation", "Israeli-Palestinian talks" name the sides (but "the Iraqi-Syrian
    border" is a place)."""
    doc = token.doc
    if token.i + 2 < len(doc) and doc[token.i + 1].text in HYPHENS:
        partner = doc[token.i + 2]
    elif token.i >= 2 and doc[token.i - 1].text in HYPHENS:
        partner = doc[token.i - 2]
    else:
        return False
    if partner.pos_ not in ("ADJ", "PROPN") or not partner.text[:1].isupper():
        return False
    pair = {token, partner}
    noun = next((t.head for t in pair if t.head not in pair), None)
    return noun is not None and noun.pos_ == "NOUN" and noun.lemma_.lower() not in PLACE_SITES


def _landmark(token: Token, own_ids: set[int], anchors: set[int]) -> bool:
    """A place named only to find another: a bearing's reference ("Iskandariya, 50 km south of
    Baghdad"), or the city around a named site or another place ("the Al-Khidmat hospital in
    Karachi", "in Kabul, Afghanistan"). Another place of the event, if any, is more precise."""
    prep = token.head
    if token.dep_ == "pobj" and (
        prep.lower_ == "outside"
        or (prep.lower_ == "of" and prep.head.lower_ in COMPASS)
        or (prep.lower_ == "from" and prep.head.lower_ in ("far", "away"))  # "not far from X"
    ):
        return True
    current = token
    below = token
    while current.i not in own_ids and current.head != current:
        parent = current.head
        if parent.i in anchors and current.dep_ == "appos":
            return True
        if current.dep_ == "prep" and current.lower_ in LOCATIVE and below.dep_ == "pobj":
            named = parent.i in anchors or any(
                c.i in anchors and c.dep_ in ("compound", "nmod", "amod") for c in parent.children
            )
            site = parent.lemma_.lower() in FACILITY_NOUNS | PLACE_NOUNS or parent.i in anchors
            if named and site and parent.i not in own_ids:
                return True
        below, current = current, parent
    return False


def _container(token: Token, precision: str | None) -> bool:
    """A place that only contains the event's place: "Mogadishu's Yaqshid district", "the West
    Bank town of Tulkarm" (a country or region naming a town, not "the Zahra neighbourhood of
    Jiddah", where the name is the neighbourhood's). After "town of" or "village of" the name
    is the town's, known or not, and the unknown name before it is whose or where it is ("the
    Jaysh al-Fatah town of Saraqib", "the Kebbi village of Dankade" when the recogniser took
    Kebbi for a person)."""
    if token.dep_ == "poss":
        return True
    head = token.head
    if token.dep_ in ("compound", "nmod", "amod") and head.lemma_.lower() in PLACE_NOUNS:
        of = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"]
        if not of:
            return False
        # a known city before a part of a city: "the west Baghdad neighbourhood of Al-Amil"
        city_part = precision in ("city", "admin2") and head.lemma_.lower() in CITY_PARTS
        if precision in ("country", "admin1") or city_part:
            return True
        # (not "the Mendhar area of Poonch district": an area's designator makes it the larger)
        named = [
            t
            for t in of[0].children
            if t.dep_ == "pobj" and t.pos_ == "PROPN" and t.lemma_.lower() not in AREA_WORDS
        ]
        # only for a town or a village: "the airport area of east Mosul" is in Mosul
        return precision is None and bool(named) and head.lemma_.lower() in SETTLEMENTS
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


def _tier(
    place: Token, own: list[Token], others: set[int], core: Core
) -> tuple[int, int, bool] | None:
    """How the place relates to the event (1 own, 2 argument, 3 setting), how many words are
    between them, and whether it is only the place of a verb the event shares its scene with
    (the event's own argument goes first: "pushed into the X region, targeting trenches near the
    town of Y" targets Y); or None."""
    own_ids = {t.i for t in own}
    related = {t.i for t in _related_verbs(core)}
    if place.i in related and _relative_on_a_place(core.token):
        return 2, 0, False
    path: list[Token] = []
    current = place
    setting = False
    while current.i not in own_ids:
        if current.i in related and path:
            tier = _judge(path, current, core)
            return None if tier is None else (max(tier, 2 if not setting else 3), len(path), True)
        if current.i in others and current is not place and not _sibling(current, own_ids):
            if not (_adjunct_event(current, own_ids) or _paired_clause(current, own_ids)):
                return None
            setting = True  # "captured after a gun battle in Karachi": the battle's place
        if current.head == current:
            tier = _conjoined(place, own, [*path, current], core)
            return None if tier is None else (tier, len(path), True)
        path.append(current)
        current = current.head
    tier = _judge(path, current, core)
    if tier is not None and setting:
        tier = 3
    return None if tier is None else (tier, len(path), False)


def _relative_on_a_place(verb: Token) -> bool:
    """A relative clause on a place tells what happened there ("Aleppo, where rebels attacked",
    "Iraq, whose targets were bombed", "Gaza, which was bombed"), unless the place is the one
    that acts ("Britain, which condemned the attack": the actor's country is not a scene)."""
    if verb.dep_ != "relcl":
        return False
    return not any(
        c.dep_ in ("nsubj", "csubj") and c.lower_ in ("which", "who", "that") for c in verb.children
    )


def _related_verbs(core: Core) -> list[Token]:
    """Verbs the event shares its scene with: the verb its participle hangs on ("threw a bomb
    at a truck in X, killing five"), and the noun a relative clause describes ("the subway
    system that killed 12")."""
    head = core.token
    found: list[Token] = []
    # up a chain of participles: "clashed with protesters in Cancun, firing tear gas and
    # arresting dozens"
    current = head
    while current.dep_ in ("advcl", "conj", "xcomp") and current.tag_ == "VBG":
        verb = current.head
        if verb.pos_ != "VERB" or verb.lemma_.lower() in REPORTING or len(found) > 3:
            break
        found.append(verb)
        current = verb
    clause = core.clause  # "fighting erupted": the light verb heads the clause
    if (
        _when_clause(clause)
        and clause.head.pos_ == "VERB"
        and clause.head.lemma_.lower() not in REPORTING
    ):
        found.append(clause.head)  # "killed in the town of Malakal when clashes erupted"
    if head.dep_ == "relcl" and head.head.pos_ in ("NOUN", "PROPN"):
        found.append(head.head)
    return found


def _when_clause(token: Token) -> bool:
    """A clause of the same moment: "when ...", "as ...", "while ..."."""
    return token.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "as", "while") for c in token.children
    )


def _sibling(token: Token, own_ids: set[int]) -> bool:
    """Another event verb coordinated with this one that shares its subject: "a mortar round hit
    and destroyed a classroom at a school in Kandahar" (one scene)."""
    if token.dep_ != "conj" or token.head.i not in own_ids or token.pos_ != "VERB":
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)


def _paired_clause(token: Token, own_ids: set[int]) -> bool:
    """An event's clause coordinated with this one's, with a subject of its own: "four people
    died and 22 were injured when gunmen threw a grenade into a market in Bunia" (one scene)."""
    return token.dep_ == "conj" and token.head.i in own_ids and token.pos_ == "VERB"


def _adjunct_event(token: Token, own_ids: set[int]) -> bool:
    """Another event named in a phrase or a when/as/while clause of this one ("after a gun
    battle", "during the offensive", "when rebels struck at X"): its place is this event's
    setting."""
    if _when_clause(token) and token.head.i in own_ids:
        return True  # "injured when rebels struck at the headquarters in Sopore town"
    clause = token.head
    if token.dep_ == "dobj" and _when_clause(clause) and clause.head.i in own_ids:
        # what the victim was doing: "shot while covering the clashes in Gaza", "captured while
        # carrying out an attack in northern Israel"
        return True
    # a noun, or a gerund the tagger calls a verb ("in the fighting in X district")
    if token.pos_ not in ("NOUN", "PROPN", "VERB") or token.dep_ != "pobj":
        return False
    prep = token.head
    # on the event, on a verb phrase of it ("killed after being surrounded in an ambush"), or
    # on a clause of the same moment ("killed while others were wounded in the fighting in X")
    verb = prep.head
    on_event = (
        verb.i in own_ids
        or (verb.dep_ == "pcomp" and verb.head.head.i in own_ids)
        or (_when_clause(verb) and verb.head.i in own_ids)
    )
    return (
        prep.lower_ in ("after", "during", "in", "at", "amid", "following", "before") and on_event
    )


def _judge(path: list[Token], reached: Token, core: Core) -> int | None:
    if not path or any(t.lemma_.lower() in OCCASIONS for t in path):
        # "marched on the anniversary of the seizure of the US embassy": a date, not a scene
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
            return 1  # "Gaza was bombed", "the village of Dankade was raided"
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
    if dep in ("advmod", "npadvmod") and word in PLACE_ADVERBS and len(path) > 1:
        prep = path[-2]  # "elsewhere in Malawi, police patrolled"
        if prep.dep_ == "prep" and prep.lower_ in LOCATIVE and _inner_ok(path[:-2], allow_of=True):
            return 1
    if dep == "prep" and word == "from" and (core.mode == "withdraw" or core.type in MOVING):
        return 2 if _inner_ok(path[:-1]) else None  # "withdrew from Lebanon", "marched from X"
    if dep in ("dobj", "pobj") and _places_as_object(reached, core):
        return 1 if _inner_ok(path[:-1], allow_of=True) else _argument(path[:-1])
    if dep in ("npadvmod", "advmod", "prep") and word in DIRECTION:
        return 1 if _inner_ok(path[:-1], allow_of=True) else None  # "raids north of Baghdad"
    if dep == "npadvmod":
        return _argument(path[:-1])  # "killed six, two in Miranshah and four in Mir Ali"
    if dep in ("advcl", "xcomp") and first_hop.pos_ == "VERB" and not _marked(first_hop):
        tier = _judge(path[:-1], first_hop, core)  # "captured wearing a belt in the resort"
        return None if tier is None else max(tier, 2)
    if dep == "prep" and word in SETTING:
        # the phrase's own scene ("during clashes in X"), not a clause inside it ("during the
        # strike called to protest Indian rule over Kashmir")
        return 3 if _loose(path[:-1]) else None
    if dep == "prep" and word == "since" and _names_a_war(path[:-1]):
        # "killed since the start of the war in Yemen", "since the launch of the Raqqa
        # operation": the war's ground is the setting of what happened in it
        return 3
    if dep == "prep" and word in ("after", "before", "following"):
        if len(path) > 1 and path[-2].dep_ == "pcomp" and path[-2].pos_ == "VERB":
            # "killed after being surrounded in an ambush at Kafr Nasij town"
            tier = _judge(path[:-2], path[-2], core)
            return None if tier is None else 3
        inner = _argument(path[:-1])  # "after prayers in the mosque of X, ten were killed"
        return None if inner is None else 3
    if dep == "prep" and word == "of" and reached.lemma_.lower() in PLACE_OF_NOUNS:
        return 1 if _inner_ok(path[:-1], allow_of=True) else None  # "the siege of Homs"
    if dep == "prep" and word == "against" and core.type in STRIKING:
        # an attack's target is where it struck: "an assault against a police post in Tillaberi"
        return _argument(path[:-1])
    if dep == "prep" and word not in NOT_SCENE:
        return _argument(path[:-1])  # "an ambush of an army convoy in the region of Biskra"
    if dep == "advcl" and any(c.lower_ in ("when", "as", "while") for c in first_hop.children):
        # the clause's scene ("killed when a bomb exploded in X"), not its actors ("as Russia
        # and China weighed plans", "while families who sheltered in X returned home")
        actors = any(t.dep_ in ("nsubj", "csubj", "relcl") for t in path[:-1])
        return None if actors else 3
    if dep in ("dobj", "nsubjpass") and _named_building(path):
        return 2  # "destroyed an upscale Kabul restaurant": the building is in Kabul
    if dep in ("dobj", "nsubjpass", "pobj", "attr", "oprd"):
        return _argument(path[:-1])
    return None


# Long-running fighting that frames the events inside it ("since the start of the war in X").
WARS = frozenset(
    [
        "war",
        "conflict",
        "operation",
        "offensive",
        "campaign",
        "uprising",
        "insurgency",
        "revolution",
        "fighting",
        "crisis",
        "intervention",
    ]
)


def _names_a_war(path: list[Token]) -> bool:
    """The place names or narrows a war or campaign, through nouns only ("the start of the war
    in Yemen", "the launch of the Raqqa operation")."""
    for i, token in enumerate(path):
        if token.lemma_.lower() in WARS and token.pos_ == "NOUN":
            return _inner_ok(path[:i], allow_of=True) and all(
                t.dep_ in INNER_DEPS or (t.dep_ == "prep" and t.lower_ == "of")
                for t in path[i + 1 :]
            )
    return False


def _named_building(path: list[Token]) -> bool:
    """The place names the building the event struck: "a Kabul restaurant", "Lagos's hotel"."""
    if len(path) < 2 or path[-1].lemma_.lower() not in BUILDINGS:
        return False
    return path[-2].dep_ in ("compound", "nmod", "poss") and _inner_ok(path[:-2])


def _marked(clause: Token) -> bool:
    """A clause opened by a subordinator ("when", "after", "if") tells of another moment."""
    return any(c.dep_ in ("mark", "advmod") and c.lower_ in CLAUSE_MARKS for c in clause.children)


def _argument(path: list[Token]) -> int | None:
    """A place phrase on the event's argument: "killed a soldier in Kabul", "targeted a bus
    carrying pilgrims in the town of Taji"."""
    for i, token in enumerate(path):
        if token.dep_ == "prep" and token.lower_ in LOCATIVE:
            return 2 if _inner_ok(path[:i], allow_of=True) else None
        if token.dep_ not in INNER_DEPS and token.dep_ not in ("dobj", "prep", "acl"):
            return None
    return None


def _inner_ok(path: list[Token], allow_of: bool = False) -> bool:
    """The words between the place and the first hop only name or narrow a place."""
    for token in path:
        if token.dep_ == "poss" and not _names_a_site(token.head):
            return False  # "Chad's rebel leader was captured": whose, not where
        if token.dep_ in INNER_DEPS:
            continue
        if token.dep_ == "prep" and token.lower_ in LOCATIVE:
            continue
        if allow_of and token.dep_ == "prep" and token.lower_ == "of":
            if token.head.lemma_.lower() in OWNED_BUILDINGS:
                return False  # "the offices of the District Treasury": whose, not where
            continue
        return False
    return True


def _names_a_site(token: Token) -> bool:
    """A word a place in front of it locates: "Kabul's streets", "Mogadishu's Yaqshid
    district", "Yemen's civil war"; not a person, a body or a thing it owns."""
    lemma = token.lemma_.lower()
    return token.pos_ == "PROPN" or lemma in SITES


# What a possessive place may locate (see _names_a_site).
SITES = (
    PLACE_NOUNS
    | BUILDINGS
    | EVENT_NOUNS
    | frozenset(
        [
            "installation",
            "facility",
            "field",
            "oilfield",
            "port",
            "coast",
            "coastline",
            "waters",
            "border",
            "territory",
            "soil",
            "airspace",
            "capital",
            "outskirts",
            "street",
            "streets",
            "sea",
            "seawater",
            "seawaters",
            "shore",
            "shores",
            "parliament",
            "palace",
        ]
    )
)


PLACE_SITES = SITES - EVENT_NOUNS


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
