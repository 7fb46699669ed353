"""The query layer: one set of filters, pages and counts for the CLI, the API and the dashboard.

Everything that reads events or articles for a user goes through here, so that a filter means
the same thing wherever it is typed. Pages are keyset pages (``WHERE id > :last ORDER BY id``):
the cost of page 1,000 is the cost of page 1. Filters that would make the database scan
everything for little (a one-letter text search, a radius the size of a continent) are refused
with a :class:`QueryError` that says what to do instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from khabar.core.errors import KhabarError
from khabar.store.database import Dialect, PgConnection, dialect

EVENT_COLUMNS = (
    "id", "article_id", "type", "mode", "status", "planned_type", "mention_role", "confidence",
    "time_start", "time_end", "time_granularity", "place_name", "country", "admin1", "lat",
    "lon", "geo_precision", "actors", "targets", "killed_low", "killed_best", "killed_high",
    "injured_low", "injured_best", "injured_high", "acled_event_type", "acled_sub_event_type",
    "cameo", "sentence", "method",
)  # fmt: skip
#: What the API and ``khabar events --format json`` add to the columns: where and when from.
SYNC_COLUMNS = ("site", "created_at", "updated_at")
ARTICLE_COLUMNS = (
    "id", "url", "canonical_url", "title", "site", "language", "published_start",
    "published_end", "published_granularity", "fetched_at", "created_at",
)  # fmt: skip

MAX_PAGE_SIZE = 1000
MAX_RADIUS_KM = 1000.0
MIN_SEARCH_CHARS = 3
_WORD = re.compile(r"\w+", re.UNICODE)

GroupBy = Literal[
    "day", "week", "month", "year", "type", "status", "country", "site", "actor", "target",
    "acled_event_type", "mode",
]  # fmt: skip
GROUPS: tuple[str, ...] = GroupBy.__args__  # type: ignore[attr-defined]
FACETS = ("type", "status", "country", "site", "actor", "mode")


class QueryError(KhabarError):
    """A filter, cursor or page that cannot be answered; the message says what to change."""


class QueryTimeout(QueryError):
    """The query ran past its time limit."""


@dataclass(frozen=True)
class BBox:
    """A box of longitudes and latitudes; ``west > east`` is a box across the antimeridian."""

    west: float
    south: float
    east: float
    north: float

    def __post_init__(self) -> None:
        for name in ("south", "north"):
            _check_range(name, getattr(self, name), 90.0)
        for name in ("west", "east"):
            _check_range(name, getattr(self, name), 180.0)
        if self.south > self.north:
            raise QueryError(f"bbox south {self.south} is north of north {self.north}")

    @classmethod
    def parse(cls, text: str) -> BBox:
        """``west,south,east,north`` in degrees, as GeoJSON and most map tools write it."""
        west, south, east, north = _floats("bbox", text, 4, "west,south,east,north")
        return cls(west, south, east, north)


@dataclass(frozen=True)
class Radius:
    """Within ``km`` kilometres of a point (great-circle distance)."""

    lat: float
    lon: float
    km: float

    def __post_init__(self) -> None:
        _check_range("lat", self.lat, 90.0)
        _check_range("lon", self.lon, 180.0)
        if not 0 < self.km <= MAX_RADIUS_KM:
            raise QueryError(
                f"radius {self.km} km is outside (0, {MAX_RADIUS_KM:g}]; "
                "for wider areas filter by country or bbox"
            )

    @classmethod
    def parse(cls, text: str) -> Radius:
        """``lat,lon,km``."""
        lat, lon, km = _floats("near", text, 3, "lat,lon,km")
        return cls(lat, lon, km)

    def bbox(self) -> tuple[float, float, float, float]:
        """A box that holds the circle (so an index narrows before the exact distance)."""
        dlat = self.km / 111.0
        dlon = self.km / max(111.0 * math.cos(math.radians(self.lat)), 1e-6)
        return (self.lat - dlat, self.lat + dlat, self.lon - dlon, self.lon + dlon)


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
    sites: tuple[str, ...] = ()
    bbox: BBox | None = None
    near: Radius | None = None
    text: str | None = None  # words that must all appear in the event's article
    article_id: str | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise QueryError(f"date range starts ({self.start}) after it ends ({self.end})")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise QueryError(f"min_confidence {self.min_confidence} is outside [0, 1]")
        if self.actor is not None and len(self.actor.strip()) < 2:
            raise QueryError("actor must have at least 2 characters")
        if self.text is not None:
            fts_query(self.text)  # refuses a search that cannot be answered, early

    def where(self, alias: str = "", kind: Dialect = "sqlite") -> tuple[str, list[Any]]:
        """SQL conditions (joined by AND, with a leading ``WHERE``) and their parameters, for
        this kind of database."""
        col = (alias + ".") if alias else ""
        clauses: list[str] = []
        params: list[Any] = []
        for column, values in (
            ("type", self.types),
            ("status", self.statuses),
            ("country", self.countries),
        ):
            if values:
                clauses.append(f"{col}{column} IN ({', '.join('?' * len(values))})")
                params.extend(v.upper() if column != "status" else v.lower() for v in values)
        if self.sites:
            clauses.append(f"{col}site IN ({', '.join('?' * len(self.sites))})")
            params.extend(s.lower() for s in self.sites)
        if self.actor:
            clause, found = self._actor_clause(col, kind)
            clauses.append(clause)
            params += found
        if self.start is not None:
            clauses.append(f"{col}time_end >= ?")
            params.append(self.start.isoformat())
        if self.end is not None:
            clauses.append(f"{col}time_start <= ?")
            # time_start carries a time of day; the whole end day is in the range
            params.append(self.end.isoformat() + "T99")
        if self.min_confidence:
            clauses.append(f"{col}confidence >= ?")
            params.append(self.min_confidence)
        if self.main_only:
            clauses.append(f"{col}mention_role = 'main'")
        if self.article_id:
            clauses.append(f"{col}article_id = ?")
            params.append(self.article_id)
        if self.bbox is not None:
            box = self.bbox
            clauses.append(f"{col}lat BETWEEN ? AND ?")
            params += [box.south, box.north]
            if box.west <= box.east:
                clauses.append(f"{col}lon BETWEEN ? AND ?")
                params += [box.west, box.east]
            else:
                clauses.append(f"({col}lon >= ? OR {col}lon <= ?)")
                params += [box.west, box.east]
        if self.near is not None:
            south, north, west, east = self.near.bbox()
            clauses.append(f"{col}lat BETWEEN ? AND ? AND {col}lon BETWEEN ? AND ?")
            params += [south, north, west, east]
            clauses.append(f"khabar_km({col}lat, {col}lon, ?, ?) <= ?")
            params += [self.near.lat, self.near.lon, self.near.km]
        if self.text:
            clauses.append(f"{col}article_id IN (SELECT a.id FROM articles a {_search(kind)})")
            params.append(fts_query(self.text, kind))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _actor_clause(self, col: str, kind: Dialect) -> tuple[str, list[Any]]:
        # The few distinct names are matched first (off the index, in name order), and only
        # then their events; a country or sector code is looked up by its own index.
        needle = (self.actor or "").strip()
        params: list[Any] = [needle.lower()]
        names = (
            "SELECT event_id FROM event_actors WHERE name IN (SELECT name FROM "
            f"(SELECT DISTINCT name FROM event_actors) x WHERE {_contains(kind, 'lower(name)')})"
        )
        if needle.isalpha() and len(needle) == 3:
            names += (
                " UNION SELECT event_id FROM event_actors WHERE country = ? "
                "UNION SELECT event_id FROM event_actors WHERE country IS NULL AND sector = ?"
                " UNION SELECT event_id FROM event_actors WHERE country IS NOT NULL "
                "AND sector = ?"
            )
            params += [needle.upper()] * 3
        return f"{col}id IN ({names})", params


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles: by site, words in the title or text, language and publication date."""

    sites: tuple[str, ...] = ()
    text: str | None = None
    language: str | None = None
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise QueryError(f"date range starts ({self.start}) after it ends ({self.end})")
        if self.text is not None:
            fts_query(self.text)

    def where(self, kind: Dialect = "sqlite") -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.sites:
            clauses.append(f"site IN ({', '.join('?' * len(self.sites))})")
            params.extend(s.lower() for s in self.sites)
        if self.language:
            clauses.append("language = ?")
            params.append(self.language.lower())
        if self.start is not None:
            clauses.append("published_end >= ?")
            params.append(self.start.isoformat())
        if self.end is not None:
            clauses.append("published_start <= ?")
            params.append(self.end.isoformat() + "T99")
        if self.text:
            clauses.append(f"id IN (SELECT a.id FROM articles a {_search(kind)})")
            params.append(fts_query(self.text, kind))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass
