"""Cleaning scraped plain text line by line: keep the article's paragraphs, drop the rest.

A scraped page is already text, one block per line, with the site's furniture still in: a date
widget (the site's clock), menus, the section label, the headline, the byline and author box,
photo credits, "- Advertisement -", share buttons, related links, comment forms, CAPTCHA
messages, cookie notices and the footer. ``clean_scraped_text`` only ever removes whole lines,
so every kept line keeps its exact place in the raw text (``CleanText.segments``); the
headline and the authors are reported with their raw spans, and every removed line with the
kind of furniture it is.

How a line is judged:

1. lines that plainly are furniture (``line_roles``), bylines, author boxes, date-only lines
   and photo credits are removed whatever else they look like;
2. the line model (``line_model``) scores every other line; those under its threshold go,
   unless a single one sits between two kept lines (a subhead, a short paragraph); when no
   line passes (a bare paragraph has no page around it), the prose-shaped lines stay;
3. of a line that appears several times only the likeliest copy stays, a teaser cut short
   with "..." goes when the full line is on the page, and a doubtful line kept far from the
   article's main block, with several removed lines between, goes too;
4. the headline is the headline-shaped line just above the first kept line; it is reported,
   not kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from khabar.core.article import Segment
from khabar.extract.bylines import Name, bio_of, byline_names, is_byline, name_only
from khabar.extract.line_features import Columns, max_sum_span, short_runs
from khabar.extract.line_model import LineModel, bundled_model
from khabar.extract.line_roles import Label, furniture, guess_label
from khabar.extract.line_shape import STOPWORDS, Line, Shape, measure, split_lines

HEADLINE_SCAN_LINES = 12
HEADLINE_SEARCH_LINES = 30  # how far above the article a headline sharing its words may be
HEADLINE_MIN_OVERLAP = 0.3  # of the line's content words, found in the lead
HEADLINE_DISTANCE = 0.01  # per line between the headline and the article
HEADLINE_FIRST_OVERLAP = 0.5  # a first kept line this much about the rest is the headline
HEADLINE_MAX_DATE_SHARE = 0.3  # a line this much made of date words is a timestamp
LEAD_CHARS = 1500
_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 30
SECTION_LABEL_MAX_WORDS = 3
CAPTION_MAX_WORDS = 30
DATE_LINE_MAX_WORDS = 14
CREDIT_MAX_WORDS = 12
COOKIE_BUTTON_WORDS = 3
DUPLICATE_MIN_WORDS = 3
TEASER_PREFIX_CHARS = 40
STRAY_GAP_LINES = 5
STRAY_SURE = 0.8
LONE_LINE_WORDS = 3  # "Troops shelled Homs." is an article; "Home" or "Share this" is not


@dataclass(frozen=True)
class CleanText:
    """The article's lines, and what was taken out of the raw text and why.

    ``text`` is the kept lines joined by "\\n"; for each kept line ``segments`` holds one
    ``Segment`` with ``text[start:end] == raw_text[raw_start:raw_start + end - start]``.
    ``title`` and every ``removed`` entry and author span are ``(start, end)`` in the raw text.
    """

    text: str
    segments: list[Segment]
    title: tuple[int, int] | None
    authors: list[tuple[str, int, int]]
    removed: list[tuple[int, int, str]]


def clean_scraped_text(raw_text: str, *, model: LineModel | None = None) -> CleanText:
    """Remove the boilerplate lines of a scraped page; ``model`` defaults to the bundled one."""
    lines = split_lines(raw_text)
    shapes = measure([line.text for line in lines])
    labels, names = _plain_roles(lines, shapes)
    if lines:
        p = (model or bundled_model()).body_probabilities(lines, shapes)
        threshold = (model or bundled_model()).threshold
    else:
        p, threshold = [], 0.5
    keep = [label is None and v >= threshold for label, v in zip(labels, p, strict=True)]
    _fill_gaps(keep, labels)
    if not any(keep):
        # The model reads a line in its page's context; a bare article of a line or two has
        # none, so when nothing is kept the lines shaped like running prose are.
        columns = Columns(shapes)
        prose = columns.prose()
        keep = [label is None and bool(v) for label, v in zip(labels, prose, strict=True)]
        lone = len(lines) == 1 and labels[0] is None and not columns.markers()[0]
        if lone and shapes[0].words >= LONE_LINE_WORDS:
            # A text of one line has no page around it to clean: it was given as the article
            # (a sentence pasted in, a wire flash), unless a rule names it furniture.
            keep = [True]
    _drop_copies(lines, shapes, p, keep, labels)
    _drop_strays(shapes, p, keep)
    title = _headline(lines, shapes, keep, labels)
    _name_leftovers(lines, shapes, keep, labels, title)
    runs = short_runs(np.array([s.words for s in shapes], dtype=np.float64))
    for i, line in enumerate(lines):
        if not keep[i] and labels[i] is None:
            labels[i] = guess_label(line.text, shapes[i], int(runs[i]))
    _label_lists(keep, labels)
    return _result(lines, keep, labels, title, names)


def _plain_roles(
    lines: Sequence[Line], shapes: Sequence[Shape]
) -> tuple[list[Label | None], list[Name]]:
    """Labels for the lines removed whatever the model says, and the authors they name."""
    labels: list[Label | None] = [None] * len(lines)
    names: list[Name] = []
    for i, (line, s) in enumerate(zip(lines, shapes, strict=True)):
        own = _plain_label(line, s)
        labels[i] = labels[i] or own
        if own == "byline":
            names.extend(byline_names(line))
        below = shapes[i + 1] if i + 1 < len(lines) else None
        if own == "caption" and s.colon_label and below and below.words <= CAPTION_MAX_WORDS:
            # The caption under a "Photo: ..." credit line.
            labels[i + 1] = labels[i + 1] or "caption"
        if own == "cookie" and below and below.words <= COOKIE_BUTTON_WORDS:
            # "Accept", "OK", "Learn more" under a cookie notice.
            labels[i + 1] = labels[i + 1] or "cookie"
    _author_boxes(lines, shapes, labels, names)
    return labels, names


def _plain_label(line: Line, s: Shape) -> Label | None:
    named = furniture(line.text, s)
    if named:
        return named
    if is_byline(line, s):
        return "byline"
    if s.words <= DATE_LINE_MAX_WORDS and (s.date_share >= 0.99 or s.timestamp_label):
        return "dateline"
    if s.photo_credit and s.words <= CREDIT_MAX_WORDS:
        return "caption"
    return None


def _author_boxes(
    lines: Sequence[Line], shapes: Sequence[Shape], labels: list[Label | None], names: list[Name]
) -> None:
    """Name-only lines next to a biography of that name, and biographies of known authors."""
    alone = {i: name_only(line, shapes[i]) for i, line in enumerate(lines) if labels[i] is None}
    known = {n.text for n in names}
    for i, name in alone.items():
        if name is None:
            continue
        for j in (i - 1, i + 1, i + 2):
            if (
                0 <= j < len(lines)
                and j != i
                and (
                    (alone.get(j) and alone[j] == name) or bio_of(lines[j], shapes[j], {name.text})
                )
            ):
                known.add(name.text)
    for i, line in enumerate(lines):
        if labels[i] is not None:
            continue
        single = alone.get(i)
        if single is not None and single.text in known:
            labels[i] = "author_box"
            names.append(single)
        elif bio_of(line, shapes[i], known):
            labels[i] = "author_box"


def _fill_gaps(keep: list[bool], labels: Sequence[Label | None]) -> None:
    """Keep a single doubtful line between two kept lines: a subhead or a short paragraph."""
    gaps = [
        i
        for i in range(1, len(keep) - 1)
        if not keep[i] and labels[i] is None and keep[i - 1] and keep[i + 1]
    ]
    for i in gaps:
        keep[i] = True


def _drop_strays(shapes: Sequence[Shape], p: Sequence[float], keep: list[bool]) -> None:
    """Drop doubtful kept lines cut off from the article by several removed lines.

    The article is the run of lines where kept words most outweigh removed lines; a teaser or
    a promotion further down the page, on its own among furniture, goes unless the model was
    sure of it.
    """
    if not any(keep):
        return
    words = np.array([s.words for s in shapes], dtype=np.float64)
    first, last = max_sum_span(np.where(keep, words, -(2.0 + 0.5 * np.minimum(words, 20))))
    removed = np.cumsum([not k for k in keep])
    for i, kept in enumerate(keep):
        if not kept or first <= i <= last or p[i] >= STRAY_SURE:
            continue
        between = removed[first] - removed[i] if i < first else removed[i] - removed[last]
        if between >= STRAY_GAP_LINES:
            keep[i] = False  # labelled by its shape, like the lines the model removed


def _drop_copies(
    lines: Sequence[Line],
    shapes: Sequence[Shape],
    p: Sequence[float],
    keep: list[bool],
    labels: list[Label | None],
) -> None:
    """Keep only the likeliest copy of a repeated line, and drop teasers of kept lines."""
    best: dict[str, int] = {}
    longest: dict[str, int] = {}
    for i, line in enumerate(lines):
        key = line.text.lower()
        if key not in best or p[i] > p[best[key]]:
            best[key] = i
        if len(key) > TEASER_PREFIX_CHARS:
            prefix = key[:TEASER_PREFIX_CHARS]
            if prefix not in longest or len(key) > len(lines[longest[prefix]].text):
                longest[prefix] = i
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        key = line.text.lower()
        repeated = best[key] != i and shapes[i].words >= DUPLICATE_MIN_WORDS
        if repeated or (shapes[i].ellipsis_end and _is_teaser(lines, i, longest)):
            keep[i] = False
            labels[i] = "duplicate"


def _is_teaser(lines: Sequence[Line], i: int, longest: dict[str, int]) -> bool:
    """A line cut short with "..." whose beginning opens a longer line on the page."""
    text = lines[i].text
    j = longest.get(text[:TEASER_PREFIX_CHARS].lower())
    return j is not None and j != i and len(lines[j].text) >= len(text.rstrip(".…[] "))


def _headline(
    lines: Sequence[Line], shapes: Sequence[Shape], keep: list[bool], labels: list[Label | None]
) -> int | None:
    """The headline: the line above the article that speaks of what the article's opening
    speaks of, else the first headline-shaped line above the first kept line.

    A headline shares its words with the lead ("Disney+ glitches" / "the Disney+ streaming
    service"); the sharing widgets, credits and "Skip to main content" between it and the body
    share none. So among the unlabelled headline-shaped lines up to ``HEADLINE_SEARCH_LINES``
    above the first kept line, the one whose content words recur most in the article's first
    ``LEAD_CHARS`` characters wins (at least ``HEADLINE_MIN_OVERLAP`` of them; nearer is better
    by ``HEADLINE_DISTANCE`` a line). Failing that, the first kept line itself, when the model
    kept the headline as prose (``_kept_headline``). Failing that, going up from the article,
    bylines, datelines, photo credits, captions (which end like a sentence) and very short
    lines (a section label, "Share") are stepped over.
    """
    first = next((i for i, k in enumerate(keep) if k), None)
    if first is None:
        return None
    lead = _content_words(
        " ".join(line.text for line, k in zip(lines, keep, strict=True) if k)[:LEAD_CHARS]
    )
    best, best_score = None, 0.0
    for i in range(first - 1, max(-1, first - 1 - HEADLINE_SEARCH_LINES), -1):
        words = _content_words(lines[i].text)
        if labels[i] is not None or not words or not _headline_shaped(lines[i].text, shapes[i]):
            continue
        overlap = len(words & lead) / len(words)
        score = overlap - HEADLINE_DISTANCE * (first - 1 - i)
        if overlap >= HEADLINE_MIN_OVERLAP and score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    if _kept_headline(lines, shapes, keep, first):
        return first
    for i in range(first - 1, max(-1, first - 1 - HEADLINE_SCAN_LINES), -1):
        sized = HEADLINE_MIN_WORDS <= shapes[i].words <= HEADLINE_MAX_WORDS
        ends_clause = lines[i].text.rstrip("\"'”’»)").endswith((".", ":", ";", ","))
        if labels[i] is None and sized and not ends_clause:
            return i
    return None


def _kept_headline(
    lines: Sequence[Line], shapes: Sequence[Shape], keep: Sequence[bool], first: int
) -> bool:
    """Whether the first kept line is the headline, which the model took for prose: shaped
    like one, with at least ``HEADLINE_FIRST_OVERLAP`` of its words in the opening after it."""
    words = _content_words(lines[first].text)
    if not words or not _headline_shaped(lines[first].text, shapes[first]):
        return False
    after = (line.text for j, line in enumerate(lines) if keep[j] and j > first)
    rest = _content_words(" ".join(after)[:LEAD_CHARS])
    return len(words & rest) / len(words) >= HEADLINE_FIRST_OVERLAP


def _content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its topic: three letters or more, no stop words."""
    found = (m.group().lower() for m in _CONTENT_WORD.finditer(text))
    return {w for w in found if w not in STOPWORDS}


def _headline_shaped(text: str, shape: Shape) -> bool:
    """More than ``HEADLINE_MIN_WORDS`` words (three-word lines above an article are more
    often widgets, "Close share panel", than headlines: 120 of the benchmark's 181 pages agreed
    with their own title with three-word lines allowed, 125 without), not ending like a clause,
    and no address, date or photo credit."""
    return (
        HEADLINE_MIN_WORDS < shape.words <= HEADLINE_MAX_WORDS
        and not text.rstrip("\"'”’»)").endswith((".", ":", ";", ","))
        and "@" not in text
        and "://" not in text
        and shape.date_share < HEADLINE_MAX_DATE_SHARE
        and not shape.photo_credit
    )


def _name_leftovers(
    lines: Sequence[Line],
    shapes: Sequence[Shape],
    keep: list[bool],
    labels: list[Label | None],
    title: int | None,
) -> None:
    """Label the headline, the section label above it, and the date widget at the top."""
    if title is not None:
        keep[title] = False
        labels[title] = "headline"
        above = title - 1
        if above >= 0 and not keep[above] and shapes[above].words <= SECTION_LABEL_MAX_WORDS:
            labels[above] = labels[above] or "section_label"
    top = title if title is not None else next((i for i, k in enumerate(keep) if k), len(lines))
    for i in range(top):
        if labels[i] == "dateline" and not shapes[i].timestamp_label:
            labels[i] = "date_widget"


def _label_lists(keep: Sequence[bool], labels: list[Label | None]) -> None:
    """The removed lines under a "Related:" or "Most popular" header are related links too."""
    heading: Label | None = None
    for i, label in enumerate(labels):
        if keep[i]:
            heading = None
        elif label == "related":
            heading = label
        elif heading and label in {"other", "navigation"}:
            labels[i] = heading
        else:
            heading = None


def _result(
    lines: Sequence[Line],
    keep: Sequence[bool],
    labels: Sequence[Label | None],
    title: int | None,
    names: Sequence[Name],
) -> CleanText:
    parts: list[str] = []
    segments: list[Segment] = []
    removed: list[tuple[int, int, str]] = []  # str: the public record, not the Literal
    at = 0
    for i, line in enumerate(lines):
        if keep[i]:
            if parts:
                at += 1
            parts.append(line.text)
            segments.append(Segment(start=at, end=at + len(line.text), raw_start=line.start))
            at += len(line.text)
        else:
            removed.append((line.start, line.end, labels[i] or "other"))
    authors: dict[str, tuple[str, int, int]] = {}
    for name in names:
        authors.setdefault(name.text, (name.text, name.start, name.end))
    span = (lines[title].start, lines[title].end) if title is not None else None
    return CleanText("\n".join(parts), segments, span, list(authors.values()), removed)
