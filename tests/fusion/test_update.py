"""Fused events in the store, on each database khabar supports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from khabar.cli import main
from khabar.core.article import Article
from khabar.fusion.update import update_fusion
from khabar.store import Store
from khabar.store.synthetic import PLACES, synthetic_articles


def articles(count: int, seed: int) -> list[Article]:
    """Synthetic articles whose events are placed at their capitals exactly, over 20 days:
    reports of one kind at one place a day apart meet, so fusion has work to do."""
    capitals = {name: (lat, lon) for _, name, lat, lon in PLACES}
    made = list(
        synthetic_articles(count, events_per_article=4, seed=seed, start=date(2024, 1, 1), days=20)
    )
    for article in made:
        for event in article.events:
            if event.place and event.place.name in capitals:
                lat, lon = capitals[event.place.name]
                event.place = event.place.model_copy(update={"lat": lat, "lon": lon})
    return made


def partition(store: Store) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for event_id, fused_id in store.conn.execute("SELECT event_id, fused_id FROM fused_members"):
        groups.setdefault(fused_id, set()).add(event_id)
    return {frozenset(g) for g in groups.values()}


def store_all(store: Store, batch: list[Article]) -> None:
    run = store.begin_run(["synthetic"], {})
    for article in batch:
        store.add_article(article, run)
    store.commit()


def test_fusing_run_by_run_gives_what_fusing_everything_gives(database: str) -> None:
    with Store.open(database) as store:
        store_all(store, articles(40, seed=1))
        first = update_fusion(store)
        store.commit()
        assert first.everything and first.reports == 160
        store_all(store, articles(12, seed=2))
        second = update_fusion(store)
        store.commit()
        assert not second.everything and 48 <= second.reports < 208
        incremental = partition(store)
        assert sum(len(g) for g in incremental) == 208  # every report in exactly one event
        assert max(len(g) for g in incremental) > 1 and len(incremental) < 200  # some fused
        assert update_fusion(store).reports == 0  # nothing new: nothing to do
        update_fusion(store, everything=True)
        store.commit()
        assert partition(store) == incremental
        fused = store.conn.execute("SELECT count(*), sum(reports) FROM fused_events").fetchone()
        assert fused[0] == len(incremental) and fused[1] == 208


def test_reports_left_unfused_by_a_killed_run_are_fused_by_the_next(database: str) -> None:
    with Store.open(database) as store:
        store_all(store, articles(10, seed=3))  # stored, then "killed" before fusing
        assert partition(store) == set()
        update_fusion(store)
        store.commit()
        assert sum(len(g) for g in partition(store)) == 40


def test_a_users_merge_and_split_hold_through_refusing(database: str, tmp_path: object) -> None:
    with Store.open(database) as store:
        store_all(store, articles(20, seed=4))
        update_fusion(store)
        store.commit()
        groups = sorted(partition(store), key=lambda g: (-len(g), sorted(g)))
        together = sorted(groups[0])[:2]
        apart = [sorted(groups[1])[0], sorted(groups[2])[0]]
    cli = CliRunner()
    split = cli.invoke(
        main, ["fuse", "--db", database, "--split", together[0], "--split", together[1]]
    )
    assert split.exit_code == 0, split.output
    merge = cli.invoke(main, ["fuse", "--db", database, "--merge", apart[0], "--merge", apart[1],
                              "--note", "one attack, two places named"])  # fmt: skip
    assert merge.exit_code == 0, merge.output
    with Store.open(database) as store:
        store_all(store, articles(8, seed=5))
        update_fusion(store, everything=True)
        store.commit()
        of = dict(store.conn.execute("SELECT event_id, fused_id FROM fused_members").fetchall())
        assert of[together[0]] != of[together[1]]
        assert of[apart[0]] == of[apart[1]]
        note = store.conn.execute(
            "SELECT note FROM fusion_decisions WHERE kind = 'merge'"
        ).fetchone()
        assert note[0] == "one attack, two places named"
    bad = cli.invoke(main, ["fuse", "--db", database, "--split", together[0]])
    assert bad.exit_code == 2 and "exactly two" in bad.output
    unknown = cli.invoke(main, ["fuse", "--db", database, "--merge", "nope-1", "--merge", "nope-2"])
    assert unknown.exit_code == 2 and "no events" in unknown.output


def test_fused_events_are_listed_with_their_provenance(database: str) -> None:
    with Store.open(database) as store:
        store_all(store, articles(20, seed=6))
        update_fusion(store)
        store.commit()
    result = CliRunner().invoke(main, ["fused", "--db", database, "--json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records and all(len(r["reports"]) >= 2 for r in records)
    for record in records:
        reported = {r["event"] for r in record["reports"]}
        assert set(record["type"]["from"]) <= reported
        if record["killed"]:
            assert {k["event"] for k in record["killed"]["reports"]} <= reported


def test_a_run_fuses_what_it_stored_unless_fusion_is_off(tmp_path: Path) -> None:
    from khabar.core.config import Config
    from khabar.runner import run

    news = tmp_path / "in" / "news.txt"
    news.parent.mkdir()
    news.write_text(
        "PESHAWAR: A suicide bomber killed 14 people at a police checkpoint in Peshawar on "
        "Monday, police said. Hours later, hundreds of traders protested in Karachi against "
        "new taxes, blocking the main road for most of the afternoon.",
        encoding="utf-8",
    )
    db = str(tmp_path / "k.db")
    off = run([str(news)], Config.load(env={}, values={"fusion": {"enabled": False}}), db=db)
    assert off.stored == 1 and off.fused == 0
    with Store.open(db) as store:
        assert partition(store) == set()
    again = run([str(news)], Config.load(env={}), db=db)  # nothing new to store, all to fuse
    assert again.unchanged == 1 and again.fused > 0
    with Store.open(db) as store:
        events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        assert sum(len(g) for g in partition(store)) == events