class Page:
    """One page of rows and the cursor of the next (None on the last page)."""

    rows: list[dict[str, Any]]
    next: str | None = None
    size: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def fts_query(text: str, kind: Dialect = "sqlite") -> str:
    """A search that all the words must match, safe from the search engine's own syntax."""
    words = _WORD.findall(text)
    if not words or sum(len(w) for w in words) < MIN_SEARCH_CHARS:
        raise QueryError(
            f"search text {text!r} needs at least {MIN_SEARCH_CHARS} letters or digits"
        )
    if len(words) > 20:
        raise QueryError(f"search text has {len(words)} words; use at most 20")
    if kind == "postgresql":
        return " ".join(words)  # for plainto_tsquery: every word, ANDed, no operators
    return " ".join('"' + w.replace('"', "") + '"' for w in words)


# -- events ---------------------------------------------------------------------------------------
def event_out(row: sqlite3.Row | tuple[Any, ...], columns: tuple[str, ...]) -> dict[str, Any]:
    """An events row as a dict, with ``actors`` and ``targets`` as lists (stored as JSON)."""
    event = dict(zip(columns, row, strict=True))
    event["actors"] = json.loads(event["actors"])
    event["targets"] = json.loads(event["targets"])
    return event


def query_events(conn: sqlite3.Connection, wanted: EventFilter) -> Iterator[dict[str, Any]]:
    """Every matching event, in the order stored, streamed; ``actors``/``targets`` as lists."""
    where, params = wanted.where(kind=dialect(conn))
    where = (where + " AND" if where else " WHERE") + " rowid > ?"
    remaining = wanted.limit
    after = -1
    # A page at a time by rowid: memory stays bounded, on either database.
    while remaining is None or remaining > 0:
        size = 500 if remaining is None else min(500, remaining)
        rows = conn.execute(
            f"SELECT rowid, {', '.join(EVENT_COLUMNS)} FROM events{where} ORDER BY rowid LIMIT ?",
            [*params, after, size],
        ).fetchall()
        for row in rows:
            yield event_out(tuple(row)[1:], EVENT_COLUMNS)
        if len(rows) < size:
            return
        after = rows[-1][0]
        if remaining is not None:
            remaining -= len(rows)


