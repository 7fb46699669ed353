"""Fetching pages politely and safely: one GET at a time, every failure a reason.

Polite: robots.txt is honoured (per origin, cached), requests to one host are spaced by
``min_interval_s``, and a ``Retry-After`` on 429/503 is waited out (a few times, for a bounded
wait). Safe: only http and https; redirects are followed here, at most ``max_redirects``, each
hop checked like the first; every connection goes to an address checked against the
``AddressPolicy`` (no loopback, private, link-local or cloud-metadata addresses unless allowed,
see ``addresses.py``); each response is capped in bytes (after decompression) and in time.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

import httpx
from protego import Protego

from khabar._version import __version__
from khabar.core.article import Article, Evidence, InputRef, MediaType, SkippedInput, TimeValue
from khabar.ingest.addresses import (
    AddressPolicy,
    BlockedAddress,
    GuardedTransport,
    Resolver,
    resolve,
)
from khabar.ingest.decode import decode, has_bom, looks_binary
from khabar.ingest.reading import ReadSkip, skipped, sniff_media_type

log = logging.getLogger(__name__)

USER_AGENT = f"khabar/{__version__} (+https://github.com/khabar)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRYABLE = frozenset({429, 503})
# RFC 9309: parse at least 500 KiB of robots.txt, follow at least five redirects for it.
ROBOTS_MAX_BYTES = 512_000
ROBOTS_MAX_REDIRECTS = 5
ROBOTS_TTL_S = 86_400.0
ROBOTS_RETRY_S = 600.0  # a robots.txt that answered 5xx is asked again after this long
DISALLOW_ALL = "User-agent: *\nDisallow: /\n"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
UNTYPED = frozenset({"", "application/octet-stream", "binary/octet-stream"})
BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"RIFF", b"\x1f\x8b")


@dataclass(frozen=True)
class FetchSettings:
    max_bytes: int = 10_000_000
    timeout_s: float = 10.0
    deadline_s: float = 60.0
    max_redirects: int = 5
    min_interval_s: float = 1.0
    max_retries: int = 2
    max_retry_wait_s: float = 60.0
    user_agent: str = USER_AGENT
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fetched:
    """A response: the final URL (after redirects), its status, headers and (capped) body."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""

    def header(self, name: str) -> str | None:
        value = self.headers.get(name)
        return str(value) if value is not None else None

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip(" \"'"):
                return value.strip(" \"'")
        return None

    @property
    def last_modified(self) -> str | None:
        return self.header("last-modified")

    @property
    def etag(self) -> str | None:
        return self.header("etag")

    @property
    def date(self) -> str | None:
        return self.header("date")


class FetchError(ReadSkip):
    """A fetch that ended in a skip; ``url`` is the request that failed (a redirect, robots.txt)."""

    def __init__(self, reason: str, url: str, why: str) -> None:
        super().__init__(reason, why)
        self.url = url


@dataclass(frozen=True)
class _Robots:
    expires: float
    rules: Protego | None  # None: everything allowed
    why: str


