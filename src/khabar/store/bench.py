"""How fast the store writes, beside the fastest plain SQLite can take the same rows.

The store writes row by row inside batched transactions (so a killed run loses at most a
batch). The yardstick is a single-transaction ``executemany`` of exactly the rows the store
wrote, grouped by statement, into a fresh file with the same schema: the same work with no
per-row Python in between. ``khabar bench`` prints both and their ratio.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.store.sqlite import Store
from khabar.store.synthetic import synthetic_articles


@dataclass(frozen=True)
class WriteSpeed:
    articles: int
    rows: int
    store_s: float
    executemany_s: float

    @property
    def ratio(self) -> float:
        """The store's speed as a fraction of executemany's (1.0: as fast)."""
        return self.executemany_s / self.store_s if self.store_s else 0.0


class _RecordingStore(Store):
    """A store that also keeps every statement it writes, with its parameters."""

    written: list[tuple[str, Any]] = []  # noqa: RUF012 - replaced per instance before use

    def _write(self, sql: str, params: Any = ()) -> Any:
        self.written.append((sql, params))
        return super()._write(sql, params)

    def _write_many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        self.written += [(sql, row) for row in rows]
        super()._write_many(sql, rows)


def write_speed(articles: int = 2000, *, events_per_article: int = 10) -> WriteSpeed:
    batch = list(synthetic_articles(articles, events_per_article=events_per_article, seed=11))
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as folder:
        store = _RecordingStore.open(Path(folder) / "store.db")
        assert isinstance(store, _RecordingStore)
        store.written = []
        run = store.begin_run(["bench"], {})
        store.written = []
        started = time.perf_counter()
        for n, article in enumerate(batch, 1):
            store.add_article(article, run)
            if n % 100 == 0:  # the runner's default batch
                store.commit()
        store.commit()
        store_s = time.perf_counter() - started
        written = store.written
        store.close()

        plain = Store.open(Path(folder) / "plain.db")
        plain.begin_run(["bench"], {})
        grouped: dict[str, list[Any]] = defaultdict(list)
        for sql, params in written:
            grouped[sql].append(params)
        started = time.perf_counter()
        plain.conn.execute("BEGIN")
        # Parents before children, as the store wrote them (foreign keys are on).
        for sql in sorted(grouped, key=lambda s: _ORDER.get(_table(s), 99)):
            plain.conn.executemany(sql, grouped[sql])
        plain.conn.execute("COMMIT")
        executemany_s = time.perf_counter() - started
        plain.close()
    return WriteSpeed(articles, len(written), store_s, executemany_s)


_ORDER = {"raw_inputs": 0, "articles": 1, "claims": 2, "evidence": 3, "events": 4}


def _table(sql: str) -> str:
    words = sql.replace("(", " ").split()
    return words[words.index("INTO") + 1] if "INTO" in words else ""
