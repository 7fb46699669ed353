from datetime import date

import pytest

from khabar.time import Interpreter, interpret

ANCHOR = date(2023, 2, 3)


def at(text: str, expression: str) -> tuple[int, int]:
    start = text.index(expression)
    return start, start + len(expression)


@pytest.mark.parametrize(
    ("sentence", "expression", "expected", "tense"),
    [
        (
            "Pakistan and the United States will hold a conference in March.",
            "March",
            ("2023-03-01", "2023-03-31", "month"),
            "future",
        ),
        (
            "Last month the TTP ended its ceasefire in November.",
            "November",
            ("2022-11-01", "2022-11-30", "month"),
            "past",
        ),
        (
            "Bilawal visited Moscow last week.",
            "last week",
            ("2023-01-23", "2023-01-29", "week"),
            "past",
        ),
        (
            "Foreign Minister Bilawal Bhutto-Zardari on Friday said talks went well.",
            "Friday",
            ("2023-02-03", "2023-02-03", "day"),
            "past",
        ),
        (
            "The foreign ministers will meet again on Monday.",
            "Monday",
            ("2023-02-06", "2023-02-06", "day"),
            "future",
        ),
        (
            "Markets stayed closed until Monday.",
            "Monday",
            ("2023-02-06", "2023-02-06", "day"),
            "future",
        ),
    ],
)
def test_a_span_is_resolved_with_the_tense_of_its_clause(
    sentence: str, expression: str, expected: tuple, tense: str
) -> None:
    found = interpret(sentence, *at(sentence, expression), ANCHOR)
    assert found is not None and found.value is not None
    value = found.value
    assert (value.start.isoformat(), value.end.isoformat(), value.granularity) == expected
    assert found.text == expression
    if expression != "last week":
        assert found.tense == tense


def test_a_span_without_a_time_gives_none() -> None:
    text = "The minister spoke to reporters."
    assert interpret(text, 0, len(text), ANCHOR) is None


def test_without_an_anchor_the_value_is_none_but_the_tense_is_read() -> None:
    text = "The talks will resume in March."
    found = interpret(text, *at(text, "March"), None)
    assert found is not None
    assert (found.value, found.tense, found.anchor) == (None, "future", None)


def test_an_absolute_date_needs_no_anchor_and_names_none() -> None:
    text = "The deal was signed on 3 January 2023."
    found = interpret(text, 0, len(text), None)
    assert found is not None and found.value is not None
    assert (found.value.start, found.anchor, found.method) == (
        date(2023, 1, 3),
        None,
        "rules:absolute",
    )


def test_interpret_all_reads_a_whole_text() -> None:
    text = (
        "Officials said on Friday that talks would resume next month.\n"
        "The army had withdrawn in 2019. The index ended the day up 2 percent."
    )
    found = Interpreter().interpret_all(text, ANCHOR)
    assert [(f.text, f.method) for f in found] == [
        ("Friday", "rules:tense"),
        ("next month", "rules:relative"),
        ("2019", "rules:absolute"),
        ("the day", "rules:anaphora"),
    ]
    assert found[1].value is not None and found[1].value.start == date(2023, 3, 1)
    assert found[3].value is not None and found[3].value.start == date(2023, 2, 3)


def test_a_time_of_day_takes_the_day_its_sentence_names() -> None:
    text = "The plane made its first flight Tuesday in Seattle at 18:00 UTC."
    found = Interpreter().interpret_all(text, ANCHOR)
    clock = found[-1]
    assert clock.text == "18:00 UTC"
    assert clock.value is not None and clock.value.at is not None
    assert clock.value.at.isoformat() == "2023-01-31T18:00:00+00:00"


def test_in_two_weeks_said_of_the_past_is_a_duration_and_left_out() -> None:
    text = "The bridge was rebuilt in two weeks."
    assert Interpreter().interpret_all(text, ANCHOR) == []


def test_numeric_dates_follow_the_day_first_setting() -> None:
    text = "Filed on 03/04/2023."
    month_first = Interpreter().interpret_all(text, ANCHOR)[0].value
    day_first = Interpreter(day_first=True).interpret_all(text, ANCHOR)[0].value
    assert month_first is not None and month_first.start == date(2023, 3, 4)
    assert day_first is not None and day_first.start == date(2023, 4, 3)
    unambiguous = Interpreter().interpret_all("Filed on 25/12/2023.", ANCHOR)[0].value
    assert unambiguous is not None and unambiguous.start == date(2023, 12, 25)


def test_recently_reaches_back_the_configured_number_of_days() -> None:
    found = Interpreter(recent_days=10).interpret_all("Prices rose recently.", ANCHOR)
    assert found[0].value is not None
    assert (found[0].value.start, found[0].value.end) == (date(2023, 1, 24), ANCHOR)
