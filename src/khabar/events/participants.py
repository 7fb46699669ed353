"""Who: the actors (sources) and targets (recipients) of an event, bound to the article's actors.

Roles come from the parse of the clause that carries the event:

- a verb: its subject acts (through ``who``/``which`` of a relative clause, and shared with a
  verb it is coordinated with); a passive verb's ``by`` phrase acts and its subject is the
  target; the indirect object ("gave Kenya a loan"), the object and ``against``/``on``/``at``/
  ``with``/``to`` phrases are targets, and so are ``for`` phrases of giving and agreeing ("aid
  for Malawi") and ``between`` phrases of a meeting ("mediation between Yemen and Saudi
  Arabia");
- a noun: its possessor, a name or demonym in front of it ("Israeli air raids", "the US
  assistance") and ``by``/``from`` act; ``on``/``against``/``of``/``with``/``to`` are targets;
  a light verb's or frame's subject acts for the noun it carries;
- a frame ("agreed to", "demanded that", "is ready to"): the frame's subject (a predicate
  adjective's, the copula's) acts; for a demand, the one who must act is the target;
- CONSULT: the visitor acts and the host is the target (PLOVER): "hosted X" makes X the actor;
  "X and Y met" makes both actors. AID "raised $9 billion", "received aid": the subject is the
  recipient.

With no target word, a concession, retreat, aid, attack, coercion, mobilisation, sanction,
protest or visit takes the actor named by its ``in`` phrase as its target ("lifted a curfew in
Lesotho", "arrived in Lusaka on a visit"), at lower confidence; a meeting's place does not.
An attack, a demand, a threat, a rejection, a sanction or aid still without a target takes the
clause's other party nearest its word (not one of its actors, not the subject's words, not a
place, not who a report is "according to"), at the lowest confidence, method
``...:actor:nearest``. The ACLED type counts it (an ambush that killed two officers is a
battle); the merging of an article's reports does not (``grounded``).
Each role word is matched to the article's actor whose mention overlaps it (largest overlap);
its canonical name, country and sector come with it. A pronoun takes the nearest actor
mentioned before it in the two sentences before (a person for he/she; anything else for it/they),
at lower confidence. A word no actor covers is kept only if it names people or a group.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from khabar.core.article import Article, EventParticipant
from khabar.events.lexicon import Lexicon
from khabar.events.syntax import (
    Token,
    agent,
    children,
    conjuncts,
    direct_object,
    noun_phrase,
    passive_subject,
    prep_objects,
    subject,
)
from khabar.events.triggers import TIME_WORDS, Core

METHOD = "events.participants"
NEAREST = 0.4  # a target found only as the sentence's nearest other party
NEAREST_METHOD = ":nearest"
# Types whose clause names its patient when it names another party at all: an attack's victims,
# a demand's, a threat's or a rejection's addressee, a sanction's subject, aid's recipient. An
# agreement, a meeting, an accusation or support often names a third party instead (a mediator,
# a venue, the accused's victims), so they get no guessed target.
NEAREST_TYPES = frozenset({"ASSAULT", "REQUEST", "THREATEN", "REJECT", "SANCTION", "AID"})
PART_OF_NAME = frozenset({"compound", "amod", "flat", "nmod", "poss"})
REPORTING = frozenset({"say", "tell", "report", "add", "state", "claim", "announce", "confirm"})
WHERE_PREPS = frozenset(
    {"in", "near", "at", "outside", "inside", "across", "around", "through", "via"}
)
TARGET_PREPS = ("against", "on", "at", "with", "to", "upon", "into")
NOUN_TARGET_PREPS = ("on", "against", "of", "with", "to", "upon", "into", "at")
NOUN_ACTOR_PREPS = ("by", "from")
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they", "them", "its"})
QUANTITIES = frozenset(
    [
        "dozens",
        "hundreds",
        "thousands",
        "scores",
        "tens",
        "millions",
        "number",
        "group",
        "groups",
        "handful",
        "several",
        "some",
        "many",
        "most",
        "all",
        "members",
        "member",
    ]
)
NAME_DEPS = frozenset({"compound", "amod", "nmod"})
RELATIVES = frozenset({"who", "which", "that", "whom"})
RECIPIENT_SUBJECT = frozenset({"raise", "receive", "get", "obtain", "secure", "win", "seek"})
# Types whose "for" phrase names who benefits ("aid for Romania"), not a reason or a span of time
# (a reason or a time binds to no actor anyway).
FOR_WHOM = frozenset({"AID", "SUPPORT", "AGREE", "COOPERATE", "CONCEDE"})
# Types whose target, when no word names one, is the place they were done in: a curfew lifted,
# troops withdrawn, aid delivered or a town shelled there is lifted, withdrawn, delivered or
# shelled for or against its people; a protest there is against its government (the PLOVER
# gold records code it so).
PLACE_TARGETS = frozenset(
    {"CONCEDE", "RETREAT", "AID", "ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "PROTEST"}
)


@dataclass(frozen=True)
class Roles:
    actors: list[EventParticipant]
    targets: list[EventParticipant]


class ActorIndex:
    """The article's actor mentions, by offset, to find the actor behind a word."""

    def __init__(self, article: Article, lexicon: Lexicon) -> None:
        self.article = article
        self.lexicon = lexicon
        spans = [
            (m.start, m.end, i) for i, actor in enumerate(article.actors) for m in actor.mentions
        ]
        self.spans = sorted(spans)
        self.starts = [s for s, _, _ in self.spans]
        self.sentence_starts = [s.start for s in article.sentences]
        people = {(e.start, e.end) for e in article.entities if e.label == "PERSON"}
        self.person_actors = {
            i for s, e, i in self.spans if any(ps < e and s < pe for ps, pe in people)
        }

    def at(self, start: int, end: int) -> int | None:
        """The actor with a mention overlapping ``[start, end)`` the most (shortest on ties)."""
        best, best_key = None, (0, 0)
        low = bisect.bisect_left(self.starts, start - 200)
        for s, e, i in self.spans[low:]:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            key = (overlap, -(e - s))
            if overlap > 0 and key > best_key:
                best, best_key = i, key
        return best

    def before(self, offset: int, floor: int, person: bool) -> tuple[int, int, int] | None:
        """The actor a pronoun at ``offset`` stands for: in the nearest earlier sentence (not
        before ``floor``) that mentions one of the right kind (a person, or not), the first
        such mention: English puts the subject first."""
        index = bisect.bisect_left(self.starts, offset)
        chosen: tuple[int, int, int] | None = None
        chosen_sentence = -1
        for s, e, i in reversed(self.spans[:index]):
            if s < floor:
                break
            if e > offset or (i in self.person_actors) != person:
                continue
            sentence = self.sentence_of(s)
            if chosen is not None and sentence != chosen_sentence:
                break
            chosen, chosen_sentence = (s, e, i), sentence
        return chosen

    def in_a_town(self, start: int, end: int) -> bool:
        """Whether a place finer than a country (a town, a province, a region) covers the span."""
        return any(
            p.start < end and start < p.end and p.precision != "country"
            for p in self.article.places
        )

    def sentence_of(self, offset: int) -> int:
        return bisect.bisect_right(self.sentence_starts, offset)


