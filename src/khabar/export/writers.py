"""Rows to bytes, one format each, streamed: each writer yields chunks as it goes.

The writers never hold more than one batch: text formats yield about 64 KiB at a time, Parquet
one row group at a time. Output depends only on the rows (no clocks, no random ids, fixed key and
column order), so the same rows always give the same bytes. Each writer counts what it wrote,
and what it left out and why, in a ``Tally``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from khabar.export.records import ColumnType

if TYPE_CHECKING:
    import pyarrow as pa

Columns = tuple[tuple[str, ColumnType], ...]

# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage
# return too: some programs strip them and then see the formula behind).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 1 << 16


@dataclass
class Tally:
    """What an export wrote and what it left out, by reason."""

    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def neutralise(value: Any) -> Any:
    """A cell value that a spreadsheet will show as text, never evaluate."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A flat value as a CSV cell: lists joined with ``; ``, then neutralised."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return neutralise(value)


def csv_text(rows: Iterable[dict[str, Any]], names: Iterable[str], tally: Tally) -> Iterator[str]:
    """A header line, then one line per row; every cell neutralised."""
    names = tuple(names)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in names])
        tally.rows += 1
        if buffer.tell() >= _CHUNK:
            yield _take(buffer)
    yield _take(buffer)


def jsonl_text(records: Iterable[dict[str, Any]], tally: Tally) -> Iterator[str]:
    """One JSON object a line, keys in the record's own (fixed) order, UTF-8 as is."""
    for record in records:
        tally.rows += 1
        yield json.dumps(record, ensure_ascii=False) + "\n"


def geojson_text(
    rows: Iterable[dict[str, Any]], names: Iterable[str], tally: Tally
) -> Iterator[str]:
    """A FeatureCollection written feature by feature: a Point (longitude, latitude, as RFC 7946
    orders them) per row with coordinates, the flat columns as properties. Rows without
    coordinates are counted under ``no_coordinates``."""
    names = tuple(names)
    yield '{"type": "FeatureCollection", "features": [\n'
    separator = ""
    for row in rows:
        lat, lon = row.get("lat"), row.get("lon")
        if lat is None or lon is None:
            tally.skipped["no_coordinates"] += 1
            continue
        feature = {
            "type": "Feature",
            "id": row.get("id"),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {name: row.get(name) for name in names},
        }
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
        tally.rows += 1
    yield "\n]}\n"


def encode(pieces: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 chunks of about 64 KiB from many small strings."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
            size = 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def parquet_bytes(
    rows: Iterable[dict[str, Any]],
    columns: Columns,
    tally: Tally,
    *,
    batch_rows: int,
    metadata: dict[str, str],
) -> Iterator[bytes]:
    """A Parquet file with an explicit schema, one row group per ``batch_rows`` rows, yielded
    as each row group is written (memory holds one batch). zstd-compressed; ``metadata`` goes
    into the schema's key-value metadata and must not vary between runs."""
    import pyarrow as pa  # noqa: PLC0415 - only Parquet exports pay for importing pyarrow
    import pyarrow.parquet as pq  # noqa: PLC0415

    schema = pa.schema(
        [pa.field(name, _arrow_type(kind)) for name, kind in columns],
        metadata={k.encode(): v.encode() for k, v in sorted(metadata.items())},
    )
    sink = _Sink()
    with pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd") as writer:
        iterator = iter(rows)
        while batch := list(islice(iterator, batch_rows)):
            typed = {name: [_typed(row.get(name), kind) for row in batch] for name, kind in columns}
            writer.write_table(pa.table(typed, schema=schema))
            tally.rows += len(batch)
            yield sink.take()
    yield sink.take()


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _arrow_type(kind: ColumnType) -> pa.DataType:
    import pyarrow as pa  # noqa: PLC0415

    return {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "list<string>": pa.list_(pa.string()),
    }[kind]


def _typed(value: Any, kind: ColumnType) -> Any:
    """A flat value as Parquet's column type wants it (dates and times arrive as ISO strings)."""
    if value is None or not isinstance(value, str):
        return value
    if kind == "date":
        return date.fromisoformat(value[:10])
    if kind == "timestamp":
        moment = datetime.fromisoformat(value)
        # A stored time without a zone is UTC: khabar writes every time in UTC.
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return value


class _Sink:
    """A write-only file that keeps what Parquet writes until the export takes it."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data
