from __future__ import annotations

from khabar.store.bench import write_speed


def test_the_write_benchmark_replays_exactly_what_the_store_wrote() -> None:
    speed = write_speed(20, events_per_article=3)
    # each article: its raw input, its row, its input link, 3 events with an actor and a
    # target each (3 + 6 rows), and the claims and evidence of its metadata
    assert speed.rows >= 20 * (1 + 1 + 1 + 3 + 6)
    assert speed.store_s > 0 and speed.executemany_s > 0 and speed.ratio > 0