class Fetcher:
    """GETs URLs under ``FetchSettings``. Keeps robots.txt and per-host timing across fetches;
    ``close()`` (or leaving a ``with`` block) closes the connections, which reopen on demand."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        resolver: Resolver = resolve,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._policy = AddressPolicy(settings.allow_private, settings.allow_hosts)
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        self._client: httpx.Client | None = None
        self._robots: dict[str, _Robots] = {}
        self._next_turn: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=GuardedTransport(self._policy, self._resolver),
                follow_redirects=False,  # followed in _follow, each hop checked
                timeout=httpx.Timeout(self.settings.timeout_s),
                headers={
                    "User-Agent": self.settings.user_agent,
                    "Accept": ACCEPT,
                    "Accept-Encoding": "gzip, deflate",  # what _Inflater can cap
                },
                trust_env=False,
            )
        return self._client

    def fetch(
        self,
        url: str,
        source: InputRef,
        *,
        if_modified_since: datetime | str | None = None,
        if_none_match: str | None = None,
    ) -> Fetched | SkippedInput:
        """The response to ``url`` (2xx; or 304 when asked conditionally), or why there is none.

        ``if_none_match`` is an ETag from an earlier response; ``if_modified_since`` a time, or
        an earlier response's Last-Modified, sent back exactly as the server wrote it.
        """
        headers = conditional_headers(if_modified_since, if_none_match)
        try:
            fetched = self._follow(
                url, headers, robots=True, max_redirects=self.settings.max_redirects
            )
        except FetchError as exc:
            where = "" if exc.url == url else f" (at {exc.url})"
            return skipped(source, exc.reason, f"{url}: {exc.detail}{where}")
        not_modified = fetched.status == 304 and bool(headers)
        if fetched.status >= 300 and not not_modified:
            where = "" if fetched.url == url else f" (at {fetched.url})"
            phrase = httpx.codes.get_reason_phrase(fetched.status)
            return skipped(source, "http_error", f"{url}: HTTP {fetched.status} {phrase}{where}")
        return fetched

    # -- redirects and robots.txt -----------------------------------------------------------
    def _follow(
        self,
        url: str,
        headers: dict[str, str],
        *,
        robots: bool,
        max_redirects: int,
        max_bytes: int | None = None,
    ) -> Fetched:
        current = _checked_url(url)
        seen = {current}
        for _ in range(max_redirects + 1):
            if robots:
                self._check_robots(current)
            fetched = self._get(current, headers, max_bytes or self.settings.max_bytes)
            location = (fetched.header("location") or "").strip()
            if fetched.status not in REDIRECTS or not location:
                return fetched
            target = _checked_url(location, base=current)
            if target in seen:
                raise FetchError("too_many_redirects", url, f"redirect loop: {current} -> {target}")
            seen.add(target)
            current = target
        raise FetchError(
            "too_many_redirects", url, f"more than {max_redirects} redirects (last to {current})"
        )

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        robots = self._robots.get(origin)
        if robots is None or robots.expires < self._clock():
            try:
                robots = self._load_robots(origin)
            except FetchError as exc:  # the site's own address is refused
                raise FetchError(exc.reason, url, exc.detail) from None
            self._robots[origin] = robots
        if robots.rules is not None and not robots.rules.can_fetch(url, self.settings.user_agent):
            raise FetchError("robots_disallowed", url, robots.why)

    def _load_robots(self, origin: str) -> _Robots:
        robots_url = f"{origin}/robots.txt"
        try:
            fetched = self._follow(
                robots_url,
                {},
                robots=False,
                max_redirects=ROBOTS_MAX_REDIRECTS,
                max_bytes=ROBOTS_MAX_BYTES,
            )
        except FetchError as exc:
            if exc.reason == "blocked_address" and exc.url == robots_url:
                raise  # the site itself is off limits, not just its robots.txt
            log.info("cannot read %s (%s): fetching from %s is allowed", robots_url, exc, origin)
            return _Robots(self._clock() + ROBOTS_TTL_S, None, "")
        expires = self._clock() + ROBOTS_TTL_S
        if fetched.status >= 500 or fetched.status == 429:  # RFC 9309: "unreachable"
            why = f"{robots_url} answered HTTP {fetched.status}: the site is not fetched for now"
            return _Robots(self._clock() + ROBOTS_RETRY_S, Protego.parse(DISALLOW_ALL), why)
        if fetched.status >= 300:
            return _Robots(expires, None, "")
        text = fetched.body.decode("utf-8", errors="replace")
        why = f"{robots_url} disallows it for {self.settings.user_agent!r}"
        return _Robots(expires, Protego.parse(text), why)

    # -- one request: turns, retries, caps --------------------------------------------------
    def _get(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        host = httpx.URL(url).host
        client = self.client  # made before the turn is taken: making it takes a while
        attempt = 0
        while True:
            self._wait_turn(host)
            fetched = self._request(client, url, headers, max_bytes)
            wait = retry_after(fetched.header("retry-after"), datetime.now(UTC))
            if (
                fetched.status not in RETRYABLE
                or wait is None
                or attempt >= self.settings.max_retries
                or wait > self.settings.max_retry_wait_s
            ):
                return fetched
            attempt += 1
            log.info("%s answered %s; retrying in %.1f s", url, fetched.status, wait)
            self._next_turn[host] = max(self._next_turn.get(host, 0.0), self._clock() + wait)

    def _wait_turn(self, host: str) -> None:
        ahead = self._next_turn.get(host, 0.0) - self._clock()
        if ahead > 0:
            self._sleep(ahead)
        # counted from when the request really leaves: a sleep that overran (a busy machine)
        # must not shorten the gap before the next one
        self._next_turn[host] = self._clock() + self.settings.min_interval_s

    def _request(
        self, client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int
    ) -> Fetched:
        deadline = self._clock() + self.settings.deadline_s
        try:
            with client.stream("GET", url, headers=headers) as response:
                ok = 200 <= response.status_code < 300
                body = self._read_body(response, url, max_bytes, deadline) if ok else b""
                return Fetched(str(response.url), response.status_code, response.headers, body)
        except BlockedAddress as exc:
            raise FetchError(
                "blocked_address", url, f"{exc}; allow it with allow_private or allow_hosts"
            ) from None
        except httpx.TimeoutException as exc:
            raise FetchError(
                "fetch_timeout",
                url,
                f"no answer within {self.settings.timeout_s} s ({type(exc).__name__})",
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError("fetch_failed", url, f"{type(exc).__name__}: {exc}") from None

    def _read_body(
        self, response: httpx.Response, url: str, max_bytes: int, deadline: float
    ) -> bytes:
        """The decoded body, read in chunks and abandoned as soon as it passes a cap."""
        too_large = FetchError(
            "too_large", url, f"the response is over the cap of {max_bytes:,} bytes"
        )
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise too_large
        inflater = _Inflater(response.headers.get("content-encoding", ""), url)
        body = bytearray()
        for chunk in response.iter_raw():
            body += inflater.inflate(chunk, max_bytes - len(body) + 1)
            if len(body) > max_bytes:
                raise too_large
            if self._clock() > deadline:
                raise FetchError(
                    "fetch_timeout", url, f"the response took over {self.settings.deadline_s} s"
                )
        return bytes(body)


class _Inflater:
    """Content-Encoding undone with a cap on the output, so a gzip bomb stops at the cap."""

    def __init__(self, encoding: str, url: str) -> None:
        self.url = url
        coding = encoding.strip().lower()
        if coding in ("", "identity"):
            self._zlib = None
        elif coding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)  # gzip or zlib header
        else:
            raise FetchError("fetch_failed", url, f"unsupported Content-Encoding {encoding!r}")

    def inflate(self, chunk: bytes, limit: int) -> bytes:
        if self._zlib is None:
            return chunk
        try:
            return self._zlib.decompress(chunk, limit)
        except zlib.error as exc:
            raise FetchError("corrupt_gzip", self.url, f"bad compressed body: {exc}") from None


def conditional_headers(
    if_modified_since: datetime | str | None, if_none_match: str | None
) -> dict[str, str]:
    """The request headers that let a server answer 304 Not Modified."""
    headers = {}
    if if_none_match:
        headers["If-None-Match"] = if_none_match
    if isinstance(if_modified_since, datetime):
        since = if_modified_since
        since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
        headers["If-Modified-Since"] = format_datetime(since, usegmt=True)
    elif if_modified_since:
        headers["If-Modified-Since"] = if_modified_since
    return headers


def _checked_url(url: str, base: str | None = None) -> str:
    try:
        parsed = httpx.URL(base).join(url) if base else httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError("fetch_failed", base or url, f"invalid URL {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(
            "fetch_failed", base or url, f"{url!r}: only http and https URLs are fetched"
        )
    return str(parsed.copy_with(fragment=None))


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    return str(
        parsed.copy_with(path="/", query=None, fragment=None, username=None, password=None)
    ).rstrip("/")


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds, or an HTTP date); None if absent."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


# -- responses to articles --------------------------------------------------------------------
def page_media_type(fetched: Fetched) -> MediaType | None:
    """HTML or text from the Content-Type, sniffed when it says nothing; None for anything else."""
    if fetched.body.lstrip()[:8].startswith(BINARY_MAGIC):
        return None
    declared = fetched.media_type
    if declared in HTML_TYPES:
        return "text/html"
    if declared == "text/plain":
        return "text/plain"
    if declared in UNTYPED and not looks_binary(fetched.body):
        return sniff_media_type(fetched.body)
    return None


def article_from_fetch(
    fetched: Fetched, source: InputRef, *, fetched_at: datetime | None = None
) -> Article | SkippedInput:
    """An Article from a page, decoded with the HTTP charset; a skip for what is not a page."""
    media_type = page_media_type(fetched)
    where = f"{source.uri}" if fetched.url == source.uri else f"{source.uri} (at {fetched.url})"
    if media_type is None:
        kind = fetched.media_type or "an untyped binary response"
        return skipped(source, "not_article_type", f"{where}: {kind} is not HTML or text")
    body = fetched.body
    if not body.strip():
        return skipped(source, "empty", f"{where}: the page is empty")
    if looks_binary(body) and not has_bom(body):
        return skipped(source, "binary", f"{where}: the page looks like binary data")
    decoded = decode(body, declared=fetched.charset)
    article = Article.new(
        body,
        decoded.text,
        media_type=media_type,
        source=source,
        encoding=decoded.encoding,
        url=fetched.url,
        fetched_at=fetched_at or datetime.now(UTC),
    )
    claim_last_modified(article, fetched)
    return article


def claim_last_modified(article: Article, fetched: Fetched) -> None:
    """Last-Modified as a rejected ``published`` candidate: when the file changed, a weak hint."""
    value = fetched.last_modified
    if not value:
        return
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    article.claim(
        "published",
        TimeValue.day(when.date(), at=when),
        method="http.last_modified",
        evidence=Evidence.meta("http:last-modified", value),
        confidence=0.2,
        trusted=False,
        accepted=False,
        note="when the server's file last changed, not necessarily the publication",
    )
