"""Event mentions in one parsed sentence: trigger words, light verbs, frames and folding.

1. Every word is looked up in the trigger lexicon; its first reading whose conditions hold (on
   its object, subject, modifiers, particle, complement) is kept.
2. An event reading makes a *core*. A light verb ("held talks", "carried out an attack") hands
   its clause to the noun it governs. A noun event inside a verb event of the same kind is the
   same event ("killed in a bombing", "met during his visit") and is folded into it.
3. Frames wrap the core in their complement: "agreed to meet" is AGREE with planned CONSULT,
   "threatened to shell" THREATEN violence, "refused to release" REJECT yield, "demanded that
   X withdraw" REQUEST yield, "denied attacking" the attack negated, "plans to" planned.
4. What is not an event is dropped: an infinitive of purpose or wish ("encouraging donors to
   help"), an imperative ("Please contact us"), a generic plural ("attacks on police stations"),
   a trend ("increased their attacks"), a noun used as a modifier ("attack helicopter").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from khabar.events.lexicon import Condition, Lexicon, Reading
from khabar.events.ontology import FUTURE_TYPE
from khabar.events.syntax import (
    Token,
    children,
    conjuncts,
    direct_object,
    particle,
    prep_objects,
    subject,
)

POS_OF = {"VERB": "V", "NOUN": "N", "PROPN": "N", "ADJ": "A"}
REPORTING = frozenset(
    [
        "say",
        "tell",
        "announce",
        "report",
        "add",
        "claim",
        "state",
        "confirm",
        "declare",
        "believe",
        "quote",
        "show",
        "indicate",
        "reveal",
        "note",
        "insist",
        "stress",
        "warn",
        "explain",
        "write",
        "learn",
        "suggest",
        "acknowledge",
        "admit",
        "allege",
        "assert",
        "argue",
        "accord",
        "maintain",
        "hear",
        "know",
        "think",
        "expect",
        "fear",
    ]
)
PASS_THROUGH = frozenset(
    [
        "begin",
        "start",
        "continue",
        "resume",
        "try",
        "attempt",
        "manage",
        "decide",
        "move",
        "seek",
        "be",
        "go",
        "have",
        "use",
        "want",
        "need",
        "hope",
    ]
)
TREND = frozenset(
    ["increase", "rise", "escalate", "surge", "intensify", "step", "double", "multiply", "grow"]
)
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
MATERIAL_CONFLICT = frozenset({"ASSAULT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"})
PLURALE = frozenset({"talk", "negotiation", "consultation", "discussion", "hostility", "clash"})
QUANTITY_HEADS = frozenset(
    {"day", "days", "hour", "week", "round", "series", "wave", "number", "spate"}
)
GENERIC_HEADS = frozenset(
    {
        "mission",
        "effort",
        "efforts",
        "process",
        "campaign",
        "operation",
        "bid",
        "initiative",
        "drive",
        "move",
    }
)
COMPLEMENT_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "conj", "nsubjpass", "prt", "acl", "pcomp", "acomp"}
)
SPEECH_VERBS = frozenset({"reiterate", "conclude", "issue", "repeat", "tell", "write", "declare"})
SPEECH_NOUNS = frozenset(
    {
        "reminder",
        "statement",
        "warning",
        "message",
        "letter",
        "declaration",
        "demand",
        "resolution",
        "communique",
    }
)
# Event types whose verb acts on the event noun it takes as object ("lifted the curfew").
ACTING_ON = frozenset(
    {"CONCEDE", "RETREAT", "SANCTION", "COERCE", "AGREE", "REJECT", "REQUEST", "THREATEN"}
)
# Verbs that report an event noun as happening rather than refer to it: "the clash took place".
OCCURRENCE = frozenset(
    [
        "take",
        "occur",
        "happen",
        "erupt",
        "break",
        "continue",
        "rage",
        "kill",
        "leave",
        "claim",
        "hit",
        "wound",
        "injure",
        "destroy",
        "damage",
        "target",
        "rock",
        "shake",
        "end",
        "begin",
        "start",
        "resume",
        "last",
        "go",
        "turn",
        "spread",
    ]
)
COMMANDS = frozenset({"order", "instruct", "direct"})
ENACTED = frozenset({"COERCE", "MOBILIZE", "SANCTION"})
KEPT_MODES = frozenset(
    {"targeted", "abduct", "torture", "sexual", "beat", "destroy", "crowd-control"}
)
OBJECT_PREPS = ("for", "to", "against", "over", "on", "of")
TIME_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tomorrow",
        "morning",
        "evening",
        "night",
        "week",
        "month",
        "year",
        "weekend",
    ]
)
SAME_MOMENT = frozenset({"when", "while", "as"})
MONTH_NOUNS = frozenset({"March", "MARCH"})
FOLD_DEPS = ("nsubj", "nsubjpass", "pobj", "npadvmod", "dobj")
# Prepositions through which a noun event is the verb's own: "killed in a bombing", "met during
# the visit"; not "after"/"before"/"since" (another event).
FOLD_PREPS = frozenset({"in", "during", "by", "with", "from", "through", "amid", "amidst", "of"})


@dataclass
class Core:
    """One event mention being assembled in a sentence."""

    token: Token  # the word whose arguments are the event's (a verb, or a noun)
    trigger: Token  # the word the trigger span covers (a frame's word, else ``token``)
    type: str
    mode: str | None
    contexts: set[str]
    reading: Reading
    governor: Token | None = None  # a light verb or frame that carries the clause
    frame: str | None = None
    planned_type: str | None = None
    negated: bool = False
    planned: bool = False
    folded: list[Token] = field(default_factory=list)
    controller: Token | None = None  # who acts when the event sits in a frame's complement

    @property
    def nominal(self) -> bool:
        return self.token.pos_ in ("NOUN", "PROPN")

    @property
    def clause(self) -> Token:
        """The word whose clause holds tense, negation and the subject."""
        return self.governor or self.token


def find_cores(doc: Iterable[Token], lexicon: Lexicon) -> list[Core]:
    tokens = list(doc)
    readings = {t.i: r for t in tokens if (r := resolve(t, lexicon)) is not None}
    cores = {i: _core(tokens[i], r) for i, r in readings.items() if r.is_event}
    _apply_light_verbs(tokens, readings, cores)
    _carry_by_verb(tokens, cores)
    _fold(cores)
    _must_frames(tokens, readings)
    frames = sorted(
        (tokens[i] for i, r in readings.items() if r.is_frame and r.type != "LIGHT"),
        key=lambda t: -_depth(t),
    )
    for frame in frames:
        _apply_frame(frame, readings[frame.i], cores, lexicon)
    _consume_objects(cores)
    found = [c for c in cores.values() if _is_event(c, readings)]
    for core in found:
        if core.type == "ASSAULT":
            core.mode = weapon_mode(core, lexicon) or core.mode
    return found


def weapon_mode(core: Core, lexicon: Lexicon) -> str | None:
    """The ASSAULT mode the clause's words name ("suicide bombing", "shelled", "gunmen"),
    keeping a specific mode the trigger gave (targeted, abduct, torture, sexual, ...)."""
    if core.mode in KEPT_MODES:
        return core.mode
    tokens: list[Token] = []
    for root in (core.token, *core.folded, *([core.governor] if core.governor is not None else [])):
        tokens += [t for t in root.subtree if t not in tokens]
        for subj in (c for c in root.head.children if c.dep_ in ("nsubj", "nsubjpass", "agent")):
            tokens += [t for t in subj.subtree if t not in tokens]
    tokens.sort(key=lambda t: t.i)
    words = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
    phrase = " ".join(t.lower_ for t in tokens)
    for mode, cues in lexicon.weapon_cues:
        if any((cue in phrase) if " " in cue else (cue in words) for cue in cues):
            return mode
    return None


def _must_frames(tokens: list[Token], readings: dict[int, Reading]) -> None:
    """ "X said Y must do Z": a demand (CAMEO 10), the sayer's REQUEST of Y."""
    for token in tokens:
        if not any(c.lower_ == "must" and c.dep_ == "aux" for c in token.children):
            continue
        head = token.head
        if token.dep_ not in ("ccomp", "acl") or head == token:
            continue
        speaking = (
            head.lemma_.lower() in REPORTING | SPEECH_VERBS or head.lemma_.lower() in SPEECH_NOUNS
        )
        known = readings.get(head.i)
        if speaking and (known is None or known.type == "NONE"):
            pos = "N" if head.pos_ in ("NOUN", "PROPN") else "V"
            readings[head.i] = Reading(head.lemma_.lower(), pos, "REQUEST_TO", None, (), ())


