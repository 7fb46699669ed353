"""One export: what (articles or events), in which format, of which events; streamed as bytes.

The CLI writes the chunks to a file (with a manifest, ``khabar.export.manifest``) or to stdout;
the API can send them as they come. Every matching row is written: there is no cap. Rows come in
the order the store keeps them (articles and events as they were stored), so exporting the same
store twice gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from khabar import __version__
from khabar.core.errors import KhabarError
from khabar.events.ontology import load_ontology
from khabar.export.acled import (
    ACLED_COLUMNS,
    ACLED_FLOATS,
    ACLED_INTEGERS,
    Source,
    acled_rows,
    fused_as_row,
)
from khabar.export.records import What, article_rows, columns
from khabar.export.writers import (
    Tally,
    csv_text,
    encode,
    geojson_text,
    jsonl_text,
    parquet_bytes,
)
from khabar.store import Store
from khabar.store import query as q
from khabar.store.events import EventFilter

Format = Literal["csv", "jsonl", "parquet", "geojson", "acled"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl", "parquet", "geojson", "acled")
FORMATS_OF: dict[What, tuple[Format, ...]] = {
    "articles": ("csv", "jsonl", "parquet"),
    "events": FORMATS,
    "fused": FORMATS,
}
SUFFIX: dict[Format, str] = {
    "csv": ".csv",
    "jsonl": ".jsonl",
    "parquet": ".parquet",
    "geojson": ".geojson",
    "acled": ".csv",
}
# Rows per Parquet row group: the memory an export holds at once. Articles carry their text.
_BATCH_ROWS: dict[What, int] = {"articles": 500, "events": 10_000, "fused": 10_000}


class ExportError(KhabarError):
    """An export that cannot be made as asked."""


def exported(what: str, level: str) -> What:
    """What an export of ``what`` at ``level`` holds: events are fused events unless the
    reports are asked for (``level="report"``); ``fused`` is a name for fused events too."""
    if what == "articles":
        return "articles"
    if what == "fused" or (what == "events" and level == "fused"):
        return "fused"
    if what == "events" and level == "report":
        return "events"
    raise ExportError(f"cannot export {what!r} at level {level!r}: articles, events or fused")


@dataclass
class Export:
    """An export of ``what`` from ``store`` as ``fmt``; ``chunks()`` streams it and fills
    ``tally`` as it goes. ``wanted`` narrows events (articles are always all exported)."""

    store: Store
    what: What
    fmt: Format
    wanted: EventFilter = field(default_factory=EventFilter)
    tally: Tally = field(default_factory=Tally)

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS_OF[self.what]:
            raise ExportError(
                f"--format {self.fmt} does not apply to {self.what}: {self.what} export as "
                f"{', '.join(FORMATS_OF[self.what])} ({self.fmt} is for events)"
            )
        if self.what == "articles" and self.filters():
            raise ExportError(
                f"the event filters ({', '.join(self.filters())}) do not apply to articles; "
                "drop them, or export --what events"
            )

    def columns(self) -> list[dict[str, str]]:
        """The columns the file has, with their types; empty for JSON Lines (full records,
        described by ``khabar schema`` and docs/record.md for articles, docs/events.md for
        events)."""
        if self.fmt == "jsonl":
            return []
        if self.fmt == "acled":
            return [{"name": name, "type": _acled_type(name)} for name in ACLED_COLUMNS]
        return [{"name": name, "type": kind} for name, kind in columns(self.what)]

    def filters(self) -> dict[str, Any]:
        """The event filter's fields that narrow, as JSON values."""
        narrowing: dict[str, Any] = {}
        default = EventFilter()
        for f in fields(self.wanted):
            value = getattr(self.wanted, f.name)
            if value != getattr(default, f.name):
                narrowing[f.name] = _json_value(value)
        return narrowing

    def chunks(self) -> Iterator[bytes]:
        """The export's bytes, a chunk at a time."""
        if self.fmt == "parquet":
            yield from parquet_bytes(
                self._flat_rows(),
                columns(self.what),
                self.tally,
                batch_rows=_BATCH_ROWS[self.what],
                metadata={"khabar.what": self.what, "khabar.version": __version__},
            )
            return
        yield from encode(self._text())

    def _text(self) -> Iterator[str]:
        names = [name for name, _ in columns(self.what)]
        if self.fmt == "csv":
            return csv_text(self._flat_rows(), names, self.tally)
        if self.fmt == "geojson":
            return geojson_text(self._flat_rows(), names, self.tally)
        if self.fmt == "acled":
            return csv_text(self._acled_rows(), ACLED_COLUMNS, self.tally)
        if self.what == "articles":
            return jsonl_text((a.to_record() for a in self.store.iter_articles()), self.tally)
        if self.what == "fused":
            return jsonl_text(self._fused_records(), self.tally)
        return jsonl_text(self._event_records(), self.tally)

    def _flat_rows(self) -> Iterator[dict[str, Any]]:
        if self.what == "articles":
            return article_rows(self.store.iter_articles())
        if self.what == "fused":
            # A fused event matches when one of its reports matches the filter.
            return (
                {**row, "casualty_conflict": int(row["casualty_conflict"])}
                for row in q.iter_fused_pages(self.store.conn, self.wanted)
            )
        return self.store.events(self.wanted)

    def _fused_records(self) -> Iterator[dict[str, Any]]:
        for row in self._flat_rows():
            record = q.fused_detail(self.store.conn, row["id"])
            if record is not None:
                yield record

    def _event_records(self) -> Iterator[dict[str, Any]]:
        for row in self.store.events(self.wanted):
            record = self.store.event_record(row["id"])
            if record is not None:
                yield record

    def _acled_rows(self) -> Iterator[dict[str, Any]]:
        # An article's events are stored together, so a small cache reads each article once.
        @lru_cache(maxsize=64)
        def of_article(article_id: str) -> Source:
            article = self.store.get_article(article_id)
            if article is None:
                return Source(site=None, timestamp=None)
            return Source(site=article.site, timestamp=int(article.fetched_at.timestamp()))

        if self.what != "fused":
            return acled_rows(
                self.store.events(self.wanted),
                lambda row: of_article(row["article_id"]),
                _disorder_types(),
                self.tally,
            )

        # One row per real-world event; its source names every site that reported it (as
        # ACLED's own column does), its timestamp is the latest of their fetches.
        def of_fused(row: dict[str, Any]) -> Source:
            sources = [of_article(a) for a in sorted(row["_articles"])]
            sites = sorted({s.site for s in sources if s.site})
            stamps = [s.timestamp for s in sources if s.timestamp is not None]
            return Source("; ".join(sites) or None, max(stamps, default=None))

        fused = (
            {**row, "_articles": {m["article_id"] for m in detail["events"]}}
            for detail in self._fused_records()
            if (row := fused_as_row(detail)) is not None
        )
        return acled_rows(fused, of_fused, _disorder_types(), self.tally)


@lru_cache(maxsize=1)
def _disorder_types() -> dict[str, str]:
    return dict(load_ontology().disorder_types)


def _acled_type(name: str) -> str:
    return "int64" if name in ACLED_INTEGERS else "float64" if name in ACLED_FLOATS else "string"


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):  # a bounding box, a radius
        return {k: _json_value(v) for k, v in asdict(value).items()}
    return value
