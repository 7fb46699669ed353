"""Status: happened, planned, hypothetical, negated, claimed; and what is no event at all."""

from datetime import date

import pytest

from .conftest import Code
from .support import only, trigger_text

PUBLISHED = date(2023, 2, 3)


def test_a_reported_attack_happened(code: Code) -> None:
    done = code("Soldiers killed five rebels in Kunar on Monday.", PUBLISHED)
    event = only(done.events, "ASSAULT")
    assert event.status == "happened"
    assert event.mention_role == "main"


def test_a_future_meeting_is_agree_planned_consult(code: Code) -> None:
    done = code("Pakistan and the United States will hold a conference in March.", PUBLISHED)
    event = only(done.events, "AGREE")
    assert (event.status, event.planned_type) == ("planned", "CONSULT")
    assert {p.country for p in event.actors} == {"PAK", "USA"}


def test_a_future_attack_is_a_threat_of_violence(code: Code) -> None:
    done = code("The rebels will attack the capital.", PUBLISHED)
    event = only(done.events, "THREATEN")
    assert (event.status, event.planned_type, event.mode) == ("planned", "ASSAULT", "violence")


def test_a_conditional_attack_is_hypothetical(code: Code) -> None:
    done = code("If the talks fail, the army could attack the town.", PUBLISHED)
    assert only(done.events, "ASSAULT").status == "hypothetical"


def test_an_attack_that_did_not_happen_is_negated(code: Code) -> None:
    done = code("The army did not attack the town on Monday.", PUBLISHED)
    assert only(done.events, "ASSAULT").status == "negated"


def test_a_denied_attack_is_negated_for_those_who_deny_it(code: Code) -> None:
    done = code("The militants denied involvement in the attack.", PUBLISHED)
    event = only(done.events, "ASSAULT")
    assert event.status == "negated"
    assert event.acled is None  # a denied attack is not exported as one
    assert [p.sector for p in event.actors] == ["REB"]


def test_an_alleged_shooting_is_claimed(code: Code) -> None:
    done = code("Rebels allegedly shot two farmers near Goma.", PUBLISHED)
    event = only(done.events, "ASSAULT")
    assert event.status == "claimed"
    assert event.confidence < 0.75


def test_a_cooperative_act_refused_for_the_future_is_a_rejection(code: Code) -> None:
    done = code("Syria says it will not accept any more refugees.", PUBLISHED)
    assert only(done.events, "REJECT").status == "happened"


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the economy is growing.",
        "He offered his deep condolences to the families of the victims.",
        "The president urged the international community to help the refugees.",
        "Please enter your comment! Please contact us!",
        "Captcha verification failed!",
    ],
)
def test_statements_condolences_appeals_and_boilerplate_are_no_events(
    code: Code, text: str
) -> None:
    assert code(text, PUBLISHED).events == []


@pytest.mark.parametrize(
    "text",
    [
        "The speech captured the imagination of many investors in Sao Paulo.",
        "The Kenyan runner captured the title in Boston on Monday.",
        "The documentary captured the mood of the city in 1989.",
        "The opposition seized the initiative in parliament on Tuesday.",
    ],
)
def test_capturing_a_title_or_the_imagination_is_no_event(code: Code, text: str) -> None:
    assert code(text, PUBLISHED).events == []


def test_capturing_a_town_is_still_an_assault(code: Code) -> None:
    done = code("Rebels captured the town of Kidal on Tuesday.", PUBLISHED)
    assert only(done.events, "ASSAULT").mode is None


def test_agreeing_to_combat_terrorism_is_agree_with_no_attack_in_it(code: Code) -> None:
    done = code("Pakistan and the United States agreed to jointly combat terrorism.", PUBLISHED)
    event = only(done.events, "AGREE")
    assert event.planned_type is None


def test_combat_terrorism_alone_gives_no_event(code: Code) -> None:
    done = code("To combat terrorism, the two countries need a collective approach.", PUBLISHED)
    assert done.events == []


def test_a_background_mention_is_marked_background(code: Code) -> None:
    done = code("The minister offered condolences on the recent bombing in Peshawar.", PUBLISHED)
    event = only(done.events, "ASSAULT")
    assert event.mention_role == "background"
    assert trigger_text(done, event) == "bombing"


def test_ending_a_ceasefire_is_a_refusal_to_yield(code: Code) -> None:
    done = code(
        "The TTP officially ended its ceasefire with the government in November.", PUBLISHED
    )
    event = only(done.events, "REJECT")
    assert event.mode == "yield"
    assert event.acled is not None and event.acled.sub_event_type == "Change to group/activity"
