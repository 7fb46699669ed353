"""The URL source: single URLs and URL list files, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from helpers import ARTICLE_HTML, ARTICLE_TEXT, write
from ingest.netserver import LocalServer, Reply, page, redirect, serve
from khabar import Article, SkippedInput
from khabar.core.article import InputRef, Unchanged
from khabar.core.lookup import ReadContext
from khabar.ingest.fetch import USER_AGENT, FetchSettings
from khabar.ingest.urls import UrlSource, is_url_list, make_urls

Item = Article | SkippedInput | Unchanged


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with serve() as server:
        yield server


def source(**overrides: object) -> UrlSource:
    settings: dict[str, object] = {
        "allow_hosts": ("127.0.0.1",),
        "min_interval_s": 0.0,
        "timeout_s": 0.5,
    }
    return make_urls(**{**settings, **overrides})  # type: ignore[arg-type]


def read(spec: str, context: ReadContext | None = None, **overrides: object) -> list[Item]:
    return list(source(**overrides).read(spec, context or ReadContext()))


def test_a_cp1251_page_becomes_an_article_decoded_by_its_http_charset(site: LocalServer) -> None:
    body = (
        "<html><body><h1>Переговоры в Москве</h1>"
        "<p>Министры иностранных дел встретились в Москве.</p></body></html>"
    ).encode("cp1251")
    headers = {"Last-Modified": "Mon, 06 May 2024 09:30:00 GMT"}
    site.route("/s/42", redirect("/news/moscow-talks"))
    site.route("/news/moscow-talks", page(body, "text/html; charset=windows-1251", **headers))
    (article,) = read(site.url("/s/42"))
    assert isinstance(article, Article)
    assert article.source == InputRef(name="ingest.urls.v1", uri=site.url("/s/42"))
    assert article.url == site.url("/news/moscow-talks")
    assert article.media_type == "text/html"
    assert article.encoding == "cp1251"
    assert "Переговоры в Москве" in article.raw_text
    assert article.raw == body
    assert datetime.now(UTC) - article.fetched_at < timedelta(minutes=1)
    (last_modified,) = article.candidates("published")
    assert last_modified.method == "http.last_modified"
    assert (last_modified.accepted, last_modified.trusted, last_modified.confidence) == (
        False,
        False,
        0.2,
    )
    assert last_modified.evidence[0].field == "http:last-modified"
    assert article.published is None  # never wins alone


@pytest.mark.parametrize(
    ("content_type", "body", "media_type"),
    [
        ("text/plain; charset=utf-8", ARTICLE_TEXT, "text/plain"),
        ("application/xhtml+xml", ARTICLE_HTML, "text/html"),
        ("application/octet-stream", ARTICLE_HTML, "text/html"),  # sniffed
    ],
)
def test_text_and_html_are_read_by_content_type_and_sniffing(
    site: LocalServer, content_type: str, body: str, media_type: str
) -> None:
    site.route("/doc", page(body, content_type))
    (article,) = read(site.url("/doc"))
    assert isinstance(article, Article)
    assert article.media_type == media_type
    assert article.raw_text == body


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("text/html", b"%PDF-1.4 served as HTML"),
    ],
)
def test_anything_but_html_or_text_is_not_an_article(
    site: LocalServer, content_type: str, body: bytes
) -> None:
    site.route("/file", page(body, content_type))
    (skip,) = read(site.url("/file"))
    assert isinstance(skip, SkippedInput)
    assert skip.skip.reason == "not_article_type"
    assert skip.skip.stage == "source:ingest.urls.v1"
    assert site.url("/file") in skip.skip.detail


def test_a_url_list_file_is_read_in_order(site: LocalServer, tmp_path: Path) -> None:
    site.route("/one", page(ARTICLE_HTML))
    site.route("/two", page(ARTICLE_HTML.replace("Doha", "Muscat")))
    listing = write(
        tmp_path / "urls.txt",
        f"# morning run\n\n{site.url('/one')}\n   {site.url('/two')}  \n# end\n",
    )
    src = source()
    assert src.accepts(str(listing))
    items = list(src.read(str(listing), ReadContext()))
    assert [i.source.uri for i in items] == [site.url("/one"), site.url("/two")]
    assert all(isinstance(i, Article) for i in items)


@pytest.mark.parametrize(
    ("content", "is_list"),
    [
        ("https://a.example/1\nhttp://b.example/2?x=1#top\n", True),
        ("\ufeff# feeds\nhttps://a.example/rss\n", True),
        (ARTICLE_TEXT, False),  # a saved news text
        ("https://a.example/1\nSee the story above for details.\n", False),
        ("# only a comment\n\n", False),
        ("ftp://a.example/file\n", False),
        (ARTICLE_HTML, False),
    ],
)
def test_a_url_list_is_recognised_by_its_lines(tmp_path: Path, content: str, is_list: bool) -> None:
    path = write(tmp_path / "input.txt", content)
    assert is_url_list(path) is is_list
    assert source().accepts(str(path)) is is_list


def test_urls_are_accepted_and_other_specs_are_not(tmp_path: Path) -> None:
    src = source()
    assert src.accepts("https://news.example/2024/05/06/talks")
    assert src.accepts("http://127.0.0.1:8080/")
    assert not src.accepts("ftp://news.example/file")
    assert not src.accepts("-")
    assert not src.accepts(str(tmp_path))  # a directory
    assert not src.accepts(str(tmp_path / "missing.txt"))


def test_a_stored_url_is_unchanged_without_a_request(site: LocalServer) -> None:
    site.route("/known", page(ARTICLE_HTML))
    context = ReadContext(known_url=lambda url: url == site.url("/known"))
    (item,) = read(site.url("/known"), context)
    assert isinstance(item, Unchanged)
    assert site.url("/known") in item.detail
    assert site.requests == []  # not even robots.txt
    (again,) = read(site.url("/known"), context, refetch=True)
    assert isinstance(again, Article)


def test_a_page_not_modified_since_the_last_run_is_unchanged(site: LocalServer) -> None:
    site.route("/stable", Reply(304))
    since = datetime(2024, 5, 6, 9, 30, tzinfo=UTC)
    (item,) = read(site.url("/stable"), ReadContext(since=since))
    assert isinstance(item, Unchanged)
    assert site.requests[-1].headers["If-Modified-Since"] == "Mon, 06 May 2024 09:30:00 GMT"


def test_without_the_allowance_the_test_server_itself_is_refused(site: LocalServer) -> None:
    site.route("/page", page(ARTICLE_HTML))
    (skip,) = read(site.url("/page"), allow_hosts=())
    assert isinstance(skip, SkippedInput)
    assert skip.skip.reason == "blocked_address"
    assert site.requests == []


def test_the_factory_defaults_are_polite_and_closed() -> None:
    src = make_urls()
    assert src.fetcher.settings == FetchSettings()
    assert src.fetcher.settings.user_agent == USER_AGENT
    assert USER_AGENT.startswith("khabar/")
    assert src.fetcher.settings.allow_private is False
    assert src.refetch is False
