"""RSS and Atom feeds: each entry an Article, parsed by feedparser behind a safe-XML check.

Before feedparser sees a byte, a document that declares a DTD or entities is refused with
``unsafe_xml`` (billion laughs, external entities): news feeds have no use for them. The check
runs on exactly the UTF-8 that feedparser parses, skipping comments, CDATA sections and
processing instructions the way an XML tokenizer does, so neither an exotic encoding nor a
``<!DOCTYPE`` quoted in an entry's CDATA fools it.

An entry that carries its full text (``content:encoded``, Atom ``content``) becomes an Article
from that HTML; otherwise its link is fetched. Its title and date become claims (method
``feed``). Entries dated before ``context.since``, and links already stored, are ``Unchanged``
without any request.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8

from khabar.core.article import (
    Article,
    Evidence,
    InputRef,
    MediaType,
    SkippedInput,
    TimeValue,
    Unchanged,
)
from khabar.core.lookup import ReadContext
from khabar.core.registry import sources
from khabar.ingest.fetch import USER_AGENT, Fetcher, FetchSettings, article_from_fetch
from khabar.ingest.jsonl import parse_iso
from khabar.ingest.reading import ReadSkip, modified_at, read_file, skipped

NAME = "ingest.feeds.v1"
METHOD = "feed"
SUFFIXES = (".rss", ".atom", ".xml")
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
# Left to right like an XML tokenizer: a comment, CDATA or PI is consumed whole, so a
# declaration inside one is not one, and one outside all of them is found.
_MARKUP = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!\s*(doctype|entity)\b", re.S | re.I
)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
_HTML_ROOT = re.compile(rb"<html[\s>]", re.I)
Outcome = Article | SkippedInput | Unchanged


def unsafe_declaration(data: bytes) -> str | None:
    """``DOCTYPE`` or ``ENTITY`` when the document declares one, else None."""
    for match in _MARKUP.finditer(data):
        if match.group(1):
            return match.group(1).decode("ascii").upper()
    return None


def is_feed(media_type: str, body: bytes) -> bool:
    """An RSS/Atom content type, or XML whose root element is ``rss``, ``feed`` or ``rdf:RDF``."""
    if media_type in FEED_TYPES:
        return True
    head = body[:4096]
    return bool(_FEED_ROOT.search(head)) and not _HTML_ROOT.search(head)


def parse_feed(data: bytes, *, base_url: str | None, content_type: str | None) -> Any:
    """feedparser's result for a safe document; ``ReadSkip`` (unsafe_xml, invalid_feed) if not."""
    utf8 = convert_to_utf8({"content-type": content_type or "application/xml"}, data, {})
    declared = unsafe_declaration(utf8)
    if declared:
        raise ReadSkip(
            "unsafe_xml",
            f"the feed declares a {declared}; DTDs and entities are refused "
            "(billion laughs, external entities)",
        )
    headers = {"content-type": "application/xml; charset=utf-8", "content-location": base_url or ""}
    parsed = feedparser.parse(io.BytesIO(utf8), response_headers=headers)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise ReadSkip("invalid_feed", f"not an RSS or Atom feed: {problem}")
    return parsed


@dataclass(frozen=True)
class FeedOrigin:
    """Where a feed came from: the URI its entries cite, and the base for relative links."""

    source_name: str
    uri: str
    base_url: str | None
    content_type: str | None
    fetched_at: datetime


@dataclass(frozen=True)
class EntryDate:
    field: str  # published | updated
    raw: str
    value: TimeValue | None

    @property
    def moment(self) -> datetime | None:
        if self.value is None:
            return None
        at = self.value.at or datetime(*self.value.start.timetuple()[:3])
        return at if at.tzinfo else at.replace(tzinfo=UTC)


class FeedReader:
    """Turns a feed's bytes into its entries' Articles, fetching links with ``fetcher``."""

    def __init__(self, fetcher: Fetcher, *, refetch: bool) -> None:
        self.fetcher = fetcher
        self.refetch = refetch

    def read(self, data: bytes, origin: FeedOrigin, context: ReadContext) -> Iterator[Outcome]:
        feed_ref = InputRef(name=origin.source_name, uri=origin.uri)
        try:
            parsed = parse_feed(data, base_url=origin.base_url, content_type=origin.content_type)
        except ReadSkip as skip:
            yield skipped(feed_ref, skip.reason, f"{origin.uri}: {skip.detail}")
            return
        if not parsed.entries:
            yield skipped(feed_ref, "empty", f"{origin.uri}: the feed has no entries")
        for index, entry in enumerate(parsed.entries, 1):
            yield self._entry(entry, index, origin, context)

    def _entry(self, entry: Any, index: int, origin: FeedOrigin, context: ReadContext) -> Outcome:
        link = _http_link(entry)
        locator = str(entry.get("id") or link or f"entry {index}")
        ref = InputRef(name=origin.source_name, uri=origin.uri, locator=locator)
        dated = entry_date(entry)
        since = _aware(context.since)
        moment = dated.moment if dated else None
        if since and moment and moment < since:
            detail = f"{locator}: dated {moment.isoformat()}, before {since.isoformat()}"
            return Unchanged(source=ref, detail=detail)
        if link and not self.refetch and context.known_url(link):
            return Unchanged(source=ref, detail=f"{locator}: {link} is already stored")
        made = self._article(entry, link, ref, origin)
        if isinstance(made, Article):
            claim_entry(made, entry, dated)
        return made

    def _article(
        self, entry: Any, link: str | None, ref: InputRef, origin: FeedOrigin
    ) -> Article | SkippedInput:
        content = full_content(entry)
        if content is None and link:
            fetched = self.fetcher.fetch(link, ref)
            if isinstance(fetched, SkippedInput):
                return fetched
            return article_from_fetch(fetched, ref)
        if content is None and str(entry.get("summary") or "").strip():
            content = (
                str(entry.get("summary")),
                "text/html",
            )  # no link: the summary is all there is
        if content is None:
            return skipped(
                ref, "empty", f"{origin.uri}, {ref.locator}: no content, summary or link"
            )
        text, media_type = content
        return Article.new(
            text.encode("utf-8"),
            text,
            media_type=media_type,
            source=ref,
            encoding="utf-8",
            url=link,
            fetched_at=origin.fetched_at,
        )


