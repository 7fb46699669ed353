"""HTML pages: main text and metadata with trafilatura, tuned for precision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from trafilatura.settings import Document

from khabar.core.article import Article, Evidence, TimeValue
from khabar.core.errors import DropArticle
from khabar.extract.evidence import locate, offer

METHOD = "trafilatura"
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class HtmlSettings:
    favor_precision: bool = True
    include_tables: bool = True


def extract_html(article: Article, settings: HtmlSettings) -> None:
    """Set the article's clean text and add claims for the metadata trafilatura finds."""
    max_date = article.fetched_at.date().isoformat()
    doc = trafilatura.bare_extraction(
        article.raw_text,
        url=article.url,
        favor_precision=settings.favor_precision,
        include_tables=settings.include_tables,
        include_comments=False,
        with_metadata=True,
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "max_date": max_date,
        },
    )
    text = _BLANK_LINES.sub("\n\n", doc.text or "").strip() if isinstance(doc, Document) else ""
    if not isinstance(doc, Document) or not text:
        raise DropArticle("no_article", "trafilatura found no main article text in the page")
    article.text = text
    raw = article.raw_text
    for field, value in (
        ("title", doc.title),
        ("site", doc.sitename),
        ("canonical_url", doc.url),
        ("language", doc.language),
    ):
        if value and value.strip():
            offer(
                article,
                field,
                value.strip(),
                method=METHOD,
                confidence=0.8,
                evidence=locate(raw, value, fallback_field=f"trafilatura:{field}"),
            )
    if doc.author:
        authors = [a.strip() for a in doc.author.split(";") if a.strip()]
        evidence = [locate(raw, a, fallback_field="trafilatura:author") for a in authors]
        offer(article, "authors", authors, method=METHOD, confidence=0.7, evidence=evidence)
    if doc.date:
        _claim_date(article, doc.date)


def _claim_date(article: Article, found: str) -> None:
    try:
        day = date.fromisoformat(found[:10])
    except ValueError:
        return
    evidence = locate(article.raw_text, found[:10], fallback_field="htmldate:date")
    if evidence.kind == "meta":
        evidence = Evidence.meta("htmldate:date", found)
    offer(
        article,
        "published",
        TimeValue.day(day),
        method="htmldate",
        confidence=0.6,
        evidence=evidence,
    )
