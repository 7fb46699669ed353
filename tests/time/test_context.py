import pytest

from khabar.time.context import month_context, quantity_context, words_before, year_context


def at_end(before: str) -> tuple[str, int]:
    text = before + "X"
    return text, len(before)


def test_words_before_stop_at_the_line_and_need_a_space() -> None:
    assert words_before(*at_end("talks began in ")) == ["began", "in"]
    assert words_before(*at_end("first line\nin ")) == ["in"]
    assert words_before(*at_end("mid-")) == []


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("in ", True),
        ("since ", True),
        ("mid-", True),
        ("January and ", True),
        ("as of ", True),
        ("Theresa ", False),
        ("protesters ", False),
        ("", False),
    ],
)
def test_a_bare_month_needs_a_word_that_introduces_a_time(before: str, expected: bool) -> None:
    assert month_context(*at_end(before)) is expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [("in ", True), ("(", True), ("Pakistan's ", True), ("class of ", True), ("killed ", False)],
)
def test_year_context(before: str, expected: bool) -> None:
    assert year_context(*at_end(before)) is expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [("at least ", True), ("$", True), ("Room ", True), ("resolution ", True), ("in ", False)],
)
def test_quantity_context(before: str, expected: bool) -> None:
    assert quantity_context(*at_end(before)) is expected