def _consume_objects(cores: dict[int, Core]) -> None:
    """The object of a verb that acts on it is part of that event, not another one: "lifted the
    curfew", "cancelled a planned visit", "halted economic aid", "refused to lift the curfew"."""
    by_token = {c.token.i: c for c in cores.values() if not c.nominal}
    for i, noun in list(cores.items()):
        if (
            not noun.nominal
            or noun.governor is not None
            or noun.token.dep_ not in ("dobj", "nsubjpass")
        ):
            continue
        host = by_token.get(noun.token.head.i)
        if host is not None and host is not noun and host.type in ACTING_ON:
            host.folded.append(noun.token)
            del cores[i]


def _core(token: Token, reading: Reading) -> Core:
    return Core(token, token, reading.type, reading.mode, set(reading.contexts), reading)


# -- readings -------------------------------------------------------------------------------
def resolve(token: Token, lexicon: Lexicon) -> Reading | None:
    """The first reading of the token's lemma whose conditions hold, if any."""
    pos = POS_OF.get(token.pos_)
    if pos is None:
        return None
    if pos == "V" and token.tag_ == "VBN" and children(token, "auxpass"):
        adjective = _first(token, lexicon.lookup(token.lower_, "A"), lexicon)
        if adjective:
            return adjective
    modifier = token.dep_ in ("compound", "amod") and token.head.pos_ in ("NOUN", "PROPN")
    if pos == "N" and modifier and token.head.lemma_.lower() not in GENERIC_HEADS:
        return None  # "attack helicopter", "protest movement": a modifier, not an event
    if token.text in MONTH_NOUNS:
        return None  # "in March", "March 3": the month, not a march
    lemma = token.lemma_.lower()
    forms = (lemma, token.lower_, _joined_lemma(token, lemma), *_hyphened(token), *_stems(token))
    for form in dict.fromkeys(forms):
        found = _first(token, lexicon.lookup(form, pos), lexicon)
        if found:
            return found
    return None


