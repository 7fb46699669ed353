"""WARC web archives (``.warc``, ``.warc.gz``), such as Common Crawl's CC-NEWS.

Each HTTP ``response`` record (and each ``resource`` record, an archived document without HTTP
headers) that holds HTML or text becomes an Article: its URL, its capture time, its body with
the transfer and content encodings undone. Records are streamed one at a time, so memory stays
bounded whatever the size of the file. Requests, metadata and warcinfo records are passed over;
a ``revisit`` record (a capture whose payload was stored before) is skipped with reason
``revisit`` naming the original; a record that is not a page is skipped as ``not_article_type``.
A truncated or corrupt file keeps every complete record before the break and ends with one
``corrupt_warc`` skip that gives the byte offset where it broke.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from io import BufferedReader
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

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
from khabar.ingest.decode import decode, has_bom, looks_binary
from khabar.ingest.reading import modified_at, skipped, sniff_media_type
from khabar.ingest.warc_http import HttpHead, PayloadTooLarge, parse_head, undo_encodings
from khabar.ingest.warc_stream import ArchiveStream, BrokenArchive, ReadFailed, open_stream

log = logging.getLogger(__name__)

NAME = "ingest.warc.v1"
SUFFIXES = (".warc", ".warc.gz")
PAGE_TYPES: dict[str, MediaType] = {
    "text/html": "text/html",
    "application/xhtml+xml": "text/html",
    "text/plain": "text/plain",
}
# How many captures are remembered to name the original of a revisit (bounds the memory).
REMEMBERED = 100_000
# The most bytes of HTTP headers read before a record's payload.
HEAD_LIMIT = 1 << 16
LAST_MODIFIED_METHOD = "http.last_modified"

Outcome = Article | SkippedInput | Unchanged


@sources.register(NAME)
def make_warc(max_bytes: int = 10_000_000, count_other_types: bool = True) -> WarcSource:
    """WARC files (.warc, .warc.gz), e.g. Common Crawl CC-NEWS: one article per HTML response."""
    return WarcSource(max_bytes=max_bytes, count_other_types=count_other_types)


class WarcSource:
    def __init__(self, *, max_bytes: int, count_other_types: bool) -> None:
        self.max_bytes = max_bytes
        self.count_other_types = count_other_types

    def accepts(self, spec: str) -> bool:
        return spec.lower().endswith(SUFFIXES) and not Path(spec).is_dir()

    def read(self, spec: str, context: ReadContext) -> Iterator[Outcome]:
        path = Path(spec)
        ref = InputRef(name=NAME, uri=str(path.resolve()))
        try:
            unchanged = context.since is not None and _before(path.stat().st_mtime, context.since)
            handle = path.open("rb")
        except OSError as exc:
            yield skipped(ref, "unreadable", f"{path}: {exc.strerror or exc}")
            return
        if unchanged:
            # Every capture in a file predates the file's last write: none is new.
            handle.close()
            yield Unchanged(source=ref, detail=f"not modified since {_iso(context.since)}")
            return
        with handle:
            archive = _Archive(self, ref, context, fallback_time=modified_at(path))
            yield from archive.read(handle)


class _Archive:
    """One pass over one WARC file."""

    def __init__(
        self, source: WarcSource, ref: InputRef, context: ReadContext, fallback_time: datetime
    ) -> None:
        self.source = source
        self.ref = ref
        self.context = context
        self.fallback_time = fallback_time
        self.captures = _Captures()
        self.captured = 0  # response, resource and revisit records met

    def read(self, handle: BufferedReader) -> Iterator[Outcome]:
        name = Path(self.ref.uri).name
        last: int | None = None  # stream position of the last complete record
        try:
            stream = open_stream(handle)
            records = ArchiveIterator(stream, parse_http=False, stream_detect=False)
            for record in records:
                outcome = self.record(record, stream)
                last = record.stream_pos
                if outcome is not None:
                    yield outcome
            if not self.captured:
                yield skipped(self.ref, "empty", f"{name} holds no response or resource records")
        except BrokenArchive as exc:
            yield self.broken(exc.offset, f"{name}: {exc.message}")
        except ReadFailed as exc:
            yield skipped(self.ref, "unreadable", f"{name}: {exc.error.strerror or exc.error}")
        except OSError as exc:  # FastWARC's own complaint: a bad WARC header
            try:
                offset = stream.offset_after(last)
            except ReadFailed:
                offset = stream.offset_of(last or 0)
            yield self.broken(offset, f"{name}: {exc} at offset {offset}")

    def broken(self, offset: int, detail: str) -> SkippedInput:
        ref = self.ref.model_copy(update={"locator": f"offset {offset}"})
        kept = "; the records before it were read" if offset else ""
        return skipped(ref, "corrupt_warc", detail + kept)

    def record(self, record: WarcRecord, stream: ArchiveStream) -> Outcome | None:
        offset = stream.offset_of(record.stream_pos)
        length = record.headers.get("Content-Length") or ""
        if not record.headers.get("WARC-Type") or not length.strip().isdigit():
            raise BrokenArchive(offset, f"the record header at offset {offset} is incomplete")
        kind = record.record_type
        if kind not in (WarcRecordType.response, WarcRecordType.resource, WarcRecordType.revisit):
            _finish(record, 0, offset)
            return None
        self.captured += 1
        ref = self.ref.model_copy(
            update={"locator": f"offset {offset}", "id": record.record_id or None}
        )
        url = record.headers.get("WARC-Target-URI") or None
        if kind != WarcRecordType.revisit:
            self.captures.remember(record, url, offset)
        if self.is_old(record):
            _finish(record, 0, offset)
            return Unchanged(source=ref, detail=f"{url} captured before {_iso(self.context.since)}")
        if kind == WarcRecordType.revisit:
            _finish(record, 0, offset)
            return skipped(ref, "revisit", self.captures.describe_original(record, url))
        return self.capture(record, ref, url, offset)

    def is_old(self, record: WarcRecord) -> bool:
        since = self.context.since
        captured = record.record_date
        return since is not None and captured is not None and _before(captured.timestamp(), since)

    def capture(
        self, record: WarcRecord, ref: InputRef, url: str | None, offset: int
    ) -> Outcome | None:
        """A response or resource. Its block is read to the end (a payload only within the cap)
        before anything is yielded, so that a record cut short never becomes an article."""
        head_bytes = _read_up_to(record, HEAD_LIMIT) if _is_http(record) else b""
        head = parse_head(head_bytes) if head_bytes else None
        if head_bytes and head is None:
            _finish(record, len(head_bytes), offset)
            return skipped(ref, "not_article_type", f"{url}: the HTTP header cannot be parsed")
        declared = head.content_type if head else record.headers.get("Content-Type")
        mime, charset = _content_type(declared, record)
        not_page = _not_a_page(head, mime)
        if not_page:
            _finish(record, len(head_bytes), offset)
            return self.other(ref, f"{url}: {not_page}")
        payload_size = record.content_length - (head.size if head else 0)
        if payload_size > self.source.max_bytes:
            _finish(record, len(head_bytes), offset)
            return skipped(ref, "too_large", _too_large(url, payload_size, self.source.max_bytes))
        block = head_bytes + _read_up_to(record, record.content_length - len(head_bytes))
        _finish(record, len(block), offset)
        body = block[head.size :] if head else block
        try:
            data = undo_encodings(body, head, self.source.max_bytes) if head else body
        except PayloadTooLarge:
            return skipped(ref, "too_large", _too_large(url, None, self.source.max_bytes))
        media_type = PAGE_TYPES[mime] if mime else sniff_media_type(data)
        fetched_at = record.record_date or self.fallback_time
        article = _article(data, media_type, charset, ref, url, fetched_at)
        if isinstance(article, Article) and head is not None and head.last_modified:
            _claim_last_modified(article, head.last_modified)
        return article

    def other(self, ref: InputRef, detail: str) -> SkippedInput | None:
        """A record that is not a page: counted, unless the settings say to pass over them."""
        return skipped(ref, "not_article_type", detail) if self.source.count_other_types else None


class _Captures:
    """The captures seen so far in this file, so that a revisit can name its original."""

    def __init__(self) -> None:
        self.by_id: dict[str, tuple[str | None, int]] = {}
        self.by_digest: dict[str, tuple[str | None, int]] = {}

    def remember(self, record: WarcRecord, url: str | None, offset: int) -> None:
        for table, key in (
            (self.by_id, record.record_id),
            (self.by_digest, record.headers.get("WARC-Payload-Digest")),
        ):
            if key:
                table[key] = (url, offset)
                if len(table) > REMEMBERED:
                    del table[next(iter(table))]

    def describe_original(self, record: WarcRecord, url: str | None) -> str:
        refers_to = record.headers.get("WARC-Refers-To")
        digest = record.headers.get("WARC-Payload-Digest")
        found = (refers_to and self.by_id.get(refers_to)) or (digest and self.by_digest.get(digest))
        if found:
            original_url, offset = found
            return f"{url}: a revisit of {original_url}, captured at offset {offset} in this file"
        original = refers_to or record.headers.get("WARC-Refers-To-Target-URI") or digest
        return f"{url}: a revisit of {original or 'an earlier capture'}, not in this file"


def _is_http(record: WarcRecord) -> bool:
    content_type = (record.headers.get("Content-Type") or "").lower()
    return record.record_type != WarcRecordType.resource and content_type.startswith(
        "application/http"
    )


def _read_up_to(record: WarcRecord, size: int) -> bytes:
    """At most ``size`` bytes of the record's block (fewer only where the block ends)."""
    parts: list[bytes] = []
    while size > 0:
        part = record.reader.read(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _finish(record: WarcRecord, already_read: int, offset: int) -> None:
    """Skip the rest of the block, checking that it is all there: a cut record is an error."""
    total = already_read + record.reader.consume()
    if total < record.content_length:
        raise BrokenArchive(
            offset,
            f"the record at offset {offset} is cut short "
            f"({total:,} of its {record.content_length:,} bytes are in the file)",
        )


def _not_a_page(head: HttpHead | None, mime: str) -> str | None:
    """Why a response is not a page khabar reads (None when it is one)."""
    if head is not None and not 200 <= head.status < 300:
        return f"HTTP status {head.status}, not a page"
    if mime and mime not in PAGE_TYPES:
        return f"{mime}, not HTML or text"
    return None


def _content_type(content_type: str | None, record: WarcRecord) -> tuple[str, str | None]:
    """The declared media type (lower case, "" when none) and charset.

    A response without a Content-Type falls back on the type Common Crawl identified
    (``WARC-Identified-Payload-Type``); with neither, the body is sniffed.
    """
    declared = content_type or record.headers.get("WARC-Identified-Payload-Type") or ""
    mime, _, params = declared.partition(";")
    mime = mime.strip().lower()
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime, charset


def _article(
    data: bytes,
    media_type: MediaType,
    charset: str | None,
    ref: InputRef,
    url: str | None,
    fetched_at: datetime,
) -> Article | SkippedInput:
    if not data.strip():
        return skipped(ref, "empty", f"{url}: the response body is empty")
    if looks_binary(data) and not has_bom(data):
        return skipped(ref, "binary", f"{url}: the body looks like binary data, not text or HTML")
    decoded = decode(data, declared=charset)
    return Article.new(
        data,
        decoded.text,
        media_type=media_type,
        source=ref,
        encoding=decoded.encoding,
        url=url,
        fetched_at=fetched_at,
    )


def _claim_last_modified(article: Article, value: str) -> None:
    """Last-Modified is when the server's copy last changed: a weak hint at publication."""
    try:
        stamp = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        log.debug("unparsable Last-Modified %r for %s", value, article.url)
        return
    article.claim(
        "published",
        TimeValue.day(stamp.date(), at=stamp),
        method=LAST_MODIFIED_METHOD,
        evidence=Evidence.meta("http:last-modified", value),
        confidence=0.2,
        trusted=False,
        accepted=False,
    )


def _too_large(url: str | None, size: int | None, cap: int) -> str:
    if size is None:
        return f"{url}: the payload is over the cap of {cap:,} bytes once decoded"
    return f"{url}: the payload is {size:,} bytes, over the cap of {cap:,}"


def _before(timestamp: float, since: datetime) -> bool:
    """Compared as timestamps: ``since`` may be naive (local time) or aware."""
    return timestamp < since.timestamp()


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else "?"