def events_page(
    conn: sqlite3.Connection, wanted: EventFilter, *, after: str | None = None, size: int = 100
) -> Page:
    """One keyset page of events ordered by id, with the cursor of the next page."""
    size = _page_size(size)
    where, params = wanted.where(kind=dialect(conn))
    if after is not None:
        where = (where + " AND" if where else " WHERE") + " id > ?"
        params.append(_decode_cursor(after, 1)[0])
    columns = EVENT_COLUMNS + SYNC_COLUMNS
    # Ids first, then the rows: the inner query can often be answered from an index alone
    # (and must sort only ids when it cannot), so only the rows shown are read in full.
    rows = conn.execute(
        f"SELECT {', '.join(columns)} FROM events WHERE id IN "
        f"(SELECT id FROM events{where} ORDER BY id LIMIT ?) ORDER BY id",
        [*params, size + 1],
    ).fetchall()
    events = [event_out(r, columns) for r in rows[:size]]
    more = len(rows) > size
    return Page(events, _encode_cursor(events[-1]["id"]) if more else None, size)


def iter_events_pages(
    conn: sqlite3.Connection, wanted: EventFilter, *, size: int = MAX_PAGE_SIZE
) -> Iterator[dict[str, Any]]:
    """Every matching event, fetched a keyset page at a time (for streams of any size)."""
    return _every(lambda after: events_page(conn, wanted, after=after, size=size))