def find_roles(core: Core, offset: int, index: ActorIndex, floor: int) -> Roles:
    """Actors and targets of one mention; ``offset`` is the sentence's start in the text."""
    actor_words, target_words = _role_words(core)
    binder = _Binder(index, offset, floor)
    actors = binder.bind(actor_words, confidence=0.8)
    targets = binder.bind(target_words, confidence=0.7)
    visit = core.type == "CONSULT" and core.mode == "visit"  # the host: "arrived in Lusaka"
    if not targets and (core.type in PLACE_TARGETS or visit):
        # "the army lifted a curfew in Lesotho": the people of the place it acted on
        targets = binder.bind(_scene_words(core), confidence=0.5)
    taken = {(p.start, p.end) for p in actors}
    targets = [t for t in targets if (t.start, t.end) not in taken]
    if not targets and core.type in NEAREST_TYPES:
        nearest = _nearest_party(core, index, offset, actors)
        targets = binder.bind(nearest, confidence=NEAREST, how=NEAREST_METHOD)
    return Roles(actors, targets)


def guessed(participant: EventParticipant) -> bool:
    """Whether the participant is a nearest-party guess, not a word of the parse."""
    return participant.method.endswith(NEAREST_METHOD)


def grounded(participants: list[EventParticipant]) -> list[EventParticipant]:
    """The participants a word of the parse stands for, without the nearest-party guesses: what
    the merging of an article's reports goes by (a guess must not join two reports)."""
    return [p for p in participants if not guessed(p)]


