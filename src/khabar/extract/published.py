"""The publication date: every piece of date evidence becomes a candidate claim; one wins.

Candidates, each with its method, confidence and trust:
- ``html.meta`` / ``html.jsonld`` / ``html.time``: the page's own publication metadata (high);
  modification dates are kept as candidates that never win;
- ``url``: a date in the URL path (day or month);
- ``text.byline``: a date on a byline or "Published:" line near the top of a scraped page;
- ``text.dateline``: the date of a wire story's dateline ("BAGHDAD, March 3, 2024 -");
- ``text.widget``: a date alone at the very top of a page, before the headline: a site's
  "today" clock, never trusted (the seed's trap);
- whatever earlier stages or sources offered (``input.jsonl``, ``feed``, ``htmldate``,
  ``http.last_modified``);
- ``text.relative``: when nothing above dates the page, the window the text's own references
  imply ("next month", "in March", "ended in November", a titled office-holder's term), no later
  than the fetch time, the site's clock or the server's last-modified time (``extract.window``).

The winner is the most confident trusted candidate not later than the fetch time (a page cannot
be published after it was fetched). Candidates that disagree with it by more than two days are
named in its note, so a conflict is visible in the record.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlsplit

from khabar.actors.offices import Offices
from khabar.actors.offices import load as load_offices
from khabar.core.article import Article, Claim, Evidence, TimeValue
from khabar.core.registry import Stage, stages
from khabar.extract.dates import FoundDate, find_dates, parse_date
from khabar.extract.text import is_date_line
from khabar.extract.window import infer as infer_window

log = logging.getLogger(__name__)

# <meta> names/properties that carry a publication (or modification) date, by trust.
PUBLISHED_META = {
    "article:published_time": 0.9,
    "og:published_time": 0.85,
    "datepublished": 0.9,
    "date": 0.7,
    "pubdate": 0.8,
    "publishdate": 0.8,
    "publish-date": 0.8,
    "publish_date": 0.8,
    "dc.date.issued": 0.8,
    "dcterms.issued": 0.8,
    "dc.date": 0.7,
    "dcterms.created": 0.75,
    "sailthru.date": 0.75,
    "parsely-pub-date": 0.85,
    "article.published": 0.8,
    "citation_publication_date": 0.8,
    "originalpublicationdate": 0.8,
    "displaydate": 0.7,
}
MODIFIED_META = {
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
}
JSONLD_KEYS = {"datePublished": 0.9, "dateCreated": 0.75, "uploadDate": 0.75}
_META = re.compile(r"<meta\b[^>]{0,2000}>", re.I)
_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_JSONLD = re.compile(
    r"""<script[^>]{0,200}application/ld\+json[^>]{0,200}>(.*?)</script>""", re.I | re.S
)
_TIME = re.compile(r"""<time\b[^>]{0,500}?datetime\s*=\s*["']([^"']{8,40})["'][^>]{0,500}>""", re.I)
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|[-_]|\.html?|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/([01]\d)/")
_OPEN_TAG = re.compile(
    r"""<(span|div|p|td|time|small|li|font|em|strong|section|header|ul)\b[^>]{0,300}?"""
    r"""\bclass\s*=\s*["']([^"']{1,200})["'][^>]{0,300}>""",
    re.I,
)
_DATE_CLASS = re.compile(r"date|time|byline|posted|publi|meta|stamp|datum|fecha")
_CLOCK_CLASS = re.compile(r"today|current|clock|now|weather|masthead|top-?bar|site-date")
# The words that say a date is the first publication's, or an update's, in English and in the
# languages dates.py reads months in ("Veröffentlicht am", "Mis à jour le", "Actualizado:").
PUBLISHED_WORDS = (
    "first published|published|posted|veröffentlicht|erstellt|publié|publiée|publicado|"
    "publicada|pubblicato|pubblicata|gepubliceerd"
)
UPDATED_WORDS = (
    "last updated|updated|last modified|modified|zuletzt aktualisiert|aktualisiert|geändert|"
    "mis à jour|mise à jour|modifié|actualizado|actualizada|aggiornato|aggiornata|atualizado|"
    "atualizada|bijgewerkt"
)
# A byline element that says the date is an update's: "Updated 0339 GMT" before the date, "Stand:"
# (German for "as of", capitalised), or a class "update-time" (but not WordPress's "entry-date
# published updated", a publication date); not a bare "modified" ("Genetically Modified Crops").
_UPDATED = re.compile(
    r"\b(?:updated?|last modified|zuletzt geändert|aktualisiert|mis à jour|mise à jour|"
    r"actualizad[oa]|aggiornat[oa]|atualizad[oa]|bijgewerkt)\b|\bupdate-?time|\b(?-i:Stand)\s*:",
    re.I,
)
# A scraped line that says when the page was published, or is a byline. "by Name" counts
# anywhere in a line that also carries a date ("7:45 am PST by Joe Rossignol"); to sign a date
# on a neighbouring line it must open the line or follow a separator ("| by Catherine"), not
# "Shop by Department" or "Powered by WordPress". "By" is read in English only: "von", "par",
# "por" and "door" are English words or names too ("Door County Daily News", "under par").
_BYLINE = re.compile(
    rf"\b({PUBLISHED_WORDS}|{UPDATED_WORDS}|date)\b|(?:^|\s)(by)\s+(?-i:[A-Z])",
    re.IGNORECASE,
)
_SIGNING_BY = re.compile(r"(?:^|[|•·,–—-])\s*by\s+(?-i:[A-Z])|^\s*by\s*$", re.IGNORECASE)
# The words on a byline line that say what the date after them is.
_DATE_WORD = re.compile(rf"\b(?:({PUBLISHED_WORDS})|({UPDATED_WORDS}))\b", re.IGNORECASE)
_UPDATE_WORD = re.compile(UPDATED_WORDS, re.IGNORECASE)
# A word that labels the date right after it in a page, a publication's or an update's
_LABEL = re.compile(rf"\b(?:({PUBLISHED_WORDS})|{UPDATED_WORDS}|(?-i:Stand)(?=\s*:))\b", re.I)
_LABEL_GAP = re.compile(r"[\s:,|–—-]*(?:(?:am|on|le|el|il|op|em|at|den)\s*)?[\s:,]*", re.I)
_ANY_TAG = re.compile(r"<[^<>]{0,300}>")
LABEL_REACH = 160  # characters from the word to its date, tags included
LABEL_HEAD = 5_000  # characters before the body read for labelled dates, with no headline
LABEL_ABOVE_H1 = 2_000  # characters above the headline read for them ("Posted on" over a title)
MAX_LABELS = 200  # date words read in a page's head at most
_H1 = re.compile(r"<h1\b", re.I)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
# Words a date line may carry besides the date: its time, zone and joining words.
_TIME_WORDS = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|[ap]\.m\.|at|on|et|pt|pst|pdt|edt|"
    r"cst|cdt|mst|mdt|bst|cet|cest|hkt|jst|aest|aedt|ist|gmt|utc)\b|[|•·,()\-–—]",
    re.IGNORECASE,
)
MAX_JSONLD = 200_000
TOP_LINES = 40  # the head of a scraped page the cleaner found no article in
MAX_HEAD_LINES = 400  # and at most this many: a page's menus rarely run longer
BODY_SLACK = 3  # lines into the body: a byline under the lead photo's caption
UPDATED_NOTE = "the date of an update: the page was first published on that day or before"
# A dateline: the place in capitals (and its country or state), then the date, then a dash.
_DATELINE_BEFORE = re.compile(r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ -]{1,30})?,\s*")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^()\n]{1,30}\)\s*)?[-—–]")
LISTED_DATES = 3  # this many lone date lines within LIST_REACH lines: a list of stories' dates
LIST_REACH = 6
_NUMBERS_ONLY = re.compile(r"[\d\s]*")
LABELLED_LIST_SPAN = 1500  # characters of HTML: a list's labelled dates lie this close together
SIGNED_REACH = 2  # a byline this many lines from a lone date signs it
STAMP_REACH = 2  # a date with its time this many lines above the headline is its stamp
BYLINE_CHARS = 160  # a byline or "Published:" line is short; a notice that says "updated" is not
CONFLICT_DAYS = 2
WIDGET_METHODS = frozenset({"html.widget", "text.widget"})
# Dates that bound the publication from above without being it.
UPPER_BOUNDS = WIDGET_METHODS | {"http.last_modified", "text.updated"}
DATED = 0.5  # a candidate this confident dates the page: no window is inferred from the text
GUESSED_METHODS = frozenset({"htmldate", "htmldate.search"})
SEARCHED = 0.35  # a date found anywhere in the page: better than none, below every other
WIDGET_NOTE = "the site's clock (a date shown at the top of every page), not the publication date"


@dataclass(frozen=True)
class Candidate:
    value: TimeValue
    method: str
    confidence: float
    evidence: Evidence
    trusted: bool = True
    note: str | None = None  # why it cannot win; None for an eligible candidate
    also: tuple[Evidence, ...] = ()  # more evidence, beside the first
    reason: str | None = None  # how it was reached, for the record


@stages.register(
    "extract.published.v1",
    requires={"raw_text", "text", "media_type", "fetched_at"},
    assigns={"published"},
)
def make_published(from_text: bool = True, offices: Sequence[str] = ()) -> Stage:
    """The publication date from every piece of date evidence, each kept as a candidate.

    ``from_text`` infers a window from the text's own references when nothing else dates the
    page; ``offices`` adds a user's office-holder files (``data/actors/offices.tsv``'s format).
    """
    holders = load_offices(offices) if from_text else None

    def choose(article: Article) -> Article:
        found = list(html_candidates(article) if article.media_type == "text/html" else ())
        found += text_candidates(article)
        found += url_candidates(article.url or article.canonical_url)
        if article.media_type == "text/html" and not _dated(article, found):
            found += searched_candidates(article)
        settle(article, found, holders)
        return article

    return choose


def settle(article: Article, found: list[Candidate], offices: Offices | None = None) -> None:
    """Add the new candidates and re-decide among all of them, earlier claims included.
    With ``offices``, a page nothing else dates gets the window its text implies."""
    earlier = article.candidates("published")
    article.claims = [c for c in article.claims if c.field != "published"]
    kept = [c for c in earlier if c.method != "text.relative"]  # re-inferred below
    pool = _taint_clock_copies([_from_claim(c) for c in kept] + _dedupe(found))
    fetched = article.fetched_at.date() + timedelta(days=1)  # a day's grace for time zones
    eligible = [c for c in pool if c.trusted and c.note is None and c.value.start <= fetched]
    if offices is not None and not any(c.confidence >= DATED for c in eligible):
        inferred = _from_text(article, _latest_possible(pool, fetched), offices)
        if inferred is not None:
            pool.append(inferred)
            if inferred.trusted:
                eligible.append(inferred)
    winner = max(eligible, key=lambda c: (c.confidence, _precision(c)), default=None)
    local = _local_day(winner, eligible) if winner is not None else None
    if winner is not None and local is not None:
        pool[pool.index(winner)] = eligible[eligible.index(winner)] = winner = local
    for candidate in pool:
        accepted = candidate is winner
        article.claim(
            "published",
            candidate.value,
            method=candidate.method,
            evidence=[candidate.evidence, *candidate.also],
            confidence=_agreed(candidate, eligible) if accepted else candidate.confidence,
            trusted=candidate.trusted,
            accepted=accepted,
            note=_note(candidate, winner, pool, fetched),
        )


def _local_day(winner: Candidate, eligible: list[Candidate]) -> Candidate | None:
    """A timestamp in UTC names the instant, but its date may not be the publisher's day: a
    story posted at 8 pm in California is stamped 04:00Z the next day. When another candidate
    gives a day alone that the instant falls on in some time zone (UTC-12 to UTC+14), and none
    gives the UTC date itself, that day is the publisher's."""
    at = winner.value.at
    if at is None or at.utcoffset() != timedelta(0):
        return None
    utc_day = at.date()
    clock = f"{at:%H:%M}"  # a naive timestamp with the UTC clock is the same UTC stamp again
    days = [
        c
        for c in eligible
        if c is not winner
        and c.value.start == c.value.end
        and c.value.at is None
        and clock not in (c.evidence.value or "")
    ]
    if any(c.value.start == utc_day for c in days):
        return None
    earliest, latest = (at - timedelta(hours=12)).date(), (at + timedelta(hours=14)).date()
    hints = [c for c in days if earliest <= c.value.start <= latest]
    if not hints:
        return None
    hint = max(hints, key=lambda c: c.confidence)
    note = f"the publisher's day, from {hint.method}: the timestamp is in UTC ({at.isoformat()})"
    return replace(
        winner,
        value=TimeValue(start=hint.value.start, end=hint.value.start, granularity="instant", at=at),
        reason=_joined(winner.reason, note),
    )