def iter_article_pages(
    conn: sqlite3.Connection, wanted: ArticleFilter, *, size: int = MAX_PAGE_SIZE
) -> Iterator[dict[str, Any]]:
    """Every matching article (without text), a keyset page at a time."""
    return _every(lambda after: articles_page(conn, wanted, after=after, size=size))


def _every(page: Callable[[str | None], Page]) -> Iterator[dict[str, Any]]:
    after: str | None = None
    while True:
        found = page(after)
        yield from found.rows
        if found.next is None:
            return
        after = found.next


def event_record(conn: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    """The full record of one event (evidence spans included), with its article's id."""
    row = conn.execute(
        "SELECT e.article_id, r.record FROM events e JOIN event_records r ON r.id = e.id "
        "WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    return {"article_id": row[0], **json.loads(row[1])} if row else None


def event_detail(conn: sqlite3.Connection, event_id: str) -> dict[str, Any] | None:
    """One event with its evidence as text: the sentence and every span, quoted from the
    article, and the article it came from (without its full text)."""
    row = conn.execute(
        f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS + SYNC_COLUMNS)}, r.record "
        "FROM events e JOIN event_records r ON r.id = e.id WHERE e.id = ?",
        (event_id,),
    ).fetchone()
    if row is None:
        return None
    columns = EVENT_COLUMNS + SYNC_COLUMNS
    event = event_out(tuple(row)[: len(columns)], columns)
    record = json.loads(row[-1])
    article = conn.execute(
        f"SELECT {', '.join(ARTICLE_COLUMNS)}, text FROM articles WHERE id = ?",
        (event["article_id"],),
    ).fetchone()
    text = article[-1] if article else ""
    event["record"] = record
    event["evidence"] = [
        {**span, "text": text[span["start"] : span["end"]]} for span in _spans(record)
    ]
    event["article"] = (
        dict(zip(ARTICLE_COLUMNS, tuple(article)[:-1], strict=True)) if article else None
    )
    return event


