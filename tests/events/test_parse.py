import pytest

from khabar.events.lexicon import load_lexicon
from khabar.events.parse import TriggerFilter, trigger_forms
from khabar.events.stage import EventCoder

from .conftest import Code


@pytest.fixture(scope="module")
def possible() -> object:
    lexicon = load_lexicon()
    words = TriggerFilter(lexicon)
    forms = trigger_forms(lexicon)
    return lambda text: words.possible(text, forms)


@pytest.mark.parametrize(
    "sentence",
    [
        "Gunmen attacked a checkpoint outside the city on Monday.",  # no condition
        "The navy staged war games off the coast.",  # "games" with its modifier word
        "The rebels ended the ceasefire in November.",  # "end" with a member of a class
        "Ministers said the militia must disarm.",  # a demand needs no trigger of its own
    ],
)
def test_a_sentence_whose_trigger_can_hold_is_parsed(possible, sentence: str) -> None:
    assert possible(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The committee will take a decision on the budget.",  # "take" without steps or action
        "The studio made a new game for children.",  # "make" is light: needs an event noun
        "The concert ended at midnight.",  # "end" without a ceasefire, a meeting or ties
        "Weather forecasters expect a mild winter.",  # no trigger word at all
    ],
)
def test_a_sentence_where_no_reading_can_hold_is_not(possible, sentence: str) -> None:
    assert not possible(sentence)


def test_what_the_filter_drops_the_parse_finds_no_event_in(coder: EventCoder, code: Code) -> None:
    # The filter must be a shortcut, not a change: coded with and without it, the same events.
    text = (
        "The committee will take a decision on the budget. The studio made a new game. "
        "The concert ended at midnight. Gunmen attacked a checkpoint outside Kabul on Monday. "
        "The navy staged war games after the rebels ended the ceasefire."
    )
    filtered = [(e.type, e.trigger.start) for e in code(text).events]
    keep = coder.trigger_filter
    coder.trigger_filter = _NoFilter()  # type: ignore[assignment]
    try:
        everything = [(e.type, e.trigger.start) for e in code(text).events]
    finally:
        coder.trigger_filter = keep
    assert filtered == everything
    assert {t for t, _ in filtered} >= {"ASSAULT", "MOBILIZE", "REJECT"}


class _NoFilter:
    def possible(self, text: str, forms: frozenset[str]) -> bool:
        return any(word in forms for word in text.lower().replace(".", " ").split())