def _latest_possible(pool: list[Candidate], fetched: date) -> date:
    """The latest day the page can have been written: it was fetched, the site's clock showed a
    day, the server said when it last changed it."""
    bounds = [c.value.end for c in pool if c.method in UPPER_BOUNDS and c.value.end > date.min]
    return min([fetched - timedelta(days=1), *bounds])


def _from_text(article: Article, before: date, offices: Offices) -> Candidate | None:
    """The window the headline and the text imply, its evidence in the text or the raw page."""
    text = article.text
    title = article.accepted("title")
    head = title.value if title is not None and isinstance(title.value, str) else ""
    if head and text.lstrip().startswith(head):
        head = ""  # the text begins with its headline already
    shift = len(head) + 2 if head else 0
    window = infer_window(f"{head}\n\n{text}" if head else text, before, offices)
    if window is None:
        return None
    evidence = [
        Evidence.text_span(e.start - shift, e.end - shift)
        if e.start >= shift
        else _in_headline(article, title, head, e.start, e.end)
        for e in window.evidence
        if e.start is not None and e.end is not None
    ]
    return Candidate(
        window.value,
        "text.relative",
        window.confidence,
        evidence[0],
        trusted=window.trusted,
        note=None if window.trusted else window.note,
        also=tuple(evidence[1:]),
        reason=window.note,
    )


