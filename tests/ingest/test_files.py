import gzip
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpers import ARTICLE_HTML, ARTICLE_TEXT, write
from khabar import Article, SkippedInput
from khabar.core.lookup import ReadContext
from khabar.ingest.files import FileSource

SOURCE = FileSource(max_bytes=100_000, ignore=(".*", "*.md"))


def read(path: Path, source: FileSource = SOURCE) -> list[Article | SkippedInput]:
    return list(source.read(str(path), ReadContext()))


def reasons(items: list[Article | SkippedInput]) -> list[str]:
    return [i.skip.reason for i in items if isinstance(i, SkippedInput)]


def test_a_directory_is_walked_in_sorted_order_with_ignores(tmp_path: Path) -> None:
    write(tmp_path / "b" / "two.txt", ARTICLE_TEXT)
    write(tmp_path / "a.html", ARTICLE_HTML)
    write(tmp_path / "c.htm", ARTICLE_HTML.replace("Doha", "Muscat"))
    write(tmp_path / "README.md", "# notes")
    write(tmp_path / ".hidden" / "x.txt", "hidden")
    write(tmp_path / "image.png", b"\x89PNG")
    items = read(tmp_path)
    assert [Path(i.source.uri).name for i in items] == ["a.html", "c.htm", "image.png", "two.txt"]
    assert [i.media_type for i in items if isinstance(i, Article)] == [
        "text/html",
        "text/html",
        "text/plain",
    ]
    assert reasons(items) == ["unsupported_type"]


def test_a_file_records_where_it_came_from(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", ARTICLE_HTML)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.source.uri == str(path.resolve())
    assert article.source.name == "ingest.files.v1"
    assert article.fetched_at.timestamp() == 1_700_000_000
    assert article.raw == ARTICLE_HTML.encode()
    assert article.raw_text == ARTICLE_HTML


def test_gzipped_files_are_read(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html.gz", gzip.compress(ARTICLE_HTML.encode()))
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.media_type == "text/html"
    assert article.raw_text == ARTICLE_HTML


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n\t ", "empty"),
        ("binary.html", b"\x00\x01\x02PK\x03\x04" * 100, "binary"),
        ("truncated.html.gz", gzip.compress(ARTICLE_HTML.encode())[:-30], "corrupt_gzip"),
        ("garbage.txt.gz", b"this is not gzip at all", "corrupt_gzip"),
    ],
)
def test_bad_files_are_skipped_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    items = read(write(tmp_path / name, content))
    assert reasons(items) == [reason]
    assert items[0].source.uri.endswith(name)


def test_a_page_over_the_cap_is_skipped_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: nothing is written or read
    (item,) = read(path, FileSource(max_bytes=10_000_000, ignore=()))
    assert isinstance(item, SkippedInput)
    assert item.skip.reason == "too_large"
    assert "52,428,800 bytes" in item.skip.detail


def test_a_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 5_000_000))
    (item,) = read(path)
    assert isinstance(item, SkippedInput)
    assert item.skip.reason == "too_large"


def test_invalid_utf8_is_decoded_not_dropped(tmp_path: Path) -> None:
    text = "Le président a déclaré à Bamako que l’accord était signé. " * 3
    (article,) = read(write(tmp_path / "fr.txt", text.encode("cp1252")))
    assert isinstance(article, Article)
    assert article.raw_text == text


def test_an_explicit_file_of_unknown_type_is_sniffed(tmp_path: Path) -> None:
    (page,) = read(write(tmp_path / "saved_page", ARTICLE_HTML))
    (text,) = read(write(tmp_path / "notes.dat", ARTICLE_TEXT))
    assert isinstance(page, Article) and page.media_type == "text/html"
    assert isinstance(text, Article) and text.media_type == "text/plain"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without permission")
def test_an_unreadable_file_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", ARTICLE_TEXT)
    path.chmod(0)
    assert reasons(read(path)) == ["unreadable"]


def test_files_older_than_since_are_not_even_opened(tmp_path: Path) -> None:
    old = write(tmp_path / "old.txt", ARTICLE_TEXT)
    new = write(tmp_path / "new.txt", ARTICLE_TEXT + "\nMore.")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    since = datetime.fromtimestamp(1_700_000_000, UTC)
    items = list(SOURCE.read(str(tmp_path), ReadContext(since=since)))
    assert [type(i).__name__ for i in items] == ["Article", "Unchanged"]
    assert items[1].source.uri == str(old.resolve())
