"""How many were killed and injured: low / best / high, with the words that say so.

A casualty word (``kill``, ``die``, ``dead``, ``death``, ``lives``, ``toll``; ``wound``,
``injure``, ``hurt``, ``injuries``; ``casualties`` for both) belonging to the event (in its
subtree, or, when the event is the only violent one of its sentence, anywhere in the sentence)
points at the victims: the object of an active verb, the subject of a passive one, "the death of
X", "the lives of X", "X dead", "the toll rose to X". The victims are counted:

- a number, in digits or words: "12" is 12; "a policeman and two civilians" is 1 + 2 = 3;
- qualified: "at least 12" low 12 (best 12, high open); "more than 12" low 13; "up to 12" high
  12; "about"/"around"/"nearly"/"some 12" best 12;
- vague: "dozens" 24-99, "scores" 40-99, "hundreds" 200-999, "thousands" 2,000-9,999, "tens of
  thousands" 20,000-99,999, "several" 3-9, "a few" 2-5, "a dozen" 12 (best);
- none: "no casualties", "no one was killed", "without casualties" are 0.

"killed 5 and wounded 20" gives killed 5 and injured 20. "killing or wounding 50" mixes the two
and is not counted. Victims with no number ("civilians were killed") give no count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from khabar.core.article import Casualties, Evidence
from khabar.events.syntax import Token, children, conjuncts
from khabar.events.triggers import Core
from khabar.nlp.numbers import CARDINALS

METHOD = "events.casualties"
KILL_VERBS = frozenset(
    {
        "kill",
        "murder",
        "assassinate",
        "slay",
        "behead",
        "execute",
        "massacre",
        "slaughter",
        "die",
        "perish",
    }
)
HURT_VERBS = frozenset({"wound", "injure", "hurt", "maim"})
KILL_NOUNS = frozenset({"death", "fatality", "life", "toll", "dead", "body", "corpse"})
HURT_NOUNS = frozenset({"injury", "wounded", "injured"})
BOTH_NOUNS = frozenset({"casualty"})
UNITS = {
    "zero": 0,
    **CARDINALS,
    "dozen": 12,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "several": (3, 9),
    "few": (2, 5),
    "many": (2, None),
    "numerous": (2, None),
    "tens": (20, 99),
}
SINGULAR_DETS = frozenset({"a", "an", "one", "another", "single"})
PEOPLE_WORDS = frozenset(
    {"people", "person", "persons", "civilians", "others", "another", "bodies"}
)


@dataclass(frozen=True)
class Count:
    low: int | None
    best: int | None
    high: int | None
    start: int  # offsets in the sentence doc
    end: int


def find_casualties(
    core: Core, text: str, offset: int, violent_cores: int
) -> tuple[Casualties | None, Casualties | None]:
    """``(killed, injured)`` for one mention; ``offset`` is the sentence's start in ``text``."""
    doc = core.token.doc
    scope = _scope(core, doc, violent_cores)
    killed: list[tuple[Count, Token]] = []
    injured: list[tuple[Count, Token]] = []
    for word in scope:
        kind = _kind(word)
        if kind is None:
            continue
        if _mixed(word):
            continue
        count = _victims(word)
        if count is None:
            continue
        if kind in ("killed", "both"):
            killed.append((count, word))
        if kind in ("injured", "both"):
            injured.append((count, word))
    return _best(killed, text, offset), _best(injured, text, offset)


def _scope(core: Core, doc: Token, violent_cores: int) -> list[Token]:
    if violent_cores <= 1:
        return list(doc)
    words: list[Token] = []
    for root in (core.token, *core.folded, *([core.governor] if core.governor is not None else [])):
        words += [t for t in root.subtree if t not in words]
        if root.dep_ in ("nsubj", "nsubjpass"):
            words += [t for t in root.head.subtree if t not in words]
    return words