def _in_headline(
    article: Article, title: Claim | None, head: str, start: int, end: int
) -> Evidence:
    """A span of the headline as a span of the raw page, where the title claim points at it."""
    raw = next((e for e in title.evidence if e.kind == "raw"), None) if title else None
    if raw is not None and raw.start is not None and article.raw_text[raw.start : raw.end] == head:
        return Evidence.raw_span(raw.start + start, raw.start + end, head[start:end])
    return Evidence.meta("title", head[start:end])


def _taint_clock_copies(pool: list[Candidate]) -> list[Candidate]:
    """A guessed date (htmldate) that equals the site's clock widget is the widget, read again."""
    clock = {c.value.start for c in pool if c.method in WIDGET_METHODS}
    return [
        replace(c, note="the same day as the site's clock widget")
        if c.method in GUESSED_METHODS and c.value.start in clock and c.note is None
        else c
        for c in pool
    ]


def _precision(candidate: Candidate) -> int:
    """On a tie, a timestamp beats a day, and a day beats a month."""
    return {"instant": 2, "day": 1}.get(candidate.value.granularity, 0)


def _agreed(winner: Candidate, eligible: list[Candidate]) -> float:
    """Independent methods that agree raise the confidence: 1 - the product of their doubts."""
    doubt = 1.0
    for method in {c.method for c in eligible if not _apart(c.value, winner.value)}:
        doubt *= 1 - max(c.confidence for c in eligible if c.method == method)
    return round(min(0.99, 1 - doubt), 3)