def _spans(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every ``{start, end}`` span in an event record, named by where it sits."""

    def walk(value: Any, path: str) -> Iterator[dict[str, Any]]:
        if isinstance(value, dict):
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                yield {"field": path, "start": value["start"], "end": value["end"]}
            for key, inner in value.items():
                yield from walk(inner, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                yield from walk(inner, f"{path}[{i}]")

    yield from walk(record, "")


# -- counts and facets ---------------------------------------------------------------------------
_GROUP_SQL = {
    "day": "substr(time_start, 1, 10)",
    "month": "substr(time_start, 1, 7)",
    "year": "substr(time_start, 1, 4)",
    "type": "type",
    "status": "status",
    "country": "country",
    "site": "site",
    "acled_event_type": "acled_event_type",
    "mode": "mode",
}


# Weeks are named by their Monday.
_WEEK: dict[Dialect, str] = {
    "sqlite": "date(substr(time_start, 1, 10), '-6 days', 'weekday 1')",
    "postgresql": "to_char(date_trunc('week', substr(time_start, 1, 10)::date), 'YYYY-MM-DD')",
}


TIME_BUCKETS = ("day", "week", "month", "year")


def time_bucket(by: str, kind: Dialect, column: str = "time_start") -> str:
    """The SQL expression naming the day, week (by its Monday), month or year of ``column``."""
    if by not in TIME_BUCKETS:
        raise QueryError(f"cannot bucket time by {by!r}; choose one of {', '.join(TIME_BUCKETS)}")
    expression = _WEEK[kind] if by == "week" else _GROUP_SQL[by]
    return expression.replace("time_start", column)


def counts(
    conn: sqlite3.Connection, wanted: EventFilter, by: str, *, top: int | None = None
) -> list[dict[str, Any]]:
    """How many matching events in each group: time buckets in order, the rest most first."""
    if by not in GROUPS:
        raise QueryError(f"cannot count by {by!r}; choose one of {', '.join(GROUPS)}")
    kind = dialect(conn)
    where, params = wanted.where("e", kind)
    if by in ("actor", "target"):
        # From the actors' index alone; a filter narrows it to the matching events' ids.
        where, params = wanted.where(kind=kind)
        narrowed = f" AND event_id IN (SELECT id FROM events{where})" if where else ""
        sql = (
            "SELECT name AS k, count(DISTINCT event_id) AS n FROM event_actors "
            f"WHERE role = ?{narrowed} GROUP BY k ORDER BY n DESC, k"
        )
        params = [by, *params]
    else:
        timely = by in TIME_BUCKETS
        key = time_bucket(by, kind, "e.time_start") if timely else f"e.{_GROUP_SQL[by]}"
        order = "k" if timely else "n DESC, k"
        sql = f"SELECT {key} AS k, count(*) AS n FROM events e{where} GROUP BY k ORDER BY {order}"
    if top:
        sql += f" LIMIT {int(top)}"
    return [{"key": k, "count": n} for k, n in conn.execute(sql, params)]


def facets(conn: sqlite3.Connection, wanted: EventFilter, *, top: int = 20) -> dict[str, Any]:
    """The most common values of each facet among the matching events, and their total."""
    where, params = wanted.where(kind=dialect(conn))
    plain = ["status", "type", "country", "site", "mode"]  # the facet index's order
    # One pass (over an index that holds these columns) for every facet but the actors.
    tally: dict[str, Counter[Any]] = {name: Counter() for name in plain}
    total = 0
    for row in conn.execute(
        f"SELECT {', '.join(plain)}, count(*) FROM events{where} GROUP BY {', '.join(plain)}",
        params,
    ):
        total += row[-1]
        for name, value in zip(plain, row, strict=False):
            tally[name][value] += row[-1]
    found = {
        name: [
            {"key": k, "count": n}
            for k, n in sorted(tally[name].items(), key=lambda kn: (-kn[1], str(kn[0])))[:top]
        ]
        for name in plain
    }
    found["actor"] = counts(conn, wanted, "actor", top=top)
    return {"total": total, "facets": {name: found[name] for name in FACETS}}


# -- sync ----------------------------------------------------------------------------------------
def changes(conn: sqlite3.Connection, since: str | None, *, size: int = 100) -> Page:
    """Events created or updated after ``since`` (a cursor from the last page, or an ISO date
    or time), oldest change first."""
    size = _page_size(size)
    stamp, last_id = _since(since)
    columns = EVENT_COLUMNS + SYNC_COLUMNS
    rows = conn.execute(
        f"SELECT {', '.join(columns)} FROM events WHERE (updated_at, id) > (?, ?) "
        "ORDER BY updated_at, id LIMIT ?",
        (stamp, last_id, size + 1),
    ).fetchall()
    events = [event_out(r, columns) for r in rows[:size]]
    cursor = _encode_cursor(events[-1]["updated_at"], events[-1]["id"]) if events else since
    return Page(events, cursor, size, {"more": len(rows) > size})


def deleted(conn: sqlite3.Connection, since: str | None, *, size: int = 100) -> Page:
    """Events deleted after ``since`` (a cursor or an ISO date or time), with when and why."""
    size = _page_size(size)
    stamp, last_id = _since(since)
    rows = conn.execute(
        "SELECT id, article_id, deleted_at, reason, run_id FROM deleted_events "
        "WHERE (deleted_at, id) > (?, ?) ORDER BY deleted_at, id LIMIT ?",
        (stamp, last_id, size + 1),
    ).fetchall()
    keys = ("id", "article_id", "deleted_at", "reason", "run_id")
    gone = [dict(zip(keys, r, strict=True)) for r in rows[:size]]
    cursor = _encode_cursor(gone[-1]["deleted_at"], gone[-1]["id"]) if gone else since
    return Page(gone, cursor, size, {"more": len(rows) > size})


# -- articles ------------------------------------------------------------------------------------
def articles_page(
    conn: sqlite3.Connection, wanted: ArticleFilter, *, after: str | None = None, size: int = 100
) -> Page:
    """One keyset page of articles (without their text) ordered by id."""
    size = _page_size(size)
    where, params = wanted.where(dialect(conn))
    if after is not None:
        where = (where + " AND" if where else " WHERE") + " id > ?"
        params.append(_decode_cursor(after, 1)[0])
    rows = conn.execute(
        f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles{where} ORDER BY id LIMIT ?",
        [*params, size + 1],
    ).fetchall()
    found = [dict(zip(ARTICLE_COLUMNS, r, strict=True)) for r in rows[:size]]
    more = len(rows) > size
    return Page(found, _encode_cursor(found[-1]["id"]) if more else None, size)


# -- limits --------------------------------------------------------------------------------------
@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Abort any statement on ``conn`` that runs past ``seconds``, as :class:`QueryTimeout`."""
    deadline = time.monotonic() + seconds
    if isinstance(conn, PgConnection):
        conn.set_timeout(seconds)
    else:
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryTimeout(
                f"the query ran past its limit of {seconds:g} s; narrow the filter "
                "(a type, country, date range or smaller area)"
            ) from exc
        raise
    finally:
        if isinstance(conn, PgConnection):
            conn.set_timeout(None)
        else:
            conn.set_progress_handler(None, 0)


def km_between(lat1: float | None, lon1: float | None, lat2: float, lon2: float) -> float | None:
    """Great-circle distance in km (registered in SQLite as ``khabar_km``)."""
    if lat1 is None or lon1 is None:
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the filters use."""
    conn.create_function("khabar_km", 4, km_between, deterministic=True)


# -- helpers -------------------------------------------------------------------------------------
def _search(kind: Dialect) -> str:
    """``WHERE``: the articles (aliased ``a``) whose title or text has all the words."""
    if kind == "postgresql":
        return "WHERE a.search @@ plainto_tsquery('simple', ?)"
    return "JOIN articles_fts f ON f.rowid = a.rowid WHERE articles_fts MATCH ?"


def _contains(kind: Dialect, expr: str) -> str:
    """``expr`` contains the parameter (a plain substring, no pattern characters)."""
    return f"strpos({expr}, ?) > 0" if kind == "postgresql" else f"instr({expr}, ?) > 0"


def _page_size(size: int) -> int:
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError(
            f"page size {size} is outside 1..{MAX_PAGE_SIZE}; "
            "for everything, stream it (format=ndjson) or use `khabar export`"
        )
    return size


def _encode_cursor(*values: str) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, parts: int) -> list[str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise QueryError(f"cursor {cursor!r} is not one this server gave out") from exc
    if (
        not isinstance(values, list)
        or len(values) != parts
        or not all(isinstance(v, str) for v in values)
    ):
        raise QueryError(f"cursor {cursor!r} is not one this server gave out")
    return values


def _since(since: str | None) -> tuple[str, str]:
    """``(timestamp, id)`` to resume after: from a cursor, or from a date or date-time."""
    if not since:
        return ("", "")
    try:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
    except ValueError:
        stamp, last_id = _decode_cursor(since, 2)
        return stamp, last_id
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="microseconds"), ""


def _floats(name: str, text: str, count: int, shape: str) -> list[float]:
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        values = []
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise QueryError(f"{name} {text!r} is not {count} numbers ({shape})")
    return values


def _check_range(name: str, value: float, limit: float) -> None:
    if not -limit <= value <= limit:
        raise QueryError(f"{name} {value} is outside [-{limit:g}, {limit:g}]")


# -- fused events --------------------------------------------------------------------------------
FUSED_COLUMNS = (
    "id", "type", "status", "time_start", "time_end", "place_name", "country", "lat", "lon",
    "geo_precision", "killed_low", "killed_best", "killed_high", "injured_low", "injured_best",
    "injured_high", "casualty_conflict", "reports", "articles", "sites", "updated_at",
)  # fmt: skip


def fused_detail(conn: sqlite3.Connection, fused_id: str) -> dict[str, Any] | None:
    """A fused event's record (every field with the reports it came from) and its reports."""
    row = conn.execute("SELECT record FROM fused_events WHERE id = ?", (fused_id,)).fetchone()
    if row is None:
        return None
    record: dict[str, Any] = json.loads(row[0])
    members = [
        event_out(r, EVENT_COLUMNS + SYNC_COLUMNS)
        for r in conn.execute(
            f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS + SYNC_COLUMNS)} "
            "FROM fused_members m JOIN events e ON e.id = m.event_id WHERE m.fused_id = ? "
            "ORDER BY e.time_start, e.id",
            (fused_id,),
        ).fetchall()
    ]
    return {**record, "events": members}