def _kind(word: Token) -> str | None:
    lemma = word.lemma_.lower()
    if word.pos_ in ("VERB", "AUX"):
        if lemma in KILL_VERBS:
            return "killed"
        if lemma in HURT_VERBS:
            return "injured"
        return None
    if word.pos_ in ("NOUN", "ADJ", "PROPN"):
        if lemma in KILL_NOUNS or word.lower_ == "dead":
            return "killed"
        if lemma in HURT_NOUNS or word.lower_ in ("wounded", "injured"):
            return "injured"
        if lemma in BOTH_NOUNS:
            return "both"
    return None


def _mixed(word: Token) -> bool:
    """ "killing or wounding 50": one count for both, which cannot be split."""
    for other in conjuncts(word)[1:]:
        if any(c.lower_ == "or" for c in word.children) and _kind(other) not in (None, _kind(word)):
            return True
    return (
        word.dep_ == "conj"
        and any(c.lower_ == "or" for c in word.head.children)
        and _kind(word.head) not in (None, _kind(word))
    )


def _victims(word: Token) -> Count | None:
    if _none_said(word):
        return Count(0, 0, 0, word.idx, word.idx + len(word.text))
    for phrase in _victim_phrases(word):
        count = count_phrase(phrase)
        if count is not None:
            return count
    return None


def _none_said(word: Token) -> bool:
    for child in word.children:
        if child.lower_ == "no" and child.dep_ in ("det", "neg"):
            return True
        if child.dep_ in ("nsubjpass", "nsubj") and child.lower_ in ("no", "none", "nobody"):
            return True
        if child.dep_ in ("nsubjpass", "nsubj") and any(c.lower_ == "no" for c in child.children):
            return True
    return word.head.lower_ == "without" or any(
        c.lower_ == "without" for c in [word.head] if word.dep_ == "pobj"
    )


def _victim_phrases(word: Token) -> list[Token]:
    if word.pos_ in ("VERB", "AUX"):
        found = children(word, "dobj", "nsubjpass")
        if word.lemma_.lower() in ("die", "perish"):
            found += children(word, "nsubj")
        if not found and word.dep_ == "conj":
            found += children(word.head, "nsubjpass")
        return found
    if word.lemma_.lower() in ("death", "life", "casualty", "injury", "fatality"):
        found = [
            o
            for p in children(word, "prep")
            if p.lower_ in ("of", "to", "among")
            for o in children(p, "pobj")
        ]
        found += children(word, "nummod")
        if not found and word.dep_ in ("dobj", "pobj") and word.head.pos_ == "VERB":
            found += children(word.head, "nsubj")
        return found or [word]
    if word.lemma_.lower() == "toll":
        found = [
            o
            for p in children(word, "prep")
            if p.lower_ in ("of", "to", "at")
            for o in children(p, "pobj")
        ]
        verb = word.head
        found += [
            o
            for p in children(verb, "prep")
            if p.lower_ in ("to", "at")
            for o in children(p, "pobj")
        ]
        found += children(verb, "attr")
        return found
    if word.lower_ in ("dead", "wounded", "injured") and word.dep_ in ("amod", "acomp", "oprd"):
        if word.dep_ == "amod":
            return [word.head]
        return children(word.head, "dobj", "nsubj")
    if word.lower_ in ("dead", "wounded", "injured"):
        return [word]
    return []


def count_phrase(head: Token) -> Count | None:
    """The number of people a noun phrase names, summing coordinated parts."""
    parts = [p for p in conjuncts(head) if p.lower_ not in ("themselves", "himself", "herself")]
    totals: list[Count] = []
    for part in parts:
        count = _count_one(part)
        if count is None:
            return None
        totals.append(count)
    if not totals:
        return None
    if len(totals) == 1:
        return totals[0]
    lows = [c.low for c in totals]
    bests = [c.best for c in totals]
    start = min(c.start for c in totals)
    end = max(c.end for c in totals)
    low = sum(x for x in lows if x is not None) if all(x is not None for x in lows) else None
    best = sum(x for x in bests if x is not None) if all(x is not None for x in bests) else None
    return Count(low, best, best, start, end)


