"""The fetcher against a real HTTP server on 127.0.0.1 (allowed explicitly: loopback is refused
by default), and the address policy without any server at all."""

from __future__ import annotations

import gzip
import ipaddress
import itertools
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from ingest.netserver import LocalServer, Reply, drip, flood, hang, page, redirect, serve
from khabar import SkippedInput
from khabar.core.article import InputRef
from khabar.ingest.addresses import AddressPolicy, special_kind
from khabar.ingest.fetch import Fetched, Fetcher, FetchSettings, retry_after

REF = InputRef(name="test", uri="the input")
LOOPBACK = ("127.0.0.0/8",)
HTML = "<html><head><title>Talks</title></head><body><p>Talks resumed.</p></body></html>"


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with serve() as server:
        yield server


def settings(**overrides: object) -> FetchSettings:
    base: dict[str, object] = {
        "allow_hosts": LOOPBACK,
        "min_interval_s": 0.0,
        "timeout_s": 0.5,
        "deadline_s": 3.0,
        "max_retry_wait_s": 2.0,
    }
    return FetchSettings(**{**base, **overrides})  # type: ignore[arg-type]


def fetch(url: str, **overrides: object) -> Fetched | SkippedInput:
    with Fetcher(settings(**overrides)) as fetcher:
        return fetcher.fetch(url, REF)


def reason(result: Fetched | SkippedInput) -> str:
    assert isinstance(result, SkippedInput), f"expected a skip, got HTTP {result.status}"
    return result.skip.reason


def test_a_page_comes_with_its_final_url_headers_and_charset(site: LocalServer) -> None:
    body = "<html><body><p>Переговоры в Москве</p></body></html>".encode("cp1251")
    site.route(
        "/news",
        page(
            body,
            "text/html; charset=windows-1251",
            **{"Last-Modified": "Mon, 06 May 2024 09:30:00 GMT", "ETag": '"v1"'},
        ),
    )
    result = fetch(site.url("/news"), user_agent="khabar-test/1")
    assert isinstance(result, Fetched)
    assert (result.status, result.url, result.body) == (200, site.url("/news"), body)
    assert result.charset == "windows-1251"
    assert result.media_type == "text/html"
    assert result.last_modified == "Mon, 06 May 2024 09:30:00 GMT"
    assert result.etag == '"v1"'
    assert result.date  # http.server always sends one
    assert site.requests[-1].headers["User-Agent"] == "khabar-test/1"


def test_robots_txt_disallow_is_honoured_and_cached(site: LocalServer) -> None:
    site.route("/robots.txt", page("User-agent: khabar\nDisallow: /private\n", "text/plain"))
    site.route("/public", page(HTML))
    with Fetcher(settings()) as fetcher:
        denied = fetcher.fetch(site.url("/private/report"), REF)
        allowed = fetcher.fetch(site.url("/public"), REF)
    assert reason(denied) == "robots_disallowed"
    assert site.url("/private/report") in denied.skip.detail  # type: ignore[union-attr]
    assert isinstance(allowed, Fetched)
    assert site.paths() == ["/robots.txt", "/public"]  # asked once; the disallowed page never


def test_a_robots_txt_answering_5xx_means_not_now(site: LocalServer) -> None:
    site.route("/robots.txt", Reply(503, b"down"))
    site.route("/page", page(HTML))
    assert reason(fetch(site.url("/page"))) == "robots_disallowed"
    assert site.paths() == ["/robots.txt"]


def test_a_robots_txt_that_cannot_be_read_allows_everything(site: LocalServer) -> None:
    site.route("/robots.txt", redirect("/robots.txt"))  # a loop: unreadable
    site.route("/page", page(HTML))
    assert isinstance(fetch(site.url("/page")), Fetched)
    assert site.paths() == ["/robots.txt", "/page"]