def fused_id_of(conn: sqlite3.Connection, event_id: str) -> str | None:
    """The fused event a report is in (None when it is not fused yet)."""
    row = conn.execute(
        "SELECT fused_id FROM fused_members WHERE event_id = ?", (event_id,)
    ).fetchone()
    return None if row is None else str(row[0])


#: What a list or count is made of: the reports (one per article that reports an event) or
#: the fused events (one per real-world event, whatever the number of reports).
Level = Literal["report", "fused"]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
#: What lists, counts, maps and exports show unless asked otherwise: real-world events, each
#: counted once however many articles reported it.
DEFAULT_LEVEL: Level = "fused"
#: The groups a fused event has a column of its own for.
FUSED_GROUPS = ("day", "week", "month", "year", "type", "status", "country")


def fused_where(wanted: EventFilter, kind: Dialect) -> tuple[str, list[Any]]:
    """``WHERE``: the fused events with at least one report that the filter matches."""
    where, params = wanted.where("e", kind)
    if not where:
        return "", []
    return (
        " WHERE id IN (SELECT m.fused_id FROM fused_members m JOIN events e "
        f"ON e.id = m.event_id{where})",
        params,
    )


#: From this many matching reports on, a filter is broad: walking the fused events in id order,
#: each checked for a matching report, fills a page long before collecting every match would.
BROAD_FILTER = 2000