def _nearest_party(
    core: Core, index: ActorIndex, offset: int, actors: list[EventParticipant]
) -> list[Token]:
    """The clause's other party when no word stands in a target's place: within the event's
    clause (the words its word, or the frame or light verb that carries it, governs), the actor
    nearest the event word among the heads of noun phrases, other than its actors. PLOVER codes
    a target whenever the clause names a second party ("ready to contribute troops to a force
    in Liberia", "urged the European Community to support the PLO"), and the role rules find it
    in only some shapes. Not a party: the subject's words (the acting side, even where no actor
    was bound to it), who a report is "according to", a phrase that holds a town or region or
    follows "in", "near", "at" (where, not whom), a
    word inside a longer name ("Rapid" in "Rapid Support Forces commanders"), and an actor with
    neither a country nor a sector (a name nothing is known of)."""
    own = {p.actor for p in actors if p.actor is not None}
    spans = [(p.start, p.end) for p in actors]
    heads = [core.token, core.trigger]
    clause = {t.i for h in heads for t in h.subtree} - {h.i for h in heads}
    for head in heads:
        acting = subject(head) or agent(head)
        if acting is not None:
            clause -= {t.i for t in acting.subtree}
    # who reports or acts inside this clause ("..., Israel's army said it struck", "the proposal
    # put forward by Egyptian mediators"), and a clause joined with its own subject ("Hamas
    # attacked, and Israel struck Hezbollah"), name no party acted on here; the subject of a
    # demand's clause does ("demanded that the United States cancel the sale")
    for i in list(clause):
        word = core.token.doc[i]
        reports = word.dep_ == "nsubj" and word.head.lemma_.lower() in REPORTING
        own_clause = word.dep_ == "conj" and word.pos_ == "VERB" and subject(word) is not None
        if reports or own_clause or (word.dep_ == "pobj" and word.head.dep_ == "agent"):
            clause -= {t.i for t in word.subtree}
    best: tuple[int, Token] | None = None
    for i in sorted(clause):
        token = core.token.doc[i]
        if token.pos_ not in ("PROPN", "NOUN") or token.dep_ in PART_OF_NAME:
            continue
        if token.dep_ == "pobj" and (token.head.lower_ in WHERE_PREPS or _attribution(token)):
            continue
        at = token.idx + offset
        start, end = noun_phrase(token)
        if any(s <= at < e for s, e in spans) or index.in_a_town(start + offset, end + offset):
            continue
        actor = _actor_of(token, index, offset)
        if actor is None or actor in own:
            continue
        known = index.article.actors[actor]
        if not (known.country or known.sector):
            continue
        distance = abs(token.i - core.trigger.i)
        if best is None or distance < best[0]:
            best = (distance, token)
    return [] if best is None else [best[1]]


def _attribution(token: Token) -> bool:
    """The source of a report: "according to local officials"."""
    return bool(token.head.lower_ == "to" and token.head.head.lower_ == "according")


def _actor_of(token: Token, index: ActorIndex, offset: int, owner: bool = False) -> int | None:
    """The actor a noun phrase's head stands for: its own word's, else a name in front of it
    (with ``owner``, its possessor's too: "the army's patrol")."""
    named = [
        c
        for c in token.children
        if (c.dep_ in NAME_DEPS and _is_name(c)) or (owner and c.dep_ == "poss")
    ]
    for word in (token, *named):
        at = word.idx + offset
        actor = index.at(at, at + len(word.text))
        if actor is not None:
            return actor
    return None


def _scene_words(core: Core) -> list[Token]:
    token = core.token
    words = [token, *children(token, "dobj")[:1], *([core.governor] if core.governor else [])]
    return _expand_all([o for w in words for _, o in prep_objects(w, "in")])