def _stems(token: Token) -> list[str]:
    """ "staged" when the lemmatizer says "stag": the word with its ending taken off."""
    word = token.lower_
    if token.pos_ != "VERB" or not word.endswith(("ed", "ing", "s")):
        return []
    stems = [word[:-1], word[:-2], word[:-3], word[:-3] + "e"]
    return [s for s in stems if len(s) > 2]


def _hyphened(token: Token) -> list[str]:
    """ "co-hosted": "co-host", then "host" (the lemmatizer does not know prefixed words)."""
    prefix, _, rest = token.lower_.partition("-")
    if not rest:
        return []
    bases = [rest, rest[:-1], rest[:-2], rest[:-3], rest[:-3] + "e", rest[:-1] + "e"]
    bases = [b for b in bases if len(b) > 2]
    return [f"{prefix}-{b}" for b in bases] + bases


def _joined_lemma(token: Token, lemma: str) -> str:
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_:
        return f"{doc[token.i - 2].lower_}-{lemma}"
    return lemma


def _first(token: Token, readings: Iterable[Reading], lexicon: Lexicon) -> Reading | None:
    for reading in readings:
        if all(holds(token, c, lexicon) for c in reading.conditions):
            return reading
    return None


def holds(token: Token, condition: Condition, lexicon: Lexicon) -> bool:
    found = _slot(token, condition, lexicon)
    return found != condition.negated


