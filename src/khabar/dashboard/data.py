"""What the dashboard's pages and charts show, read from the store in as few queries as it can.

Every function takes an open connection (SQLite or PostgreSQL, through the same dialect layer as
:mod:`khabar.store.query`) and returns plain data; the routes render it. Nothing here writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from khabar.store import query as q
from khabar.store.database import dialect

#: Columns the event table can be sorted by (anything else is refused, never put into SQL).
SORTABLE = (
    "time_start", "type", "status", "country", "place_name", "site", "killed_best",
    "injured_best", "confidence",
)  # fmt: skip
TABLE_COLUMNS = (
    "id", "time_start", "type", "mode", "status", "place_name", "country", "actors", "targets",
    "killed_best", "injured_best", "confidence", "site", "sentence", "article_id",
)  # fmt: skip
#: The same for fused events (each a real-world event, however many articles reported it).
FUSED_SORTABLE = (
    "time_start", "type", "status", "country", "place_name", "killed_best", "injured_best",
    "reports", "sites",
)  # fmt: skip
#: The map draws at most this many points; the page says when there were more.
MAX_POINTS = 20_000
MAX_TABLE_ROWS = 1000


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Each row of ``sql`` as a dict named by its columns."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, tuple(row), strict=True)) for row in cursor.fetchall()]


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


#: A fused event's page is the page of one of its reports (which shows the fused event whole).
_LINKED_REPORT = "(SELECT min(m.event_id) FROM fused_members m WHERE m.fused_id = fused_events.id)"


def _source(
    conn: sqlite3.Connection, wanted: q.EventFilter, level: q.Level
) -> tuple[str, str, Any]:
    """The table to read (events, or fused_events), the filter's ``WHERE`` and its values."""
    if level == "fused":
        where, params = q.fused_where(wanted, dialect(conn))
        return "fused_events", where, params
    where, params = wanted.where(kind=dialect(conn))
    return "events", where, params


def points(
    conn: sqlite3.Connection, wanted: q.EventFilter, level: q.Level = q.DEFAULT_LEVEL
) -> dict[str, Any]:
    """The matching events that have a place, newest first, as compact rows for the map (a
    fused event's row links to one of its reports)."""
    source, where, params = _source(conn, wanted, level)
    link = _LINKED_REPORT if level == "fused" else "id"
    rows = conn.execute(
        f"SELECT {link}, lat, lon, type, status, time_start, place_name, country FROM {source}"
        f"{_and(where, 'lat IS NOT NULL AND lon IS NOT NULL')} "
        "ORDER BY time_start DESC, id LIMIT ?",
        [*params, MAX_POINTS + 1],
    ).fetchall()
    total = conn.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0]
    placed = [list(row) for row in rows[:MAX_POINTS]]
    return {
        "columns": ["id", "lat", "lon", "type", "status", "date", "place", "country"],
        "points": placed,
        "truncated": len(rows) > MAX_POINTS,
        "total": total,
        "level": level,
    }


def timeline(
    conn: sqlite3.Connection, wanted: q.EventFilter, by: str, level: q.Level = q.DEFAULT_LEVEL
) -> dict[str, Any]:
    """Matching events per day, week, month or year, split by type, oldest first."""
    bucket = q.time_bucket(by, dialect(conn))
    source, where, params = _source(conn, wanted, level)
    rows = conn.execute(
        f"SELECT {bucket} AS k, type, count(*) FROM {source}"
        f"{_and(where, 'time_start IS NOT NULL')} GROUP BY k, type ORDER BY k, type",
        params,
    ).fetchall()
    undated = conn.execute(
        f"SELECT count(*) FROM {source}{_and(where, 'time_start IS NULL')}", params
    ).fetchone()[0]
    return {
        "by": by,
        "buckets": [{"key": k, "type": t, "count": n} for k, t, n in rows if k],
        "undated": undated,
    }


