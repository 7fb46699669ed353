"""Versioned schema migrations: numbered SQL files applied in order, each in one transaction."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from importlib import resources

from khabar.core.errors import StoreError

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")


def available() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` of every packaged migration, in order."""
    found = []
    for entry in resources.files("khabar.store.migrations").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found)


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the schema up to date; return the version it is at."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    version = current_version(conn)
    migrations = available()
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
        try:
            conn.executescript(
                f"BEGIN;\n{sql}\n;INSERT INTO schema_migrations VALUES "
                f"({number}, '{name}', '{stamp}');\nCOMMIT;"
            )
        except sqlite3.Error as exc:
            conn.rollback()
            raise StoreError(f"migration {number:04d}_{name} failed on {where}: {exc}") from exc
        version = number
    return version
