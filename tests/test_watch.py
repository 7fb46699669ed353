"""``khabar watch``: feeds and URL lists served from loopback, changed between polls.

The server (``ingest/netserver.py``) logs every request with its headers, so the tests can say
exactly what was fetched, and with which validators. Time is a fake clock: the schedule and the
back-off are checked without waiting.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from helpers import FRAME_ENV, SLOW_PLUGIN, config, serving, story, write
from ingest.netserver import LocalServer, Reply, Versioned, page, serve
from khabar.api import create_app
from khabar.cli import main
from khabar.core.config import Config
from khabar.store import Store
from khabar.watch import SourcesError, Watcher, load_sources, parse_duration

FAST = {"allow_hosts": ["127.0.0.1"], "min_interval_s": 0.0, "timeout_s": 2.0, "max_retries": 0}


@pytest.fixture
def site() -> Iterator[LocalServer]:
    with serve() as server:
        yield server


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def watch_config(**sections: Any) -> Config:
    return config(sources={"urls": FAST}, **sections)


def article_body(n: int) -> str:
    return f"<p>{story(n)}</p><p>{story(n + 1000)}</p>"


def article_page(n: int) -> str:
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        f"{article_body(n)}</article></body></html>"
    )


def rss(site: LocalServer, numbers: list[int], *, content: bool = False) -> str:
    items = []
    for n in numbers:
        body = (
            f"<content:encoded><![CDATA[{article_body(n)}]]></content:encoded>" if content else ""
        )
        items.append(
            f"<item><title>Story {n}</title><link>{site.url(f'/news/{n}')}</link>"
            f"<guid>story-{n}</guid><pubDate>Sat, 01 Mar 2025 0{n % 10}:00:00 GMT</pubDate>"
            f"{body}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Loopback News</title><link>{site.url('/')}</link>{''.join(items)}"
        "</channel></rss>"
    )


def serve_pages(site: LocalServer, numbers: range | list[int]) -> None:
    for n in numbers:
        site.route(f"/news/{n}", page(article_page(n)))


def sources_toml(tmp_path: Path, *entries: str, defaults: str = "") -> list[Any]:
    text = (f"[defaults]\n{defaults}\n" if defaults else "") + "".join(
        f"[[source]]\n{entry}\n" for entry in entries
    )
    return load_sources(write(tmp_path / "sources.toml", text))


def feed_entry(url: str, interval: str = "10m", **more: str) -> str:
    extra = "".join(f'{key} = "{value}"\n' for key, value in more.items())
    return f'url = "{url}"\nkind = "feed"\ninterval = "{interval}"\n{extra}'


@contextmanager
def watching(
    db: str, sources: list[Any], clock: Clock, settings: Config | None = None
) -> Iterator[Watcher]:
    with Store.open(db) as store:
        yield Watcher(store, settings or watch_config(), sources, clock=clock)


def news_requests(site: LocalServer) -> list[str]:
    return [p for p in site.paths() if p.startswith("/news/")]


def count(db: str, sql: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute(sql).fetchone()[0])


# -- SOURCES.toml -------------------------------------------------------------------------------
def test_a_sources_file_is_read_with_defaults_and_local_paths(tmp_path: Path) -> None:
    sources = sources_toml(
        tmp_path,
        feed_entry("https://gulf.example/rss", interval="1h30m", name="Gulf Monitor"),
        'url = "lists/wires.txt"\nkind = "urls"\n',
        defaults='interval = "20m"\nmax_backoff = "2h"',
    )
    gulf, wires = sources
    assert (gulf.name, gulf.key, gulf.kind, gulf.interval_s) == (
        "Gulf Monitor",
        "https://gulf.example/rss",
        "feed",
        5400,
    )
    assert gulf.is_remote and not wires.is_remote
    assert wires.key == str((tmp_path / "lists" / "wires.txt").resolve())
    assert (wires.name, wires.interval_s, wires.max_backoff_s) == ("lists/wires.txt", 1200, 7200)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[source]]\nurl = "https://a.example/rss"\n',
            r"source #1 \(https://a.example/rss\).*kind",
        ),
        (
            '[[source]]\nurl = "https://a.example/rss"\nkind = "feed"\ninterval = "5x"\n',
            r"source #1 .*interval = '5x'.*write it like",
        ),
        (
            '[[source]]\nurl = "https://a.example/rss"\nkind = "feed"\ninterval = "10s"\n',
            "under the polite minimum",
        ),
        (
            '[[source]]\nurl = "https://a.example/rss"\nkind = "feed"\nintervall = "1h"\n',
            "unknown key 'intervall'.*Did you mean 'interval'",
        ),
        ('[[source]]\nkind = "feed"\n', r"source #1: give its url"),
        ('[[source]]\nurl = "ftp://a.example/x"\nkind = "urls"\n', "only http"),
        (
            '[[source]]\nurl = "https://a.example/rss"\nkind = "feed"\n'
            '[[source]]\nurl = "https://a.example/rss"\nkind = "feed"\n',
            "source #2 .* repeats source #1",
        ),
        ('[defaults]\ninterval = "1h"\n', "no \\[\\[source\\]\\] entries"),
        ('[source]\nurl = "https://a.example/rss"\n', "double brackets"),
        ("[[source]\n", "is not valid TOML"),
    ],
)
def test_a_bad_sources_file_names_the_file_and_the_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path / "sources.toml", text)
    with pytest.raises(SourcesError, match=message) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)


def test_durations() -> None:
    assert [parse_duration(v) for v in ("90s", "15m", "1h30m", "1d", 120)] == [
        90,
        900,
        5400,
        86400,
        120,
    ]
    for bad in ("", "m", "1.5h", "-5m", 0, True, "15 minutes"):
        with pytest.raises(ValueError, match="duration"):
            parse_duration(bad)


# -- polls ----------------------------------------------------------------------------------
@pytest.mark.parametrize("validators", ["etag", "last_modified"])
def test_a_changed_feed_stores_only_its_new_entry_and_an_unchanged_one_costs_a_304(
    site: LocalServer, tmp_path: Path, database: str, validators: str
) -> None:
    feed = Versioned(
        rss(site, [1, 2]), etag=validators == "etag", last_modified=validators == "last_modified"
    )
    site.route("/rss", feed)
    serve_pages(site, range(1, 4))
    sources = sources_toml(tmp_path, feed_entry(site.url("/rss")))
    clock = Clock()
    with watching(database, sources, clock) as watcher:
        first = watcher.cycle()
        assert (first.stored, first.inputs) == (2, 2)
        assert [p.status for p in first.polled] == ["new"]
        assert sorted(news_requests(site)) == ["/news/1", "/news/2"]

        clock.advance(600)
        second = watcher.cycle()
        assert [p.status for p in second.polled] == ["not_modified"]
        assert second.run_id == 0, "a poll that found nothing new is no run"
        sent = site.requests[-1]
        assert sent.path == "/rss"
        if validators == "etag":
            assert sent.headers["If-None-Match"] == feed.etag
        else:
            assert sent.headers["If-Modified-Since"] == feed.last_modified
            assert "If-None-Match" not in sent.headers
        assert len(news_requests(site)) == 2, "a 304 fetches no entry"

        feed.update(rss(site, [1, 2, 3]))
        clock.advance(600)
        third = watcher.cycle()
        assert (third.stored, third.unchanged, third.inputs) == (1, 2, 3)
        assert news_requests(site)[2:] == ["/news/3"], "only the new entry's page is fetched"
        assert watcher.store.count("articles") == 3
        runs = watcher.store.runs()
        assert [(r["id"], r["status"]) for r in runs] == [
            (third.run_id, "finished"),
            (first.run_id, "finished"),
        ]
        assert runs[0]["counts"]["sources"][0]["status"] == "new"
        assert runs[0]["counts"]["sources"][0]["stored"] == 1
        state = watcher.store.source_states()[site.url("/rss")]
        assert state.last_status == "new" and state.failures == 0
        assert (state.etag, state.last_modified) == (
            (feed.etag, None) if validators == "etag" else (None, feed.last_modified)
        )


def test_a_source_is_polled_only_when_due(site: LocalServer, tmp_path: Path) -> None:
    site.route("/rss", Versioned(rss(site, [1], content=True)))
    sources = sources_toml(tmp_path, feed_entry(site.url("/rss"), interval="10m"))
    clock = Clock()
    with watching(str(tmp_path / "k.db"), sources, clock) as watcher:
        watcher.cycle()
        clock.advance(599)
        assert watcher.due() == []
        assert watcher.cycle().polled == []
        assert watcher.next_due() == clock.now + timedelta(seconds=1)
        clock.advance(1)
        assert watcher.due() == sources
    assert site.paths().count("/rss") == 1


def test_the_same_bytes_without_validators_are_not_read_again(
    site: LocalServer, tmp_path: Path
) -> None:
    site.route("/rss", Versioned(rss(site, [1, 2]), etag=False, last_modified=False))
    serve_pages(site, [1, 2])
    sources = sources_toml(tmp_path, feed_entry(site.url("/rss")))
    clock = Clock()
    with watching(str(tmp_path / "k.db"), sources, clock) as watcher:
        assert watcher.cycle().stored == 2
        clock.advance(600)
        again = watcher.cycle()
    assert [p.status for p in again.polled] == ["unchanged"]
    assert again.run_id == 0 and len(news_requests(site)) == 2


def test_a_url_list_is_polled_and_only_new_urls_are_fetched(
    site: LocalServer, tmp_path: Path
) -> None:
    listing = Versioned(f"{site.url('/news/1')}\n# a comment\n", "text/plain")
    site.route("/list.txt", listing)
    serve_pages(site, [1, 2, 3])
    write(tmp_path / "wires.txt", f"{site.url('/news/3')}\nnot a url\n")
    sources = sources_toml(
        tmp_path,
        f'url = "{site.url("/list.txt")}"\nkind = "urls"\n',
        'url = "wires.txt"\nkind = "urls"\nname = "Wires"\n',
    )
    clock = Clock()
    with watching(str(tmp_path / "k.db"), sources, clock) as watcher:
        first = watcher.cycle()
        assert first.stored == 2
        listing.update(f"{site.url('/news/1')}\n{site.url('/news/2')}\n")
        clock.advance(900)
        second = watcher.cycle()
        statuses = {p.source.name: p.status for p in second.polled}
        assert statuses == {site.url("/list.txt"): "new", "Wires": "unchanged"}
        assert second.stored == 1
        assert [s.reason for s in watcher.store.list_skips()] == ["fetch_failed"]
        assert (
            "Wires line 2: 'not a url' is not an http(s) URL"
            in watcher.store.list_skips()[0].detail
        )
    assert sorted(news_requests(site)) == ["/news/1", "/news/2", "/news/3"]


# -- failures and back-off ----------------------------------------------------------------------
UNSAFE = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"></rss>'


def test_a_failing_source_is_recorded_and_the_others_are_processed(
    site: LocalServer, tmp_path: Path
) -> None:
    site.route("/good", Versioned(rss(site, [1], content=True)))
    site.route("/broken", Reply(500, b"oops", {"Content-Type": "text/plain"}))
    site.route("/unsafe", page(UNSAFE, "application/rss+xml"))
    site.route("/page", page(article_page(9)))
    sources = sources_toml(
        tmp_path,
        feed_entry(site.url("/broken"), name="Broken"),
        feed_entry(site.url("/unsafe"), name="Unsafe"),
        feed_entry(site.url("/page"), name="Not a feed"),
        feed_entry(site.url("/good"), name="Good"),
    )
    db = str(tmp_path / "k.db")
    with watching(db, sources, Clock()) as watcher:
        summary = watcher.cycle()
        states = watcher.store.source_states()
        skips = {s.uri: s for s in watcher.store.list_skips()}
    assert summary.stored == 1
    assert {p.source.name: (p.status, p.reason) for p in summary.polled} == {
        "Broken": ("failed", "http_error"),
        "Unsafe": ("failed", "unsafe_xml"),
        "Not a feed": ("failed", "invalid_feed"),
        "Good": ("new", None),
    }
    assert {f.reason for f in summary.failed} == {"http_error", "unsafe_xml", "invalid_feed"}
    assert "HTTP 500" in skips[site.url("/broken")].detail
    broken = states[site.url("/broken")]
    assert (broken.failures, broken.last_status) == (1, "failed")
    assert broken.last_error is not None and broken.last_error.startswith("http_error: ")
    assert states[site.url("/good")].failures == 0
    # the run page shows which source failed and why
    with serving(create_app(db, Config.load(env={}))) as url:
        html = httpx.get(f"{url}/ui/runs/{summary.run_id}", timeout=30).text
    assert "Sources polled (4)" in html
    assert "http_error:" in html and "HTTP 500" in html and "unsafe_xml:" in html
    assert "(Broken)" in html


def test_back_off_doubles_with_each_failure_up_to_the_cap_and_resets(
    site: LocalServer, tmp_path: Path
) -> None:
    site.route("/rss", Reply(503, b"", {"Content-Type": "text/plain"}))
    sources = sources_toml(tmp_path, feed_entry(site.url("/rss"), interval="1m", max_backoff="5m"))
    clock = Clock()
    delays = []
    with watching(str(tmp_path / "k.db"), sources, clock) as watcher:
        for _ in range(4):
            (polled,) = watcher.cycle().polled
            assert polled.next_poll is not None
            delays.append((polled.next_poll - clock.now).total_seconds())
            clock.advance(delays[-1] - 1)
            assert watcher.cycle().polled == [], "not polled before it is due"
            clock.advance(1)
        assert delays == [120, 240, 300, 300]
        assert watcher.store.source_states()[site.url("/rss")].failures == 4
        site.route("/rss", Versioned(rss(site, [1], content=True)))
        (recovered,) = watcher.cycle().polled
        assert recovered.status == "new" and recovered.failures == 0
        assert recovered.next_poll == clock.now + timedelta(minutes=1)
    assert site.paths().count("/rss") == 5


# -- stopping and resuming ------------------------------------------------------------------------
def test_a_watch_stopped_half_way_through_a_feed_resumes_where_it_was(
    site: LocalServer, tmp_path: Path
) -> None:
    feed = Versioned(rss(site, [1, 2, 3]))
    site.route("/rss", feed)
    serve_pages(site, [1, 3])
    db = str(tmp_path / "k.db")
    sources = sources_toml(tmp_path, feed_entry(site.url("/rss")))
    clock = Clock()
    with watching(db, sources, clock) as watcher:

        def second_page_stops_the_watch(handler: Any, server: LocalServer) -> None:
            watcher.stop.set()  # as SIGTERM would, while the second entry is being fetched
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html; charset=utf-8")
            handler.end_headers()
            handler.wfile.write(article_page(2).encode())

        site.route("/news/2", second_page_stops_the_watch)
        stopped = watcher.cycle()
        assert stopped.interrupted and [p.status for p in stopped.polled] == ["interrupted"]
        assert stopped.stored == 2, "the article being fetched when it stopped is finished"
        assert news_requests(site) == ["/news/1", "/news/2"]
        assert watcher.store.source_states() == {}, "no state: the feed is read again"
        assert watcher.store.runs()[0]["status"] == "interrupted"
    with watching(db, sources, clock) as resumed:
        again = resumed.cycle()
        assert (again.stored, again.unchanged) == (1, 2)
        assert news_requests(site)[2:] == ["/news/3"], "stored entries are not fetched again"
        last_feed_request = [r for r in site.requests if r.path == "/rss"][-1]
        assert "If-None-Match" not in last_feed_request.headers
        assert resumed.store.source_states()[site.url("/rss")].etag == feed.etag
        assert [r["status"] for r in resumed.store.runs()] == ["finished", "interrupted"]
        assert resumed.store.count("articles") == 3
    with watching(db, sources, clock) as later:
        assert later.due() == [], "a restarted watch keeps the schedule"
        clock.advance(600)
        assert [p.status for p in later.cycle().polled] == ["not_modified"]


def test_the_loop_sleeps_until_the_next_source_is_due(site: LocalServer, tmp_path: Path) -> None:
    site.route("/a", Versioned(rss(site, [1], content=True)))
    site.route("/b", Versioned(rss(site, [2], content=True)))
    sources = sources_toml(
        tmp_path, feed_entry(site.url("/a"), interval="2m"), feed_entry(site.url("/b"), "5m")
    )
    clock = Clock()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    polled: list[list[str]] = []
    with Store.open(tmp_path / "k.db") as store:
        watcher = Watcher(store, watch_config(), sources, clock=clock, sleep=sleep)
        watcher.loop(
            max_cycles=4,
            on_cycle=lambda s: polled.append([p.source.url.rsplit("/", 1)[1] for p in s.polled]),
        )
    assert waits == [120, 120, 60]
    assert polled == [["a", "b"], ["a"], ["a"], ["b"]]


# -- fusion ---------------------------------------------------------------------------------------
BOMBING = (
    "<p>PESHAWAR: A suicide bomber killed 14 people at a police checkpoint in Peshawar on "
    "Monday, police said. The attack happened during the morning rush hour, when dozens of "
    "cars were waiting to pass.</p><p>Rescue workers took the wounded to the city's main "
    "hospital, where doctors said several were in a critical condition. No group said it had "
    "carried out the attack.</p>"
)
PROTEST = (
    "<p>KARACHI: Hundreds of traders protested in Karachi on Tuesday against new taxes, "
    "blocking the main road for most of the afternoon, witnesses said.</p><p>Shopkeepers closed "
    "their stores across the old city and marched to the provincial assembly, where their "
    "leaders said the strike would go on until the government withdrew the levy.</p>"
)


def news_feed(site: LocalServer, texts: list[str]) -> str:
    items = "".join(
        f"<item><title>Report {n}</title><link>https://news{n}.example/story</link>"
        f"<guid>report-{n}</guid><pubDate>Wed, 0{n + 1} Mar 2025 10:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[{text}]]></content:encoded></item>"
        for n, text in enumerate(texts, 1)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>News</title>'
        f"{items}</channel></rss>"
    )


def test_fused_events_grow_poll_by_poll(site: LocalServer, tmp_path: Path) -> None:
    feed = Versioned(news_feed(site, [BOMBING]))
    site.route("/rss", feed)
    full = Config.load(env={}, values={"sources": {"urls": FAST}})
    sources = sources_toml(tmp_path, feed_entry(site.url("/rss")))
    clock = Clock()

    def fused(store: Store) -> set[str]:
        return {row[0] for row in store.conn.execute("SELECT id FROM fused_events")}

    def unfused(store: Store) -> int:
        return int(
            store.conn.execute(
                "SELECT count(*) FROM events e WHERE NOT EXISTS "
                "(SELECT 1 FROM fused_members m WHERE m.event_id = e.id)"
            ).fetchone()[0]
        )

    with watching(str(tmp_path / "k.db"), sources, clock, settings=full) as watcher:
        first = watcher.cycle()
        before = fused(watcher.store)
        assert first.stored == 1 and first.fused == len(before) > 0
        assert unfused(watcher.store) == 0
        feed.update(news_feed(site, [BOMBING, PROTEST]))
        clock.advance(600)
        second = watcher.cycle()
        after = fused(watcher.store)
        assert second.stored == 1 and second.unchanged == 1
        assert before < after, "the new report's events join; the old fused ids are kept"
        assert second.fused >= len(after - before)
        assert unfused(watcher.store) == 0, "every report is in a fused event"
        clock.advance(600)
        third = watcher.cycle()
        assert [p.status for p in third.polled] == ["not_modified"] and third.fused == 0
        assert fused(watcher.store) == after


# -- the command -----------------------------------------------------------------------------------
def write_sources(tmp_path: Path, site: LocalServer, *paths: str) -> Path:
    text = "".join(f'[[source]]\nurl = "{site.url(p)}"\nkind = "feed"\n' for p in paths)
    return write(tmp_path / "sources.toml", text)


def test_watch_once_polls_prints_and_exits(site: LocalServer, tmp_path: Path) -> None:
    site.route("/rss", Versioned(rss(site, [1, 2], content=True)))
    site.route("/gone", Reply(404, b"", {"Content-Type": "text/plain"}))
    path = write_sources(tmp_path, site, "/rss")
    db = str(tmp_path / "k.db")
    args = [
        "watch",
        str(path),
        "--once",
        "--db",
        db,
        "--set",
        "sources.urls.allow_hosts=['127.0.0.1']",
    ]
    cli = CliRunner(env=FRAME_ENV)
    result = cli.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "watching 1 source from" in result.output and "run 1: 2 stored" in result.output
    assert f"{site.url('/rss')}: new, 2 stored of 2 read" in result.output
    again = cli.invoke(main, args)
    assert again.exit_code == 0 and "run 2" not in again.output
    assert site.paths().count("/rss") == 1, "not due yet: not polled"
    write_sources(tmp_path, site, "/rss", "/gone")
    failing = cli.invoke(main, args)
    assert failing.exit_code == 1, "--once exits 1 when a source failed, for cron"
    assert "failed (http_error" in failing.output and "HTTP 404" in failing.output


def test_watch_with_a_bad_sources_file_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path / "sources.toml", '[[source]]\nurl = "https://a.example/rss"\n')
    result = CliRunner(env=FRAME_ENV).invoke(main, ["watch", str(path), "--db", "x.db"])
    assert result.exit_code == 2
    assert f"{path}: source #1 (https://a.example/rss): kind = None" in result.output


SLOW_CONFIG = """
[run]
batch_size = 4

