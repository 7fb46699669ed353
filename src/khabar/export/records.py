"""The rows an export writes: articles as full records or flat columns, events as flat columns.

Every flat column has a declared type (``string``, ``int64``, ``float64``, ``date``,
``timestamp``, ``list<string>``) so that Parquet gets an explicit schema and a manifest can say
what each column holds. Event columns are the store's ``events`` table (``khabar.store.events``),
read as they are; a column the store gains later is exported as ``string`` until it is declared
here (a test says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

from khabar.core.article import Article
from khabar.store.events import EVENT_COLUMNS as STORE_EVENT_COLUMNS

What = Literal["articles", "events", "fused"]
ColumnType = Literal["string", "int64", "float64", "date", "timestamp", "list<string>"]

ARTICLE_TYPES: dict[str, ColumnType] = {
    "id": "string",
    "url": "string",
    "canonical_url": "string",
    "title": "string",
    "site": "string",
    "authors": "list<string>",
    "language": "string",
    "published_start": "date",
    "published_end": "date",
    "published_granularity": "string",
    "published_method": "string",
    "published_confidence": "float64",
    "fetched_at": "timestamp",
    "source_uri": "string",
    "source_locator": "string",
    "media_type": "string",
    "chars": "int64",
    "sentences": "int64",
    "content_hash": "string",
    "text": "string",
}
EVENT_TYPES: dict[str, ColumnType] = {
    "id": "string",
    "article_id": "string",
    "type": "string",
    "mode": "string",
    "status": "string",
    "planned_type": "string",
    "mention_role": "string",
    "confidence": "float64",
    "time_start": "date",
    "time_end": "date",
    "time_granularity": "string",
    "place_name": "string",
    "country": "string",
    "admin1": "string",
    "lat": "float64",
    "lon": "float64",
    "geo_precision": "string",
    "actors": "list<string>",
    "targets": "list<string>",
    "killed_low": "int64",
    "killed_best": "int64",
    "killed_high": "int64",
    "injured_low": "int64",
    "injured_best": "int64",
    "injured_high": "int64",
    "acled_event_type": "string",
    "acled_sub_event_type": "string",
    "cameo": "string",
    "sentence": "string",
    "method": "string",
}

#: Fused events (``khabar.fusion``): one row per real-world event, its reports counted.
FUSED_TYPES: dict[str, ColumnType] = {
    "id": "string",
    "type": "string",
    "status": "string",
    "time_start": "date",
    "time_end": "date",
    "place_name": "string",
    "country": "string",
    "lat": "float64",
    "lon": "float64",
    "geo_precision": "string",
    "killed_low": "int64",
    "killed_best": "int64",
    "killed_high": "int64",
    "injured_low": "int64",
    "injured_best": "int64",
    "injured_high": "int64",
    "casualty_conflict": "int64",  # 1: the reports' tolls disagree
    "reports": "int64",
    "articles": "int64",
    "sites": "int64",
    "updated_at": "timestamp",
}

ARTICLE_COLUMNS = tuple(ARTICLE_TYPES)
EVENT_COLUMNS = tuple(STORE_EVENT_COLUMNS)


def columns(what: What) -> tuple[tuple[str, ColumnType], ...]:
    """The flat columns of ``what`` in the order they are written, each with its type."""
    if what == "articles":
        return tuple(ARTICLE_TYPES.items())
    if what == "fused":
        return tuple(FUSED_TYPES.items())
    return tuple((name, EVENT_TYPES.get(name, "string")) for name in EVENT_COLUMNS)


def article_rows(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    """One flat row per article; dates and times as ISO strings, authors as a list."""
    for a in articles:
        published = a.published
        yield {
            "id": a.id,
            "url": a.url,
            "canonical_url": a.canonical_url,
            "title": a.title,
            "site": a.site,
            "authors": list(a.authors),
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
