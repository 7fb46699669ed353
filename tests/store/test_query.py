from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest

from helpers import postgres_database
from khabar.store import Store
from khabar.store.query import (
    ArticleFilter,
    BBox,
    EventFilter,
    QueryError,
    QueryTimeout,
    Radius,
    articles_page,
    changes,
    counts,
    deleted,
    event_detail,
    events_page,
    facets,
    iter_events_pages,
    km_between,
    time_limit,
)
from khabar.store.synthetic import synthetic_articles


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """60 synthetic articles of 5 events, on each database khabar supports."""
    with ExitStack() as stack:
        where = ":memory:"
        if request.param == "postgresql":
            where = stack.enter_context(postgres_database())
        store = stack.enter_context(Store.open(where))
        run = store.begin_run(["synthetic"], {})
        for article in synthetic_articles(60, events_per_article=5):
            store.add_article(article, run)
        store.commit()
        yield store


def everything(store: Store) -> list[dict[str, object]]:
    return list(store.events(EventFilter()))


def test_keyset_pages_cover_every_event_once_in_id_order(store: Store) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = events_page(store.conn, EventFilter(), after=after, size=7)
        seen += [e["id"] for e in page.rows]
        assert len(page.rows) <= 7
        if page.next is None:
            break
        after = page.next
    assert seen == sorted(e["id"] for e in everything(store))  # type: ignore[type-var]
    assert len(seen) == 300
    streamed = [e["id"] for e in iter_events_pages(store.conn, EventFilter(), size=13)]
    assert streamed == seen


def test_filters_agree_with_the_rows_they_select(store: Store) -> None:
    rows = everything(store)
    pak = [e for e in rows if e["country"] == "PAK"]
    assert pak and {e["id"] for e in store.events(EventFilter(countries=("pak",)))} == {
        e["id"] for e in pak
    }
    box = BBox(west=60, south=25, east=80, north=40)  # Pakistan, Afghanistan, north India
    inside = {
        e["id"]
        for e in rows
        if 25 <= e["lat"] <= 40 and 60 <= e["lon"] <= 80  # type: ignore[operator]
    }
    assert inside and {e["id"] for e in store.events(EventFilter(bbox=box))} == inside
    near = Radius(lat=33.69, lon=73.06, km=150)
    close = {
        e["id"]
        for e in rows
        if (km_between(e["lat"], e["lon"], 33.69, 73.06) or 1e9) <= 150  # type: ignore[arg-type]
    }
    assert close and {e["id"] for e in store.events(EventFilter(near=near))} == close
    spring = {
        e["id"]
        for e in rows
        if "2023-03-01" <= e["time_start"] <= "2023-05-31"  # type: ignore[operator]
    }
    got = store.events(EventFilter(start=date(2023, 3, 1), end=date(2023, 5, 31)))
    assert spring and {e["id"] for e in got} == spring


def test_a_box_across_the_antimeridian_wraps() -> None:
    where, params = EventFilter(bbox=BBox(west=170, south=-50, east=-170, north=-10)).where()
    assert "lon >= ? OR lon <= ?" in where and params[-2:] == [170, -170]


def test_full_text_search_finds_the_articles_with_all_the_words(store: Store) -> None:
    hits = {e["article_id"] for e in store.events(EventFilter(text="Kyiv clashed"))}
    texts = {
        a.id: a.text for a in store.iter_articles() if "Kyiv" in a.text and "clashed" in a.text
    }
    assert hits == set(texts)
    page = articles_page(store.conn, ArticleFilter(text='Kyiv "clashed'), size=1000)
    assert {a["id"] for a in page.rows} == set(texts)  # FTS syntax in user text is harmless


def test_counts_by_time_are_in_order_and_by_value_most_first(store: Store) -> None:
    by_month = counts(store.conn, EventFilter(), "month")
    assert [c["key"] for c in by_month] == sorted(c["key"] for c in by_month)
    assert sum(c["count"] for c in by_month) == 300
    by_week = counts(store.conn, EventFilter(), "week")
    assert all(date.fromisoformat(c["key"]).weekday() == 0 for c in by_week)  # Mondays
    by_type = counts(store.conn, EventFilter(), "type")
    assert [c["count"] for c in by_type] == sorted((c["count"] for c in by_type), reverse=True)
    by_actor = counts(store.conn, EventFilter(), "actor")
    assert sum(c["count"] for c in by_actor) == 300  # one actor each
    assert all("|" not in c["key"] for c in by_actor)
    summary = facets(store.conn, EventFilter(types=("ASSAULT",)))
    assert summary["facets"]["type"] == [{"key": "ASSAULT", "count": summary["total"]}]