def _note(
    candidate: Candidate, winner: Candidate | None, pool: list[Candidate], fetched: date
) -> str | None:
    if candidate is winner:
        return _joined(candidate.reason, _conflicts(candidate, pool))
    if candidate.note:
        return candidate.note
    if candidate.value.start > fetched:
        return "later than the time the page was fetched"
    if not candidate.trusted:
        return "untrusted evidence"
    if winner is not None and not _apart(candidate.value, winner.value):
        return _joined(f"agrees with the chosen date ({winner.method})", candidate.reason)
    return _joined("a more confident candidate won", candidate.reason)


def _joined(*parts: str | None) -> str | None:
    kept = [p for p in parts if p]
    return "; ".join(kept) if kept else None


def _conflicts(candidate: Candidate, pool: list[Candidate]) -> str | None:
    rivals = sorted(
        {
            f"{c.method} ({c.value.start})"
            for c in pool
            if c.trusted
            and c.note is None
            and c is not candidate
            and _apart(c.value, candidate.value)
        }
    )
    return f"conflicts with {', '.join(rivals)}" if rivals else None


def _apart(a: TimeValue, b: TimeValue) -> bool:
    return (a.start - b.end).days > CONFLICT_DAYS or (b.start - a.end).days > CONFLICT_DAYS


def _from_claim(claim: Claim) -> Candidate:
    value = claim.value if isinstance(claim.value, TimeValue) else None
    note = None if value is not None else (claim.note or "not a date")
    if value is None:  # an unparseable input date stays on record, as the loser it is
        value = TimeValue(start=date.min, end=date.min, granularity="day")
    if claim.method == "http.last_modified":
        note = note or "a server's last-modified time: an upper bound, not a publication date"
    return Candidate(
        value,
        claim.method,
        claim.confidence,
        claim.evidence[0],
        claim.trusted,
        note,
        also=claim.evidence[1:],
    )


