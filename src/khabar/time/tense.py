"""The tense of the clause around a time expression, from the verbs nearest to it.

"will hold a conference in March" is future; "ended its ceasefire in November" is past. The
rule: within the clause (the sentence, cut at ";", ":", dashes and "but"), the tense marker
nearest to the expression decides. Markers:

- future: will, shall, 'll, won't, "is to"/"are to", going to, modal verbs (would, could,
  might, may, should), and verbs that look ahead followed by "to" (plans to, agreed to,
  scheduled to, expected to, set to, due to, vowed to...);
- past: was, were, had, did, "ago", irregular past forms (said, met, held...) and regular
  "-ed" forms, unless an auxiliary before them says otherwise ("will be held" is future,
  "is expected" is present);
- present: is, are, am, does, do, says, has, have (the present perfect reaches to the present:
  "has been closed since November"), and he/she/it before a verb in -s.

No parser is used: this is a heuristic, wrong for some clauses with several verbs, and it reads
only English. Without any marker the tense is unknown and resolution takes the nearest
occurrence, preferring the past.
"""

from __future__ import annotations

import re
from typing import Literal

from khabar.time.lexicon import word_set

Tense = Literal["past", "present", "future"]


WINDOW = 120  # characters looked at on each side of the expression, inside its clause
AFTER_WEIGHT = 2
MAX_WORDS = 15  # words looked at on each side: the verb of a time adverbial is seldom further
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_CLAUSE_BREAK = re.compile(r"[;:—–()\n]| - ")
_BREAK_WORDS = frozenset({"but", "while", "whereas"})

_FUTURE_WORDS = word_set(
    "will shall won't wo 'll would could might may should must can cannot going"
)
_FUTURE_BEFORE_TO = word_set(
    """plan plans planned planning agree agrees agreed decide decides decided expect expects
    expected schedule schedules scheduled set due slated poised intend intends intended aim aims
    aimed hope hopes hoped want wants wanted vow vows vowed promise promises promised pledge
    pledges pledged threaten threatens threatened prepare prepares prepared going is are am
    likely about seek seeks sought"""
)
_PAST_AUX = word_set("was were had did wasn't weren't hadn't didn't ago")
_PRESENT_AUX = word_set("is are am does do doesn't don't isn't aren't says")
_PERFECT_AUX = word_set("has have haven't hasn't")
_IRREGULAR_PAST = word_set(
    """said told went came met held took gave made saw began fell rose won lost left sent
    spent paid led fought struck shot stood thought brought bought caught taught built broke
    chose drove flew forgot froze got grew hid kept knew laid lent meant ran rang sat sank sold
    shook sang slept spoke stole swore threw understood woke wore wrote became found heard felt
    fled dealt drew ate overcame overtook withdrew undertook upheld sought swept wept bore
    arose awoke forbade forgave mistook oversaw rebuilt resold retook rewrote shone slid spun
    stuck stung strode strove swam swung tore trod underwent withheld withstood"""
)
_NOT_PAST_ED = word_set(
    """need feed seed speed bed red shed proceed exceed succeed hundred indeed embed breed
    greed creed deed weed steed freed united armed based alleged so-called biased talented
    skilled detailed advanced limited experienced interested concerned related"""
)
_SKIPPABLE = word_set(
    "not also already been being be just then still reportedly allegedly recently only n't"
)
_MARKER_WORDS = (
    _FUTURE_WORDS | _FUTURE_BEFORE_TO | _PAST_AUX | _PRESENT_AUX | _PERFECT_AUX | _IRREGULAR_PAST
) | {"be"}
# Words after which a past form is a participle or an adjective, not a tense of its own.
_COPULAS = word_set(
    """be been being is are am to get gets got remain remains remained stay stays stayed seem
    seems seemed appear appears appeared become becomes"""
)


