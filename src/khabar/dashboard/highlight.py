"""An article's text cut into pieces at every evidence span's edges, for highlighting.

Spans may overlap (a target inside the event's sentence, the trigger inside a casualty phrase),
so the text is cut at every edge and each piece carries every span that covers it. The pieces
stay plain text: the template escapes them, so nothing in an article is ever read as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any


@dataclass(frozen=True)
class Mark:
    """One span to show: where it is, what kind of evidence it is, and what it supports."""

    start: int
    end: int
    kind: str  # trigger, sentence, actor, target, place, time, killed, injured, mention, ...
    label: str
    anchor: str = ""  # the id the coded record links to, set on the span's first piece


@dataclass
class Piece:
    text: str
    start: int
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return sorted({m.kind for m in self.marks})

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(m.label for m in self.marks if m.kind != "sentence"))


def pieces(text: str, marks: Iterable[Mark]) -> list[Piece]:
    """``text`` cut at the edges of every mark (marks outside the text are dropped)."""
    inside = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    edges = sorted({0, len(text), *(m.start for m in inside), *(m.end for m in inside)})
    out = []
    for start, end in pairwise(edges):
        covering = [m for m in inside if m.start <= start and end <= m.end]
        anchors = [m.anchor for m in inside if m.anchor and m.start == start]
        out.append(Piece(text[start:end], start, covering, anchors))
    return out


def event_marks(record: dict[str, Any]) -> list[Mark]:
    """Every span an event record points at, named for the reader, each with an anchor."""
    found: list[Mark] = []

    def add(span: Any, kind: str, label: str, anchor: str) -> None:
        if isinstance(span, dict) and isinstance(span.get("start"), int):
            end = span.get("end")
            if isinstance(end, int):
                found.append(Mark(span["start"], end, kind, label, anchor))

    add(record.get("sentence"), "sentence", "the event's sentence", "ev-sentence")
    add(record.get("trigger"), "trigger", f"trigger: {record.get('type')}", "ev-trigger")
    for i, mention in enumerate(record.get("mentions") or []):
        if mention != record.get("sentence"):
            add(mention, "mention", "another mention of the event", f"ev-mention-{i}")
    for role in ("actors", "targets"):
        for i, who in enumerate(record.get(role) or []):
            name = who.get("canonical") or who.get("text") or ""
            add(who, role[:-1], f"{role[:-1]}: {name}", f"ev-{role[:-1]}-{i}")
    place = record.get("place")
    if place:
        add(place, "place", f"place: {place.get('name') or place.get('text')}", "ev-place")
    time = record.get("time")
    if time:
        add(time, "time", f"time: {_time_label(time)}", "ev-time")
    for harm in ("killed", "injured"):
        count = record.get(harm)
        if count:
            for i, span in enumerate(count.get("evidence") or []):
                add(span, harm, f"{harm}: {count.get('best')}", f"ev-{harm}-{i}")
    return found


def _time_label(time: dict[str, Any]) -> str:
    value = time.get("value") or {}
    start, end = value.get("start"), value.get("end")
    return str(start) if start == end else f"{start} to {end}"


def claim_marks(claims: Iterable[dict[str, Any]], text_length: int) -> Iterator[Mark]:
    """The text evidence of an article's claims (its title, date, authors...), but for spans
    over half the text (the language's evidence is the whole text: marking it says nothing)."""
    for i, claim in enumerate(claims):
        for j, evidence in enumerate(claim["evidence"]):
            if evidence["kind"] != "text" or evidence["start"] is None:
                continue
            if 2 * (evidence["end"] - evidence["start"]) <= text_length:
                state = "" if claim["accepted"] else "rejected "
                yield Mark(
                    evidence["start"],
                    evidence["end"],
                    "claim" if claim["accepted"] else "rejected",
                    f"{state}{claim['field']}",
                    f"claim-{i}-{j}",
                )
