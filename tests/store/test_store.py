import sqlite3
from datetime import date
from pathlib import Path

import pytest

from helpers import ARTICLE_HTML, article_with_events
from khabar import Article, InputRef, Skip, SkippedInput, Store, StoreError, load_pipeline
from khabar.store.migrate import available


@pytest.fixture
def store(database: str):  # type: ignore[no-untyped-def]
    """A new store on each database khabar supports (see conftest.py)."""
    with Store.open(database) as s:
        yield s


def processed(html: str = ARTICLE_HTML, id: str | None = None) -> Article:
    pipeline = load_pipeline()
    article = pipeline(
        Article.from_text(html, media_type="text/html", url="https://g.example/a", id=id)
    )
    from khabar import MemoryLookup

    return pipeline.apply_steps(article, MemoryLookup())


def test_a_new_database_is_at_the_newest_schema(tmp_path: Path) -> None:
    Store.open(tmp_path / "k.db").close()
    conn = sqlite3.connect(tmp_path / "k.db")
    versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [number for number, _, _ in available()]
    Store.open(tmp_path / "k.db").close()  # opening again applies nothing twice


def test_a_database_from_a_newer_khabar_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path / "k.db").close()
    conn = sqlite3.connect(tmp_path / "k.db")
    conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', 'x')")
    conn.commit()
    with pytest.raises(StoreError, match="newer than this khabar knows"):
        Store.open(tmp_path / "k.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(path)


def test_reading_a_missing_database_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist; run `khabar run"):
        Store.open(tmp_path / "none.db", readonly=True)


def test_an_article_comes_back_as_it_went_in(store: Store) -> None:
    article = processed()
    run = store.begin_run(["x"], {})
    store.add_article(article, run)
    store.commit()
    again = store.get_article(article.id)
    assert again is not None
    assert again.to_record() == article.to_record()
    assert store.raw_text(again) == ARTICLE_HTML
    assert store.count("claims") == len(article.claims)
    assert store.count("evidence") == sum(len(c.evidence) for c in article.claims)


def test_lookups_find_stored_articles_by_fingerprint_url_and_input(store: Store) -> None:
    article = processed(id="wire-1")
    run = store.begin_run(["x"], {})
    store.add_article(article, run)
    assert article.content_hash is not None and article.canonical_url is not None
    assert store.id_by_content_hash(article.content_hash) == "wire-1"
    assert store.id_by_canonical_url(article.canonical_url) == "wire-1"
    assert store.known_input(article.raw_sha256, article.source.uri, None) == "wire-1"
    assert store.known_input(article.raw_sha256, "elsewhere", None) is None
    assert store.article_for_raw(article.raw_sha256) == "wire-1"
    assert store.resolve_id("wire-1") == "wire-1"
    assert store.resolve_id("wire") == "wire-1"  # a unique prefix
    assert store.resolve_id("nothing") is None


def test_a_rollback_leaves_nothing_half_written(store: Store) -> None:
    run = store.begin_run(["x"], {})
    store.add_article(processed(), run)
    store.rollback()
    assert store.count("articles") == store.count("claims") == store.count("raw_inputs") == 0


def test_a_skip_seen_again_is_counted_not_repeated(store: Store) -> None:
    item = SkippedInput(
        source=InputRef(name="s", uri="/x/a.txt"), skip=Skip(stage="source:s", reason="empty")
    )
    first = store.begin_run(["x"], {})
    store.add_skip(item, first)
    second = store.begin_run(["x"], {})
    store.add_skip(item, second)
    store.commit()
    (row,) = store.list_skips()
    assert (row.reason, row.severity, row.times_seen, row.last_run_id) == (
        "empty",
        "skip",
        2,
        second,
    )
    assert store.list_skips(run_id=first) == []


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(store: Store) -> None:
    run = store.begin_run(["x"], {})
    store.conn.execute("UPDATE runs SET pid = 2147483646 WHERE id = ?", (run,))
    store.begin_run(["y"], {})
    statuses = {r["id"]: r["status"] for r in store.runs()}
    assert statuses[run] == "interrupted"


def test_events_are_stored_and_queried_by_every_filter(store: Store) -> None:
    from khabar.store.events import EventFilter

    store.add_article(article_with_events(), store.begin_run(["x"], {}))
    store.commit()

    def ids(**wanted: object) -> list[str]:
        return [e["id"] for e in store.events(EventFilter(**wanted))]  # type: ignore[arg-type]

    assert ids() == ["e1", "e2"]
    assert ids(types=("assault",)) == ["e1"]
    assert ids(statuses=("planned",)) == ["e2"]
    assert ids(countries=("PAK",)) == ["e1"]
    assert ids(actor="qatar") == ["e2"]
    assert ids(actor="CVL") == ["e1"]
    assert ids(start=date(2024, 5, 1), end=date(2024, 5, 31)) == ["e1"]
    assert ids(start=date(2024, 6, 1)) == []
    assert ids(min_confidence=0.85) == ["e1"]
    (bomb,) = store.events(EventFilter(types=("ASSAULT",)))
    assert (bomb["killed_low"], bomb["place_name"], bomb["sentence"]) == (
        12,
        "Peshawar",
        "A bomb killed 12 people in Peshawar on Monday.",
    )
    record = store.event_record("e2")
    assert (
        record is not None and record["article_id"] == "ev1" and record["planned_type"] == "CONSULT"
    )


def test_a_database_locked_by_another_process_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    Store.open(path).close()
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with (
            pytest.raises(StoreError, match="locked by another process"),
            Store.open(path, timeout_s=0.1) as store,
        ):
            store.begin_run(["x"], {})
    finally:
        other.rollback()
        other.close()
    with Store.open(path, timeout_s=0.1) as store:  # free again: it opens
        assert store.count("articles") == 0


def test_a_postgres_server_that_goes_away_is_a_clear_error_and_nothing_is_half_written() -> None:
    from helpers import postgres_database

    psycopg = pytest.importorskip("psycopg")
    with postgres_database() as url:
        store = Store.open(url)
        run = store.begin_run(["x"], {})
        store.add_article(article_with_events(), run)
        store.commit()
        store.add_article(Article.from_text("A second article.", id="second"), run)
        backend = store.conn.raw.info.backend_pid
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        with pytest.raises(StoreError, match="lost the connection"):
            store.commit()
        store.conn.close()
        with Store.open(url) as again:  # the next run picks up cleanly
            assert [a.id for a in again.iter_articles()] == ["ev1"]
            assert again.count("events") == 2


def test_a_full_disk_is_a_clear_error_and_the_open_batch_is_rolled_back(tmp_path: Path) -> None:
    from helpers import story

    path = tmp_path / "full.db"
    with Store.open(path) as store:
        run = store.begin_run(["x"], {})
        store.add_article(article_with_events(), run)
        store.commit()
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # a disk with 8 KB left
        with pytest.raises(StoreError, match="is full"):
            for n in range(50):
                store.add_article(Article.from_text(story(n, sentences=40), id=f"a{n}"), run)
            store.commit()
        store.rollback()
    with Store.open(path) as store:  # the next run sees only what was committed
        assert [a.id for a in store.iter_articles()] == ["ev1"]
        assert (
            store.count("claims")
            == store.conn.execute(
                "SELECT count(*) FROM claims WHERE article_id = 'ev1'"
            ).fetchone()[0]
        )


def test_queued_rows_are_seen_by_reads_and_dropped_by_a_rollback(store: Store) -> None:
    run = store.begin_run(["x"], {})
    store.add_article(article_with_events(), run)
    assert store.count("events") == 2  # read before the commit: the queue is written first
    assert store.event_record("e1") is not None
    store.rollback()
    assert (store.count("events"), store.count("claims"), store.count("articles")) == (0, 0, 0)
    store.add_article(article_with_events(), run)
    store.commit()
    assert (store.count("events"), store.count("articles")) == (2, 1)


def test_a_read_only_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with Store.open(path) as store:
        store.conn.execute("PRAGMA query_only = ON")  # as a file the process may not write
        with pytest.raises(StoreError, match=r"cannot be written.*permissions"):
            store.begin_run(["x"], {})
        store.rollback()