def _page_where(conn: sqlite3.Connection, wanted: EventFilter) -> tuple[str, list[Any]]:
    """:func:`fused_where` for one page, planned by how many reports the filter matches: a
    narrow filter collects the fused events of its few reports; a broad one checks fused events
    in page order (an index lookup each) and stops when the page is full."""
    kind = dialect(conn)
    where, params = wanted.where("e", kind)
    if not where:
        return "", []
    matched = conn.execute(
        # In id order, as a page of reports is read: SQLite stops at the limit either way.
        f"SELECT count(*) FROM (SELECT 1 FROM events e{where} ORDER BY e.id LIMIT {BROAD_FILTER})"
        " AS s",
        params,
    ).fetchone()[0]
    if matched < BROAD_FILTER:
        return fused_where(wanted, kind)
    condition = where.removeprefix(" WHERE ")
    return (
        " WHERE EXISTS (SELECT 1 FROM fused_members m JOIN events e ON e.id = m.event_id "
        f"WHERE m.fused_id = fused_events.id AND {condition})",
        params,
    )


def fused_events_page(
    conn: sqlite3.Connection,
    wanted: EventFilter,
    *,
    after: str | None = None,
    size: int = 100,
    min_reports: int = 1,
    plan: tuple[str, list[Any]] | None = None,
) -> Page:
    """One keyset page (by id) of the fused events that have a report matching ``wanted`` and
    at least ``min_reports`` reports. ``plan``: :func:`_page_where`'s answer, when a stream of
    pages has it already."""
    size = _page_size(size)
    where, params = plan or _page_where(conn, wanted)
    params = list(params)
    if min_reports > 1:
        where = (where + " AND" if where else " WHERE") + " reports >= ?"
        params.append(min_reports)
    if after is not None:
        where = (where + " AND" if where else " WHERE") + " id > ?"
        params.append(_decode_cursor(after, 1)[0])
    rows = conn.execute(
        f"SELECT {', '.join(FUSED_COLUMNS)} FROM fused_events{where} ORDER BY id LIMIT ?",
        [*params, size + 1],
    ).fetchall()
    found = [dict(zip(FUSED_COLUMNS, tuple(r), strict=True)) for r in rows[:size]]
    for item in found:
        item["casualty_conflict"] = bool(item["casualty_conflict"])
    more = len(rows) > size
    return Page(found, _encode_cursor(found[-1]["id"]) if more else None, size)


