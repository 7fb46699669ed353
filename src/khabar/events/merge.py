"""One real-world event mentioned several times in an article becomes one event.

Two mentions are the same event when they agree on type, status and planned type, and on
everything both of them say: their participants name the same countries (or one's actors are
among the other's), their places are the same place or one lies in the other's country, their
times overlap, their counts of dead overlap. On top of that they must be linked: the same
participants (at least one named actor each), or a definite reference ("the conference", "the
blast") to an earlier mention of that type. Mentions are taken in text order; each joins the
first earlier event it fits.

The merged event keeps the first mention's trigger and sentence (its id therefore follows the
first mention), lists every mention's sentence in ``mentions``, unites participants and
evidence, and takes each slot (place, time, counts) from the most confident mention that has
it. It is a main mention if any of its mentions is.
"""

from __future__ import annotations

from typing import TypeVar

from khabar.core.article import Casualties, Event, EventParticipant, EventPlace, EventTime, Span
from khabar.events.participants import grounded, guessed

Slot = TypeVar("Slot", EventPlace, EventTime)
DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def merge_events(events: list[Event], definite: dict[str, bool]) -> list[Event]:
    """Merge coreferent mentions; ``definite[id]`` says a mention is a definite noun phrase."""
    merged: list[Event] = []
    for event in events:
        is_definite = definite.get(event.id, False)
        order = reversed(merged) if is_definite and not _who(event) else iter(merged)
        host = next((m for m in order if same_event(m, event, is_definite)), None)
        if host is None:
            merged.append(event)
        else:
            merged[merged.index(host)] = absorb(host, event)
    return merged


def same_event(a: Event, b: Event, b_definite: bool) -> bool:
    if (a.type, a.status, a.planned_type) != (b.type, b.status, b.planned_type):
        return False
    if not (_places_agree(a.place, b.place) and _times_agree(a.time, b.time)):
        return False
    if not _counts_agree(a.killed, b.killed):
        return False
    people_a, people_b = _who(a), _who(b)
    if people_a and people_b:
        return _participants_agree(a, b)
    return b_definite and not people_b


def _who(event: Event) -> list[EventParticipant]:
    return [p for p in [*event.actors, *grounded(event.targets)] if p.actor is not None]


def _participants_agree(a: Event, b: Event) -> bool:
    countries_a = {p.country for p in _who(a) if p.country}
    countries_b = {p.country for p in _who(b) if p.country}
    if countries_a and countries_b and countries_a == countries_b:
        return True
    # A verbal event told from one side ("He also discussed ... with") is part of the meeting
    # both sides attended; violence needs the same sides.
    nested = countries_a <= countries_b or countries_b <= countries_a
    if a.type != "ASSAULT" and countries_a and countries_b and nested:
        return True
    actors_a = {p.actor for p in _who(a)}
    actors_b = {p.actor for p in _who(b)}
    return bool(actors_a) and (actors_a <= actors_b or actors_b <= actors_a)


def _places_agree(a: EventPlace | None, b: EventPlace | None) -> bool:
    if a is None or b is None:
        return True
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    if (a.name or a.text).casefold() == (b.name or b.text).casefold():
        return True
    if a.precision == "country" or b.precision == "country":
        return a.country is not None and a.country == b.country
    return False


def _times_agree(a: EventTime | None, b: EventTime | None) -> bool:
    if a is None or b is None:
        return True
    return a.value.start <= b.value.end and b.value.start <= a.value.end


def _counts_agree(a: Casualties | None, b: Casualties | None) -> bool:
    if a is None or b is None:
        return True
    low_a, high_a = _range(a)
    low_b, high_b = _range(b)
    return low_a <= high_b and low_b <= high_a


def _range(c: Casualties) -> tuple[float, float]:
    low = c.low if c.low is not None else (c.best if c.best is not None else 0)
    high = c.high if c.high is not None else (c.best if c.best is not None else float("inf"))
    return float(low), float(high)


def absorb(host: Event, other: Event) -> Event:
    """``host`` with ``other``'s mention added: participants, evidence and missing slots."""
    return host.model_copy(
        update={
            "mentions": _spans([*host.mentions, *other.mentions]),
            "actors": _union(host.actors, other.actors),
            "targets": _union(host.targets, other.targets),
            "place": _better(host.place, other.place),
            "time": _narrower(host.time, other.time),
            "killed": host.killed or other.killed,
            "injured": host.injured or other.injured,
            "mode": host.mode or other.mode,
            "context": sorted(set(host.context) | set(other.context)),
            "evidence": [*host.evidence, *(e for e in other.evidence if e not in host.evidence)],
            "confidence": max(host.confidence, other.confidence),
            "mention_role": "main"
            if "main" in (host.mention_role, other.mention_role)
            else "background",
            "acled": host.acled or other.acled,
        }
    )


def _spans(spans: list[Span]) -> list[Span]:
    seen: list[Span] = []
    for span in spans:
        if span not in seen:
            seen.append(span)
    return seen


def _union(a: list[EventParticipant], b: list[EventParticipant]) -> list[EventParticipant]:
    """Both mentions' participants, one per actor: a word of the parse over a guess, then the
    more confident."""
    kept = list(a)
    for p in b:
        same = next(
            (
                i
                for i, q in enumerate(kept)
                if (p.actor is not None and q.actor == p.actor)
                or (q.start, q.end) == (p.start, p.end)
            ),
            None,
        )
        if same is None:
            kept.append(p)
        elif _surer(p, kept[same]):
            kept[same] = p
    return kept


def _surer(p: EventParticipant, q: EventParticipant) -> bool:
    if guessed(p) != guessed(q):
        return guessed(q)
    return p.confidence > q.confidence


def _narrower(a: EventTime | None, b: EventTime | None) -> EventTime | None:
    """Of two agreeing times of one event, the more precise: "on Friday" in the lede says
    more than "the deadliest attack this year" in the next sentence, however surely each was
    read (then the surer one)."""
    if a is None or b is None:
        return a or b
    days_a = (a.value.end - a.value.start).days
    days_b = (b.value.end - b.value.start).days
    if days_a != days_b:
        return a if days_a < days_b else b
    return _better(a, b)


def _better(a: Slot | None, b: Slot | None) -> Slot | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if b.confidence > a.confidence else a
