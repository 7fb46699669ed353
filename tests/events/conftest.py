"""Shared stages for the event tests: the upstream stages and the events stage, built once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from khabar import Article
from khabar.actors.stage import make_actors
from khabar.core.article import Evidence, TimeValue
from khabar.events.stage import EventCoder, make_events
from khabar.geo.stage import make_places
from khabar.nlp.entities import make_entities
from khabar.nlp.sentences import make_sentences
from khabar.time.stage import make_time_expressions

Code = Callable[..., Article]


@pytest.fixture(scope="session")
def coder() -> EventCoder:
    """The events stage with rules only (the classifier is tested apart with a stand-in)."""
    return make_events(typing="rules")


@pytest.fixture(scope="session")
def code(coder: EventCoder) -> Code:
    """Text in (and a publication date), coded article out: every stage the events stage
    requires, with their defaults, then the events stage."""
    upstream = [
        make_sentences(),
        make_time_expressions(),
        make_entities(),
        make_places(),
        make_actors(),
    ]

    def run(text: str, published: date | None = None, article_id: str = "t1") -> Article:
        article = Article.from_text(text, id=article_id)
        article.text = text
        if published is not None:
            article.claim(
                "published",
                TimeValue.day(published),
                method="test",
                evidence=Evidence.meta("test", published.isoformat()),
            )
        for stage in upstream:
            article = stage(article)
        done = coder(article)
        assert done.span_errors() == []
        return done

    return run