def _count_one(noun: Token) -> Count | None:
    start = noun.left_edge.idx
    end = noun.idx + len(noun.text)
    word = noun.lower_
    if noun.pos_ == "NUM" or _number(word) is not None:
        return _qualified(_phrase_number(noun), noun, start, end)
    if word in VAGUE or (word == "dozen" and any(c.lower_ == "a" for c in noun.children)):
        if word == "tens" and any(t.lower_ == "thousands" for t in noun.subtree):
            return Count(
                20_000,
                None,
                99_999,
                start,
                max(end, noun.right_edge.idx + len(noun.right_edge.text)),
            )
        if word == "dozen":
            return Count(12, 12, 12, start, end)
        low, high = VAGUE[word]
        return Count(low, None, high, start, end)
    numbers = [
        c
        for c in noun.children
        if c.dep_ in ("nummod", "quantmod") or (c.dep_ == "amod" and c.lower_ in VAGUE)
    ]
    for child in numbers:
        if child.lower_ in VAGUE:
            low, high = VAGUE[child.lower_]
            return Count(low, None, high, start, end)
        value = _phrase_number(child)
        if value is not None:
            return _qualified(value, child, start, end)
    if (
        any(c.dep_ == "det" and c.lower_ in SINGULAR_DETS for c in noun.children)
        or (
            noun.tag_ in ("NN", "NNP") and noun.lower_ not in PEOPLE_WORDS and _is_person_noun(noun)
        )
    ) and noun.tag_ in ("NN", "NNP"):
        return Count(1, 1, 1, start, end)
    return None


def _is_person_noun(noun: Token) -> bool:
    return any(c.dep_ == "det" for c in noun.children) or noun.pos_ == "PROPN"


def _qualified(value: int | None, number: Token, start: int, end: int) -> Count | None:
    if value is None:
        return None
    words = " ".join(t.lower_ for t in number.doc[max(0, number.i - 3) : number.i])
    if re.search(r"\b(at least|no fewer than|no less than|a minimum of)$", words):
        return Count(value, value, None, start, end)
    if re.search(r"\b(more than|over|upwards of|in excess of)$", words):
        return Count(value + 1, value + 1, None, start, end)
    if re.search(r"\b(up to|as many as|at most|fewer than|less than|no more than)$", words):
        return Count(None, None, value, start, end)
    if re.search(r"\b(nearly|almost)$", words):
        return Count(None, value, value, start, end)
    return Count(value, value, value, start, end)


def _phrase_number(token: Token) -> int | None:
    """The value of a number written in digits or words, with its scale ("2.5 million")."""
    words = [t for t in token.subtree if t.pos_ == "NUM" or _number(t.lower_) is not None] or [
        token
    ]
    total, current = 0, 0
    found = False
    for t in words:
        value = _number(t.lower_)
        if value is None:
            continue
        found = True
        if t.lower_ in SCALES:
            current = max(current, 1) * value
            total += current
            current = 0
        else:
            current += value
    if not found:
        return None
    return total + current


def _number(word: str) -> int | None:
    cleaned = word.replace(",", "")
    if cleaned.isdigit():
        return int(cleaned)
    if re.fullmatch(r"\d+\.\d+", cleaned):
        return None
    if word in UNITS:
        return UNITS[word]
    if word in SCALES:
        return SCALES[word]
    if "-" in word:
        parts = word.split("-")
        values = [UNITS.get(p) for p in parts]
        if all(v is not None for v in values):
            return sum(v for v in values if v is not None)
    return None


def _best(found: list[tuple[Count, Token]], text: str, offset: int) -> Casualties | None:
    if not found:
        return None
    count, word = found[0]
    start = offset + min(count.start, word.idx)
    end = offset + max(count.end, word.idx + len(word.text))
    return Casualties(
        low=count.low,
        best=count.best,
        high=count.high,
        text=text[start:end],
        evidence=[
            Evidence.text_span(offset + count.start, offset + count.end),
            Evidence.text_span(offset + word.idx, offset + word.idx + len(word.text)),
        ],
        method=METHOD,
    )
