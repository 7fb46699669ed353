"""RSS and Atom: local feed files and feeds over HTTP (a real server on 127.0.0.1), entries with
full text or links only, hostile XML, dates, and what is skipped without a request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers import ARTICLE_HTML, write
from ingest.netserver import LocalServer, page, serve
from khabar import Article, SkippedInput
from khabar.core.article import InputRef, Unchanged
from khabar.core.lookup import ReadContext
from khabar.ingest.feeds import FeedFileSource, is_feed, make_feeds, parse_feed, unsafe_declaration
from khabar.ingest.reading import ReadSkip
from khabar.ingest.urls import make_urls

Item = Article | SkippedInput | Unchanged
FAST = {"allow_hosts": ("127.0.0.1",), "min_interval_s": 0.0, "timeout_s": 0.5}
STORY = "<p>Negotiators from both delegations met in Doha on Monday for a third round of talks.</p>"


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with serve() as server:
        yield server


def feeds(**overrides: object) -> FeedFileSource:
    return make_feeds(**{**FAST, **overrides})  # type: ignore[arg-type]


def read_file(path: Path, context: ReadContext | None = None) -> list[Item]:
    return list(feeds().read(str(path), context or ReadContext()))


def rss(items: str, extra_ns: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"{extra_ns}>
<channel><title>Gulf Monitor</title><link>https://gulf-monitor.example/</link>
<description>News</description>
{items}
</channel></rss>"""


def item(guid: str, link: str, pub: str, title: str, content: str | None = None) -> str:
    body = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return f"""<item><title>{title}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>
<pubDate>{pub}</pubDate><description>A short teaser.</description>{body}</item>"""


def test_an_rss_feed_with_full_content_needs_no_requests(site: LocalServer, tmp_path: Path) -> None:
    feed = rss(
        item(
            "gm-1001",
            site.url("/2024/05/06/talks"),
            "Mon, 06 May 2024 09:30:00 +0300",
            "Talks resume in Doha",
            STORY,
        )
        + item("gm-1002", site.url("/b"), "Tue, 07 May 2024 08:00:00 GMT", "Second", "<p>Two</p>")
    )
    path = write(tmp_path / "gulf.rss", feed)
    first, second = read_file(path)
    assert site.requests == []
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.source == InputRef(
        name="ingest.feeds.v1", uri=str(path.resolve()), locator="gm-1001"
    )
    assert first.url == site.url("/2024/05/06/talks")
    assert first.media_type == "text/html"
    assert "third round of talks" in first.raw_text
    assert first.title == "Talks resume in Doha"
    assert first.accepted("title").method == "feed"  # type: ignore[union-attr]
    published = first.published
    assert published is not None
    assert published.start == date(2024, 5, 6)  # the writer's day, not UTC's (5 May, 06:30)
    assert published.at == datetime(2024, 5, 6, 9, 30, tzinfo=timezone(timedelta(hours=3)))
    assert (published.method, published.confidence) == ("feed", 0.7)
    assert published.evidence[0].field == "feed:published"
    assert published.evidence[0].value == "Mon, 06 May 2024 09:30:00 +0300"


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire</title><id>urn:uuid:feed</id><updated>2024-05-08T12:00:00Z</updated>
  <entry><title>Ceasefire talks</title><id>urn:uuid:e1</id>
    <link href="/story/1"/><updated>2024-05-07T10:00:00Z</updated>
    <summary>Delegations met.</summary></entry>
  <entry><title>Aid convoy</title><id>urn:uuid:e2</id>
    <link href="{base}/story/2"/><updated>2024-05-08T11:00:00Z</updated></entry>
