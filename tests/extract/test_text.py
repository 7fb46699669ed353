import pytest

from helpers import ARTICLE_TEXT
from khabar import Article
from khabar.extract.text import claim_headline, clean_text, is_date_line


def test_the_headline_guess_skips_a_date_widget_and_points_at_the_raw_text() -> None:
    article = Article.from_text(ARTICLE_TEXT)
    claim_headline(article)
    claim = article.accepted("title")
    assert claim is not None
    assert claim.value == "Police disperse farmers' march on the capital with tear gas"
    (evidence,) = claim.evidence
    assert article.raw_text[evidence.start : evidence.end] == claim.value


@pytest.mark.parametrize(
    "line",
    [
        "Wednesday, April 17, 2024",
        "17 April 2024",
        "2024-04-17",
        "Home | World | Politics",
        "Short line",
        "A full sentence that ends with a full stop.",
    ],
)
def test_lines_that_are_not_headlines(line: str) -> None:
    article = Article.from_text(line + "\n")
    claim_headline(article)
    assert article.accepted("title") is None


def test_clean_text_only_touches_white_space() -> None:
    raw = "  a  \r\nb\t\n\n\n\nc  "
    assert clean_text(raw) == "a\nb\n\nc"


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("3 de abril de 2019", True),
        ("Mittwoch, 3. April 2019", True),
        ("Le 12", False),  # a joining word counts only beside a month or a weekday
        ("Op 10", False),
    ],
)
def test_the_words_dates_are_written_with_count_only_beside_a_month(
    line: str, is_date: bool
) -> None:
    assert is_date_line(line) is is_date