def test_requests_to_one_host_are_spaced(
    site: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in ("/a", "/b", "/c"):
        site.route(path, page(HTML))
    sent: list[float] = []
    request = Fetcher._request

    def timed(self: Fetcher, *args: Any, **kwargs: Any) -> Any:
        sent.append(time.monotonic())
        return request(self, *args, **kwargs)

    monkeypatch.setattr(Fetcher, "_request", timed)
    with Fetcher(settings(min_interval_s=0.25)) as fetcher:
        for path in ("/a", "/b", "/c"):
            assert isinstance(fetcher.fetch(site.url(path), REF), Fetched)
    assert len(site.requests) == len(sent) == 4  # robots.txt counts as a request to the host
    # Measured where the requests leave: the server's own arrival times also carry the delay
    # before its handler thread runs, which on a busy machine can be most of a turn.
    assert min(b - a for a, b in itertools.pairwise(sent)) >= 0.249  # to the clock's grain
    assert site.requests[-1].at - site.requests[0].at >= 0.5


def test_retry_after_on_429_is_waited_out(site: LocalServer) -> None:
    site.route("/busy", Reply(429, b"", {"Retry-After": "1"}), page(HTML))
    result = fetch(site.url("/busy"))
    assert isinstance(result, Fetched) and result.status == 200
    first, second = site.times("/busy")
    assert second - first >= 0.95


def test_retries_are_bounded(site: LocalServer) -> None:
    site.route("/down", Reply(503, b"", {"Retry-After": "0"}))
    assert reason(fetch(site.url("/down"), max_retries=2)) == "http_error"
    assert len(site.times("/down")) == 3


def test_a_retry_after_over_the_cap_is_not_waited_for(site: LocalServer) -> None:
    site.route("/later", Reply(429, b"", {"Retry-After": "3600"}))
    started = time.monotonic()
    result = fetch(site.url("/later"), max_retry_wait_s=5.0)
    assert reason(result) == "http_error"
    assert "429" in result.skip.detail  # type: ignore[union-attr]
    assert time.monotonic() - started < 1.0
    assert len(site.times("/later")) == 1


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2015, 10, 21, 7, 27, tzinfo=UTC)
    assert retry_after("120", now) == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 60.0
    assert retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0.0  # in the past: now
    assert retry_after("soon", now) is None
    assert retry_after(None, now) is None


def test_a_redirect_is_followed(site: LocalServer) -> None:
    site.route("/old", redirect("/new", 301))
    site.route("/new", page(HTML))
    result = fetch(site.url("/old"))
    assert isinstance(result, Fetched)
    assert result.url == site.url("/new")
    assert site.paths() == ["/robots.txt", "/old", "/new"]


def test_a_redirect_loop_is_caught(site: LocalServer) -> None:
    site.route("/a", redirect("/b"))
    site.route("/b", redirect("/a"))
    result = fetch(site.url("/a"), max_redirects=10)
    assert reason(result) == "too_many_redirects"
    assert "loop" in result.skip.detail  # type: ignore[union-attr]
    assert site.paths() == ["/robots.txt", "/a", "/b"]


def test_more_redirects_than_allowed(site: LocalServer) -> None:
    for hop in range(1, 5):
        site.route(f"/hop{hop}", redirect(f"/hop{hop + 1}"))
    site.route("/hop5", page(HTML))
    assert reason(fetch(site.url("/hop1"), max_redirects=2)) == "too_many_redirects"
    assert site.paths() == ["/robots.txt", "/hop1", "/hop2", "/hop3"]
    assert isinstance(fetch(site.url("/hop1"), max_redirects=4), Fetched)


def test_a_redirect_to_another_scheme_is_refused(site: LocalServer) -> None:
    site.route("/escape", redirect("file:///etc/passwd"))
    result = fetch(site.url("/escape"))
    assert reason(result) == "fetch_failed"
    assert "only http and https" in result.skip.detail  # type: ignore[union-attr]


def test_a_body_over_the_cap_stops_the_download() -> None:
    total = 64 * 1024 * 1024
    with serve() as site:
        site.route("/huge", flood(total))
        started = time.monotonic()
        assert reason(fetch(site.url("/huge"), max_bytes=100_000)) == "too_large"
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert site.sent["/huge"] < total // 4  # the client hung up; the server could not go on


def test_a_declared_length_over_the_cap_is_refused_before_reading(site: LocalServer) -> None:
    site.route("/big", page(b"<p>" + b"x" * 200_000 + b"</p>"))
    assert reason(fetch(site.url("/big"), max_bytes=100_000)) == "too_large"