def iter_fused_pages(
    conn: sqlite3.Connection, wanted: EventFilter, *, size: int = MAX_PAGE_SIZE
) -> Iterator[dict[str, Any]]:
    """Every matching fused event, a keyset page at a time (the pages planned once)."""
    plan = _page_where(conn, wanted)
    return _every(lambda after: fused_events_page(conn, wanted, after=after, size=size, plan=plan))


def fused_counts(
    conn: sqlite3.Connection, wanted: EventFilter, by: str, *, top: int | None = None
) -> list[dict[str, Any]]:
    """How many matching fused events in each group (time buckets in order, the rest most
    first): real-world events counted once, however many articles reported them.

    Time, type, status and country are the fused event's own; a site, mode, ACLED type or actor
    counts the fused events that a matching report from that site (mode, ...) belongs to, so a
    fused event reported by two sites counts once for each, and once in all.
    """
    if by not in GROUPS:
        raise QueryError(f"cannot count by {by!r}; choose one of {', '.join(GROUPS)}")
    kind = dialect(conn)
    timely = by in TIME_BUCKETS
    order = "k" if timely else "n DESC, k"
    if by in FUSED_GROUPS:
        where, params = fused_where(wanted, kind)
        key = time_bucket(by, kind) if timely else by
        sql = (
            f"SELECT {key} AS k, count(*) AS n FROM fused_events{where} GROUP BY k ORDER BY {order}"
        )
    elif by in ("actor", "target"):
        where, params = wanted.where(kind=kind)
        narrowed = f" AND a.event_id IN (SELECT id FROM events{where})" if where else ""
        sql = (
            "SELECT a.name AS k, count(DISTINCT m.fused_id) AS n FROM event_actors a "
            f"JOIN fused_members m ON m.event_id = a.event_id WHERE a.role = ?{narrowed} "
            f"GROUP BY k ORDER BY {order}"
        )
        params = [by, *params]
    else:
        where, params = wanted.where("e", kind)
        sql = (
            f"SELECT e.{_GROUP_SQL[by]} AS k, count(DISTINCT m.fused_id) AS n FROM events e "
            f"JOIN fused_members m ON m.event_id = e.id{where} GROUP BY k ORDER BY {order}"
        )
    if top:
        sql += f" LIMIT {int(top)}"
    return [{"key": k, "count": n} for k, n in conn.execute(sql, params)]


def fused_facets(conn: sqlite3.Connection, wanted: EventFilter, *, top: int = 20) -> dict[str, Any]:
    """:func:`facets` counted in fused events: how many real-world events have each value."""
    where, params = fused_where(wanted, dialect(conn))
    total = conn.execute(f"SELECT count(*) FROM fused_events{where}", params).fetchone()[0]
    return {
        "total": total,
        "facets": {name: fused_counts(conn, wanted, name, top=top) for name in FACETS},
    }
