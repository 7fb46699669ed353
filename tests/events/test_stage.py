"""The stage as a part: registration, settings, every span inside the text, bounded cost."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.core.article import Article, Span
from khabar.core.errors import ConfigError
from khabar.core.registry import stages
from khabar.events.stage import EventCoder, make_events
from khabar.nlp.sentences import split_sentences

WORDS = [
    "police",
    "arrested",
    "killed",
    "the",
    "rebels",
    "in",
    "Kabul",
    "on",
    "Monday",
    "will",
    "hold",
    "talks",
    "not",
    "attack",
    "dozens",
    "of",
    "people",
    "were",
    "wounded",
    "and",
    "protesters",
    "marched",
    "Pakistan",
    "agreed",
    "to",
    "meet",
    "2",
    "at",
    "least",
    "12",
    "said",
    "bombing",
    "—",
    "’s",
    "“",
    "”",
    ",",
    ".",
    "\n",
]


def test_registered_with_what_it_requires_and_assigns() -> None:
    part = stages.get("events.code.v1")
    assert part.requires == {"text", "sentences", "times", "entities", "places", "actors"}
    assert part.assigns == {"events"}


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ConfigError, match="typing"):
        make_events(typing="magic")
    with pytest.raises(ConfigError):
        make_events(classifier_weight=2.0)


def _bare(text: str) -> Article:
    article = Article.from_text(text, id="p")
    article.text = text
    article.sentences = [Span(start=s, end=e) for s, e in split_sentences(text)]
    return article


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_every_span_lies_inside_the_text(coder: EventCoder, words: list[str]) -> None:
    done = coder(_bare(" ".join(words)))
    assert done.span_errors() == []
    for event in done.events:
        assert 0 <= event.trigger.start < event.trigger.end <= len(done.text)
        assert event.sentence.start <= event.trigger.start < event.trigger.end <= event.sentence.end


def test_a_huge_text_is_read_only_up_to_max_chars() -> None:
    sentence = "Police arrested 12 protesters in Kabul on Monday. "
    text = sentence * (5_000_000 // len(sentence))
    article = Article.from_text("x", id="huge")
    article.text = text
    # the sentence stage caps its own work; here each sentence is given directly
    step = len(sentence)
    article.sentences = [
        Span(start=i, end=i + step - 1) for i in range(0, len(text) - step + 1, step)
    ]
    coder = make_events(typing="rules", max_chars=20_000)
    began = time.perf_counter()
    done = coder(article)
    seconds = time.perf_counter() - began
    assert len(text) >= 4_900_000
    assert done.events
    assert max(e.trigger.end for e in done.events) <= 20_000
    assert seconds < 30


def test_an_empty_article_has_no_events(coder: EventCoder) -> None:
    assert coder(_bare("")).events == []
