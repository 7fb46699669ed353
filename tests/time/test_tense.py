import pytest

from khabar.time.tense import clause_tense


def tense_of(sentence: str, expression: str) -> str | None:
    start = sentence.index(expression)
    return clause_tense(sentence, start, start + len(expression))


@pytest.mark.parametrize(
    ("sentence", "expression", "expected"),
    [
        ("Pakistan and the United States will hold a conference in March.", "March", "future"),
        ("The TTP ended its ceasefire in November.", "November", "past"),
        ("The talks were held in March.", "March", "past"),
        ("The summit will be held in March.", "March", "future"),
        ("Officials said the vote would take place in March.", "March", "future"),
        ("The government plans to hold elections in October.", "October", "future"),
        ("The conference is to open in March.", "March", "future"),
        ("Talks are expected to resume in March.", "March", "future"),
        ("The event is to be held on October 12.", "October 12", "future"),
        ("He said on Friday that prices rose.", "Friday", "past"),
        ("The border has been closed since November.", "November", "present"),
        ("Rebels had seized the town in June.", "June", "past"),
        ("They'll meet again in April.", "April", "future"),
        ("He met the envoy in Doha in May.", "May", "past"),
        ("When it arrives on November 11, later than planned.", "November 11", "present"),
        ("Prices rose in January but wages will rise in March.", "January", "past"),
        ("Prices rose in January but wages will rise in March.", "March", "future"),
        ("Talks in March.", "March", None),
        ("The United Nations in March.", "March", None),
    ],
)
def test_the_nearest_tense_marker_of_the_clause_decides(
    sentence: str, expression: str, expected: str | None
) -> None:
    assert tense_of(sentence, expression) == expected


def test_without_regular_past_an_ed_form_is_no_marker() -> None:
    sentence = "Markets stayed closed until Friday."
    start = sentence.index("Friday")
    assert clause_tense(sentence, start, start + 6, regular_past=False) is None


def test_looks_no_further_than_the_sentence() -> None:
    text = "Talks ended. They resume in March."
    start = text.index("March")
    assert clause_tense(text, start, start + 5, lo=text.index("They")) is None
