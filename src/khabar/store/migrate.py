"""Versioned schema migrations: numbered SQL files applied in order, each in one transaction.

SQLite and PostgreSQL have a folder each (``migrations/`` and ``migrations/postgresql/``) with
the same version numbers meaning the same schema; PostgreSQL's starts at the version where
khabar first supported it, with the whole schema in one file.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from khabar.core.errors import StoreError
from khabar.store.database import PgConnection, dialect

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")
_PACKAGE = {"sqlite": "khabar.store.migrations", "postgresql": "khabar.store.migrations.postgresql"}


def available(kind: str = "sqlite") -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` of every packaged migration for this database, in order."""
    found = []
    for entry in resources.files(_PACKAGE[kind]).iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found)


def current_version(conn: Any) -> int:
    if dialect(conn) == "postgresql":
        exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
    else:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: Any, where: str) -> int:
    """Bring the schema up to date; return the version it is at."""
    kind = dialect(conn)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    version = current_version(conn)
    migrations = available(kind)
    newest = migrations[-1][0] if migrations else 0
    if version > newest:
        raise StoreError(
            f"{where} has schema version {version}, newer than this khabar knows ({newest}); "
            "upgrade khabar to open it"
        )
    for number, name, sql in migrations:
        if number <= version:
            continue
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        script = (
            f"BEGIN;\n{sql}\n;INSERT INTO schema_migrations VALUES "
            f"({number}, '{name}', '{stamp}');\nCOMMIT;"
        )
        if isinstance(conn, PgConnection):
            _apply_postgres(conn, script, number, name, where)
        else:
            try:
                conn.executescript(script)
            except sqlite3.Error as exc:
                conn.rollback()
                raise StoreError(f"migration {number:04d}_{name} failed on {where}: {exc}") from exc
        version = number
    return version


def _apply_postgres(conn: PgConnection, script: str, number: int, name: str, where: str) -> None:
    import psycopg  # noqa: PLC0415 - only PostgreSQL users have it

    try:
        conn.script(script)
    except psycopg.Error as exc:
        conn.raw.execute("ROLLBACK")
        raise StoreError(f"migration {number:04d}_{name} failed on {where}: {exc}") from exc
