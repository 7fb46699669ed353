import re

import pytest

from khabar.time.lexicon import alternation, number, word_set


@pytest.mark.parametrize(
    ("word", "value"),
    [("3", 3), ("three", 3), ("a", 1), ("Twenty-Five", 25), ("a couple of", 2), ("few", None)],
)
def test_numbers_in_digits_and_words(word: str, value: int | None) -> None:
    assert number(word) == value


def test_alternation_tries_longer_words_first_and_keeps_spaces_flexible() -> None:
    pattern = re.compile(alternation(["sep", "sept", "new year's day"]))
    assert pattern.match("sept").group() == "sept"  # type: ignore[union-attr]
    assert pattern.match("new  year's day") is not None


def test_word_set() -> None:
    assert word_set(" a b\n c ") == frozenset({"a", "b", "c"})