def full_content(entry: Any) -> tuple[str, MediaType] | None:
    """The entry's longest ``content`` (content:encoded, Atom content), if it has one."""
    best: tuple[str, MediaType] | None = None
    for item in entry.get("content") or []:
        value = str(item.get("value") or "")
        media_type: MediaType = "text/plain" if item.get("type") == "text/plain" else "text/html"
        if value.strip() and (best is None or len(value) > len(best[0])):
            best = (value, media_type)
    return best


def _http_link(entry: Any) -> str | None:
    link = str(entry.get("link") or "").strip()
    return link if link.lower().startswith(("http://", "https://")) else None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def entry_date(entry: Any) -> EntryDate | None:
    """The entry's ``published`` (else ``updated``) date, keeping the writer's time zone."""
    for field in ("published", "updated"):
        raw = str(entry.get(field) or "").strip()
        if raw:
            return EntryDate(field, raw, _parse_date(raw, entry.get(f"{field}_parsed")))
    return None


def _parse_date(raw: str, parsed: time.struct_time | None) -> TimeValue | None:
    value = parse_iso(raw)
    if value is not None:
        return value
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        when = None
    if when is None and parsed is not None:
        when = datetime(*parsed[:6], tzinfo=UTC)  # feedparser's reading, normalised to UTC
    if when is None:
        return None
    return TimeValue.day(when.date(), at=when if when.tzinfo else when.replace(tzinfo=UTC))


def claim_entry(article: Article, entry: Any, dated: EntryDate | None) -> None:
    """The entry's title and date as claims, with the feed element each comes from."""
    title = str(entry.get("title") or "").strip()
    if title:
        article.claim(
            "title",
            title,
            method=METHOD,
            evidence=Evidence.meta("feed:title", title),
            confidence=0.9,
        )
    if dated is None:
        return
    evidence = Evidence.meta(f"feed:{dated.field}", dated.raw)
    if dated.value is None:
        article.claim(
            "published",
            dated.raw,
            method=METHOD,
            evidence=evidence,
            confidence=0.0,
            trusted=False,
            accepted=False,
            note="not a date the feed parser can read",
        )
    else:
        article.claim("published", dated.value, method=METHOD, evidence=evidence, confidence=0.7)


@sources.register(NAME)
def make_feeds(
    max_bytes: int = 10_000_000,
    timeout_s: float = 10.0,
    deadline_s: float = 60.0,
    max_redirects: int = 5,
    min_interval_s: float = 1.0,
    max_retries: int = 2,
    max_retry_wait_s: float = 60.0,
    user_agent: str = "",
    allow_private: bool = False,
    allow_hosts: tuple[str, ...] = (),
    refetch: bool = False,
) -> FeedFileSource:
    """Local RSS/Atom files (.rss, .atom, .xml): an Article per entry, links fetched politely."""
    settings = FetchSettings(
        max_bytes=max_bytes,
        timeout_s=timeout_s,
        deadline_s=deadline_s,
        max_redirects=max_redirects,
        min_interval_s=min_interval_s,
        max_retries=max_retries,
        max_retry_wait_s=max_retry_wait_s,
        user_agent=user_agent or USER_AGENT,
        allow_private=allow_private,
        allow_hosts=tuple(allow_hosts),
    )
    return FeedFileSource(Fetcher(settings), refetch=refetch)


class FeedFileSource:
    def __init__(self, fetcher: Fetcher, *, refetch: bool) -> None:
        self.fetcher = fetcher
        self.reader = FeedReader(fetcher, refetch=refetch)

    def accepts(self, spec: str) -> bool:
        path = Path(spec)
        return Path(path.name.removesuffix(".gz")).suffix.lower() in SUFFIXES and path.is_file()

    def read(self, spec: str, context: ReadContext) -> Iterator[Outcome]:
        path = Path(spec)
        ref = InputRef(name=NAME, uri=str(path.resolve()))
        try:
            data = read_file(path, self.fetcher.settings.max_bytes)
            fetched_at = modified_at(path)
        except ReadSkip as skip:
            yield skipped(ref, skip.reason, skip.detail)
            return
        origin = FeedOrigin(NAME, ref.uri, None, None, fetched_at)
        try:
            yield from self.reader.read(data, origin, context)
        finally:
            self.fetcher.close()