def _dedupe(found: list[Candidate]) -> list[Candidate]:
    """One candidate per (method, value): a date repeated in og: and twitter: tags counts once."""
    seen: dict[tuple[str, TimeValue], Candidate] = {}
    for c in found:
        key = (c.method, c.value)
        if key not in seen or c.confidence > seen[key].confidence:
            seen[key] = c
    return list(seen.values())


# -- HTML --------------------------------------------------------------------------------------
def html_candidates(article: Article) -> Iterator[Candidate]:
    raw = article.raw_text
    for tag in _META.finditer(raw):
        attrs = _attributes(tag.group())
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ("", 0, 0))[
            0
        ].lower()
        content = attrs.get("content")
        if content is None or (key not in PUBLISHED_META and key not in MODIFIED_META):
            continue
        value, start, end = content
        found = parse_date(value)
        if found is None:
            continue
        evidence = Evidence.raw_span(tag.start() + start, tag.start() + end, value)
        if key in MODIFIED_META:
            yield Candidate(
                _time_value(found), "html.meta", 0.3, evidence, note=f"a modification date ({key})"
            )
        else:
            yield Candidate(_time_value(found), "html.meta", PUBLISHED_META[key], evidence)
    yield from _jsonld_candidates(raw)
    body_start = _body_start(raw, article.text)
    worded = list(_worded_dates(raw, body_start))
    yield from worded
    updates = {c.evidence.start for c in worded if c.note is not None}
    yield from _dated_elements(raw, body_start, updates)
    for match in _TIME.finditer(raw):
        found = parse_date(match.group(1))
        if found is not None:
            evidence = Evidence.raw_span(match.start(1), match.end(1), match.group(1))
            yield Candidate(_time_value(found), "html.time", 0.7, evidence)


def _body_start(raw: str, text: str) -> int:
    """Where the article body begins in the raw page (the end of the page if it is not found)."""
    for line in text.splitlines()[:3]:
        probe = line.strip()[:40]
        if len(probe) >= 20:
            at = raw.find(probe)
            if at >= 0:
                return at
    return len(raw)


def _worded_dates(raw: str, body_start: int) -> Iterator[Candidate]:
    """Dates that a word labels in the article's head, whatever the markup: "Published: <time>3
    April 2019</time>", "Veröffentlicht am 03.04.2019", "Stand: 05.06.2020" (an update). The
    head is from a little above the last headline (``<h1>``) before the body to the body, or
    the LABEL_HEAD characters before the body on a page without one: a "Posted on" teaser in
    the menu or a sidebar further up is another story's. Only tags, punctuation and a joining
    word ("am", "le", "on") may stand between the word and the date, so the words inside
    scripts and attributes ("datePublished", '"published": "...') label nothing. Such a date
    is less sure than one in a byline element (``_dated_elements``), which wins a conflict. A
    publication date with dates of LISTED_DATES days or more around it (itself included,
    within LABELLED_LIST_SPAN characters) is in a list of other stories, and is not this
    page's. With no body found in the page there is no head, and nothing is read."""
    if body_start >= len(raw):
        return
    headlines = list(_H1.finditer(raw, max(0, body_start - LABEL_HEAD * 4), body_start))
    last = headlines[-1] if headlines else None
    head = max(0, last.start() - LABEL_ABOVE_H1) if last else max(0, body_start - LABEL_HEAD)
    published: list[Candidate] = []
    for number, word in enumerate(_LABEL.finditer(raw, head, body_start)):
        if number >= MAX_LABELS:
            log.debug("more than %d date words in a page's head; the rest not read", MAX_LABELS)
            break
        found = _labelled(raw, word.end())
        if found is None:
            continue
        evidence = Evidence.raw_span(found.start, found.end, raw[found.start : found.end])
        if word.group(1):
            published.append(Candidate(_time_value(found), "html.byline", 0.65, evidence))
        else:
            note = f"a modification date (labelled {word.group().strip()!r})"
            yield Candidate(_time_value(found), "html.byline", 0.3, evidence, note=note)
    for c in published:
        near = {
            other.value.start
            for other in published
            if abs((other.evidence.start or 0) - (c.evidence.start or 0)) <= LABELLED_LIST_SPAN
        }
        if len(near) < LISTED_DATES:
            yield c