def test_a_gzip_bomb_stops_at_the_cap(site: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)  # 20 kB on the wire
    site.route("/bomb", Reply(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    site.route("/small", Reply(200, gzip.compress(HTML.encode()), {"Content-Encoding": "gzip"}))
    assert reason(fetch(site.url("/bomb"), max_bytes=1_000_000)) == "too_large"
    small = fetch(site.url("/small"))
    assert isinstance(small, Fetched) and small.body == HTML.encode()


def test_a_server_that_never_answers_times_out_within_the_cap(site: LocalServer) -> None:
    site.route("/hang", hang)
    started = time.monotonic()
    result = fetch(site.url("/hang"), timeout_s=0.5)
    assert reason(result) == "fetch_timeout"
    assert time.monotonic() - started < 1.5
    assert site.url("/hang") in result.skip.detail  # type: ignore[union-attr]


def test_a_response_that_never_ends_hits_the_deadline(site: LocalServer) -> None:
    site.route("/drip", drip)
    started = time.monotonic()
    result = fetch(site.url("/drip"), timeout_s=0.5, deadline_s=0.5)
    assert reason(result) == "fetch_timeout"
    assert time.monotonic() - started < 1.5


def test_a_refused_connection_fails() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/page")
    assert reason(result) == "fetch_failed"
    assert f"127.0.0.1:{port}/page" in result.skip.detail  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [404, 410, 500])
def test_an_http_error_status_is_a_skip(site: LocalServer, status: int) -> None:
    site.route("/gone", Reply(status, b"no"))
    result = fetch(site.url("/gone"))
    assert reason(result) == "http_error"
    assert f"HTTP {status}" in result.skip.detail  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/",
        "http://[fd00:ec2::254]/",
        "http://0x7f.1/",
    ],
)
def test_private_and_metadata_addresses_are_refused_by_default(url: str) -> None:
    started = time.monotonic()
    with Fetcher(FetchSettings(timeout_s=0.5)) as fetcher:
        result = fetcher.fetch(url, REF)
    assert reason(result) == "blocked_address"
    assert result.skip.detail.startswith(url)  # type: ignore[union-attr]
    assert time.monotonic() - started < 0.5  # refused before any connection


def test_allow_private_does_not_open_the_metadata_address() -> None:
    with Fetcher(FetchSettings(allow_private=True)) as fetcher:
        result = fetcher.fetch("http://169.254.169.254/latest/meta-data", REF)
    assert reason(result) == "blocked_address"


def test_a_redirect_to_the_metadata_address_is_refused(site: LocalServer) -> None:
    site.route("/go", redirect("http://169.254.169.254/latest/meta-data/iam"))
    result = fetch(site.url("/go"), allow_hosts=("127.0.0.1",))
    assert reason(result) == "blocked_address"
    assert result.skip.detail.startswith(site.url("/go"))  # type: ignore[union-attr]
    assert "cloud metadata" in result.skip.detail  # type: ignore[union-attr]


def test_the_connection_goes_to_the_address_checked_with_the_host_header_kept(
    site: LocalServer,
) -> None:
    site.route("/story", page(HTML))
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    with Fetcher(settings(), resolver=resolver) as fetcher:
        result = fetcher.fetch(f"http://news.test:{site.port}/story", REF)
    assert isinstance(result, Fetched)
    assert site.requests[-1].headers["Host"] == f"news.test:{site.port}"
    assert calls == ["news.test"] * len(site.requests)  # one resolution per connection


def test_a_host_that_rebinds_to_a_private_address_is_refused(site: LocalServer) -> None:
    site.route("/story", page(HTML))
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    with Fetcher(settings(), resolver=lambda host, port: next(answers)) as fetcher:
        result = fetcher.fetch(f"http://news.test:{site.port}/story", REF)
    assert reason(result) == "blocked_address"
    assert site.paths() == ["/robots.txt"]  # the page's connection was refused, not made


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with Fetcher(FetchSettings(), resolver=lambda host, port: ["93.184.215.14", "10.0.0.7"]) as f:
        assert reason(f.fetch("http://mixed.test/", REF)) == "blocked_address"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "non-public"),
        ("169.254.169.254", "cloud metadata"),
        ("168.63.129.16", "cloud metadata"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("2002:7f00:1::", "loopback"),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 wrapping 10.0.0.1
    ],
)
def test_special_addresses_are_named(address: str, kind: str | None) -> None:
    assert special_kind(ipaddress.ip_address(address)) == kind


def test_allow_hosts_takes_names_and_networks() -> None:
    policy = AddressPolicy(allow_hosts=("intranet.local", "10.0.0.0/8"))
    assert policy.refusal("intranet.local", "192.168.0.5") is None
    assert policy.refusal("other", "10.2.3.4") is None
    assert policy.refusal("other", "192.168.0.5") == "private"
