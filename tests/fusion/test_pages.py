"""A page of fused events is the same whichever plan reads it: a narrow filter collects the
fused events of its few reports, a broad one walks the fused events in page order."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.core.config import Config
from khabar.fusion.update import fuse_stored
from khabar.store import Store
from khabar.store import query as q
from khabar.store.synthetic import synthetic_articles

FILTERS = [
    q.EventFilter(types=("ASSAULT",)),
    q.EventFilter(countries=("PAK",)),
    q.EventFilter(start=date(2023, 6, 1), end=date(2023, 9, 30)),
    q.EventFilter(bbox=q.BBox.parse("60,25,80,40")),
    q.EventFilter(types=("PROTEST",), min_confidence=0.5),
]


def pages(store: Store, wanted: q.EventFilter) -> list[str]:
    ids: list[str] = []
    after = None
    while True:
        page = q.fused_events_page(store.conn, wanted, after=after, size=7)
        ids += [row["id"] for row in page.rows]
        if page.next is None:
            return ids
        after = page.next


def test_the_broad_and_the_narrow_plan_give_the_same_pages(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(database) as store:
        run = store.begin_run(["synthetic"], {})
        for article in synthetic_articles(30, events_per_article=5):
            store.add_article(article, run)
        fuse_stored(store, Config.load(env={}))
        narrow = {i: pages(store, wanted) for i, wanted in enumerate(FILTERS)}
        monkeypatch.setattr(q, "BROAD_FILTER", 1)  # every filter is broad now
        broad = {i: pages(store, wanted) for i, wanted in enumerate(FILTERS)}
        every = {
            i: sorted(
                {q.fused_id_of(store.conn, e["id"]) for e in q.query_events(store.conn, wanted)}
            )
            for i, wanted in enumerate(FILTERS)
        }
    assert all(narrow[i] for i in narrow)
    assert broad == narrow == every  # and both are the fused events of the matching reports
