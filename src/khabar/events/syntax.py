"""Small questions asked of a spaCy dependency parse: subjects, objects, modifiers, negation.

Every function takes spaCy tokens (typed ``Any``: spaCy ships no type information) and returns
tokens or plain values; none of them knows about events.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Token = Any

SUBJECTS = ("nsubj", "expl")
OBJECTS = ("dobj", "attr", "oprd")
CLAUSAL = ("xcomp", "ccomp")


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Pakistan and the United States")."""
    found = [token]
    for conj in token.conjuncts:
        if conj not in found:
            found.append(conj)
    return found


def subject(verb: Token) -> Token | None:
    """The active subject of a verb, looking through auxiliaries, conjuncts and relatives."""
    for token in _clause_heads(verb):
        for child in token.children:
            if child.dep_ in SUBJECTS:
                if child.lower_ in ("who", "which", "that") and token.dep_ == "relcl":
                    return token.head
                return child
    if verb.dep_ in ("relcl", "acl") and verb.tag_ != "VBN":
        return verb.head
    return None


def passive_subject(verb: Token) -> Token | None:
    for token in _clause_heads(verb):
        for child in token.children:
            if child.dep_ in ("nsubjpass", "csubjpass"):
                return child
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head
    return None


def agent(verb: Token) -> Token | None:
    """The ``by`` phrase of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            objects = children(child, "pobj")
            if objects:
                return objects[0]
    return None


def direct_object(token: Token) -> Token | None:
    """The object of a verb (through a particle: "hand over X"), or a passive subject."""
    found = children(token, *OBJECTS)
    if found:
        return found[0]
    for prt in children(token, "prt"):
        found = children(prt, "pobj")
        if found:
            return found[0]
    if token.pos_ in ("VERB", "AUX"):
        return passive_subject(token)
    return None


def prep_objects(token: Token, *preps: str) -> Iterator[tuple[str, Token]]:
    """``(preposition, object)`` for the token's prepositional phrases (optionally only some)."""
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and (not preps or child.lower_ in preps):
            for obj in children(child, "pobj", "pcomp"):
                yield child.lower_, obj
    for child in token.children:
        if child.dep_ == "prt" and (not preps or child.lower_ in preps):
            for obj in children(child, "pobj"):
                yield child.lower_, obj


def particle(token: Token) -> str | None:
    found = children(token, "prt")
    return found[0].lower_ if found else None


def _clause_heads(verb: Token) -> list[Token]:
    """The verb, and, for a verb coordinated with an earlier one, that earlier verb too."""
    heads = [verb]
    current = verb
    while current.dep_ == "conj" and current.head.pos_ in ("VERB", "AUX"):
        current = current.head
        heads.append(current)
    if verb.dep_ in ("xcomp",) and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
        heads.append(verb.head)
    return heads


def noun_phrase(token: Token) -> tuple[int, int]:
    """Character offsets (in the doc) of a noun's phrase up to the head: modifiers on its left."""
    start = token.idx
    for child in token.lefts:
        if child.dep_ in ("compound", "amod", "det", "nummod", "poss", "nmod", "quantmod"):
            start = min(start, child.left_edge.idx)
    return start, token.idx + len(token.text)
