"""HTML pages: main text and metadata with trafilatura, then khabar's own boilerplate trimming.

1. the page's tree, within limits and without the boilerplate that misleads trafilatura
   (``html_tree.py``);
2. trafilatura in recall mode without its fallback extractors (``fast``): it finds the article's
   container and keeps all of it; the full cascade (readability, jusText) runs only when that
   finds too little;
3. the boilerplate that comes along at the container's edges is trimmed (``boilerplate.py``):
   headline, standfirst, comment sections, "Read more" lines, prompts, credits and notices;
4. metadata claims (title, site, canonical URL, authors, date) with trafilatura's and htmldate's
   readers (``html_meta.py``), each with evidence in the raw page where it is found verbatim.

Each step was measured on the Scrapinghub article-extraction benchmark: ``khabar eval
extraction`` runs this beside trafilatura alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import trafilatura
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.xml import xmltotxt

from khabar.core.article import Article, Evidence, TimeValue
from khabar.core.errors import DropArticle
from khabar.extract.boilerplate import trim
from khabar.extract.evidence import locate, offer
from khabar.extract.html_meta import page_metadata
from khabar.extract.html_tree import MAX_ELEMENTS, parse_page

METHOD = "trafilatura"
_BLANK_LINES = re.compile(r"\n{3,}")
MAX_META_CHARS = 1_000
# Below this much text the fast pass may have missed the article: run the full cascade.
FALLBACK_BELOW_CHARS = 250
_TABLE_ROW = re.compile(r"^\|(.*)\|$")
LAYOUT_TABLE_SHARE = 0.5  # of the text's lines: above it, the table is the page's layout


def unwrap_layout_table(text: str) -> str:
    """The text of a page laid out in a table (old news sites), as lines of text again.

    trafilatura writes a table's rows as ``| cell | cell |``; when most of the text is such
    rows, the table is the page's layout, not data in an article, and its cells hold the
    byline, ad labels and related links beside the paragraphs. Each row becomes its cells'
    text, and the scraped-text line cleaner (which knows those lines) removes the boilerplate.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    rows = [_TABLE_ROW.match(line.strip()) for line in lines]
    if not lines or sum(r is not None for r in rows) < LAYOUT_TABLE_SHARE * len(lines):
        return text
    unwrapped = "\n".join(
        " ".join(cell.strip() for cell in row.group(1).split(" | ") if cell.strip())
        if row
        else line
        for line, row in zip(lines, rows, strict=True)
    )
    from khabar.extract.lines import clean_scraped_text  # noqa: PLC0415 - its model loads once

    cleaned = clean_scraped_text(unwrapped).text
    return cleaned if cleaned.strip() else unwrapped


@dataclass(frozen=True)
class Page:
    """What trafilatura found: the article's body tree, and the page's metadata."""

    body: _Element
    meta: Document


@dataclass(frozen=True)
class HtmlSettings:
    """``favor_precision`` trims the boilerplate trafilatura leaves around the article; without
    it, trafilatura's text is kept whole (more text, more boilerplate)."""

    favor_precision: bool = True
    include_tables: bool = True
    max_elements: int = MAX_ELEMENTS


def extract_html(article: Article, settings: HtmlSettings) -> None:
    """Set the article's clean text and add claims for the metadata trafilatura finds."""
    tree = parse_page(article.raw_text, max_elements=settings.max_elements)
    page = _extract(tree, article, settings)
    if page is None:
        raise DropArticle("no_article", "trafilatura found no main article text in the page")
    if settings.favor_precision:
        trim(page.body, page.meta.title)
    text = _BLANK_LINES.sub("\n\n", xmltotxt(page.body, False)).strip()
    text = unwrap_layout_table(text)
    if not text:
        raise DropArticle("no_article", "the page holds nothing but boilerplate around a headline")
    article.text = text
    _claim_metadata(article, page.meta)


def _extract(tree: HtmlElement, article: Article, settings: HtmlSettings) -> Page | None:
    options: dict[str, Any] = {
        "url": article.url,
        "favor_recall": True,
        "include_comments": False,
        "include_tables": settings.include_tables,
    }
    doc = _document(trafilatura.bare_extraction(tree, fast=True, **options))
    if _length(doc) < FALLBACK_BELOW_CHARS:
        # only a real rescue counts: on a page without an article the cascade finds scraps
        fuller = _document(trafilatura.bare_extraction(tree, fast=False, **options))
        doc = fuller if _length(fuller) >= FALLBACK_BELOW_CHARS else doc
    if doc is None:
        return None
    date_params = {
        "extensive_search": False,
        "original_date": True,
        "max_date": article.fetched_at.date().isoformat(),
    }
    return Page(body=doc.body, meta=page_metadata(tree, article.url, date_params))


def _length(doc: Document | None) -> int:
    return len(doc.text or "") if doc is not None else 0


def _document(found: Document | dict[str, Any] | None) -> Document | None:
    return found if isinstance(found, Document) and isinstance(found.body, _Element) else None


def _claim_metadata(article: Article, doc: Document) -> None:
    raw = article.raw_text
    for field, value in (
        ("title", doc.title),
        ("site", doc.sitename),
        ("canonical_url", doc.url),
        ("language", doc.language),
    ):
        if value and _claimable(value):
            offer(
                article,
                field,
                value.strip(),
                method=METHOD,
                confidence=0.8,
                evidence=locate(raw, value, fallback_field=f"trafilatura:{field}"),
            )
    if doc.author and _claimable(doc.author):
        authors = [a.strip() for a in doc.author.split(";") if a.strip()]
        evidence = [locate(raw, a, fallback_field="trafilatura:author") for a in authors]
        offer(article, "authors", authors, method=METHOD, confidence=0.7, evidence=evidence)
    if doc.date:
        _claim_date(article, doc.date)


def _claimable(value: str) -> bool:
    """A value worth a claim: not empty, and not a whole paragraph taken for a title or name."""
    return bool(value.strip()) and len(value) <= MAX_META_CHARS


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
