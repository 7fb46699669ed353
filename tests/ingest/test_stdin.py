import io
import json

from helpers import ARTICLE_HTML
from khabar import Article, SkippedInput
from khabar.core.lookup import ReadContext
from khabar.ingest.stdin import StdinSource


def read(data: bytes, max_bytes: int = 100_000) -> list[Article | SkippedInput]:
    return list(StdinSource(max_bytes=max_bytes, stream=io.BytesIO(data)).read("-", ReadContext()))


def test_a_page_on_stdin() -> None:
    (article,) = read(ARTICLE_HTML.encode())
    assert isinstance(article, Article)
    assert (article.media_type, article.source.uri) == ("text/html", "stdin")


def test_json_lines_on_stdin() -> None:
    data = b"\n".join(
        json.dumps({"id": f"n{i}", "text": f"Item {i} text."}).encode() for i in range(3)
    )
    items = read(data)
    assert [i.id for i in items if isinstance(i, Article)] == ["n0", "n1", "n2"]


def test_too_much_stdin_is_skipped() -> None:
    (item,) = read(b"x" * 2000, max_bytes=1000)
    assert isinstance(item, SkippedInput) and item.skip.reason == "too_large"


def test_only_dash_is_stdin() -> None:
    source = StdinSource(max_bytes=10)
    assert source.accepts("-")
    assert not source.accepts("file.txt")
