import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.nlp.sentences import split_sentences


def sentences(text: str, max_chars: int = 1000) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, max_chars)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He came. She left.", ["He came.", "She left."]),
        (
            "Mr. Bilawal met Gen. Asim Munir in the U.S. capital. Talks went well.",
            ["Mr. Bilawal met Gen. Asim Munir in the U.S. capital.", "Talks went well."],
        ),
        (
            "It was signed on Jan. 5 in Doha. J. R. Smith said so.",
            ["It was signed on Jan. 5 in Doha.", "J. R. Smith said so."],
        ),
        (
            "“We will return,” he said. “Soon.” Then he left!",
            ["“We will return,” he said.", "“Soon.”", "Then he left!"],
        ),
        (
            "Prices rose 3.5 per cent. Wages did not.",
            ["Prices rose 3.5 per cent.", "Wages did not."],
        ),
        ("He said e.g. this. and then more", ["He said e.g. this. and then more"]),
        (
            "Headline without a stop\nFirst line. Second line.",
            ["Headline without a stop", "First line.", "Second line."],
        ),
        ("Was it? Yes... It was.", ["Was it?", "Yes...", "It was."]),
        ("  \n\n  ", []),
    ],
)
def test_news_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_long_sentence_is_cut_at_spaces() -> None:
    text = "word " * 500
    parts = sentences(text, max_chars=100)
    assert all(len(p) <= 100 for p in parts)
    assert " ".join(parts).split() == text.split()


def test_a_long_run_without_spaces_is_cut_hard() -> None:
    text = "9" * 2500
    assert [len(p) for p in sentences(text, max_chars=1000)] == [1000, 1000, 500]


@given(
    st.text(alphabet=st.sampled_from(list("ab .!?\n\t\"“”'Mr.U.S.0123AZ…")), max_size=400),
    st.integers(5, 200),
)
def test_spans_are_ordered_trimmed_and_cover_every_visible_character(
    text: str, max_chars: int
) -> None:
    spans = list(split_sentences(text, max_chars))
    previous_end = 0
    covered = set()
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert end - start <= max_chars
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous_end = end
    visible = {i for i, ch in enumerate(text) if not ch.isspace()}
    assert visible <= covered
