"""Shared stages for the actor tests: built once, they cost a few seconds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from khabar import Article
from khabar.actors.stage import make_actors
from khabar.core.article import Actor
from khabar.nlp.entities import make_entities
from khabar.nlp.sentences import make_sentences

Resolve = Callable[[str], list[Actor]]


@pytest.fixture(scope="session")
def resolve() -> Resolve:
    """Text in, actors out: sentences, NER and actor resolution with their defaults."""
    sentences, entities, actors = make_sentences(), make_entities(), make_actors()

    def run(text: str) -> list[Actor]:
        article = Article.from_text(text)
        article.text = text
        done = actors(entities(sentences(article)))
        assert done.span_errors() == []
        return done.actors

    return run


Find = Callable[[str, str], Actor]


@pytest.fixture(scope="session")
def find(resolve: Resolve) -> Find:
    """``find(text, said)``: the actor with a mention covering the first ``said`` in ``text``."""

    def actor_for(text: str, said: str) -> Actor:
        actors = resolve(text)
        at = text.index(said)
        for actor in actors:
            if any(m.start <= at and at + len(said) <= m.end for m in actor.mentions):
                return actor
        raise AssertionError(f"no actor covers {said!r}: {[(a.text, a.mentions) for a in actors]}")

    return actor_for
