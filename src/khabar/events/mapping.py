"""A coded event's ACLED event type / sub-event type and its CAMEO root code.

The ACLED rules are data (``plover.json``, ``acled.rules``), tried in order; the first whose
conditions hold gives the event type and sub-event type, and the event type gives ACLED's
disorder type. A rule's conditions: the PLOVER type; a mode among ``modes``; a word among
``cues`` in the sentence ("grenade", "ceasefire"); and ``who`` took part:

- ``territory_state`` / ``territory_nonstate``: a capture of territory (capture, seize, overrun,
  retake, recapture, liberate, invade) by a state force (GOV, MIL, COP, PRM) or by anyone else;
- ``two_armed_sides``: both sides armed (MIL, REB, PRM, UAF, COP, CRM) or a battle word (clash,
  fighting, battle, gunbattle, firefight, shootout);
- ``armed_actor``: the actor is an armed group or force.

Verbal events (CONSULT, SUPPORT, ACCUSE, REQUEST, ...) have no ACLED code: they are outside
ACLED's scope. CAMEO: the root of the type, refined by mode where CAMEO files the mode under
another root (ASSAULT with small arms, heavy weapons or aircraft is 19, with CBRN weapons 20;
ACCUSE investigate is 09).
"""

from __future__ import annotations

from collections.abc import Collection

from khabar.core.article import AcledCode, EventParticipant
from khabar.events.ontology import AcledRule, Ontology

STATE_FORCES = frozenset({"GOV", "MIL", "COP", "PRM"})
ARMED = frozenset({"MIL", "REB", "PRM", "UAF", "COP", "CRM"})
TERRITORY_WORDS = frozenset(
    {"capture", "seize", "overrun", "retake", "recapture", "liberate", "invade", "take"}
)
BATTLE_WORDS = frozenset(
    {"clash", "fighting", "fight", "battle", "gunbattle", "firefight", "shootout"}
)


def acled_code(
    ontology: Ontology,
    type_: str,
    mode: str | None,
    actors: list[EventParticipant],
    targets: list[EventParticipant],
    words: Collection[str],
    territory: bool,
) -> AcledCode | None:
    """The first ACLED rule that fits, or None (verbal events, or nothing fits)."""
    for rule in ontology.acled_rules:
        if _fits(rule, type_, mode, actors, targets, words, territory):
            return AcledCode(
                disorder_type=ontology.disorder_types.get(rule.event_type),
                event_type=rule.event_type,
                sub_event_type=rule.sub_event_type,
            )
    return None


def _fits(
    rule: AcledRule,
    type_: str,
    mode: str | None,
    actors: list[EventParticipant],
    targets: list[EventParticipant],
    words: Collection[str],
    territory: bool,
) -> bool:
    if rule.type != type_:
        return False
    if rule.modes and mode not in rule.modes:
        return False
    if rule.cues and not any(cue in words for cue in rule.cues):
        return False
    return rule.who is None or _who(rule.who, actors, targets, words, territory)


def _who(
    who: str,
    actors: list[EventParticipant],
    targets: list[EventParticipant],
    words: Collection[str],
    territory: bool,
) -> bool:
    actor_sectors = {a.sector for a in actors if a.sector}
    target_sectors = {t.sector for t in targets if t.sector}
    if who == "territory_state":
        return territory and bool(actor_sectors & STATE_FORCES)
    if who == "territory_nonstate":
        return territory and bool(actor_sectors) and not actor_sectors & STATE_FORCES
    if who == "two_armed_sides":
        both = bool(actor_sectors & ARMED) and bool(target_sectors & ARMED)
        return both or any(w in BATTLE_WORDS for w in words)
    if who == "armed_actor":
        return bool(actor_sectors & ARMED)
    return False


def is_territorial(trigger_lemma: str, place_object: bool) -> bool:
    return trigger_lemma in TERRITORY_WORDS and place_object