def _role_words(core: Core) -> tuple[list[Token], list[Token]]:
    token = core.token
    if core.frame is not None:
        return _frame_roles(core)
    if core.nominal:
        actors, targets = _noun_roles(token)
        carrier = core.governor
        if carrier is None and token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ == "VERB":
            _, more_targets = _verb_roles(token.head, core.type)
            targets += [t for t in more_targets if t is not token]
        if carrier is not None and not actors:
            actors = _expand(_clause_subject(carrier))
            targets += [o for _, o in prep_objects(carrier, *TARGET_PREPS)]
        if not actors and core.controller is not None:
            actors = _expand(subject(core.controller))  # "the militants denied involvement in"
        if core.type == "CONSULT":  # "a mediation effort between the Emirates and Saudi Arabia"
            hosts = [token, carrier, token.head if token.dep_ == "compound" else None]
            between = [o for w in hosts if w is not None for _, o in prep_objects(w, "between")]
            targets += _expand_all(between)
        return actors, targets
    actors, targets = _verb_roles(token, core.type, controller=core.controller)
    for folded in core.folded:  # "were injured when police fired tear gas": the police act
        if actors or folded.pos_ != "VERB":
            continue
        actors = _expand(subject(folded))
    return actors, targets


def _verb_roles(
    verb: Token, type_: str, controller: Token | None = None
) -> tuple[list[Token], list[Token]]:
    acting = _clause_subject(verb)
    if acting is None and controller is not None:
        acting = subject(controller)
    targets: list[Token] = children(verb, "dative")[:1]  # "gave Tanzania a grant"
    patient = passive_subject(verb)
    obj = children(verb, "dobj")
    targets += obj[:1] if obj else ([patient] if patient is not None else [])
    targets += [o for _, o in prep_objects(verb, *TARGET_PREPS)]
    for thing in obj[:1]:
        targets += [o for _, o in prep_objects(thing, "with", "against")]
    if type_ in FOR_WHOM:  # "provide aid for Romania and Poland"
        for word in (verb, *obj[:1]):
            targets += [o for _, o in prep_objects(word, "for")]
    if type_ == "CONSULT":  # "a mediation mission between Syria and the PLO"
        for word in (verb, *obj[:1]):
            targets += [o for _, o in prep_objects(word, "between")]
    if not targets and controller is not None:
        targets += children(controller, "dobj")[:1]
    actors = _expand(acting)
    targets = [t for t in _expand_all(targets) if t not in actors]
    lemma = verb.lemma_.lower()
    if type_ == "CONSULT" and lemma in ("host", "welcome", "receive") and targets:
        return targets, actors
    if type_ == "AID" and lemma in RECIPIENT_SUBJECT:
        givers = [o for p, o in prep_objects(verb, "from") if p == "from"]
        return _expand_all(givers), actors
    return actors, targets


def _clause_subject(verb: Token) -> Token | None:
    found = subject(verb) or agent(verb)
    if found is None and passive_subject(verb) is None:
        found = _stranded_subject(verb)
    return found


def _stranded_subject(verb: Token) -> Token | None:
    """A misparsed subject: a name left of the verb hung on a phrase in front of it ("To combat
    terrorism, Pakistan and the United States will ...", where the parser makes "Pakistan" an
    apposition)."""
    for token in reversed(list(verb.doc[: verb.i])):
        if token.dep_ == "appos" and token.pos_ == "PROPN":
            return token
        if token.dep_ == "punct" and token.head == verb:
            continue
    return None


