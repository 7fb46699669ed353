"""Typing by rules, by the classifier, or both: the combination, with a tiny stand-in."""

import sys
import types
from collections.abc import Iterator

import pytest

from khabar.core.article import Article, Span
from khabar.events import event_type
from khabar.events.event_type import choose_type, sentence_type
from khabar.events.stage import make_events

SCORES_PROTEST = [("PROTEST", 0.8), ("NONE", 0.1), ("ASSAULT", 0.1)]
SCORES_NONE = [("NONE", 0.95), ("ASSAULT", 0.05)]


def test_rules_alone_keep_the_rule_type() -> None:
    choice = choose_type("ASSAULT", True, SCORES_PROTEST, "rules", 0.5, 0.9)
    assert (choice.type, choice.method) == ("ASSAULT", "rules")


def test_the_classifier_alone_types_the_sentence() -> None:
    choice = choose_type("ASSAULT", True, SCORES_PROTEST, "classifier", 0.5, 0.9)
    assert (choice.type, choice.method) == ("PROTEST", "classifier")
    assert choose_type("ASSAULT", True, SCORES_NONE, "classifier", 0.5, 0.9).type is None


def test_combined_keeps_a_sure_rule_and_follows_a_sure_classifier_on_a_doubtful_one() -> None:
    assert choose_type("ASSAULT", True, SCORES_PROTEST, "combined", 0.5, 0.9).type == "ASSAULT"
    protest_sure = [("PROTEST", 0.99), ("ASSAULT", 0.0)]
    both = frozenset({"ASSAULT", "PROTEST"})
    assert choose_type("ASSAULT", False, protest_sure, "combined", 0.9, 0.9, both).type == "PROTEST"
    # never a type the trigger word cannot have
    assert choose_type("ASSAULT", False, protest_sure, "combined", 0.9, 0.9).type == "ASSAULT"
    assert choose_type("ASSAULT", False, SCORES_NONE, "combined", 0.5, 0.9).type is None
    assert choose_type("ASSAULT", True, SCORES_NONE, "combined", 0.5, 0.9).type == "ASSAULT"


def test_a_sentence_the_rules_miss_gets_the_classifiers_type_only_when_sure() -> None:
    assert sentence_type(SCORES_PROTEST, "combined", 0.9) is None
    assert sentence_type(SCORES_PROTEST, "combined", 0.7) == "PROTEST"
    assert sentence_type(SCORES_PROTEST, "classifier", 0.99) == "PROTEST"
    assert sentence_type(SCORES_NONE, "classifier", 0.0) is None


class StandIn:
    """A classifier that calls every sentence with "march" in it a PROTEST."""

    @classmethod
    def load(cls) -> "StandIn":
        return cls()

    def predict(self, sentences: list[str]) -> list[list[tuple[str, float]]]:
        return [
            [("PROTEST", 0.95), ("NONE", 0.05)]
            if "march" in s
            else [("NONE", 0.97), ("ASSAULT", 0.03)]
            for s in sentences
        ]


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    module = types.ModuleType(event_type.CLASSIFIER_MODULE)
    module.EventTypeClassifier = StandIn  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, event_type.CLASSIFIER_MODULE, module)
    yield


def _article(text: str) -> Article:
    article = Article.from_text(text, id="c")
    article.text = text
    article.sentences = [Span(start=0, end=len(text))]
    return article


def test_the_stage_combines_with_the_classifier_when_it_loads(stand_in: None) -> None:
    coder = make_events(typing="combined", add_probability=0.9)
    assert coder.settings.typing == "combined"
    added = coder(_article("Thousands of farmers took to the streets in a long march on Sunday."))
    assert [e.type for e in added.events] == ["PROTEST"]
    assert added.events[0].method == "events.code.v1:combined"
    kept = coder(_article("Soldiers killed five rebels on Monday."))
    assert [e.type for e in kept.events] == ["ASSAULT"]


def test_without_a_classifier_the_stage_falls_back_to_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, event_type.CLASSIFIER_MODULE, types.ModuleType("empty"))
    coder = make_events(typing="combined")
    assert coder.settings.typing == "rules"
    done = coder(_article("Soldiers killed five rebels on Monday."))
    assert done.events[0].method == "events.code.v1:rules"