def _slot(token: Token, condition: Condition, lexicon: Lexicon) -> bool:
    slot = condition.slot
    if slot == "xcomp":  # "agreed to meet", "committed to opening up the economy"
        if children(token, "xcomp", "ccomp"):
            return True
        return any(
            c.dep_ == "prep" and c.lower_ == "to" and children(c, "pcomp") for c in token.children
        )
    if slot == "prt":  # "pulled out", and "shipped out of", where spaCy makes "out" a preposition
        return particle(token) in condition.words or any(
            c.dep_ == "prep" and c.lower_ in condition.words for c in token.children
        )
    if slot == "prep":
        return any(
            c.dep_ in ("prep", "agent", "prt") and c.lower_ in condition.words
            for c in token.children
        )
    if slot == "mod":
        mods = [
            c
            for c in token.children
            if c.dep_ in ("compound", "amod", "nmod", "advmod", "npadvmod")
        ]
        return any(_matches(m, condition, lexicon) for m in mods)
    if slot == "subj":
        who = subject(token) if token.pos_ in ("VERB", "AUX") else None
        return who is not None and _matches(who, condition, lexicon)
    if slot == "cause":  # "killed in a car accident", "killed by floods"
        causes = [
            obj for prep, obj in prep_objects(token) if prep in ("in", "by", "from", "during")
        ]
        causes += [c for c in token.children if c.dep_ == "nsubj"]
        return any(_matches(c, condition, lexicon) for c in causes)
    target = direct_object(token) if condition.negated and not condition.words else object_of(token)
    if target is None:
        return False
    return (not condition.words and not condition.word_class) or _matches(
        target, condition, lexicon
    )


def object_of(token: Token) -> Token | None:
    """The object a reading's condition looks at: the direct object, else the object of the
    first of ``for``, ``to``, ``against``, ``over``, ``on``, ``of`` the word has (not a day or
    a date: "on Sunday" is no object)."""
    found = direct_object(token)
    if found is not None:
        return found
    objects = {
        prep: obj for prep, obj in reversed(list(prep_objects(token))) if not _is_time_word(obj)
    }
    for prep in OBJECT_PREPS:
        if prep in objects:
            return objects[prep]
    return None


def _is_time_word(token: Token) -> bool:
    return token.ent_type_ in ("DATE", "TIME") or token.lower_ in TIME_WORDS


def _matches(token: Token, condition: Condition, lexicon: Lexicon) -> bool:
    forms = {token.lemma_.lower(), token.lower_}
    if condition.words:
        return bool(forms & condition.words)
    if condition.word_class is None:
        return True
    if condition.word_class in ("person", "civil") and token.pos_ == "PROPN":
        return True
    if lexicon.in_class(condition.word_class, *forms):
        return True
    # "$9 billion", "weapons and ammunition", "peacekeeping troops", "a patch of troops": look
    # at the word's number, modifiers, coordination and what it is a quantity of
    related = [
        c for c in token.children if c.dep_ in ("compound", "nmod", "quantmod", "conj", "amod")
    ]
    for prep in children(token, "prep"):
        if prep.lower_ == "of":
            for obj in children(prep, "pobj"):
                related += [obj, *(c for c in obj.children if c.dep_ in ("compound", "amod"))]
    return any(lexicon.in_class(condition.word_class, c.lemma_.lower(), c.lower_) for c in related)


# -- assembling -----------------------------------------------------------------------------
def _apply_light_verbs(
    tokens: list[Token], readings: dict[int, Reading], cores: dict[int, Core]
) -> None:
    for i, reading in readings.items():
        if reading.type != "LIGHT":
            continue
        light = tokens[i]
        for target in _light_targets(light):
            core = cores.get(target.i)
            if core is not None and core.governor is None:
                core.governor = light
                core.contexts |= set(reading.contexts)


