"""The store suite runs on SQLite and on PostgreSQL (a real server, a database per test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a store lives: a SQLite file, or a PostgreSQL database URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "k.db")
        return
    with postgres_database() as url:
        yield url
