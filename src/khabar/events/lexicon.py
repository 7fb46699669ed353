"""khabar's trigger lexicon, word classes and context cues, read once from packaged TSV files.

``triggers.tsv`` lists, per word and part of speech, its readings in order: a PLOVER type (with
mode and contexts) or a frame (``LIGHT``, ``AGREE_TO``, ...) and the conditions under which the
reading holds. ``classes.tsv`` names the word classes those conditions use; ``contexts.tsv``
gives cue words for PLOVER context tags; ``weapons.tsv`` cue words for ASSAULT modes. Every
type, mode and context is checked against the ontology when the lexicon loads, so a typo fails
at start-up, not silently at run time.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from khabar.core.errors import ConfigError
from khabar.events.ontology import Ontology, load_ontology, read_table

FRAMES = frozenset(
    {"LIGHT", "AGREE_TO", "THREATEN_TO", "REJECT_TO", "REQUEST_TO", "PLAN_TO", "DENY", "FAIL_TO"}
)
NONE = "NONE"
POS = {"V": "verb", "N": "noun", "A": "adjective"}
CONDITION = re.compile(r"^(!?)(obj|subj|mod|prep|prt|xcomp|cause)(?:([:=])(.+))?$")


@dataclass(frozen=True)
class Condition:
    """One condition of a reading: ``obj:aid``, ``mod=air|drone``, ``xcomp``, ``!obj``..."""

    slot: str
    words: frozenset[str] = frozenset()
    word_class: str | None = None
    negated: bool = False


@dataclass(frozen=True)
class Reading:
    word: str
    pos: str
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    conditions: tuple[Condition, ...]

    @property
    def is_frame(self) -> bool:
        return self.type in FRAMES

    @property
    def is_event(self) -> bool:
        return self.type not in FRAMES and self.type != NONE


@dataclass(frozen=True)
class Lexicon:
    readings: dict[tuple[str, str], tuple[Reading, ...]]
    classes: dict[str, frozenset[str]]
    context_cues: dict[str, frozenset[str]]
    weapon_cues: tuple[tuple[str, frozenset[str]], ...] = ()

    def lookup(self, lemma: str, pos: str) -> tuple[Reading, ...]:
        return self.readings.get((lemma, pos), ())

    def in_class(self, word_class: str, *forms: str) -> bool:
        members = self.classes.get(word_class, frozenset())
        return any(f in members for f in forms)

    @property
    def words(self) -> frozenset[str]:
        return frozenset(word for word, _ in self.readings)


@cache
def load_lexicon() -> Lexicon:
    """The packaged lexicon, parsed and checked against the ontology once per process."""
    ontology = load_ontology()
    classes = {
        row[0]: frozenset(w.replace("_", " ") for w in row[1].split())
        for row in read_table("classes.tsv")
    }
    cues = {
        row[0]: frozenset(w.replace("_", " ") for w in row[1].split())
        for row in read_table("contexts.tsv")
    }
    weapons = tuple(
        (row[0], frozenset(w.replace("_", " ") for w in row[1].split()))
        for row in read_table("weapons.tsv")
    )
    grouped: dict[tuple[str, str], list[Reading]] = defaultdict(list)
    for number, row in enumerate(read_table("triggers.tsv"), start=1):
        reading = parse_reading(row, number)
        grouped[(reading.word, reading.pos)].append(reading)
    lexicon = Lexicon({k: tuple(v) for k, v in grouped.items()}, classes, cues, weapons)
    check_lexicon(lexicon, ontology)
    return lexicon


def parse_reading(row: list[str], number: int) -> Reading:
    if len(row) != 6:
        raise ConfigError(f"triggers.tsv row {number}: expected 6 tab-separated columns: {row}")
    word, pos, type_, mode, contexts, when = row
    if pos not in POS:
        raise ConfigError(f"triggers.tsv row {number}: part of speech {pos!r} is not V, N or A")
    conditions = tuple(parse_condition(c, number) for c in when.split(",") if c and c != "-")
    return Reading(
        word=word,
        pos=pos,
        type=type_,
        mode=None if mode == "-" else mode,
        contexts=() if contexts == "-" else tuple(contexts.split(",")),
        conditions=conditions,
    )


def parse_condition(text: str, number: int) -> Condition:
    match = CONDITION.match(text.strip())
    if not match:
        raise ConfigError(f"triggers.tsv row {number}: cannot read the condition {text!r}")
    negated, slot, kind, value = match.groups()
    if kind == ":":
        return Condition(slot, word_class=value, negated=bool(negated))
    words = frozenset(value.split("|")) if value else frozenset()
    return Condition(slot, words=words, negated=bool(negated))


def check_lexicon(lexicon: Lexicon, ontology: Ontology) -> None:
    problems: list[str] = []
    for readings in lexicon.readings.values():
        for r in readings:
            if r.is_event and r.type not in ontology.types:
                problems.append(f"{r.word}: unknown type {r.type}")
            if r.mode and r.is_event and not ontology.is_mode(r.type, r.mode):
                problems.append(f"{r.word}: {r.type} has no mode {r.mode!r}")
            problems += [
                f"{r.word}: unknown context {c}" for c in r.contexts if c not in ontology.contexts
            ]
            problems += [
                f"{r.word}: unknown class {c.word_class}"
                for c in r.conditions
                if c.word_class and c.word_class not in lexicon.classes
            ]
    problems += [
        f"contexts.tsv: unknown context {c}"
        for c in lexicon.context_cues
        if c not in ontology.contexts
    ]
    problems += [
        f"weapons.tsv: unknown ASSAULT mode {m}"
        for m, _ in lexicon.weapon_cues
        if not ontology.is_mode("ASSAULT", m)
    ]
    if problems:
        raise ConfigError("the packaged trigger lexicon is inconsistent: " + "; ".join(problems))
