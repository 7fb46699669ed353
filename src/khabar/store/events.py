"""Reading events from the store: one filter, used by the CLI now and the API later."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

EVENT_COLUMNS = (
    "id", "article_id", "type", "mode", "status", "planned_type", "mention_role", "confidence",
    "time_start", "time_end", "time_granularity", "place_name", "country", "admin1", "lat",
    "lon", "geo_precision", "actors", "targets", "killed_low", "killed_best", "killed_high",
    "injured_low", "injured_best", "injured_high", "acled_event_type", "acled_sub_event_type",
    "cameo", "sentence", "method",
)  # fmt: skip


@dataclass(frozen=True)
class EventFilter:
    """Which events: every field narrows; empty fields do not."""

    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    actor: str | None = None  # a canonical name, country or sector code, or any text in it
    start: date | None = None  # events whose time overlaps [start, end]
    end: date | None = None
    min_confidence: float = 0.0
    main_only: bool = False
    limit: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, values in (
            ("type", self.types),
            ("status", self.statuses),
            ("country", self.countries),
        ):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params.extend(v.upper() if column != "status" else v.lower() for v in values)
        if self.actor:
            clauses.append("(instr(lower(actors), ?) > 0 OR instr(lower(targets), ?) > 0)")
            params += [self.actor.lower()] * 2
        if self.start is not None:
            clauses.append("time_end >= ?")
            params.append(self.start.isoformat())
        if self.end is not None:
            clauses.append("time_start <= ?")
            params.append(self.end.isoformat())
        if self.min_confidence:
            clauses.append("confidence >= ?")
            params.append(self.min_confidence)
        if self.main_only:
            clauses.append("mention_role = 'main'")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def query_events(conn: sqlite3.Connection, wanted: EventFilter) -> Iterator[dict[str, Any]]:
    """Matching events, oldest article first, streamed; ``actors``/``targets`` as lists."""
    where, params = wanted.where()
    limit = f" LIMIT {int(wanted.limit)}" if wanted.limit else ""
    sql = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events{where} ORDER BY rowid{limit}"
    cursor = conn.execute(sql, params)
    while rows := cursor.fetchmany(500):
        for row in rows:
            event = dict(zip(EVENT_COLUMNS, row, strict=True))
            event["actors"], event["targets"] = (
                json.loads(event["actors"]),
                json.loads(event["targets"]),
            )
            yield event


def event_record(conn: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT article_id, record FROM events WHERE id = ?", (event_id,)).fetchone()
    return {"article_id": row[0], **json.loads(row[1])} if row else None
