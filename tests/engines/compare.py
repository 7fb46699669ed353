"""The whole content of a database, to compare the engines: every row of every table that holds
articles, inputs, skips, events and fused events, without run bookkeeping or timestamps."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

TABLES = (
    "articles",
    "article_inputs",
    "claims",
    "evidence",
    "raw_inputs",
    "skips",
    "minhashes",
    "minhash_bands",
    "events",
    "event_records",
    "event_actors",
    "fused_events",
    "fused_members",
)
VOLATILE = {"created_at", "updated_at", "run_id", "first_run_id", "last_run_id"}


def contents(db: Path) -> dict[str, list[dict[str, Any]]]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        tables = {}
        for table in TABLES:
            rows = [
                {k: v for k, v in dict(row).items() if k not in VOLATILE}
                for row in conn.execute(f"SELECT * FROM {table}")
            ]
            tables[table] = sorted(rows, key=lambda r: json.dumps(r, default=repr))
    return tables