[pipeline]
plugins = ["khabar_slow_plugin"]
stages = ["clean", "slow", "sentences"]

[stages.slow]
factory = "test.slow.v1"
seconds = 0.05

[sources.urls]
allow_hosts = ["127.0.0.1"]
min_interval_s = 0.0
"""


def test_sigterm_stops_a_watch_cleanly_and_the_next_start_completes(
    site: LocalServer, tmp_path: Path
) -> None:
    site.route("/rss", Versioned(rss(site, list(range(1, 41)), content=True)))
    path = write_sources(tmp_path, site, "/rss")
    write(tmp_path / "plugins" / "khabar_slow_plugin.py", SLOW_PLUGIN)
    cfg = write(tmp_path / "slow.toml", SLOW_CONFIG)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "plugins"), "COLUMNS": "200"}
    stopped_db, whole_db = str(tmp_path / "stopped.db"), str(tmp_path / "whole.db")

    def command(db: str) -> list[str]:
        args = ["watch", str(path), "--once", "--db", db, "--config", str(cfg)]
        return [sys.executable, "-m", "khabar", *args]

    def stored(db: str) -> int:
        try:
            return count(db, "SELECT count(*) FROM articles")
        except sqlite3.OperationalError:
            return 0

    process = subprocess.Popen(
        command(stopped_db), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while stored(stopped_db) < 8 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    output, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors
    assert "stopped by SIGTERM" in output and "run `khabar watch" in output
    kept = stored(stopped_db)
    assert 8 <= kept < 40, "stopped half-way"
    with closing(sqlite3.connect(stopped_db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM article_inputs i WHERE i.article_id = a.id) OR NOT EXISTS "
            "(SELECT 1 FROM claims c WHERE c.article_id = a.id)"
        ).fetchone()[0]
        assert orphans == 0, "every article kept is whole"
        assert [r[0] for r in conn.execute("SELECT status FROM runs")] == ["interrupted"]
        assert conn.execute("SELECT count(*) FROM watch_sources").fetchone()[0] == 0

    for db in (stopped_db, whole_db):
        done = subprocess.run(
            command(db), env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
        if db == stopped_db:
            assert f"new, {40 - kept} stored of 40 read" in done.stdout

    def articles(db: str) -> set[tuple[str, str]]:
        with closing(sqlite3.connect(db)) as conn:
            return set(conn.execute("SELECT id, content_hash FROM articles"))

    assert articles(stopped_db) == articles(whole_db)
    assert len(articles(stopped_db)) == 40
    with closing(sqlite3.connect(stopped_db)) as conn:
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")]
        state = conn.execute("SELECT last_status, etag FROM watch_sources").fetchone()
    assert statuses == ["interrupted", "finished"]
    assert state == ("new", '"v1"')
