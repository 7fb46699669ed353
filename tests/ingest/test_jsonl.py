import gzip
import io
import json
from datetime import date
from pathlib import Path

from helpers import write
from khabar import Article, SkippedInput
from khabar.core.lookup import ReadContext
from khabar.ingest.files import FileSource
from khabar.ingest.jsonl import iter_jsonl, parse_iso

BODY = "Ministers from the two countries signed a trade agreement in the capital on Tuesday."


def lines(*items: object) -> bytes:
    return b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in items)


def parse(data: bytes, max_bytes: int = 10_000) -> list[Article | SkippedInput]:
    return list(
        iter_jsonl(io.BytesIO(data), source_name="t", uri="items.jsonl", max_bytes=max_bytes)
    )


def test_each_line_is_an_article_with_its_metadata() -> None:
    (article,) = parse(
        lines(
            {
                "id": 42,
                "url": "https://x.example/a",
                "title": "Deal signed",
                "published": "2024-03-05T10:00:00+01:00",
                "text": BODY,
            }
        )
    )
    assert isinstance(article, Article)
    assert (article.id, article.source.id, article.source.locator) == ("42", "42", "line 1")
    assert article.url == "https://x.example/a"
    assert article.title == "Deal signed"
    published = article.published
    assert published is not None
    assert (published.start, published.granularity, published.method) == (
        date(2024, 3, 5),
        "instant",
        "input.jsonl",
    )
    assert published.evidence[0].field == "jsonl:published"


def test_html_lines_are_html() -> None:
    (article,) = parse(lines({"html": f"<p>{BODY}</p>"}))
    assert isinstance(article, Article) and article.media_type == "text/html"


def test_bad_lines_are_skipped_with_their_line_number_and_the_rest_goes_on() -> None:
    items = parse(
        lines(
            {"text": BODY},
            b"{not json",
            [1, 2],
            {"title": "no body"},
            {"id": [1], "text": BODY},
            b"",
            {"text": BODY + "!"},
        )
    )
    kinds = [
        (i.skip.reason, i.source.locator) if isinstance(i, SkippedInput) else "article"
        for i in items
    ]
    assert kinds == [
        "article",
        ("invalid_json", "line 2"),
        ("invalid_record", "line 3"),
        ("invalid_record", "line 4"),
        ("invalid_record", "line 5"),
        "article",
    ]


def test_an_unparseable_date_is_kept_as_a_rejected_claim() -> None:
    (article,) = parse(lines({"text": BODY, "published": "last Tuesday"}))
    assert isinstance(article, Article)
    assert article.published is None
    (claim,) = article.candidates("published")
    assert (claim.value, claim.accepted, claim.note) == (
        "last Tuesday",
        False,
        "not an ISO 8601 date or timestamp",
    )


def test_an_overlong_line_is_skipped_and_the_next_one_read() -> None:
    items = parse(lines({"text": "x" * 5000}, {"text": BODY}), max_bytes=1000)
    assert isinstance(items[0], SkippedInput) and items[0].skip.reason == "too_large"
    assert isinstance(items[1], Article) and items[1].source.locator == "line 2"


def test_gzipped_jsonl_is_streamed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "items.jsonl.gz",
        gzip.compress(lines({"text": BODY}, {"text": BODY + " Again."})),
    )
    items = list(FileSource(max_bytes=10_000, ignore=()).read(str(path), ReadContext()))
    assert [i.source.locator for i in items] == ["line 1", "line 2"]


def test_iso_dates_and_timestamps() -> None:
    assert parse_iso("2024-03-05") == parse_iso("2024-03-05")
    day = parse_iso("2024-03-05")
    assert day is not None and day.granularity == "day"
    stamp = parse_iso("2024-03-05T23:10:00Z")
    assert stamp is not None and stamp.at is not None and stamp.at.utcoffset() is not None
    assert parse_iso("05/03/2024") is None
    assert parse_iso(20240305) is None
