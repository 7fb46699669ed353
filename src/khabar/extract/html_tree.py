"""A page's tree made ready for trafilatura: safety limits, and boilerplate that misleads it.

- a page with too many elements is skipped (``too_large``); attributes longer than any real
  class, id or URL are dropped (trafilatura matches patterns against every class and id: one
  5 MB attribute would take seconds);
- cookie and consent notices go: on a page with no article they pass for one;
- an article body split into repeated containers (``<div class="article__body">`` once per
  chunk, ads between them) is joined: trafilatura reads the first container only;
- runs of story cards (a linked headline and a line of teaser, repeated) go: a section page is
  nothing but these, and trafilatura outside its precision mode keeps them as text.
"""

from __future__ import annotations

import itertools
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from khabar.core.errors import DropArticle

MAX_ELEMENTS = 30_000
MAX_ATTRIBUTE_CHARS = 4_000
# A regular expression on the raw page finds out quickly whether the tree needs the search.
_LONG_ATTRIBUTE = re.compile(
    rf"""=\s*(?:"[^"]{{{MAX_ATTRIBUTE_CHARS}}}|'[^']{{{MAX_ATTRIBUTE_CHARS}}})"""
)
_LONG_ATTRIBUTES = etree.XPath(f"//@*[string-length() > {MAX_ATTRIBUTE_CHARS}]")
# Cookie and consent notices, by their id or class ("ookie" for Cookie and cookie: XPath 1.0
# has no case-insensitive match, and translate() costs more than the variants).
_CONSENT_WORDS = ("ookie", "onsent", "gdpr", "GDPR")
_CONSENT_BANNERS = etree.XPath(
    "|".join(
        f"//{tag}["
        + " or ".join(f"contains(@{a}, '{w}')" for a in ("id", "class") for w in _CONSENT_WORDS)
        + "]"
        for tag in ("div", "section", "aside")
    )
)
BANNER_MAX_CHARS = 1_500
# A body split into chunks: containers of the same class, each with this much paragraph text.
CHUNK_MIN_CHARS = 400
# Story cards: a heading that is mostly one link, in a block of at most CARD_MAX_CHARS, within
# CARD_MAX_DEPTH levels, with at least CARDS_IN_A_RUN siblings alike.
_LINKED_HEADINGS = etree.XPath("//h2[.//a]|//h3[.//a]|//h4[.//a]|//h5[.//a]")
LINKED_SHARE = 0.8
CARD_MAX_CHARS = 400
CARD_MAX_DEPTH = 4
CARDS_IN_A_RUN = 3
# A cheap XPath filter in front of the regular expression (which XPath 1.0 lacks).
_BODY_CANDIDATES = etree.XPath(
    "|".join(
        f"//{tag}[contains(@class, 'ody') or contains(@class, 'ontent') or "
        "contains(@class, 'ext') or contains(@class, 'opy')]"
        for tag in ("div", "section", "article")
    )
)
_BODY_CLASS = re.compile(
    r"(article|story|entry|post)[-_]*(body|content|text)|body[-_]*(text|copy)|articlebody", re.I
)


def parse_page(raw_text: str, *, max_elements: int = MAX_ELEMENTS) -> HtmlElement:
    """The page's tree, made safe and ready for trafilatura, or ``DropArticle``."""
    tree = trafilatura.load_html(raw_text)
    if tree is None:
        raise DropArticle("no_article", "the page could not be parsed as HTML")
    # every element starts with "<": count the elements only when the page could be too big
    if raw_text.count("<") > max_elements:
        elements = sum(1 for _ in tree.iter())
        if elements > max_elements:
            raise DropArticle(
                "too_large",
                f"the page has {elements:,} HTML elements, over the extractor's cap of "
                f"{max_elements:,}",
            )
    if _LONG_ATTRIBUTE.search(raw_text):
        drop_long_attributes(tree)
    drop_consent_banners(tree)
    join_split_body(tree)
    drop_story_cards(tree)
    return tree


def drop_long_attributes(tree: HtmlElement) -> None:
    for value in _LONG_ATTRIBUTES(tree):
        del value.getparent().attrib[value.attrname]


def drop_consent_banners(tree: HtmlElement) -> None:
    """Remove cookie and consent notices: short blocks named for it, wherever they sit."""
    for banner in _CONSENT_BANNERS(tree):
        parent = banner.getparent()
        if parent is not None and len(banner.text_content()) <= BANNER_MAX_CHARS:
            parent.remove(banner)


def join_split_body(tree: HtmlElement) -> None:
    """Move every chunk of a split article body into its first chunk."""
    groups: dict[tuple[str, str], list[HtmlElement]] = {}
    for element in _BODY_CANDIDATES(tree):
        name = element.get("class")
        if _BODY_CLASS.search(name):
            groups.setdefault((element.tag, name), []).append(element)
    for members in groups.values():
        if len(members) > 1:
            _join(members)


def _join(members: list[HtmlElement]) -> None:
    inside = set(members)
    outermost = [m for m in members if not any(a in inside for a in m.iterancestors())]
    chunks = [m for m in outermost if _paragraph_chars(m) >= CHUNK_MIN_CHARS]
    if len(chunks) < 2:
        return
    first = chunks[0]
    for chunk in chunks[1:]:
        if chunk.text and chunk.text.strip():
            lead = first.makeelement("p", {})
            lead.text = chunk.text
            first.append(lead)
        first.extend(list(chunk))
        parent = chunk.getparent()
        if parent is not None:
            parent.remove(chunk)


def drop_story_cards(tree: HtmlElement) -> None:
    """Remove runs of teaser cards (a linked headline, a line of summary) linking to other stories.

    A section page is nothing but these, an article page has them in its margins; trafilatura
    outside its precision mode keeps them as text.
    """
    runs: dict[HtmlElement, set[HtmlElement]] = {}
    for heading in _LINKED_HEADINGS(tree):
        card = _card_of(heading)
        if card is not None:
            runs.setdefault(card.getparent(), set()).add(card)
    for parent, cards in runs.items():
        if len(cards) >= CARDS_IN_A_RUN:
            for card in cards:
                parent.remove(card)


def _card_of(heading: HtmlElement) -> HtmlElement | None:
    """The short block around a headline that is one link, repeated beside its like, if any."""
    text = " ".join(heading.text_content().split())
    link = max((" ".join(a.text_content().split()) for a in heading.iter("a")), key=len)
    if len(link) < LINKED_SHARE * len(text):
        return None
    for card in itertools.islice(heading.iterancestors(), CARD_MAX_DEPTH):
        parent = card.getparent()
        if parent is None or len(card.text_content()) > CARD_MAX_CHARS:
            return None
        alike = [c for c in parent if c.tag == card.tag and c.get("class") == card.get("class")]
        if len(alike) >= CARDS_IN_A_RUN:
            return card
    return None


def _paragraph_chars(element: HtmlElement) -> int:
    return sum(len(p.text_content()) for p in element.iter("p"))
