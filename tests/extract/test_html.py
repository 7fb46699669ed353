from datetime import date

import pytest

from helpers import ARTICLE_HTML
from khabar import Article, DropArticle, stages


@pytest.fixture(scope="module")
def clean():  # type: ignore[no-untyped-def]
    return stages.get("extract.main_text.v1").factory()


def page(html: str = ARTICLE_HTML) -> Article:
    return Article.from_text(html, media_type="text/html", url="https://gulf-monitor.example/x")


def test_the_main_text_keeps_the_article_and_drops_the_boilerplate(clean) -> None:  # type: ignore[no-untyped-def]
    article = clean(page())
    assert "Negotiators from both delegations met in Doha on Monday" in article.text
    assert "closer than at any time since January" in article.text
    for boilerplate in ("Advertisement", "Related articles", "All rights reserved", "Politics"):
        assert boilerplate not in article.text


def test_metadata_claims_point_at_the_raw_page(clean) -> None:  # type: ignore[no-untyped-def]
    article = clean(page())
    assert article.title == "Talks resume in Doha"
    assert article.site == "Gulf Monitor"
    assert article.canonical_url == "https://gulf-monitor.example/2024/05/06/talks-resume"
    title = article.accepted("title")
    assert title is not None
    (evidence,) = title.evidence
    assert evidence.kind == "raw"
    assert article.raw_text[evidence.start : evidence.end] == "Talks resume in Doha"
    published = article.published
    assert published is not None and published.start == date(2024, 5, 6)
    assert article.span_errors() == []


def test_input_metadata_wins_and_the_extractors_value_is_kept(clean) -> None:  # type: ignore[no-untyped-def]
    article = page()
    from khabar import Evidence

    article.claim(
        "title",
        "Doha talks (wire)",
        method="input.jsonl",
        evidence=Evidence.meta("jsonl:title", "x"),
    )
    article = clean(article)
    assert article.title == "Doha talks (wire)"
    losers = [c for c in article.candidates("title") if not c.accepted]
    assert [(c.value, c.method) for c in losers] == [("Talks resume in Doha", "trafilatura")]


def test_a_page_without_an_article_is_dropped(clean) -> None:  # type: ignore[no-untyped-def]
    html = "<html><body><nav><a href='/a'>Home</a> <a href='/b'>World</a></nav></body></html>"
    with pytest.raises(DropArticle) as info:
        clean(page(html))
    assert info.value.reason in {"no_article", "too_short"}


def test_plain_text_is_normalised_and_keeps_every_line() -> None:
    clean = stages.get("extract.main_text.v1").factory(min_chars=10)
    raw = (
        "Headline of a plain text story here\r\n\r\n\r\n\r\n"
        "First paragraph of the story, with words.   \r\n"
        "Second paragraph of the story, with more words."
    )
    article = clean(Article.from_text(raw))
    assert article.text == (
        "Headline of a plain text story here\n\nFirst paragraph of the story, with words.\n"
        "Second paragraph of the story, with more words."
    )
