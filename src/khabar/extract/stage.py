"""The cleaning stage: HTML through trafilatura, scraped plain text through the line cleaner."""

from __future__ import annotations

from khabar.core.article import Article
from khabar.core.errors import DropArticle
from khabar.core.registry import Stage, stages
from khabar.extract.html import HtmlSettings, extract_html
from khabar.extract.text import clean_scraped


@stages.register(
    "extract.main_text.v1",
    requires={"raw_text", "media_type"},
    assigns={"text", "title", "authors", "site", "canonical_url", "language", "published"},
)
def make_main_text(
    favor_precision: bool = True, include_tables: bool = True, min_chars: int = 200
) -> Stage:
    """Clean text and metadata claims from HTML (trafilatura) or scraped plain text."""
    settings = HtmlSettings(favor_precision=favor_precision, include_tables=include_tables)

    def clean(article: Article) -> Article:
        if article.media_type == "text/html":
            extract_html(article, settings)
        else:
            clean_scraped(article, min_chars=min_chars)
        if len(article.text) < min_chars:
            raise DropArticle(
                "too_short", f"{len(article.text)} characters of text, under min_chars={min_chars}"
            )
        return article

    return clean
