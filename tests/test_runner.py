import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from subprocess import DEVNULL

import jsonschema
import pytest

from helpers import (
    ARTICLE_HTML,
    ARTICLE_TEXT,
    SAMPLE,
    SLOW_PLUGIN,
    config,
    snapshot,
    story,
    write,
)
from khabar import InputError, run
from khabar.core.schema import record_schema


def test_the_sample_corpus_is_stored_once_with_exact_sentence_offsets(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    summary = run([SAMPLE], config(), db=db)
    assert (summary.inputs, summary.stored, summary.duplicates, summary.failed) == (38, 35, 2, [])
    assert dict(summary.skipped) == {("clean", "too_short"): 1}
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT text, record FROM articles").fetchall()
    for text, record in rows:
        sentences = json.loads(record)["sentences"]
        assert sentences, "every stored article has sentences"
        for s in sentences:
            piece = text[s["start"] : s["end"]]
            assert piece and piece == piece.strip()


def test_running_the_same_inputs_again_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    run([SAMPLE], config(), db=db)
    before = snapshot(db)
    again = run([SAMPLE], config(), db=db)
    assert (again.stored, again.duplicates, again.unchanged) == (0, 0, 37)
    assert snapshot(db) == before


def test_two_workers_store_exactly_what_one_does(tmp_path: Path) -> None:
    run([SAMPLE], config(run={"jobs": 1}), db=tmp_path / "one.db")
    summary = run([SAMPLE], config(run={"jobs": 2}), db=tmp_path / "two.db")
    assert summary.stored == 35
    assert snapshot(tmp_path / "two.db") == snapshot(tmp_path / "one.db")


def test_the_output_has_one_valid_record_per_input(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    with output.open("w") as handle:
        summary = run([SAMPLE], config(), db=tmp_path / "k.db", output=handle)
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(records) == summary.inputs
    validator = jsonschema.Draft202012Validator(record_schema())
    articles = [r for r in records if "skipped" not in r or r["skipped"] is None]
    for record in articles:
        validator.validate(record)
    skipped = [r for r in records if r.get("skipped")]
    assert [r["skipped"]["reason"] for r in skipped] == ["too_short"]
    ids = {r["id"] for r in records}
    assert {"wire-2025-0001", "wire-2025-0006"} <= ids  # an input's own id is kept
    copy = next(r for r in records if r["id"] == "wire-2025-0006")
    assert (copy["duplicate_of"], copy["source"]["locator"]) == ("wire-2025-0001", "line 6")


def test_bad_inputs_are_skipped_with_reasons_and_good_ones_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write(corpus / "good.html", ARTICLE_HTML)
    write(corpus / "good.txt", ARTICLE_TEXT)
    write(corpus / "empty.txt", "")
    write(corpus / "binary.html", b"\x00\x01\x02\x03" * 500)
    write(corpus / "truncated.txt.gz", gzip.compress(ARTICLE_TEXT.encode())[:-20])
    write(corpus / "nav.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    write(corpus / "lines.jsonl", '{"text": "' + story(3) + '"}\nnot json\n')
    with (corpus / "huge.html").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    summary = run([corpus], config(), db=tmp_path / "k.db")
    assert summary.stored == 3
    assert sorted(f.reason for f in summary.failed) == ["corrupt_gzip", "invalid_json"]
    skipped = {reason for _, reason in summary.skipped}
    # the page with no article is dropped for having no text, or too little
    assert skipped - {"no_article", "too_short"} == {"binary", "empty", "too_large"}
    assert len(skipped) == 4
    assert summary.exit_code == 1
    with closing(sqlite3.connect(tmp_path / "k.db")) as conn:
        stored = {row[0] for row in conn.execute("SELECT reason FROM skips")}
    assert stored == skipped | {"corrupt_gzip", "invalid_json"}


def test_an_id_reused_for_other_text_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    write(tmp_path / "a.jsonl", json.dumps({"id": "a1", "text": story(3)}) + "\n")
    write(tmp_path / "b.jsonl", json.dumps({"id": "a1", "text": story(5)}) + "\n")
    write(
        tmp_path / "c.jsonl",
        json.dumps({"id": "a1", "text": story(3), "title": "T"}) + "\n",
    )
    run([tmp_path / "a.jsonl"], config(), db=db)
    conflict = run([tmp_path / "b.jsonl"], config(), db=db)
    assert [(f.stage, f.reason) for f in conflict.failed] == [("store", "id_conflict")]
    same = run([tmp_path / "c.jsonl"], config(), db=db)
    assert (same.failed, same.duplicates) == ([], 1)


def test_a_missing_input_fails_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        run([tmp_path / "nope"], config(), db=tmp_path / "k.db")
    assert not (tmp_path / "k.db").exists()


SLOW_CONFIG = """
[run]
batch_size = 4
jobs = 2  # workers import the plugin too

[pipeline]
plugins = ["khabar_slow_plugin"]
stages = ["clean", "slow", "sentences"]

[stages.slow]
factory = "test.slow.v1"
"""


def test_a_run_killed_half_way_resumes_to_the_same_content(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for n in range(60):
        write(corpus / f"story{n:02d}.txt", f"Story {n}\n\n" + story(n))
    write(corpus / "copy.txt", "Story 7\n\n" + story(7))
    write(tmp_path / "plugins" / "khabar_slow_plugin.py", SLOW_PLUGIN)
    cfg = write(tmp_path / "slow.toml", SLOW_CONFIG)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "plugins")}
    killed_db, whole_db = tmp_path / "killed.db", tmp_path / "whole.db"

    def command(db: Path) -> list[str]:
        args = ["-q", "run", str(corpus), "--db", str(db), "--config", str(cfg)]
        return [sys.executable, "-m", "khabar", *args]

    def count(db: Path) -> int:
        try:
            with closing(sqlite3.connect(db)) as conn:
                return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    process = subprocess.Popen(command(killed_db), env=env, stdout=DEVNULL, stderr=DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while stored < 12 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        stored = count(killed_db) if killed_db.exists() else 0
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 12 <= stored < 61, "the run was killed half-way"

    for db in (killed_db, whole_db):
        done = subprocess.run(
            command(db), env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
    assert snapshot(killed_db) == snapshot(whole_db)
    assert len(snapshot(whole_db)["articles"]) == 60
    with closing(sqlite3.connect(killed_db)) as conn:
        statuses = [row[0] for row in conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]


def test_since_last_reads_only_what_changed_after_the_last_run(tmp_path: Path) -> None:
    corpus, db = tmp_path / "in", tmp_path / "k.db"
    for n in range(3):
        os.utime(write(corpus / f"s{n}.txt", f"Story {n}\n\n" + story(n)), (1_600_000_000,) * 2)
    first = run([corpus], config(), db=db)
    assert first.stored == 3
    # new content behind an old modification time is not read at all under --since
    os.utime(
        write(corpus / "s0.txt", "Story zero, rewritten\n\n" + story(99)),
        (1_600_000_000,) * 2,
    )
    write(corpus / "s3.txt", "Story 3\n\n" + story(3))
    second = run([corpus], config(), db=db, since="last")
    assert (second.inputs, second.stored, second.unchanged) == (4, 1, 3)
    third = run([corpus], config(), db=db)  # without --since every file is read again
    assert (third.stored, third.unchanged) == (1, 3)


def test_the_store_knows_which_urls_it_holds(tmp_path: Path) -> None:
    from khabar import Store

    line = {"id": "u1", "url": "https://news.example/a", "text": story(1)}
    write(tmp_path / "a.jsonl", json.dumps(line) + "\n")
    run([tmp_path / "a.jsonl"], config(), db=tmp_path / "k.db")
    with Store.open(tmp_path / "k.db") as store:
        assert store.known_url("https://news.example/a")
        assert not store.known_url("https://news.example/b")
        assert store.last_run_started([str(tmp_path / "a.jsonl")]) is not None
        assert store.last_run_started(["other"]) is None


def test_a_few_articles_are_not_worth_starting_workers_for() -> None:
    from khabar.core.article import Article, InputRef
    from khabar.parallel import FEW_ARTICLES, worth_workers

    pulled = []

    def items(n: int) -> Iterator[Article]:
        for i in range(n):
            pulled.append(i)
            yield Article(
                id=f"a{i}",
                source=InputRef(name="files", uri=f"a{i}.txt"),
                fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
                media_type="text/plain",
                raw_sha256=f"{i:064x}",
            )

    worth, again = worth_workers(items(3))
    assert not worth and [a.id for a in again] == ["a0", "a1", "a2"]
    pulled.clear()
    worth, again = worth_workers(items(1000))
    assert worth and len(pulled) == FEW_ARTICLES  # read ahead no further than it must
    assert [a.id for a in again] == [f"a{i}" for i in range(1000)]  # nothing lost, in order