def _labelled(raw: str, after: int) -> FoundDate | None:
    """The date a word ending at ``after`` labels: the first in reach with only tags,
    punctuation and a joining word before it (a date inside a tag's attribute, as in ``<time
    datetime="...">``, is passed over for the one the tag shows)."""
    for found in find_dates(raw, after, min(after + LABEL_REACH, len(raw))):
        if _LABEL_GAP.fullmatch(_ANY_TAG.sub(" ", raw[after : found.start])):
            return found
    return None


def _dated_elements(raw: str, body_start: int, updates: set[int | None]) -> Iterator[Candidate]:
    """Dates in byline-like elements before the body: "posted-on", "byline", "date"... A date in
    an element named like a clock ("today", "current") is the site's, never the article's.
    Elements after the body (related-article lists) are not looked at. ``updates``: where dates
    that a word labels as an update begin."""
    innermost: dict[int, tuple[tuple[str, int], FoundDate]] = {}
    for tag in _OPEN_TAG.finditer(raw, 0, body_start):
        classes = tag.group(2).lower()
        if not _DATE_CLASS.search(classes):
            continue
        close = raw.find(f"</{tag.group(1)}", tag.end(), tag.end() + 400)
        for found in find_dates(raw, tag.end(), close if close >= 0 else tag.end() + 200):
            # an inner element overrides its parent
            innermost[found.start] = ((classes, tag.end()), found)
    for (classes, opened), found in innermost.values():
        evidence = Evidence.raw_span(found.start, found.end, raw[found.start : found.end])
        if _CLOCK_CLASS.search(classes):
            yield Candidate(
                _time_value(found), "html.widget", 0.1, evidence, trusted=False, note=WIDGET_NOTE
            )
        elif (
            (_UPDATED.search(classes) and "publish" not in classes)
            or _UPDATED.search(raw, opened, found.start)
            or found.start in updates
        ):
            # "Updated 0339 GMT (1139 HKT) November 19, 2019": when it last changed
            note = "a modification date (the byline says updated)"
            yield Candidate(_time_value(found), "html.byline", 0.3, evidence, note=note)
        else:
            yield Candidate(_time_value(found), "html.byline", 0.7, evidence)


def _attributes(tag: str) -> dict[str, tuple[str, int, int]]:
    attrs = {}
    for m in _ATTR.finditer(tag):
        group = next(g for g in (2, 3, 4) if m.group(g) is not None)
        attrs[m.group(1).lower()] = (m.group(group), m.start(group), m.end(group))
    return attrs


def _jsonld_candidates(raw: str) -> Iterator[Candidate]:
    for block in _JSONLD.finditer(raw):
        body = block.group(1)
        if len(body) > MAX_JSONLD:
            continue
        try:
            data = json.loads(body)
        except ValueError:
            continue
        for key, value in _walk(data):
            found = parse_date(value)
            if found is None:
                continue
            at = body.find(value)
            evidence = (
                Evidence.raw_span(block.start(1) + at, block.start(1) + at + len(value), value)
                if at >= 0
                else Evidence.meta(f"json-ld:{key}", value)
            )
            yield Candidate(_time_value(found), "html.jsonld", JSONLD_KEYS[key], evidence)