def table(
    conn: sqlite3.Connection,
    wanted: q.EventFilter,
    *,
    sort: str = "time_start",
    descending: bool = True,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """The first ``limit`` matching events in the given order (ties broken by id), the rows
    the table shows and its CSV download repeats."""
    _check_table(sort, SORTABLE, limit, "events")
    where, params = wanted.where(kind=dialect(conn))
    direction = "DESC" if descending else "ASC"
    rows = conn.execute(
        f"SELECT {', '.join(TABLE_COLUMNS)} FROM events{where} "
        f"ORDER BY {sort} {direction} NULLS LAST, id LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [q.event_out(row, TABLE_COLUMNS) for row in rows]


def _check_table(sort: str, sortable: tuple[str, ...], limit: int, what: str) -> None:
    """Refuse a sort column or a row count the table does not offer (nothing else reaches SQL)."""
    if sort not in sortable:
        raise q.QueryError(f"cannot sort {what} by {sort!r}; choose one of {', '.join(sortable)}")
    if not 1 <= limit <= MAX_TABLE_ROWS:
        raise q.QueryError(f"limit {limit} is outside 1..{MAX_TABLE_ROWS}")


#: What the table's CSV download holds for fused events (``link``: the report whose page shows
#: the fused event).
FUSED_CSV_COLUMNS = (
    "id", "time_start", "type", "status", "place_name", "country", "actors", "killed_best",
    "injured_best", "reports", "articles", "sites", "sentence", "link",
)  # fmt: skip
FUSED_TABLE_COLUMNS = (
    "id", "time_start", "type", "status", "place_name", "country", "killed_best",
    "injured_best", "reports", "articles", "sites", "record",
)  # fmt: skip


def fused_table(
    conn: sqlite3.Connection,
    wanted: q.EventFilter,
    *,
    sort: str = "time_start",
    descending: bool = True,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """:func:`table` for fused events: each row with its actors' names, its sentence, and
    ``link``, the report whose page shows it."""
    _check_table(sort, FUSED_SORTABLE, limit, "fused events")
    _, where, params = _source(conn, wanted, "fused")
    direction = "DESC" if descending else "ASC"
    rows = conn.execute(
        f"SELECT {', '.join(FUSED_TABLE_COLUMNS)}, {_LINKED_REPORT} FROM fused_events{where} "
        f"ORDER BY {sort} {direction} NULLS LAST, id LIMIT ?",
        [*params, limit],
    ).fetchall()
    found = []
    for row in rows:
        item = dict(zip((*FUSED_TABLE_COLUMNS, "link"), tuple(row), strict=True))
        record = json.loads(item.pop("record"))
        item["actors"] = [a["name"] for a in record.get("actors", [])]
        item["sentence"] = (record.get("sentence") or {}).get("text")
        found.append(item)
    return found


# -- the event and article pages -----------------------------------------------------------------
def claims(conn: sqlite3.Connection, article_id: str) -> list[dict[str, Any]]:
    """Every claim made about an article, accepted or not, with its evidence."""
    rows = conn.execute(
        "SELECT c.id, c.field, c.value, c.method, c.confidence, c.accepted, c.note, e.kind, "
        'e.start, e."end", e.field, e.value FROM claims c LEFT JOIN evidence e '
        "ON e.claim_id = c.id WHERE c.article_id = ? ORDER BY c.seq, e.seq",
        (article_id,),
    ).fetchall()
    found: dict[int, dict[str, Any]] = {}
    for cid, field, value, method, confidence, accepted, note, *evidence in rows:
        claim = found.setdefault(
            cid,
            {
                "field": field,
                "value": json.loads(value),
                "method": method,
                "confidence": confidence,
                "accepted": bool(accepted),
                "note": note,
                "evidence": [],
            },
        )
        kind, start, end, ev_field, ev_value = evidence
        if kind is not None:
            claim["evidence"].append(
                {"kind": kind, "start": start, "end": end, "field": ev_field, "value": ev_value}
            )
    return list(found.values())


def article(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    """An article's metadata and clean text, its events, its claims and the copies found."""
    row = conn.execute(
        f"SELECT {', '.join(q.ARTICLE_COLUMNS)}, text, run_id FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    if row is None:
        return None
    found = dict(zip((*q.ARTICLE_COLUMNS, "text", "run_id"), tuple(row), strict=True))
    found["events"] = _rows(
        conn,
        "SELECT id, type, status, time_start, place_name, mention_role FROM events "
        "WHERE article_id = ? ORDER BY id",
        (article_id,),
    )
    found["triggers"] = [
        {"event": eid, **json.loads(record).get("trigger", {})}
        for eid, record in conn.execute(
            "SELECT e.id, r.record FROM events e JOIN event_records r ON r.id = e.id "
            "WHERE e.article_id = ?",
            (article_id,),
        ).fetchall()
    ]
    found["claims"] = claims(conn, article_id)
    found["copies"] = _rows(
        conn,
        "SELECT uri, locator, source, url, relation, method, fetched_at FROM article_inputs "
        "WHERE article_id = ? ORDER BY fetched_at, uri",
        (article_id,),
    )
    return found


# -- runs ----------------------------------------------------------------------------------------
RUN_COLUMNS = ("id", "started_at", "finished_at", "status", "khabar_version", "inputs", "counts")


def runs(conn: sqlite3.Connection, *, limit: int = 100) -> list[dict[str, Any]]:
    """The latest runs, newest first, with what each ingested and skipped."""
    rows = conn.execute(
        f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [_run(row) for row in rows]


def _run(row: Any) -> dict[str, Any]:
    found = dict(zip(RUN_COLUMNS, tuple(row), strict=True))
    found["inputs"] = json.loads(found["inputs"] or "[]")
    found["counts"] = json.loads(found["counts"]) if found["counts"] else {}
    return found


def run(conn: sqlite3.Connection, run_id: int) -> dict[str, Any] | None:
    """One run: its summary, the articles it stored, and every input it skipped, with why."""
    row = conn.execute(
        f"SELECT {', '.join(RUN_COLUMNS)} FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    if row is None:
        return None
    found = _run(row)
    found["articles"] = _rows(
        conn,
        "SELECT id, title, site, published_start FROM articles WHERE run_id = ? "
        "ORDER BY created_at, id LIMIT 500",
        (run_id,),
    )
    found["skips"] = skips(conn, run_id)
    return found


def skips(conn: sqlite3.Connection, run_id: int | None = None) -> list[dict[str, Any]]:
    """Inputs that produced no article (seen last in ``run_id``, or in any run), with why."""
    where = " WHERE last_run_id = ?" if run_id is not None else ""
    return _rows(
        conn,
        "SELECT uri, locator, stage, reason, severity, detail, times_seen, last_run_id AS last_run "
        f"FROM skips{where} ORDER BY last_run_id DESC, id LIMIT 500",
        () if run_id is None else (run_id,),
    )


# -- change since last week ----------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """The ``days`` up to and including ``until``, and the same number of days before them."""

    until: date
    days: int = 7

    @property
    def start(self) -> date:
        return self.until - timedelta(days=self.days - 1)

    @property
    def before_start(self) -> date:
        return self.start - timedelta(days=self.days)

    @property
    def before_end(self) -> date:
        return self.start - timedelta(days=1)


def latest_day(conn: sqlite3.Connection) -> date | None:
    """The day of the latest dated event, the natural "now" of a corpus that is not live."""
    found = conn.execute("SELECT max(substr(time_start, 1, 10)) FROM events").fetchone()[0]
    return date.fromisoformat(found) if found else None


def surge(
    conn: sqlite3.Connection,
    window: Window,
    group: tuple[str, ...] = ("country", "type"),
    level: q.Level = q.DEFAULT_LEVEL,
) -> list[dict[str, Any]]:
    """Events per group in the window and in the window before it, the largest rise first."""
    groups = (
        ("country", "type", "status") if level == "fused" else ("country", "type", "status", "site")
    )
    for column in group:
        if column not in groups:
            raise q.QueryError(f"cannot group changes in {level} events by {column!r}")
    source = "fused_events" if level == "fused" else "events"
    keys = ", ".join(group)
    day = "substr(time_start, 1, 10)"
    rows = conn.execute(
        f"SELECT {keys}, "
        f"sum(CASE WHEN {day} >= ? THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {day} <= ? THEN 1 ELSE 0 END) "
        f"FROM {source} WHERE {day} BETWEEN ? AND ? GROUP BY {keys}",
        (
            window.start.isoformat(),
            window.before_end.isoformat(),
            window.before_start.isoformat(),
            window.until.isoformat(),
        ),
    ).fetchall()
    out = []
    for row in rows:
        *values, now, before = tuple(row)
        now, before = int(now or 0), int(before or 0)
        out.append(
            {
                **dict(zip(group, values, strict=True)),
                "now": now,
                "before": before,
                "change": now - before,
                "ratio": None if before == 0 else round(now / before, 2),
            }
        )
    out.sort(key=lambda r: (-r["change"], -r["now"], *(str(r[g]) for g in group)))
    return out


@cache
def country_codes() -> dict[str, dict[str, str]]:
    """ISO 3166-1 numeric code -> alpha-3 code and name (the map's shapes carry numeric)."""
    import pycountry  # noqa: PLC0415 - a large table, only for the map

    found: dict[str, dict[str, str]] = defaultdict(dict)
    for country in pycountry.countries:
        found[country.numeric] = {"iso3": country.alpha_3, "name": country.name}
    return dict(found)


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> the country's name, for filters and tables."""
    return {v["iso3"]: v["name"] for v in country_codes().values()}
