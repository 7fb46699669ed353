"""URLs, given one by one or as a list file: each page fetched politely into an Article.

A list file is a text file whose non-empty lines, apart from ``#`` comments, are all http(s)
URLs; it is recognised by its first few KB, so a saved news text is never taken for one. A URL
that serves a feed yields the feed's entries (see ``feeds.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from khabar.core.article import Article, InputRef, SkippedInput, Unchanged
from khabar.core.lookup import ReadContext
from khabar.core.registry import sources
from khabar.ingest.feeds import FeedOrigin, FeedReader, is_feed
from khabar.ingest.fetch import USER_AGENT, Fetcher, FetchSettings, article_from_fetch
from khabar.ingest.reading import skipped

NAME = "ingest.urls.v1"
SNIFF_BYTES = 8192
MAX_LINE = 8192
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.I)
Outcome = Article | SkippedInput | Unchanged


def is_url(spec: str) -> bool:
    return bool(_URL.match(spec.strip()))


def is_url_list(path: Path) -> bool:
    """True when the start of ``path`` is http(s) URLs, one a line, with blanks and # comments."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = text.splitlines()
    if len(head) == SNIFF_BYTES:
        lines = lines[:-1]  # the last line may be cut short
    # Line by line, stopping at the first that is not a URL: every file named on the command
    # line is asked this, and an HTML page answers at its first line.
    entries = 0
    for line in lines:
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not is_url(entry):
            return False
        entries += 1
    return entries > 0


@sources.register(NAME)
def make_urls(
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
) -> UrlSource:
    """http(s) URLs and files listing them: pages fetched politely (robots.txt, rate, caps)."""
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
    return UrlSource(Fetcher(settings), refetch=refetch)


class UrlSource:
    def __init__(self, fetcher: Fetcher, *, refetch: bool) -> None:
        self.fetcher = fetcher
        self.refetch = refetch
        self.feeds = FeedReader(fetcher, refetch=refetch)

    def accepts(self, spec: str) -> bool:
        if is_url(spec):
            return True
        path = Path(spec)
        return path.is_file() and is_url_list(path)

    def read(self, spec: str, context: ReadContext) -> Iterator[Outcome]:
        try:
            if is_url(spec):
                yield from self._read_url(spec.strip(), context)
            else:
                yield from self._read_list(Path(spec), context)
        finally:
            self.fetcher.close()  # robots.txt and per-host timing stay for the next input

    def _read_list(self, path: Path, context: ReadContext) -> Iterator[Outcome]:
        uri = str(path.resolve())
        try:
            with path.open("rb") as handle:
                for lineno, raw in enumerate(iter(lambda: handle.readline(MAX_LINE), b""), 1):
                    line = raw.decode("utf-8", errors="replace").strip().removeprefix("\ufeff")
                    if not line or line.startswith("#"):
                        continue
                    if is_url(line):
                        yield from self._read_url(line, context)
                    else:
                        ref = InputRef(name=NAME, uri=uri, locator=f"line {lineno}")
                        detail = f"{path.name} line {lineno}: {line[:80]!r} is not an http(s) URL"
                        yield skipped(ref, "fetch_failed", detail)
        except OSError as exc:
            yield skipped(
                InputRef(name=NAME, uri=uri), "unreadable", f"{path}: {exc.strerror or exc}"
            )

    def _read_url(self, url: str, context: ReadContext) -> Iterator[Outcome]:
        ref = InputRef(name=NAME, uri=url)
        if not self.refetch and context.known_url(url):
            yield Unchanged(source=ref, detail=f"{url} is already stored")
            return
        fetched = self.fetcher.fetch(url, ref, if_modified_since=context.since)
        if isinstance(fetched, SkippedInput):
            yield fetched
            return
        if fetched.status == 304:
            yield Unchanged(source=ref, detail=f"{url}: not modified since the last run")
            return
        now = datetime.now(UTC)
        if is_feed(fetched.media_type, fetched.body):
            content_type = fetched.header("content-type")
            origin = FeedOrigin(NAME, url, fetched.url, content_type, now)
            yield from self.feeds.read(fetched.body, origin, context)
        else:
            yield article_from_fetch(fetched, ref, fetched_at=now)
