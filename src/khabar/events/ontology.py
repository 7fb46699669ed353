"""The PLOVER ontology khabar codes in, read once from ``khabar/data/ontology/plover.json``.

The file holds the 16 event types with their quad, modes and definitions, the context tags, the
statuses, the CAMEO root of each type (and of modes that CAMEO put under another root), and the
rules that map a coded event to an ACLED event type and sub-event type. Everything that names a
type, mode or context elsewhere (the trigger lexicon, the stage) is checked against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from khabar.core.errors import ConfigError

DATA = "data/ontology"

# What "future" turns a type into (PLOVER: future cooperation is AGREE, a future conflictual act
# is a THREAT, a future RETREAT is a CONCEDE; verbal types stay what they are).
FUTURE_TYPE = {
    "CONSULT": "AGREE",
    "SUPPORT": "AGREE",
    "COOPERATE": "AGREE",
    "AID": "AGREE",
    "RETREAT": "CONCEDE",
    "ASSAULT": "THREATEN",
    "COERCE": "THREATEN",
    "SANCTION": "THREATEN",
    "MOBILIZE": "THREATEN",
    "PROTEST": "THREATEN",
}


@dataclass(frozen=True)
class EventType:
    name: str
    quad: str
    cameo: str
    definition: str
    modes: dict[str, str]


@dataclass(frozen=True)
class AcledRule:
    """One row of the ACLED mapping: conditions on type, mode, cue words and who took part."""

    type: str
    event_type: str
    sub_event_type: str
    modes: frozenset[str] = frozenset()
    cues: frozenset[str] = frozenset()
    who: str | None = None


@dataclass(frozen=True)
class Ontology:
    types: dict[str, EventType]
    contexts: dict[str, str]
    statuses: dict[str, str]
    cameo_by_mode: dict[str, dict[str, str]]
    disorder_types: dict[str, str]
    acled_event_types: dict[str, list[str]]
    acled_rules: tuple[AcledRule, ...] = field(default=())

    def is_mode(self, type_: str, mode: str) -> bool:
        return type_ in self.types and mode in self.types[type_].modes

    def cameo(self, type_: str, mode: str | None) -> str | None:
        """The CAMEO root code (two digits) of a type, refined by mode where CAMEO splits it."""
        if type_ not in self.types:
            return None
        by_mode = self.cameo_by_mode.get(type_, {})
        return by_mode.get(mode or "", self.types[type_].cameo)


@cache
def load_ontology() -> Ontology:
    """The packaged ontology, parsed and checked once per process."""
    raw = json.loads(_read("plover.json"))
    return parse_ontology(raw)


def parse_ontology(raw: dict[str, Any]) -> Ontology:
    types = {
        name: EventType(name, spec["quad"], spec["cameo"], spec["definition"], dict(spec["modes"]))
        for name, spec in raw["types"].items()
    }
    acled = raw["acled"]
    rules = tuple(
        AcledRule(
            type=rule["type"],
            event_type=rule["acled"][0],
            sub_event_type=rule["acled"][1],
            modes=frozenset(rule.get("modes", ())),
            cues=frozenset(rule.get("cues", ())),
            who=rule.get("who"),
        )
        for rule in acled["rules"]
    )
    ontology = Ontology(
        types=types,
        contexts=dict(raw["contexts"]),
        statuses=dict(raw["statuses"]),
        cameo_by_mode={k: dict(v) for k, v in raw.get("cameo_by_mode", {}).items()},
        disorder_types=dict(acled["disorder_types"]),
        acled_event_types={k: list(v) for k, v in acled["event_types"].items()},
        acled_rules=rules,
    )
    _check(ontology, raw)
    return ontology


def _check(ontology: Ontology, raw: dict[str, Any]) -> None:
    problems: list[str] = []
    quads = set(raw["quads"])
    for t in ontology.types.values():
        if t.quad not in quads:
            problems.append(f"type {t.name} has unknown quad {t.quad!r}")
    for rule in ontology.acled_rules:
        if rule.type not in ontology.types:
            problems.append(f"ACLED rule for unknown type {rule.type!r}")
        problems += [
            f"ACLED rule {rule.type}: unknown mode {m!r}"
            for m in rule.modes
            if not ontology.is_mode(rule.type, m)
        ]
        if rule.sub_event_type not in ontology.acled_event_types.get(rule.event_type, []):
            problems.append(f"ACLED rule: {rule.event_type} / {rule.sub_event_type} is unknown")
    for type_, modes in ontology.cameo_by_mode.items():
        problems += [f"cameo_by_mode {type_}/{m}" for m in modes if not ontology.is_mode(type_, m)]
    if problems:
        raise ConfigError("the packaged PLOVER ontology is inconsistent: " + "; ".join(problems))


def _read(name: str) -> str:
    return resources.files("khabar").joinpath(f"{DATA}/{name}").read_text(encoding="utf-8")


def read_table(name: str) -> list[list[str]]:
    """The rows of a packaged tab-separated file, comments and blank lines left out."""
    rows = []
    for line in _read(name).splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows
