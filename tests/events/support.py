"""Helpers for the event tests."""

from __future__ import annotations

from khabar.core.article import Article, Event


def only(events: list[Event], type_: str) -> Event:
    """The one event of a type (the test fails if there is not exactly one)."""
    found = [e for e in events if e.type == type_]
    assert len(found) == 1, [(e.type, e.status) for e in events]
    return found[0]


def trigger_text(article: Article, event: Event) -> str:
    return article.text[event.trigger.start : event.trigger.end]


def participants(event: Event, side: str = "actors") -> set[str]:
    found = event.actors if side == "actors" else event.targets
    return {p.country or "" for p in found}
