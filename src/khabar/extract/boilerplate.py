"""Trimming what trafilatura leaves around an article body.

trafilatura finds the article's container well, but what sits at the container's edges often
comes along: the headline and standfirst above the first paragraph, a "Read more: ..." line
between paragraphs, a comment section, and, at the end, newsletter and share prompts, credit
lines, contact lines, copyright notices and cards linking to other stories. The article body,
as human annotators mark it (the Scrapinghub article-extraction benchmark's gold bodies), has
none of them; the headline is the title claim, not text.

The rules work block by block on trafilatura's output tree (children of ``<body>``: ``p``,
``head``, ``list``, ``quote``, ``table``...). They describe page furniture, never a site. The
phrase patterns are English; on other languages only the structural rules apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml.etree import _Element

_WORD = re.compile(r"\w+")

# The headline is usually the first <h1>; what precedes it near the top is page furniture
# (a kicker, a teaser, the page URL), unless it is a real share of the text.
HEADLINE_WITHIN_BLOCKS = 4
BEFORE_HEADLINE_SHARE = 0.25
STANDFIRST_MAX_WORDS = 50
DATELINE_MAX_WORDS = 12
# A comment section only starts once there is some article above it.
COMMENTS_AFTER_CHARS = 200
LINK_LINE_MAX_WORDS = 25
TRAILER_MAX_WORDS = 60

_DATELINE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b(19|20)\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b"
    r"|\bupdated\b|\bpublished\b|^by\s",
    re.I,
)
_COMMENTS_HEADER = re.compile(
    r"\s*(\d+\s+)?("
    r"comments?|responses?|replies|reader comments|user comments|discussion"
    r"|join (the )?discussion|leave a (reply|comment)|post a comment|add a comment"
    r"|loading comments\.*|comments are closed\.?|comment on this (story|article)"
    r"|\d+\s+thoughts? on .*|.*comments powered by disqus"
    r"|you must (be )?log(ged)? in to post a comment\.?|want to join the discussion\??"
    r")\s*:?\s*",
    re.I,
)
_LINK_LINE = re.compile(
    r"\s*[\[(]?\s*(read more|read also|also read|related( articles?| stories| posts?| coverage)?"
    r"|see more|see also|more from [\w ]+|recommended( reading)?|you (may|might) also like"
    r"|also on [\w.]+)\s*[:|\-–—…]",
    re.I,
)
_TRAILER = re.compile(
    r"newsletter|subscribe|sign up|follow (us|\w+) on|share (this|it)|like this story"
    r"|©|\bcopyright\b|all rights reserved"
    r"|contributed (to )?(this )?report|additional reporting|reporting by|editing by|writing by"
    r"|^contributing:|^tags\b|filed under|click here|^source:|get the latest|in your inbox"
    r"|contact (us|the author)|\bemail .* at |@\w+\.(com|org|net)\b|twitter\.com/"
    # the label over a list of other stories, the list itself gone
    r"|^(more (from|on|in|stories)|related|most (read|popular|viewed)|popular|recommended"
    r"|trending|top stories|latest( news)?|you (may|might) also like|see also|read (more|next))"
    r"\b[^.!?]{0,40}$",
    re.I,
)


def trim(body: _Element, title: str | None) -> None:
    """Remove the blocks around the article from trafilatura's ``body`` tree, in place."""
    blocks = list(body)
    texts = [" ".join(" ".join(block.itertext()).split()) for block in blocks]
    drop = lead_blocks(blocks, texts, title)
    drop |= {i for i, text in enumerate(texts) if is_link_line(text)}
    drop |= comment_section(texts)
    drop |= trailing_blocks(blocks, texts, drop)
    for index in sorted(drop, reverse=True):
        _remove_keeping_tail(blocks[index])


def lead_blocks(blocks: Sequence[_Element], texts: Sequence[str], title: str | None) -> set[int]:
    """The headline (and what comes before it), the standfirst, and date or byline lines."""
    count, total = len(blocks), sum(map(len, texts))
    drop: set[int] = set()
    start = 0
    headline = next(
        (i for i in range(min(HEADLINE_WITHIN_BLOCKS, count)) if _is_heading(blocks[i], "h1")),
        None,
    )
    if headline is not None and sum(map(len, texts[:headline])) < BEFORE_HEADLINE_SHARE * total:
        start = headline + 1
    elif count and title and same_title(texts[0], title):
        start = 1
    drop.update(range(start))
    if 0 < start < count - 1 and is_standfirst(blocks[start], texts[start]):
        drop.add(start)
        start += 1
    while start < count - 1 and is_dateline(texts[start]):
        drop.add(start)
        start += 1
    return drop


def comment_section(texts: Sequence[str]) -> set[int]:
    """From a comment section's header (once some article is above it) to the end."""
    seen = 0
    for index, text in enumerate(texts):
        if seen >= COMMENTS_AFTER_CHARS and _COMMENTS_HEADER.fullmatch(text):
            return set(range(index, len(texts)))
        seen += len(text)
    return set()


def trailing_blocks(blocks: Sequence[_Element], texts: Sequence[str], drop: set[int]) -> set[int]:
    """Prompts, credits, notices, link cards and headings at the end, back to the last paragraph."""
    found: set[int] = set()
    for index in range(len(blocks) - 1, 0, -1):
        if index in drop:
            continue
        block, text = blocks[index], texts[index]
        words = len(_WORD.findall(text))
        if (
            words == 0
            or _is_heading(block)
            or _is_card_list(block)
            or (words <= TRAILER_MAX_WORDS and _TRAILER.search(text))
        ):
            found.add(index)
        else:
            break
    return found


def is_standfirst(block: _Element, text: str) -> bool:
    """A heading right under the headline that sums the story up, short of a paragraph."""
    return _is_heading(block) and len(_WORD.findall(text)) <= STANDFIRST_MAX_WORDS


def is_link_line(text: str) -> bool:
    """A "Read more: ..." or "Related: ..." line pointing at another story."""
    return bool(_LINK_LINE.match(text)) and len(_WORD.findall(text)) <= LINK_LINE_MAX_WORDS


def is_dateline(text: str) -> bool:
    """A short line with a date, time or byline and no sentence ending ("Updated 5:45 AM")."""
    return (
        len(_WORD.findall(text)) <= DATELINE_MAX_WORDS
        and bool(_DATELINE.search(text))
        and not text.endswith((".", '"', "”"))
    )


def same_title(line: str, title: str) -> bool:
    """The line is the page title, the title without its site name ("Headline | Site"), or the
    title with a few words added."""
    words, title_words = _words(line), _words(title)
    if not words or not title_words:
        return False
    size, title_size = len(words), len(title_words)
    if size >= 3 and words in (title_words[:size], title_words[-size:]):
        return True
    return words == title_words or (
        title_size >= 3 and words[:title_size] == title_words and size <= title_size + 3
    )


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _is_heading(block: _Element, rend: str | None = None) -> bool:
    return block.tag == "head" and (rend is None or block.get("rend") == rend)


def _is_card_list(block: _Element) -> bool:
    """A list of story cards: every item has its own heading."""
    return (
        block.tag == "list"
        and len(block) >= 2
        and all(item.find(".//head") is not None for item in block)
    )


def _remove_keeping_tail(block: _Element) -> None:
    """Remove a block; text that trafilatura left in its tail is kept in place."""
    parent = block.getparent()
    if parent is None:
        return
    tail = block.tail
    if tail and tail.strip():
        previous = block.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(block)
