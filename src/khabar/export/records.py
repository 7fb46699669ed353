"""Streamed exports: every row, no caps, in the order the articles were stored.

JSON Lines carries the full article record (``docs/record.md``). CSV carries flat columns; a
cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is prefixed with ``'`` so that it stays text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TextIO

from khabar.core.article import Article

What = Literal["articles", "events"]
Format = Literal["jsonl", "csv"]

ARTICLE_COLUMNS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "site",
    "authors",
    "language",
    "published_start",
    "published_end",
    "published_granularity",
    "published_method",
    "published_confidence",
    "fetched_at",
    "source_uri",
    "source_locator",
    "media_type",
    "chars",
    "sentences",
    "content_hash",
    "text",
)
EVENT_COLUMNS = (
    "event_id",
    "article_id",
    "type",
    "mode",
    "context",
    "status",
    "confidence",
    "method",
    "evidence",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export(articles: Iterable[Article], handle: TextIO, *, what: What, fmt: Format) -> int:
    """Write ``what`` from ``articles`` to ``handle``; return the number of rows written."""
    rows: Iterator[dict[str, Any]]
    if fmt == "jsonl":
        rows = (a.to_record() for a in articles) if what == "articles" else _event_records(articles)
        return _write_jsonl(rows, handle)
    columns, flatten = _CSV[what]
    return _write_csv(flatten(articles), columns, handle)


def _write_jsonl(rows: Iterable[dict[str, Any]], handle: TextIO) -> int:
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007 - the count is the result
        handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return count


def _write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], handle: TextIO) -> int:
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for count, row in enumerate(rows, 1):  # noqa: B007 - the count is the result
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return count


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def article_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    for a in articles:
        published = a.published
        yield {
            "id": a.id,
            "url": a.url,
            "canonical_url": a.canonical_url,
            "title": a.title,
            "site": a.site,
            "authors": "; ".join(a.authors),
            "language": a.language,
            "published_start": published.start.isoformat() if published else None,
            "published_end": published.end.isoformat() if published else None,
            "published_granularity": published.granularity if published else None,
            "published_method": published.method if published else None,
            "published_confidence": published.confidence if published else None,
            "fetched_at": a.fetched_at.isoformat(),
            "source_uri": a.source.uri,
            "source_locator": a.source.locator,
            "media_type": a.media_type,
            "chars": len(a.text),
            "sentences": len(a.sentences),
            "content_hash": a.content_hash,
            "text": a.text,
        }


def _event_records(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    for a in articles:
        for event in a.events:
            yield {"article_id": a.id, **event.model_dump(mode="json")}


def event_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    for record in _event_records(articles):
        yield {
            "event_id": record["id"],
            "article_id": record["article_id"],
            "type": record["type"],
            "mode": record["mode"],
            "context": "; ".join(record["context"]),
            "status": record["status"],
            "confidence": record["confidence"],
            "method": record["method"],
            "evidence": json.dumps(record["evidence"]),
        }


_CSV: dict[
    What, tuple[tuple[str, ...], Callable[[Iterable[Article]], Iterator[dict[str, Any]]]]
] = {
    "articles": (ARTICLE_COLUMNS, article_rows),
    "events": (EVENT_COLUMNS, event_rows),
}