def _carry_by_verb(tokens: list[Token], cores: dict[int, Core]) -> None:
    """A violent noun that is the subject of a plain verb makes that verb its clause: "Shelling
    hit a trolleybus in Donetsk, killing 8"."""
    verbs_with_core = {c.token.i for c in cores.values() if not c.nominal}
    for core in cores.values():
        token = core.token
        if not core.nominal or core.governor is not None or core.type != "ASSAULT":
            continue
        head = token.head
        if token.dep_ == "nsubj" and head.pos_ == "VERB" and head.i not in verbs_with_core:
            core.governor = head


def _light_targets(light: Token) -> list[Token]:
    found = children(light, "dobj", "xcomp", "nsubjpass")
    found += [obj for _, obj in prep_objects(light, "out")]
    if not found:
        found += [obj for _, obj in prep_objects(light, "in")]  # "engaged in ethnic cleansing"
    more: list[Token] = []
    for token in found:
        # "launched 10 days of war games", "undertook a mediation mission"
        if token.lemma_.lower() in QUANTITY_HEADS:
            more += [obj for _, obj in prep_objects(token, "of")]
        if token.lemma_.lower() in GENERIC_HEADS:
            more += [c for c in token.children if c.dep_ == "compound"]
    return [c for t in [*found, *more] for c in conjuncts(t)]


def _fold(cores: dict[int, Core]) -> None:
    """A noun event inside a verb event of the same type is that event ("killed in a blast");
    so is a participle hung on it ("stormed the village, killing 39 and destroying it")."""
    for i, verb in sorted(cores.items(), key=lambda item: -_depth(item[1].token)):
        host = _participle_host(verb.token, cores) or _coordinated_host(verb, cores)
        if host is not None and host.type == verb.type and host is not verb:
            host.folded += [verb.token, *verb.folded]
            host.contexts |= verb.contexts
            if verb.mode and host.mode is None:
                host.mode = verb.mode
            del cores[i]
    for i, noun in list(cores.items()):
        if not noun.nominal or noun.governor is not None:
            continue
        host = _host_verb(noun.token, cores)
        if host is None or host.type != noun.type:
            continue
        host.folded.append(noun.token)
        host.contexts |= noun.contexts
        if noun.mode and (host.mode is None or host.reading.mode is None):
            host.mode = noun.mode
        del cores[i]


def _participle_host(token: Token, cores: dict[int, Core]) -> Core | None:
    """The verb event a participle clause or a coordinated participle hangs on."""
    if token.pos_ != "VERB" or token.tag_ != "VBG" or token.dep_ not in ("advcl", "conj", "xcomp"):
        return None
    head = token.head
    host = cores.get(head.i) or next((c for c in cores.values() if c.governor is head), None)
    if host is None and (head.dep_ == "conj" or head.tag_ == "VBG"):
        return _participle_host(head, cores)
    return host


def _coordinated_host(verb: Core, cores: dict[int, Core]) -> Core | None:
    """ "shot and killed", "killed 51 and wounded 56", "killed 12 when he detonated": violent
    verbs coordinated, or in a clause of the same moment, are one event."""
    token = verb.token
    if verb.nominal or verb.type != "ASSAULT":
        return None
    if token.dep_ == "advcl":
        marks = {c.lower_ for c in token.children if c.dep_ in ("mark", "advmod")}
        if not marks or not marks <= SAME_MOMENT:
            return None
    elif token.dep_ != "conj":
        return None
    host = cores.get(token.head.i)
    return host if host is not None and not host.nominal and host.type == "ASSAULT" else None