def test_an_event_comes_with_its_evidence_quoted_from_its_article(store: Store) -> None:
    first = everything(store)[0]
    detail = event_detail(store.conn, str(first["id"]))
    assert detail is not None and detail["article"]["id"] == first["article_id"]
    quoted = {e["field"]: e["text"] for e in detail["evidence"]}
    assert quoted["place"] == first["place_name"]
    assert quoted["sentence"] == first["sentence"]
    assert event_detail(store.conn, "no-such-event") is None


def test_changes_resume_from_the_cursor_and_deleted_events_are_listed(store: Store) -> None:
    first = changes(store.conn, None, size=100)
    assert len(first.rows) == 100 and first.extra["more"]
    rest = changes(store.conn, first.next, size=1000)
    assert len(rest.rows) == 200 and not rest.extra["more"]
    assert changes(store.conn, rest.next, size=10).rows == []
    assert changes(store.conn, "2999-01-01", size=10).rows == []
    assert deleted(store.conn, None).rows == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: BBox.parse("0,95,10,96"), "outside"),
        (lambda: BBox.parse("1,2,3"), "4 numbers"),
        (lambda: BBox(west=0, south=10, east=1, north=5), "north of"),
        (lambda: Radius(lat=0, lon=0, km=5000), "radius"),
        (lambda: EventFilter(text="a"), "at least 3"),
        (lambda: EventFilter(actor=" "), "actor"),
        (lambda: EventFilter(start=date(2024, 2, 1), end=date(2024, 1, 1)), "after it ends"),
    ],
)
def test_filters_that_cannot_be_answered_are_refused_clearly(make: object, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        make()  # type: ignore[operator]


def test_bad_cursors_and_page_sizes_are_refused(store: Store) -> None:
    with pytest.raises(QueryError, match="not one this server gave out"):
        events_page(store.conn, EventFilter(), after="%%%")
    with pytest.raises(QueryError, match="page size"):
        events_page(store.conn, EventFilter(), size=5000)
    with pytest.raises(QueryError, match="count by"):
        counts(store.conn, EventFilter(), "colour")


def test_a_slow_query_is_stopped_at_its_time_limit() -> None:
    conn = sqlite3.connect(":memory:")
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    with pytest.raises(QueryTimeout, match="limit"), time_limit(conn, 0.05):
        conn.execute(endless).fetchone()
    assert conn.execute("SELECT 1").fetchone() == (1,)  # the connection is still usable


def test_upgrading_a_store_fills_the_actor_table_from_its_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khabar.store import migrate

    every = migrate.available()
    conn = sqlite3.connect(tmp_path / "old.db")
    monkeypatch.setattr(
        migrate, "available", lambda kind="sqlite": every[:4]
    )  # a store from before 0005
    migrate.migrate(conn, "old.db")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    row = dict.fromkeys(columns, "") | {
        "id": "e1",
        "seq": 0,
        "confidence": 0.5,
        "actors": '["Police (Pakistan)|PAK|GOV"]',
        "targets": '["protesters||CVL", "Lahore traders||"]',
    }
    conn.execute(f"INSERT INTO events VALUES ({', '.join('?' * len(row))})", list(row.values()))
    monkeypatch.setattr(migrate, "available", lambda kind="sqlite": every)
    migrate.migrate(conn, "old.db")
    rows = conn.execute(
        "SELECT role, seq, name, country, sector FROM event_actors ORDER BY role, seq"
    ).fetchall()
    assert rows == [
        ("actor", 0, "Police (Pakistan)", "PAK", "GOV"),
        ("target", 0, "protesters", None, "CVL"),
        ("target", 1, "Lahore traders", None, None),
    ]


def test_the_readable_views_show_every_event_and_article(store: Store) -> None:
    conn = store.conn
    assert conn.execute("SELECT count(*) FROM event_list").fetchone()[0] == 300
    assert conn.execute("SELECT count(*) FROM article_list").fetchone()[0] == 60
    row = conn.execute(
        "SELECT plover_type, place, actors, sentence, article_id FROM event_list LIMIT 1"
    ).fetchone()
    first = everything(store)[0]
    assert tuple(row) == (
        first["type"],
        first["place_name"],
        first["actors"][0].split("|")[0],
        first["sentence"],
        first["article_id"],
    )
    by_month = conn.execute("SELECT sum(events) FROM events_by_month").fetchone()[0]
    assert by_month == 300