def _walk(data: object, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 8:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if key in JSONLD_KEYS and isinstance(value, str):
                yield key, value
            else:
                yield from _walk(value, depth + 1)
    elif isinstance(data, list):
        for item in data[:50]:
            yield from _walk(item, depth + 1)


# -- URL ---------------------------------------------------------------------------------------
def url_candidates(url: str | None) -> Iterator[Candidate]:
    if not url:
        return
    path = urlsplit(url).path
    evidence = Evidence.meta("url", url)
    day = _URL_DAY.search(path)
    if day:
        try:
            yield Candidate(TimeValue.day(date(*map(int, day.groups()))), "url", 0.7, evidence)
            return
        except ValueError:
            pass
    month = _URL_MONTH.search(path)
    if month:
        year, number = map(int, month.groups())
        if 1 <= number <= 12:
            first = date(year, number, 1)
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            yield Candidate(
                TimeValue(start=first, end=last, granularity="month"), "url", 0.6, evidence
            )


def _dated(article: Article, found: list[Candidate]) -> bool:
    """Whether some trusted candidate, earlier or new, is confident enough to date the page."""
    earlier = any(c.trusted and c.confidence >= DATED for c in article.candidates("published"))
    return earlier or any(c.trusted and c.confidence >= DATED for c in found)


def searched_candidates(article: Article) -> Iterator[Candidate]:
    """When nothing above dates an HTML page: htmldate's search through the whole page, in
    every language it reads ("publiziert am 30. Juli 2018", "publié le 3 mars 2024"), the way
    htmldate alone dates pages. Low confidence; a day that is the site's clock is tainted like
    any guess (``_taint_clock_copies``)."""
    import htmldate  # noqa: PLC0415 - a dependency of the clean stage; only this fallback needs it

    try:
        guess = htmldate.find_date(
            article.raw_text, extensive_search=True, original_date=True, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError) as error:  # a page htmldate cannot parse: no date, no crash
        log.debug("htmldate could not search %s: %s", article.id, error)
        return
    if not guess:
        return
    try:
        day = date.fromisoformat(guess)
    except ValueError:
        return
    yield Candidate(
        TimeValue.day(day),
        "htmldate.search",
        SEARCHED,
        Evidence.meta("htmldate:search", guess),
        reason="a date htmldate found in the page's text, with nothing better to date it",
    )


# -- scraped text ------------------------------------------------------------------------------
def text_candidates(article: Article) -> Iterator[Candidate]:
    """Dates in the head of a scraped page, the lines above its body (the cleaner's first kept
    line) and a few below: a lone date before the headline is a site's clock (never trusted);
    a date on a short byline or "Published:" line, or alone under such a line or under the
    headline, is the publication date (a date an "Updated" or "Modified" introduces bounds it
    from above: the original may be older). Lone dates that
    recur through the head date a list of other stories ("Recent": a title, a date, a title, a
    date), not this one; a long line that says "updated" is a notice (a cookie banner's policy
    date), not a byline."""
    if article.media_type != "text/plain":
        return
    raw = article.raw_text
    title = article.accepted("title")
    title_start = (
        next((e.start for e in title.evidence if e.kind == "raw"), None) if title else None
    )
    lines = _head_lines(article, raw)
    lone = [_is_lone_date(line.group()) for line in lines]
    # a line the cleaner read the authors' names from is a byline, "By" or not
    names = [
        e.start
        for c in article.candidates("authors")
        for e in c.evidence
        if e.kind == "raw" and e.start is not None
    ]
    short = [len(line.group()) <= BYLINE_CHARS for line in lines]
    authored = [
        short[i] and any(line.start() <= at < line.end() for at in names)
        for i, line in enumerate(lines)
    ]
    own = [
        (_byline_word(line.group()) or ("published" if authored[i] else None)) if short[i] else None
        for i, line in enumerate(lines)
    ]
    signs = [short[i] and (authored[i] or _signs(line.group())) for i, line in enumerate(lines)]
    for i, line in enumerate(lines):
        text = line.group()
        # a list of other stories' dates: lone dates close together (a title, a date, ...)
        listed = sum(lone[max(0, i - LIST_REACH) : i + LIST_REACH + 1]) >= LISTED_DATES
        for found in find_dates(raw, line.start(), line.end()):
            evidence = Evidence.raw_span(found.start, found.end, raw[found.start : found.end])
            word = own[i]
            named = _date_kind(text, found.start - line.start(), word) if word else None
            above = title_start is not None and _stripped_start(line) < title_start
            if lone[i] and not named:
                # "By / Name / Nov 18, 2019", "Sept. 10, 2018 / | by Catherine": the byline
                # next to a date alone on its line (below it only under a known headline: a
                # clock above the headline is followed by the headline's own byline)
                near = signs[max(0, i - SIGNED_REACH) : i]
                if title_start is not None and not above:
                    near += signs[i + 1 : i + SIGNED_REACH + 1]
                named = "published" if any(near) else None
            if named == "updated":
                yield Candidate(
                    _time_value(found),
                    "text.updated",
                    0.2,
                    evidence,
                    trusted=False,
                    note=UPDATED_NOTE,
                )
            elif named:
                yield Candidate(_time_value(found), "text.byline", 0.75, evidence)
            elif lone[i] and above and _CLOCK.search(text) and _just_above(lines, i, title_start):
                # "October 9, 2018 at 9:40 am / Tweet / Headline": a post's time stamp right
                # above its headline; a site's clock shows the day alone
                yield Candidate(_time_value(found), "text.byline", 0.75, evidence)
            elif lone[i] and (title_start is None or above):
                if i < TOP_LINES and not listed:
                    yield Candidate(
                        _time_value(found),
                        "text.widget",
                        0.1,
                        evidence,
                        trusted=False,
                        note=WIDGET_NOTE,
                    )
            elif lone[i] and not listed:
                yield Candidate(_time_value(found), "text.byline", 0.75, evidence)
            elif _is_dateline(raw, line.start(), found):
                yield Candidate(_time_value(found), "text.dateline", 0.75, evidence)


def _just_above(lines: list[re.Match[str]], i: int, title_start: int | None) -> bool:
    """Whether line ``i`` is at most ``STAMP_REACH`` lines above the headline."""
    below = lines[i + 1 : i + 1 + STAMP_REACH]
    return title_start is not None and any(_stripped_start(line) == title_start for line in below)


def _stripped_start(line: re.Match[str]) -> int:
    """Where the line's text starts, its indentation left out (as the headline's span is)."""
    text = line.group()
    return line.start() + len(text) - len(text.lstrip())


def _head_lines(article: Article, raw: str) -> list[re.Match[str]]:
    """The page's lines down to ``BODY_SLACK`` lines into its body (the first kept segment),
    at most ``MAX_HEAD_LINES``; the first ``TOP_LINES`` when the cleaner kept no line. A date
    further down is another story's or the article's own prose, not its byline."""
    body = article.raw_segments[0].raw_start if article.raw_segments else None
    lines = []
    into_body = 0
    lines_with_text = (line for line in re.finditer(r"[^\n]+", raw) if not line.group().isspace())
    for number, line in enumerate(lines_with_text):
        if number >= (MAX_HEAD_LINES if body is not None else TOP_LINES):
            break
        if body is not None and line.start() >= body:
            into_body += 1
            if into_body > BODY_SLACK:
                break
        lines.append(line)
    return lines


def _date_kind(line: str, at: int, default: str) -> str:
    """What the date at ``at`` of a byline line is, by the last date word before it: "Updated
    November 19 | Published November 18" has one of each; "By Dana Reyes | Updated November
    19" an update. With no such word before it, a date before the line's "updated" is the first
    publication ("November 19, 2019 | 4:20am | Updated November 19"); else ``default``."""
    kind = None
    for word in _DATE_WORD.finditer(line):
        if word.start() >= at:
            if kind is None and word.group(2):
                return "published"  # the update comes after this date
            break
        kind = "published" if word.group(1) else "updated"
    return kind or default


def _signs(line: str) -> bool:
    """Whether a line signs a lone date beside it: "Published:", "Posted", "By" alone above
    the name, "| by Catherine"; not "Shop by Department"."""
    found = _DATE_WORD.search(line)
    return bool((found and found.group(1)) or _SIGNING_BY.search(line))


def _is_lone_date(line: str) -> bool:
    """A date alone on its line, with its time and zone if any ("Nov. 19, 2019", "October 9,
    2018 at 4:02 pm", "18 Nov 2019, 11:47am EST"). A number alone ("0", a share count) is no
    date: the line needs a calendar word or a date's separators."""
    bare = _TIME_WORDS.sub(" ", line)
    return (
        is_date_line(bare) and any(c.isdigit() for c in bare) and not _NUMBERS_ONLY.fullmatch(bare)
    )


def _byline_word(line: str) -> str | None:
    """ "published" when the line is a byline ("By Jane Roe", "By" alone above the name) or
    says when the page was published; "updated" when that is all it says."""
    if line.strip().lower() == "by":
        return "published"
    found = list(_BYLINE.finditer(line))
    if not found:
        return None
    updates = [m for m in found if m.group(1) and _UPDATE_WORD.fullmatch(m.group(1))]
    return "updated" if len(updates) == len(found) else "published"


def _is_dateline(raw: str, line_start: int, found: FoundDate) -> bool:
    """The date of a wire story's dateline, which opens its first paragraph: "BAGHDAD, March
    3, 2024 -", "KYIV, Ukraine, 3 March 2024 (Reuters) —": the place in capitals, the date,
    then a dash."""
    before = raw[line_start : found.start]
    return bool(_DATELINE_BEFORE.fullmatch(before) and _DATELINE_AFTER.match(raw, found.end))


def _time_value(found: FoundDate) -> TimeValue:
    return TimeValue.day(found.day, at=found.at)
