"""One real-world event mentioned several times is one event; ids are stable."""

import hashlib
from datetime import date

from khabar.core.article import EventParticipant
from khabar.events.merge import _union
from khabar.events.stage import event_id

from .conftest import Code
from .support import only, trigger_text

ARTICLE = (
    "Pakistan-US to Hold Counter-Terrorism Conference Next Month: FM\n\n"
    "Foreign Minister Bilawal Bhutto-Zardari on Friday said that Pakistan and the United States "
    "will initiate talks in March to explore ways to jointly combat terrorism.\n\n"
    "Bilawal visited Moscow last week and discussed the issue with Russian officials.\n\n"
    "Pakistan and the United States will hold a counter-terrorism conference in March in Pakistan."
)


def test_three_mentions_of_the_planned_conference_are_one_event(code: Code) -> None:
    done = code(ARTICLE, date(2023, 2, 3))
    event = only(done.events, "AGREE")
    assert (event.status, event.planned_type) == ("planned", "CONSULT")
    assert len(event.mentions) == 3
    assert event.mentions[0].start == 0  # the headline comes first, and gives the id
    assert event.place is not None and event.place.text == "Pakistan"
    assert event.time is not None and event.time.value.start == date(2023, 3, 1)


def test_a_visit_and_talks_in_one_sentence_are_one_consult(code: Code) -> None:
    done = code(ARTICLE, date(2023, 2, 3))
    event = only(done.events, "CONSULT")
    assert event.mode == "visit"
    assert {p.country for p in event.targets} == {"RUS"}
    assert event.place is not None and event.place.text == "Moscow"


def test_going_on_strike_is_one_protest(code: Code) -> None:
    # the noun completes the verb's reading ("go" is a protest with "on"), as "held talks" does
    done = code("Thousands of dock workers went on strike in Mombasa on Monday.", date(2023, 2, 3))
    assert [(e.type, trigger_text(done, e)) for e in done.events] == [("PROTEST", "went")]
    done = code("Dock workers have been on strike in Mombasa since Monday.", date(2023, 2, 3))
    assert [(e.type, trigger_text(done, e)) for e in done.events] == [("PROTEST", "strike")]


def test_different_events_are_not_merged(code: Code) -> None:
    done = code(
        "Gunmen killed four police officers in Quetta on Monday.\n\n"
        "In a separate attack, a roadside bomb killed two soldiers in Kabul on Tuesday.",
        date(2023, 2, 3),
    )
    attacks = [e for e in done.events if e.type == "ASSAULT"]
    assert len(attacks) == 2
    assert {e.place.text for e in attacks if e.place} == {"Quetta", "Kabul"}


def test_ids_are_stable_and_follow_the_documented_rule(code: Code) -> None:
    first = code(ARTICLE, date(2023, 2, 3), article_id="a1")
    again = code(ARTICLE, date(2023, 2, 3), article_id="a1")
    assert [e.id for e in first.events] == [e.id for e in again.events]
    for event in first.events:
        key = f"a1|{event.type}|{event.trigger.start}|{event.trigger.end}"
        assert event.id == hashlib.sha256(key.encode()).hexdigest()[:16]
        assert event.id == event_id("a1", event.type, event.trigger.start, event.trigger.end)
    other = code(ARTICLE, date(2023, 2, 3), article_id="a2")
    assert {e.id for e in other.events}.isdisjoint({e.id for e in first.events})


def test_every_slot_has_evidence_inside_the_text(code: Code) -> None:
    done = code(ARTICLE, date(2023, 2, 3))
    for event in done.events:
        assert event.evidence, event
        assert trigger_text(done, event).strip()
        assert event.method.startswith("events.code.v1:")
        assert 0 < event.confidence <= 1


def test_a_merged_event_keeps_the_most_precise_of_its_times(code: Code) -> None:
    done = code(
        "A suicide bomber attacked a crowded market in Mogadishu on Friday, killing 24 people, "
        "police said.\n\n"
        "Al-Shabaab said it carried out the attack, the deadliest by the militants this year.",
        date(2024, 3, 16),
    )
    event = only(done.events, "ASSAULT")
    assert len(event.mentions) == 2
    assert event.time is not None and event.time.text == "Friday"
    assert event.time.value.start == date(2024, 3, 15) == event.time.value.end


def test_merging_keeps_the_parses_word_over_a_guess_for_the_same_actor() -> None:
    def mali(method: str, confidence: float, start: int) -> EventParticipant:
        return EventParticipant(
            actor=3,
            text="Mali",
            start=start,
            end=start + 4,
            country="MLI",
            method=method,
            confidence=confidence,
        )

    guess = mali("events.participants:actor:nearest", 0.3, 10)
    word = mali("events.participants:actor", 0.7, 50)
    assert _union([guess], [word]) == [word]
    assert _union([word], [guess]) == [word]
