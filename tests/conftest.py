from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a store lives: a SQLite file, or a PostgreSQL database URL (a new database on a
    real server, dropped afterwards; skipped with the reason when there is none)."""
    if request.param == "sqlite":
        yield str(tmp_path / "k.db")
        return
    with postgres_database() as url:
        yield url
