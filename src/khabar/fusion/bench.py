"""How fast fusion is, and how much memory it takes, as the number of events grows.

The events are the store's synthetic ones (twelve places, seven kinds of event) spread over a
time span that grows with their number, so the density of events per place and week, which is
what blocking sees, stays that of 100,000 events over two years. Each size is fused in a fresh
process, so its peak memory is its own.
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

#: Events per day in the synthetic corpus: 100,000 over two years.
DENSITY = 100_000 / 730


@dataclass(frozen=True)
class FusionSpeed:
    events: int
    fused: int
    comparisons: int
    seconds: float
    peak_rss_mb: float

    @property
    def us_per_event(self) -> float:
        return 1e6 * self.seconds / self.events if self.events else 0.0


def _measure(events: int) -> FusionSpeed:
    from khabar.fusion.engine import fuse  # noqa: PLC0415 - in the measuring process
    from khabar.fusion.reports import reports_of  # noqa: PLC0415
    from khabar.store.synthetic import synthetic_articles  # noqa: PLC0415

    days = max(7, round(events / DENSITY))
    articles = synthetic_articles(events // 10, events_per_article=10, seed=3, days=days)
    reports = [r for article in articles for r in reports_of(article)]
    started = time.perf_counter()
    fused = fuse(reports)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return FusionSpeed(len(reports), len(fused.clusters()), fused.comparisons, seconds, peak)


def fusion_speed(sizes: tuple[int, ...] = (10_000, 100_000)) -> list[FusionSpeed]:
    """Fuse ``sizes`` synthetic events, each size in its own process."""
    found = []
    for size in sizes:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            found.append(pool.submit(_measure, size).result())
    return found
