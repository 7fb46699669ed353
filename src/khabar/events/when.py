"""When: the time of an event from its own time expression, else inherited, never invented.

1. **Own**: a time mention of the sentence (from the time stage, with its value) attached to
   the event's words, or to the clause around them without passing through another event or a
   reporting verb ("said on Friday that ... talks in March": the talks are in March, the saying
   on Friday). A background mention ("the recent bombing") carries its own expression, which the
   time stage already reads as an interval ending at the anchor.
2. **Sentence**: failing that, a time mention of the sentence attached to no other event.
3. **Inherited**: failing that, a main event that happened takes the time of the event before it
   in the same paragraph, flagged ``inherited`` at lower confidence.

A time expression without a value (no anchor: the article's publication date is unknown and the
expression is relative, "last week") gives the event *no* time rather than a guessed one. The
publication date is never used as an event's time.
"""

from __future__ import annotations

from khabar.core.article import EventTime, TimeMention
from khabar.events.syntax import Token
from khabar.events.triggers import REPORTING, Core

METHOD = "events.when"


def find_time(
    core: Core, offset: int, mentions: list[TimeMention], cores: list[Core]
) -> tuple[EventTime | None, bool]:
    """The event's own time, and whether the sentence had a time expression that was its own
    but could not be placed (then nothing may be inherited either)."""
    own = {t.i for t in (core.token, core.trigger, *core.folded)} | (
        {core.governor.i} if core.governor is not None else set()
    )
    others = {t.i for c in cores if c is not core for t in (c.token, c.trigger)} - own
    scored: list[tuple[int, int, TimeMention]] = []
    for mention in mentions:
        token = _head(core.token.doc, mention.start - offset, mention.end - offset)
        if token is None:
            continue
        distance = _reach(token, own, others)
        if distance is not None:
            scored.append((0, distance, mention))
        elif not _attached_elsewhere(token, others):
            scored.append((1, abs(token.i - core.trigger.i), mention))
    if not scored:
        return None, False
    tier, _, best = min(scored, key=lambda s: (s[0], s[1]))
    if best.value is None:
        return None, True
    confidence = (0.9 if tier == 0 else 0.6) * best.confidence
    return (
        EventTime(
            value=best.value,
            text=best.text,
            start=best.start,
            end=best.end,
            method=f"{METHOD}:{'own' if tier == 0 else 'sentence'}",
            confidence=round(confidence, 3),
        ),
        False,
    )


def inherit(previous: EventTime) -> EventTime:
    """The time of the event before, for an event with none of its own."""
    return EventTime(
        value=previous.value,
        text=previous.text,
        start=previous.start,
        end=previous.end,
        inherited=True,
        method=f"{METHOD}:inherited",
        confidence=round(previous.confidence * 0.5, 3),
    )


def _head(doc: object, start: int, end: int) -> Token | None:
    inside = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]  # type: ignore[attr-defined]
    for token in inside:
        if token.head not in inside or token.head == token:
            return token
    return None


def _reach(token: Token, own: set[int], others: set[int]) -> int | None:
    """Steps from the time word up to the event's words, if no other event or report is between."""
    steps, current = 0, token
    while current.i not in own:
        if current.head == current:
            return None
        if current is not token and (current.i in others or current.lemma_.lower() in REPORTING):
            return None
        current = current.head
        steps += 1
    return steps


def _attached_elsewhere(token: Token, others: set[int]) -> bool:
    return any(a.i in others or a.lemma_.lower() in REPORTING for a in token.ancestors)
