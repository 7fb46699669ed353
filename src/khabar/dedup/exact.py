"""Exact duplicates: the same clean text (after normalising case and spacing) or canonical URL.

Near duplicates (syndicated copies with small edits) come with the MinHash step of the "news
in" work; this step is the cheap first line.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from khabar.core.article import Article
from khabar.core.fingerprint import text_fingerprint
from khabar.core.lookup import ArticleLookup
from khabar.core.registry import Step, steps


def identifies_page(url: str) -> bool:
    """False for a site's root: some sites give every page the home page as canonical URL."""
    return urlsplit(url).path.strip("/") != ""


@steps.register("dedup.exact.v1", requires={"text"}, assigns={"content_hash", "duplicate_of"})
def make_exact() -> Step:
    """Link an article to a stored one with the same text fingerprint or canonical URL."""

    def link(article: Article, lookup: ArticleLookup) -> Article:
        article.content_hash = text_fingerprint(article.text)
        original, method = lookup.id_by_content_hash(article.content_hash), "same_text"
        if original is None and article.canonical_url and identifies_page(article.canonical_url):
            original, method = lookup.id_by_canonical_url(article.canonical_url), "same_url"
        if original is not None and original != article.id:
            article.duplicate_of = original
            article.duplicate_method = method
        return article

    return link
