"""Who acted and who was acted on, on sentences written for these tests."""

from datetime import date

from .conftest import Code
from .support import only, participants

PUBLISHED = date(2024, 5, 6)


def test_the_indirect_object_is_the_recipient(code: Code) -> None:
    done = code("Norway will give Kenya a loan of 40 million dollars next year.", PUBLISHED)
    event = only(done.events, "AGREE")
    assert participants(event) == {"NOR"}
    assert participants(event, "targets") == {"KEN"}


def test_aid_for_two_countries_has_both_as_targets(code: Code) -> None:
    text = "Denmark agreed on Friday to provide emergency aid for Malawi and Zambia."
    event = only(code(text, PUBLISHED).events, "AGREE")
    assert participants(event, "targets") == {"MWI", "ZMB"}


def test_a_mediation_between_two_sides_targets_both(code: Code) -> None:
    text = "Oman launched a mediation effort between Yemen and Saudi Arabia on Sunday."
    event = only(code(text, PUBLISHED).events, "CONSULT")
    assert participants(event) == {"OMN"}
    assert participants(event, "targets") == {"YEM", "SAU"}


def test_with_no_target_word_the_place_acted_on_is_the_target(code: Code) -> None:
    text = "Rwanda delivered emergency food aid in Burundi on Monday."
    event = only(code(text, PUBLISHED).events, "AID")
    assert participants(event, "targets") == {"BDI"}
    # a meeting's place is not a side of it
    text = "Delegations from Nepal and Bhutan met in Geneva on Monday."
    event = only(code(text, PUBLISHED).events, "CONSULT")
    assert "CHE" not in participants(event, "targets")


def test_the_subject_of_being_ready_is_who_agrees(code: Code) -> None:
    event = only(code("Ghana is ready to provide food aid to Mali.", PUBLISHED).events, "AGREE")
    assert participants(event) == {"GHA"}
    assert participants(event, "targets") == {"MLI"}


def test_a_clauses_other_party_is_the_guessed_target_of_a_sanction(code: Code) -> None:
    # the role rules look for "on" after the verb, not after its object
    text = "The Canadian government imposed sanctions on two Sudanese army commanders on Friday."
    event = only(code(text, PUBLISHED).events, "SANCTION")
    assert participants(event) == {"CAN"}
    (target,) = event.targets
    assert target.country == "SDN" and target.method.endswith(":nearest")
    assert target.confidence <= 0.4


def test_who_a_report_is_according_to_is_no_guessed_target(code: Code) -> None:
    text = "Gunmen burned a fuel convoy near Kidal on Monday, according to Malian officials."
    event = only(code(text, PUBLISHED).events, "ASSAULT")
    assert event.targets == []


def test_an_agreement_gets_no_guessed_target(code: Code) -> None:
    # Qatar brokered the ceasefire: a third party, not a side of the agreement
    text = "Chad and the rebels agreed on Sunday to a ceasefire brokered by Qatar."
    event = only(code(text, PUBLISHED).events, "AGREE")
    assert "QAT" not in participants(event, "targets")


def test_a_country_passed_through_is_no_guessed_target(code: Code) -> None:
    event = only(
        code("France sent humanitarian aid through Egypt on Monday.", PUBLISHED).events, "AID"
    )
    assert "EGY" not in participants(event, "targets")


def test_the_agent_of_a_passive_inside_the_clause_is_no_guessed_target(code: Code) -> None:
    text = "The rebels rejected a truce plan put forward by Kenyan mediators on Sunday."
    event = only(code(text, PUBLISHED).events, "REJECT")
    assert "KEN" not in participants(event, "targets")