def _host_verb(token: Token, cores: dict[int, Core]) -> Core | None:
    current, steps = token, 0
    asked: str | None = None  # a preposition only the verb's own reading lets through
    while current.head != current and steps < 3:
        if current.dep_ not in FOLD_DEPS and current.dep_ not in ("prep", "conj", "agent"):
            return None
        if current.dep_ in ("prep", "agent") and current.lower_ not in FOLD_PREPS:
            if asked is not None:
                return None
            asked = current.lower_
        current = current.head
        steps += 1
        found = cores.get(current.i) or next(
            (c for c in cores.values() if current in c.folded and not c.nominal), None
        )
        if found is not None and not found.nominal:
            # "went on strike": the reading that made "went" a protest asked for "on"
            return found if asked is None or _asks_for(found.reading, asked) else None
    return None


def _asks_for(reading: Reading, preposition: str) -> bool:
    return any(c.slot == "prep" and preposition in c.words for c in reading.conditions)


def _apply_frame(frame: Token, reading: Reading, cores: dict[int, Core], lexicon: Lexicon) -> None:
    key, complement = _complement(frame, cores)
    kind = reading.type
    if kind in ("PLAN_TO", "DENY", "FAIL_TO"):
        if complement is None:
            return
        complement.controller = complement.controller or frame
        if kind == "PLAN_TO":
            complement.planned = True
        elif kind == "DENY":
            complement.negated = True
        elif complement.type in ("AGREE", "CONSULT"):
            _reframe(
                complement, frame, reading, "REJECT", _choice_mode(complement.type, complement.mode)
            )
        else:
            complement.negated = True
        return
    made = _core(frame, reading)
    made.frame = kind
    made.type, made.mode = _frame_result(kind, complement, frame.lemma_.lower())
    if complement is not None:
        made.planned_type = (
            complement.type if made.type != complement.type else complement.planned_type
        )
        made.contexts |= complement.contexts
        made.token = complement.token
        made.controller = frame
        made.folded = [complement.token, *complement.folded]
        made.governor = complement.governor
        del cores[key]
    else:
        made.mode = made.mode or _mode_from_object(kind, frame, lexicon)
    cores[frame.i] = made


def _reframe(core: Core, frame: Token, reading: Reading, type_: str, mode: str | None) -> None:
    core.planned_type = None
    core.trigger = frame
    core.type, core.mode = type_, mode
    core.frame = reading.type


def _complement(frame: Token, cores: dict[int, Core]) -> tuple[int, Core | None]:
    """The event a frame word governs: its clausal complement, object or their nouns."""
    search = children(frame, "xcomp", "ccomp", "dobj", "pobj", "prep", "acomp", "attr", "acl")
    seen: set[int] = set()
    queue = [(t, 0) for t in search]
    while queue:
        token, depth = queue.pop(0)
        if token.i in seen or depth > 3:
            continue
        seen.add(token.i)
        found = cores.get(token.i)
        if found is not None:
            return token.i, found
        for c in token.children:
            if c.dep_ in COMPLEMENT_DEPS:
                queue.append((c, depth + 1))
    return -1, None


def _frame_result(kind: str, complement: Core | None, word: str = "") -> tuple[str, str | None]:
    inner, mode = (complement.type, complement.mode) if complement else (None, None)
    if kind == "REQUEST_TO" and word in COMMANDS and inner in ENACTED:
        return inner, mode  # an authority's order to arrest, close, ban or deploy is the act
    if kind == "AGREE_TO":
        if inner in MATERIAL_CONFLICT:
            return "THREATEN", threat_mode(inner, mode)
        if inner in ("REQUEST", "ACCUSE", "REJECT", "THREATEN"):
            return inner, mode
        return "AGREE", None
    if kind == "THREATEN_TO":
        return "THREATEN", threat_mode(inner, mode) if inner else None
    if kind == "REJECT_TO":
        return "REJECT", _choice_mode(inner, mode) if inner else None
    return "REQUEST", _choice_mode(inner, mode) if inner else None


