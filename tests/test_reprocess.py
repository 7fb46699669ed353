from __future__ import annotations

from pathlib import Path

import pytest

from helpers import article_with_events, write
from khabar.core.config import Config
from khabar.core.errors import PipelineError
from khabar.reprocess import reprocess
from khabar.runner import run
from khabar.store import Store
from khabar.store.query import changes, deleted

NEWS = (
    "PESHAWAR: A suicide bomber killed 14 people at a police checkpoint in Peshawar on "
    "Monday, police said. Hours later, hundreds of traders protested in Karachi against new "
    "taxes, blocking the main road for most of the afternoon. The interior minister condemned "
    "the bombing and said the government would hold talks with opposition parties next week "
    "on a joint security plan. Police arrested three suspects in Mardan late on Monday."
)


def config(**events: object) -> Config:
    return Config.load(env={}, values={"stages": {"events": events}} if events else None)


@pytest.fixture
def db(tmp_path: Path, database: str) -> str:
    """The news above, stored on each database khabar supports."""
    summary = run([str(write(tmp_path / "in" / "news.txt", NEWS))], config(), db=database)
    assert summary.stored == 1
    return database


def event_ids(db: str) -> set[str]:
    with Store.open(db) as store:
        return {row[0] for row in store.conn.execute("SELECT id FROM events")}


def test_events_found_again_keep_their_ids_and_lost_ones_are_recorded(db: str) -> None:
    before = event_ids(db)
    assert len(before) >= 2

    same = reprocess(config(), db=db, stage="events")
    assert same.events["kept"] == len(before) and not same.events["deleted"]

    strict = reprocess(config(min_confidence=0.99), db=db, stage="events")
    after = event_ids(db)
    assert strict.events["deleted"] == len(before - after) > 0
    with Store.open(db) as store:
        gone = deleted(store.conn, None, size=100).rows
    assert {g["id"] for g in gone} == before - after
    assert all("re-processing from stage 'events'" in g["reason"] for g in gone)
    assert {g["run_id"] for g in gone} == {strict.run_id}

    back = reprocess(config(), db=db)  # from the raw input, every stage
    assert event_ids(db) == before
    assert back.events["created"] == len(before - after)


def test_a_changed_event_is_updated_and_shows_in_changes(tmp_path: Path) -> None:
    with Store.open(tmp_path / "k.db") as store:
        run_id = store.begin_run(["x"], {})
        article = article_with_events()
        store.add_article(article, run_id)
        store.commit()
        first = changes(store.conn, None).next
        bomb, meeting = article.events
        bomb.confidence = 0.5
        article.events = [bomb]
        done = store.replace_analysis(article, run_id, "test")
        store.commit()
        assert dict(done) == {"updated": 1, "deleted": 1}
        changed = changes(store.conn, first).rows
        assert [(e["id"], e["confidence"]) for e in changed] == [("e1", 0.5)]
        assert [g["id"] for g in deleted(store.conn, None).rows] == [meeting.id]


def test_a_stage_that_shares_fields_with_earlier_ones_is_refused(db: str) -> None:
    with pytest.raises(PipelineError, match="re-process from the first"):
        reprocess(config(), db=db, stage="published")
    with pytest.raises(PipelineError, match="no stage 'colour'"):
        reprocess(config(), db=db, stage="colour")