</feed>"""


def test_an_atom_feed_of_links_is_fetched_entry_by_entry(site: LocalServer) -> None:
    site.route("/atom.xml", page(ATOM.format(base=site.url("")), "application/atom+xml"))
    site.route("/story/1", page(ARTICLE_HTML))
    site.route("/story/2", page(ARTICLE_HTML.replace("Doha", "Muscat")))
    items = list(make_urls(**FAST).read(site.url("/atom.xml"), ReadContext()))  # type: ignore[arg-type]
    assert site.paths() == ["/robots.txt", "/atom.xml", "/story/1", "/story/2"]
    first, second = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.url == site.url("/story/1")  # relative link resolved against the feed's URL
    assert first.raw == ARTICLE_HTML.encode()
    assert first.source == InputRef(
        name="ingest.urls.v1", uri=site.url("/atom.xml"), locator="urn:uuid:e1"
    )
    assert first.title == "Ceasefire talks"
    assert first.published is not None
    assert first.published.evidence[0].field == "feed:updated"
    assert "Muscat" in second.raw_text


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://example.com/x</link><description>&lol9;</description></item>
</channel></rss>"""


def external_entity(target: str) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>"""


@pytest.mark.parametrize("kind", ["billion laughs", "external file", "external url", "utf-16"])
def test_hostile_xml_is_refused_unread(site: LocalServer, tmp_path: Path, kind: str) -> None:
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-TOKEN")
    site.route("/secret", page("TOP-SECRET-TOKEN", "text/plain"))
    document = {
        "billion laughs": BILLION_LAUGHS.encode(),
        "external file": external_entity(secret.as_uri()).encode(),
        "external url": external_entity(site.url("/secret")).encode(),
        "utf-16": BILLION_LAUGHS.replace(
            'version="1.0"?', 'version="1.0" encoding="utf-16"?'
        ).encode("utf-16"),
    }[kind]
    path = write(tmp_path / "hostile.xml", document)
    started = time.monotonic()
    (skip,) = read_file(path)
    assert time.monotonic() - started < 0.5
    assert isinstance(skip, SkippedInput)
    assert skip.skip.reason == "unsafe_xml"
    assert str(path.resolve()) in skip.skip.detail
    assert "TOP-SECRET" not in skip.model_dump_json()
    assert site.requests == []


def test_hostile_xml_over_http_is_refused_too(site: LocalServer) -> None:
    site.route("/feed", page(external_entity(site.url("/secret")), "application/rss+xml"))
    (skip,) = list(make_urls(**FAST).read(site.url("/feed"), ReadContext()))  # type: ignore[arg-type]
    assert isinstance(skip, SkippedInput) and skip.skip.reason == "unsafe_xml"
    assert "/secret" not in site.paths()


@pytest.mark.parametrize(
    ("document", "found"),
    [
        (b"<rss><item><![CDATA[<!DOCTYPE html><p>x</p>]]></item></rss>", None),
        (b"<rss><!-- <!ENTITY is mentioned here --></rss>", None),
        (b"<?xml version='1.0'?><!doctype rss><rss/>", "DOCTYPE"),
        # a CDATA opener inside a comment must not hide the DTD after it
        (
            b"<?xml version='1.0'?><!-- <![CDATA[ --><!DOCTYPE r [<!ENTITY a 'b'>]><!-- ]]> --><r/>",
            "DOCTYPE",
        ),
        (b"<?pi <!-- ?><!DOCTYPE r><!-- --><r/>", "DOCTYPE"),
    ],
)
def test_declarations_are_found_the_way_an_xml_tokenizer_sees_them(
    document: bytes, found: str | None
) -> None:
    assert unsafe_declaration(document) == found


def test_an_entry_with_a_bad_date_keeps_it_as_a_rejected_candidate(tmp_path: Path) -> None:
    entry = """<item><title>Undated</title><guid isPermaLink="false">u-1</guid>
    <pubDate>the day before yesterday</pubDate><description>&lt;p&gt;Only a summary.&lt;/p&gt;</description></item>"""
    path = write(tmp_path / "feed.xml", rss(entry))
    since = datetime(2030, 1, 1, tzinfo=UTC)
    (article,) = read_file(path, ReadContext(since=since))  # an unreadable date is never "old"
    assert isinstance(article, Article)
    assert article.raw_text == "<p>Only a summary.</p>"  # no link: the summary is the article
    assert article.published is None
    (candidate,) = article.candidates("published")
    assert candidate.value == "the day before yesterday"
    assert (candidate.accepted, candidate.trusted, candidate.confidence) == (False, False, 0.0)


def test_entries_before_since_are_unchanged_without_a_request(
    site: LocalServer, tmp_path: Path
) -> None:
    site.route("/old", page(ARTICLE_HTML))
    site.route("/new", page(ARTICLE_HTML))
    entries = item("o", site.url("/old"), "Wed, 01 May 2024 09:00:00 GMT", "Old") + item(
        "n", site.url("/new"), "Fri, 10 May 2024 09:00:00 GMT", "New"
    )
    path = write(tmp_path / "feed.rss", rss(entries))
    old, new = read_file(path, ReadContext(since=datetime(2024, 5, 5)))  # naive: read as UTC
    assert isinstance(old, Unchanged) and old.source.locator == "o"
    assert isinstance(new, Article) and new.url == site.url("/new")
    assert "/old" not in site.paths()
    assert site.paths() == ["/robots.txt", "/new"]


def test_stored_links_are_unchanged_without_a_request(site: LocalServer, tmp_path: Path) -> None:
    site.route("/seen", page(ARTICLE_HTML))
    site.route("/fresh", page(ARTICLE_HTML))
    entries = item("s", site.url("/seen"), "Fri, 10 May 2024 09:00:00 GMT", "Seen") + item(
        "f", site.url("/fresh"), "Fri, 10 May 2024 09:00:00 GMT", "Fresh", STORY
    )
    path = write(tmp_path / "feed.rss", rss(entries))
    context = ReadContext(known_url=lambda url: url in (site.url("/seen"), site.url("/fresh")))
    items = read_file(path, context)
    assert all(isinstance(i, Unchanged) for i in items)
    assert [i.source.locator for i in items] == ["s", "f"]
    assert site.requests == []


def test_a_failed_entry_fetch_is_a_skip_naming_the_entry(site: LocalServer, tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.rss",
        rss(item("g", site.url("/gone"), "Fri, 10 May 2024 09:00:00 GMT", "G")),
    )
    (skip,) = read_file(path)
    assert isinstance(skip, SkippedInput)
    assert (skip.skip.reason, skip.source.locator) == ("http_error", "g")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"this is not a feed <<< at all", "invalid_feed"),
        (b"<html><body><p>A web page</p></body></html>", "invalid_feed"),
        (rss("").encode(), "empty"),
    ],
)
def test_a_feed_that_is_broken_or_empty_is_a_skip(
    tmp_path: Path, document: bytes, reason: str
) -> None:
    (skip,) = read_file(write(tmp_path / "feed.xml", document))
    assert isinstance(skip, SkippedInput)
    assert skip.skip.reason == reason


def test_feed_files_are_accepted_by_extension(tmp_path: Path) -> None:
    source = feeds()
    for name in ("a.rss", "b.atom", "c.XML", "d.rss.gz"):
        assert source.accepts(str(write(tmp_path / name, "<rss/>"))), name
    assert not source.accepts(str(write(tmp_path / "page.html", "<rss/>")))
    assert not source.accepts(str(tmp_path / "missing.rss"))


def test_feeds_are_recognised_by_type_or_root_element() -> None:
    assert is_feed("application/rss+xml", b"")
    assert is_feed("text/xml", b"<?xml version='1.0'?>\n<rss version='2.0'>")
    assert is_feed("", b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert not is_feed("text/html", ARTICLE_HTML.encode())


def test_parse_feed_checks_the_text_feedparser_will_parse() -> None:
    # The DTD is only visible once the bytes are decoded the way the HTTP header says.
    data = BILLION_LAUGHS.encode("utf-16-le")
    assert unsafe_declaration(data) is None
    with pytest.raises(ReadSkip) as caught:
        parse_feed(data, base_url=None, content_type="application/rss+xml; charset=utf-16le")
    assert caught.value.reason == "unsafe_xml"
