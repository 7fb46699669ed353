"""Status (happened, planned, hypothetical, negated, claimed) and mention role of an event.

Read from the clause that carries the event (the verb, the light verb or frame above a noun,
the verb a noun is the object of):

- **negated**: ``not``/``never``/``no`` on that clause, a ``deny`` frame, ``failed to``. A
  cooperative act negated in the future ("will not accept refugees", "would not meet the
  demands") is a refusal: REJECT, as PLOVER codes it.
- **hypothetical**: inside an ``if``/``unless`` clause, or under ``could``/``might``/``may``, or
  ``would`` that no reporting verb turns into a future-in-the-past.
- **planned**: ``will``/``shall``, ``going to``, ``be to``/``be set to``, a headline's bare
  infinitive ("Pakistan-US to Initiate Talks"), ``would`` after a reporting verb, a planning
  frame ("plans to"), a modifier such as ``upcoming``/``planned``/``next``. A planned event's
  type becomes what PLOVER codes the future as (CONSULT, SUPPORT, COOPERATE, AID -> AGREE;
  RETREAT -> CONCEDE; ASSAULT, COERCE, SANCTION, MOBILIZE, PROTEST -> THREATEN) and the original
  type is kept as ``planned_type``.
- **claimed**: ``allegedly``, ``reportedly``, ``purportedly``; inside what someone ``claimed``
  or ``alleged``, or what ``is believed``/``is said``.
- else **happened**. Precedence: negated, hypothetical, planned, claimed, happened.

Mention role: **background** for an event that is only referred to: a noun not carried by a
light verb or frame that is the argument of another word ("condolences on the recent bombing"),
or anything in a ``since``/``after``/``following``/``before`` clause; else **main**.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from khabar.events.syntax import Token, children
from khabar.events.triggers import (
    COOPERATIVE,
    OCCURRENCE,
    REPORTING,
    Core,
    _choice_mode,
    future_type,
    threat_mode,
)

Status = Literal["happened", "planned", "hypothetical", "negated", "claimed"]
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "ll"})
POSSIBLE_AUX = frozenset({"could", "might", "may"})
CLAIM_ADVERBS = frozenset({"allegedly", "reportedly", "purportedly", "supposedly", "apparently"})
CLAIM_VERBS = frozenset({"claim", "allege", "purport", "rumour", "rumor"})
HEARSAY_PASSIVES = frozenset({"believe", "say", "think", "report", "suspect", "rumour", "rumor"})
PLANNED_MODIFIERS = frozenset(
    {"upcoming", "planned", "proposed", "scheduled", "next", "future", "forthcoming", "expected"}
)
BACKGROUND_MARKS = frozenset({"since", "after", "following", "before", "until"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})
ARGUMENT_DEPS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "poss", "attr", "appos", "conj"})


@dataclass(frozen=True)
class Coded:
    """The status of a mention, and its type, mode and planned type after the status rules."""

    status: Status
    type: str
    mode: str | None
    planned_type: str | None
    cue: Token | None  # the word that decided the status, for evidence


def code_status(core: Core) -> Coded:
    clause = _clause(core)
    negation = _negation(core, clause)
    future = _future(core, clause)
    if negation is not None:
        if future is not None and core.type in COOPERATIVE and core.frame is None:
            return Coded("happened", "REJECT", _choice_mode(core.type, core.mode), None, negation)
        return Coded("negated", core.type, core.mode, core.planned_type, negation)
    possible = _hypothetical(clause)
    if possible is not None:
        return Coded("hypothetical", core.type, core.mode, core.planned_type, possible)
    if future is not None or core.planned:
        return _planned(core, future)
    claim = _claimed(clause)
    if claim is not None:
        return Coded("claimed", core.type, core.mode, core.planned_type, claim)
    return Coded("happened", core.type, core.mode, core.planned_type, None)


def _planned(core: Core, cue: Token | None) -> Coded:
    if core.frame is not None:
        return Coded("planned", core.type, core.mode, core.planned_type, cue)
    changed = future_type(core.type)
    if changed == core.type:
        return Coded("planned", core.type, core.mode, core.planned_type, cue)
    mode = threat_mode(core.type, core.mode) if changed == "THREATEN" else None
    return Coded("planned", changed, mode, core.type, cue)


def _clause(core: Core) -> Token:
    """The word whose auxiliaries and adverbs decide the status."""
    if core.frame is not None:
        return core.trigger
    token = core.clause
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
        return token.head
    return token


def _negation(core: Core, clause: Token) -> Token | None:
    if core.negated:
        return core.controller or core.trigger
    for token in (clause, core.token):
        for child in token.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return child
    return None


def _future(core: Core, clause: Token) -> Token | None:
    for token in _chain(clause):
        for aux in children(token, "aux", "auxpass"):
            word = aux.lower_.replace("’", "'")
            if word in FUTURE_AUX:
                return aux
            if word == "would" and _under_reporting(token):
                return aux
            if word == "to" and token.dep_ == "ROOT":
                return aux  # a headline's "Pakistan-US to Initiate Talks"
        going = token.head.lemma_ != "go" or token.head.tag_ == "VBG"  # "is going to"
        if token.dep_ == "xcomp" and token.head.lemma_ in ("go", "be", "set") and going:
            return token.head
    for child in core.token.children:
        if child.dep_ in ("amod", "compound") and child.lower_ in PLANNED_MODIFIERS:
            return child
    return None


def _chain(token: Token) -> list[Token]:
    """The clause word, and the verbs it is coordinated under (their auxiliaries are shared)."""
    found = [token]
    current = token
    while current.dep_ == "conj" and current.head.pos_ in ("VERB", "AUX"):
        current = current.head
        found.append(current)
    return found


def _under_reporting(token: Token) -> bool:
    return any(a.lemma_.lower() in REPORTING for a in token.ancestors)


def _hypothetical(clause: Token) -> Token | None:
    for token in [clause, *clause.ancestors]:
        marks = [c for c in token.children if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS]
        if marks and token.dep_ in ("advcl", "ccomp"):
            return marks[0]
        if token.dep_ not in ("conj", "xcomp", "advcl", "ccomp"):
            break
    for aux in children(clause, "aux"):
        if aux.lower_ in POSSIBLE_AUX:
            return aux
        if aux.lower_ == "would" and not _under_reporting(clause):
            return aux
    return None


def _claimed(clause: Token) -> Token | None:
    for token in [clause, *clause.ancestors]:
        for child in token.children:
            if child.dep_ == "advmod" and child.lower_ in CLAIM_ADVERBS:
                return child
        lemma = token.lemma_.lower()
        if token is not clause and lemma in CLAIM_VERBS:
            return token
        if token is not clause and lemma in HEARSAY_PASSIVES and children(token, "auxpass"):
            return token
    return None


def mention_role(core: Core) -> Literal["main", "background"]:
    clause = core.clause
    for token in [clause, *clause.ancestors]:
        marks = [
            c for c in token.children if c.dep_ in ("mark", "prep") and c.lower_ in BACKGROUND_MARKS
        ]
        if marks and token.dep_ in ("advcl", "pcomp", "pobj"):
            return "background"
        if token.dep_ == "pobj" and token.head.lower_ in BACKGROUND_MARKS:
            return "background"
    if core.nominal and core.governor is None and core.frame is None:
        token = core.token
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in OCCURRENCE:
            return "main"
        if token.dep_ in ARGUMENT_DEPS and token.head != token:
            return "background"
    return "main"