def _noun_roles(noun: Token) -> tuple[list[Token], list[Token]]:
    actors = [c for c in noun.children if c.dep_ == "poss"]
    actors += [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod") and _is_name(c)]
    actors += [o for _, o in prep_objects(noun, *NOUN_ACTOR_PREPS)]
    targets = [o for _, o in prep_objects(noun, *NOUN_TARGET_PREPS)]
    return _expand_all(actors), _expand_all(targets)


def _frame_roles(core: Core) -> tuple[list[Token], list[Token]]:
    frame = core.trigger
    if frame.pos_ in ("NOUN", "PROPN"):  # "its demand that ...", "issued a reminder that ..."
        owner = next((c for c in frame.children if c.dep_ == "poss"), None)
        if owner is None and frame.head.pos_ == "VERB":
            owner = _clause_subject(frame.head)
        actors = _expand(owner)
    else:
        who = subject(frame) or agent(frame)
        if who is None and frame.dep_ == "acomp":  # "France is ready to send troops"
            who = subject(frame.head)
        actors = _expand(who)
    targets: list[Token] = []
    inner = core.token
    if core.frame == "REQUEST_TO" and inner is not frame:
        targets += _expand(subject(inner) or passive_subject(inner))
    targets += children(frame, "dobj", "dative")[:1]
    targets += [o for _, o in prep_objects(frame, *TARGET_PREPS)]
    if inner is not frame:
        if inner.pos_ in ("NOUN", "PROPN"):
            targets += [o for _, o in prep_objects(inner, *NOUN_TARGET_PREPS)]
        else:
            obj = direct_object(inner)
            targets += children(inner, "dative")[:1]  # "will give Tanzania a grant"
            targets += [obj] if obj is not None else []
            targets += [o for _, o in prep_objects(inner, *TARGET_PREPS)]
            kinds = {core.type, core.planned_type}
            for word in (inner, *([obj] if obj is not None else [])):
                if kinds & FOR_WHOM:
                    targets += [o for _, o in prep_objects(word, "for")]
                if "CONSULT" in kinds:
                    targets += [o for _, o in prep_objects(word, "between")]
    return actors, [t for t in _expand_all(targets) if t not in actors]


def _is_name(token: Token) -> bool:
    return bool(token.pos_ == "PROPN" or (token.pos_ == "ADJ" and token.text[:1].isupper()))


def _expand(token: Token | None) -> list[Token]:
    return [] if token is None else conjuncts(token)


def _expand_all(tokens: list[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        for t in conjuncts(token):
            if t not in found:
                found.append(t)
    return found


def _with_joined_names(tokens: list[Token]) -> list[Token]:
    """Names joined to a name by a hyphen are parties too: "Pakistan-US talks"."""
    found: list[Token] = []
    for token in tokens:
        if token.pos_ == "PROPN":
            found += [
                c
                for c in token.children
                if c.dep_ == "compound"
                and c.pos_ == "PROPN"
                and c.i + 2 == token.i
                and token.doc[c.i + 1].text == "-"
            ]
        found.append(token)
    return found


class _Binder:
    def __init__(self, index: ActorIndex, offset: int, floor: int) -> None:
        self.index = index
        self.offset = offset
        self.floor = floor
        # the article's time expressions: "on September 29" is when, not whom
        self.times = [(t.start, t.end) for t in index.article.times]

    def bind(self, tokens: list[Token], confidence: float, how: str = "") -> list[EventParticipant]:
        found: list[EventParticipant] = []
        seen: set[int] = set()
        for token in _with_joined_names(tokens):
            made = self._one(token, confidence, how)
            if made is None:
                continue
            key = made.actor if made.actor is not None else -1 - made.start
            if key not in seen:
                seen.add(key)
                found.append(made)
        return found

    def _one(self, token: Token, confidence: float, how: str = "") -> EventParticipant | None:
        if token.lower_ in QUANTITIES:  # "hundreds of civilians": the civilians
            token = next((o for _, o in prep_objects(token, "of")), token)
        if token.ent_type_ in ("DATE", "TIME") or token.lower_ in TIME_WORDS:
            return None
        at = token.idx + self.offset
        if any(s <= at < e for s, e in self.times):
            return None
        word = token.lower_
        if word in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return self._pronoun(token, confidence)
        if word in RELATIVES:
            return None
        start, end = noun_phrase(token)
        start, end = start + self.offset, end + self.offset
        actor = _actor_of(token, self.index, self.offset, owner=True)
        if actor is not None:
            return self._participant(actor, start, end, confidence, how)
        if not self._names_people(token):
            return None
        text = self.index.article.text[start:end]
        return EventParticipant(
            text=text, start=start, end=end, method=f"{METHOD}:word", confidence=confidence * 0.6
        )

    def _pronoun(self, token: Token, confidence: float) -> EventParticipant | None:
        at = token.idx + self.offset
        found = self.index.before(at, self.floor, person=token.lower_ in PERSON_PRONOUNS)
        if found is None:
            return None
        _start, _end, actor = found
        return self._participant(actor, at, at + len(token.text), confidence * 0.6, ":pronoun")

    def _participant(
        self, actor: int, start: int, end: int, confidence: float, how: str
    ) -> EventParticipant:
        known = self.index.article.actors[actor]
        return EventParticipant(
            actor=actor,
            text=self.index.article.text[start:end],
            start=start,
            end=end,
            canonical=known.canonical,
            country=known.country,
            sector=known.sector,
            method=f"{METHOD}:actor{how}",
            confidence=round(confidence * known.confidence, 3),
        )

    def _names_people(self, token: Token) -> bool:
        if token.pos_ == "PROPN":
            return True
        lemma = token.lemma_.lower()
        lexicon = self.index.lexicon
        return any(lexicon.in_class(c, lemma, token.lower_) for c in ("person", "civil", "troops"))