def threat_mode(inner: str | None, mode: str | None) -> str | None:
    """What is threatened, as a THREATEN mode, from the threatened event's type and mode."""
    if inner == "COERCE":
        return "arrest" if mode == "arrest" else "territory" if mode == "seize" else "restrict"
    if inner == "SANCTION":
        return "expel" if mode in ("expel",) else "relations"
    if inner == "PROTEST":
        return "restrict"
    if inner == "ASSAULT" and mode is None:
        return "violence"
    if inner in ("ASSAULT", "MOBILIZE"):
        return "violence"
    if inner in ("REJECT",):
        return "relations"
    return None


def _choice_mode(inner: str | None, mode: str | None) -> str | None:
    """REQUEST and REJECT share modes: what is asked for or refused."""
    if inner in ("CONSULT",) or (False):
        return "meet"
    if inner in ("AID", "COOPERATE", "SUPPORT", "AGREE"):
        return "assist"
    if inner == "RETREAT" and mode == "resign":
        return "change"
    if inner in ("RETREAT", "CONCEDE"):
        return "yield"
    return "change" if inner else None


def _mode_from_object(kind: str, frame: Token, lexicon: Lexicon) -> str | None:
    if kind not in ("REJECT_TO", "REQUEST_TO"):
        return None
    words: set[str] = set()
    for token in frame.subtree:
        words |= {token.lemma_.lower(), token.lower_}
    if any(lexicon.in_class("meeting", w) for w in words):
        return "meet"
    if any(
        lexicon.in_class(c, w) for c in ("ceasefire", "prisoners", "restriction") for w in words
    ):
        return "yield"
    if any(lexicon.in_class(c, w) for c in ("aid", "ties", "peacekeepers") for w in words):
        return "assist"
    return "change"


def future_type(type_: str) -> str:
    return FUTURE_TYPE.get(type_, type_)


# -- what is not an event -------------------------------------------------------------------
def _is_event(core: Core, readings: dict[int, Reading]) -> bool:
    token = core.clause
    if core.frame is not None and _purpose(core.trigger):
        return False  # "staged protests to demand reforms": the protest's aim, no event of its own
    if core.frame is None and _irrealis(token, readings):
        return False
    if _imperative(token):
        return False
    if core.nominal and core.governor is None and core.frame is None and _generic(core.token):
        return False
    head = core.token.head
    return not (core.nominal and head.lemma_.lower() in TREND)


def _irrealis(token: Token, readings: dict[int, Reading]) -> bool:
    """An infinitive of purpose or wish under a word that is no frame: "encouraged X to help"."""
    if token.dep_ not in ("xcomp", "advcl", "acl", "relcl", "ccomp", "pcomp"):
        return False
    infinitive = any(c.lower_ == "to" and c.dep_ == "aux" for c in token.children)
    if not infinitive:
        return False
    head = token.head
    governing = readings.get(head.i)
    if governing is not None and (governing.is_frame or governing.is_event):
        return False
    return head.lemma_.lower() not in PASS_THROUGH or token.dep_ == "advcl"


def _purpose(token: Token) -> bool:
    return token.dep_ == "advcl" and any(
        c.lower_ == "to" and c.dep_ == "aux" for c in token.children
    )


def _imperative(token: Token) -> bool:
    if token.dep_ != "ROOT" or token.tag_ != "VB":
        return False
    if subject(token) is not None or children(token, "aux"):
        return False
    return token.i == 0 or token.doc[0].lower_ in ("please", "do", "don't")


def _generic(noun: Token) -> bool:
    """A plural event noun with nothing that picks out particular events: a trend, not events."""
    if noun.tag_ not in ("NNS", "NNPS") or noun.lemma_.lower() in PLURALE:
        return False
    if noun.dep_ == "nsubj" and noun.head.lemma_.lower() in OCCURRENCE:
        return False  # "riots are still continuing", "protests erupted"
    determiners = children(noun, "det", "poss", "nummod")
    return not any(d.lower_ not in ("some", "many", "more", "several") for d in determiners)


def _depth(token: Token) -> int:
    return sum(1 for _ in token.ancestors)
