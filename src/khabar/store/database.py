"""One connection interface over SQLite (the embedded default) and PostgreSQL (for servers).

The store and the query layer write SQL once, with ``?`` placeholders and the SQL the two
share (``ON CONFLICT``, ``RETURNING``, row values, ``substr``, ``coalesce``); the few places
that differ (full-text search, week buckets, JSON arrays, statement time limits) ask
:func:`dialect`. A PostgreSQL connection is wrapped so that it behaves like ``sqlite3``'s: the
same ``execute``/``executemany``, rows that answer ``row[0]`` and ``row["name"]``, and explicit
``BEGIN``/``COMMIT`` (autocommit otherwise).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal, cast
from urllib.parse import urlsplit, urlunsplit

from khabar.core.errors import StoreError

Dialect = Literal["sqlite", "postgresql"]
# A ``sqlite3.Connection`` or a ``PgConnection``: the calls the store makes are the same.
Connection = Any
_POSTGRES = ("postgresql://", "postgres://")


def is_postgres(where: str) -> bool:
    return where.startswith(_POSTGRES)


def redacted(where: str) -> str:
    """A database location fit for messages and logs: a URL without its password."""
    if not is_postgres(where):
        return where
    parts = urlsplit(where)
    if parts.password is None:
        return where
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


def dialect(conn: Any) -> Dialect:
    return "postgresql" if isinstance(conn, PgConnection) else "sqlite"


class Row(tuple[Any, ...]):
    """A row that answers by position and by column name, like ``sqlite3.Row``."""

    _names: tuple[str, ...]

    def __new__(cls, names: tuple[str, ...], values: Sequence[Any]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._names.index(key))
            except ValueError:
                raise IndexError(f"no column {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


_PLACEHOLDER = re.compile(r"'[^']*'|\?|%")


def _to_pyformat(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s``; a literal ``%`` doubled; quoted text untouched."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%")

    return _PLACEHOLDER.sub(swap, sql)


class PgCursor:
    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def _row(self, values: Sequence[Any] | None) -> Row | None:
        if values is None:
            return None
        names = tuple(d.name for d in self._cursor.description or ())
        return Row(names, values)

    def fetchone(self) -> Row | None:
        if self._cursor.description is None:
            return None
        return self._row(self._cursor.fetchone())

    def fetchall(self) -> list[Row]:
        if self._cursor.description is None:
            return []
        return [cast(Row, self._row(r)) for r in self._cursor.fetchall()]

    def fetchmany(self, size: int) -> list[Row]:
        if self._cursor.description is None:
            return []
        return [cast(Row, self._row(r)) for r in self._cursor.fetchmany(size)]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def description(self) -> tuple[tuple[str], ...] | None:
        """The columns' names (first of each item), as a DB-API cursor describes them."""
        found = self._cursor.description
        return None if found is None else tuple((d.name,) for d in found)


class PgConnection:
    """A psycopg connection that takes the store's SQLite-flavoured calls."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        import psycopg  # noqa: PLC0415 - only PostgreSQL users need it

        try:
            if params:
                cursor = self.raw.execute(_to_pyformat(sql), params)
            else:
                cursor = self.raw.execute(_to_pyformat(sql))
        except psycopg.errors.QueryCanceled as exc:
            raise sqlite3.OperationalError("interrupted: statement timeout") from exc
        except psycopg.OperationalError as exc:
            raise StoreError(
                f"lost the connection to PostgreSQL: {str(exc).strip()}; what was committed "
                "is kept: run again when the server is back, and the run resumes"
            ) from exc
        return PgCursor(cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(_to_pyformat(sql), list(rows))

    def script(self, sql: str) -> None:
        """Several statements at once (a migration): no parameters, no placeholders."""
        self.raw.execute(sql)

    def close(self) -> None:
        self.raw.close()

    def set_timeout(self, seconds: float | None) -> None:
        millis = 0 if seconds is None else max(1, int(seconds * 1000))
        self.raw.execute(f"SET statement_timeout = {millis}")


def connect_postgres(url: str, *, readonly: bool = False) -> PgConnection:
    try:
        import psycopg  # noqa: PLC0415
    except ImportError as exc:
        raise StoreError(
            "a PostgreSQL database needs psycopg: pip install 'khabar[postgres]'"
        ) from exc
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(
            f"cannot connect to {redacted(url)}: {str(exc).strip()}; is the server running and "
            "does the database exist?"
        ) from exc
    if readonly:
        conn.execute("SET default_transaction_read_only = on")
    return PgConnection(conn)