def clause_tense(
    text: str,
    start: int,
    end: int,
    lo: int = 0,
    hi: int | None = None,
    *,
    regular_past: bool = True,
) -> Tense | None:
    """The tense of the clause around ``text[start:end]``, looking no further than ``[lo, hi)``
    (the sentence); None when nothing marks it. Without ``regular_past``, "-ed" forms are not
    read as past (in "closed until Friday" the form is an adjective)."""
    hi = len(text) if hi is None else hi
    left = _last_break(text, max(lo, start - WINDOW), start)
    stop = _CLAUSE_BREAK.search(text, end, min(hi, end + WINDOW))
    right = stop.start() if stop else min(hi, end + WINDOW)
    words = [(m.start(), m.group()) for m in _WORD.finditer(text, left, right)]
    first_after = next((i for i, (pos, _) in enumerate(words) if pos >= end), len(words))
    first_inside = next((i for i, (pos, _) in enumerate(words) if pos >= start), first_after)
    best: tuple[int, Tense] | None = None
    for i in range(first_inside - 1, max(-1, first_inside - 1 - MAX_WORDS), -1):  # nearest first
        if words[i][1] in _BREAK_WORDS:
            break
        tense = _marker(words, i, regular_past)
        if tense is not None:
            best = (start - words[i][0] - len(words[i][1]), tense)
            break
    for i in range(first_after, min(len(words), first_after + MAX_WORDS)):
        # English puts the verb before its time adverbial: a marker after the expression
        # counts at twice its distance.
        gap = AFTER_WEIGHT * (words[i][0] - end)
        if (best is not None and gap >= best[0]) or words[i][1] in _BREAK_WORDS:
            break
        tense = _marker(words, i, regular_past)
        if tense is not None:
            best = (gap, tense)
            break
    return best[1] if best else None


def _last_break(text: str, left: int, start: int) -> int:
    found = left
    for m in _CLAUSE_BREAK.finditer(text, left, start):
        found = m.end()
    return found


def _marker(words: list[tuple[int, str]], i: int, regular_past: bool = True) -> Tense | None:
    word = words[i][1]
    lower = word.lower()
    if lower not in _MARKER_WORDS and not lower.endswith(("ed", "s", "'ll", "’ll")):
        return None  # most words: settled without the checks below
    following = words[i + 1][1].lower() if i + 1 < len(words) else ""
    if lower.endswith("'ll") or (lower in _FUTURE_WORDS and word[0].islower()):
        if lower == "going" and following != "to":
            return None
        return "future"
    if lower in _FUTURE_BEFORE_TO and following == "to" and _verb_after_to(words, i + 2):
        return "future"
    previous = words[i - 1][1].lower() if i > 0 else ""
    if lower == "be" and previous == "to":
        return "future"  # "to be held on October 12"
    if previous in ("he", "she", "it") and lower.endswith("s") and lower not in _PAST_AUX:
        return "present"  # "when it arrives on November 11"
    if lower in _PAST_AUX:
        return "past"
    if lower in _PERFECT_AUX:
        return "present"  # "has fallen", "have talks": the present perfect reaches to now
    if lower in _PRESENT_AUX:
        return None if _participle_follows(words, i + 1) and lower in ("is", "are") else "present"
    if word[0].isupper() and i > 0:
        return None  # a name ("United", "Fred"), not a verb
    if lower in _IRREGULAR_PAST or (regular_past and _regular_past(lower)):
        return None if _auxiliary_before(words, i) else "past"
    return None


def _regular_past(word: str) -> bool:
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST_ED


def _verb_after_to(words: list[tuple[int, str]], j: int) -> bool:
    """Whether "to" starts a verb: "agreed to hold", not "agreed to the plan"."""
    if j >= len(words):
        return False
    word = words[j][1]
    return word[0].islower() and word not in ("the", "a", "an", "his", "her", "its", "their")


def _participle_follows(words: list[tuple[int, str]], j: int) -> bool:
    while j < len(words) and words[j][1].lower() in _SKIPPABLE:
        if words[j][1].lower() == "been":
            return True
        j += 1
    if j >= len(words):
        return False
    word = words[j][1].lower()
    return word in _IRREGULAR_PAST or _regular_past(word) or word.endswith("en")


def _auxiliary_before(words: list[tuple[int, str]], i: int) -> bool:
    """Whether an auxiliary governs the past form: "will be held", "is expected"."""
    j = i - 1
    while j >= 0 and words[j][1].lower() in _SKIPPABLE - {"been", "be", "being"}:
        j -= 1
    if j < 0:
        return False
    before = words[j][1].lower()
    return any(before in words for words in (_COPULAS, _FUTURE_WORDS, _PERFECT_AUX, _PAST_AUX))
