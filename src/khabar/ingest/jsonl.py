"""JSON Lines: one article per line, as other tools export them.

Each line is an object with ``text`` or ``html`` and, optionally, ``id``, ``url``, ``title`` and
``published`` (ISO 8601). Lines are streamed, so a file of any size is read in bounded memory; a
bad line is skipped with its line number and the rest of the file goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, BinaryIO

from khabar.core.article import Article, Evidence, InputRef, MediaType, SkippedInput, TimeValue
from khabar.ingest.reading import CHUNK, skipped

METHOD = "input.jsonl"


def iter_jsonl(
    handle: BinaryIO, *, source_name: str, uri: str, max_bytes: int
) -> Iterator[Article | SkippedInput]:
    """Articles from a JSON Lines stream; each line is capped at ``max_bytes``."""
    lineno = 0
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        ref = InputRef(name=source_name, uri=uri, locator=f"line {lineno}")
        if len(line) > max_bytes and not line.endswith(b"\n"):
            _discard_rest_of_line(handle)
            yield skipped(ref, "too_large", f"line {lineno} is over the cap of {max_bytes:,} bytes")
            continue
        if not line.strip():
            continue
        yield parse_line(line, ref)


def _discard_rest_of_line(handle: BinaryIO) -> None:
    while True:
        chunk = handle.readline(CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def parse_line(line: bytes, ref: InputRef) -> Article | SkippedInput:
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return skipped(ref, "invalid_json", f"{ref.locator}: {exc}")
    if not isinstance(item, dict):
        return skipped(
            ref, "invalid_record", f"{ref.locator}: a JSON {type(item).__name__}, not an object"
        )
    body, media_type = _body(item)
    if body is None:
        return skipped(ref, "invalid_record", f"{ref.locator}: no string field 'text' or 'html'")
    item_id = item.get("id")
    if item_id is not None and not isinstance(item_id, str | int):
        return skipped(ref, "invalid_record", f"{ref.locator}: 'id' must be a string or a number")
    if item_id is not None:
        ref = ref.model_copy(update={"id": str(item_id)})
    if not body.strip():
        return skipped(ref, "empty", f"{ref.locator}: the article body is empty")
    url = item.get("url") if isinstance(item.get("url"), str) else None
    article = Article.new(
        body.encode("utf-8"), body, media_type=media_type, source=ref, encoding="utf-8", url=url
    )
    _claim_metadata(article, item)
    return article


def _body(item: dict[str, Any]) -> tuple[str | None, MediaType]:
    if isinstance(item.get("html"), str):
        return item["html"], "text/html"
    if isinstance(item.get("text"), str):
        return item["text"], "text/plain"
    return None, "text/plain"


def _claim_metadata(article: Article, item: dict[str, Any]) -> None:
    title = item.get("title")
    if isinstance(title, str) and title.strip():
        article.claim(
            "title", title.strip(), method=METHOD, evidence=Evidence.meta("jsonl:title", title)
        )
    published = item.get("published")
    if published is None:
        return
    evidence = Evidence.meta("jsonl:published", str(published))
    value = parse_iso(published)
    if value is None:
        article.claim(
            "published",
            str(published),
            method=METHOD,
            evidence=evidence,
            confidence=0.0,
            trusted=False,
            accepted=False,
            note="not an ISO 8601 date or timestamp",
        )
    else:
        article.claim("published", value, method=METHOD, evidence=evidence, confidence=0.9)


def parse_iso(value: object) -> TimeValue | None:
    """An ISO 8601 date (a day) or timestamp (an instant) as a TimeValue; None if it is neither."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        if len(text) == 10:
            return TimeValue.day(date.fromisoformat(text))
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return TimeValue.day(stamp.date(), at=stamp)
