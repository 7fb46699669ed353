"""The Ray engine on a local Ray instance: the same database as the local engine, exactly,
from at least two actors; through shards and ``khabar load`` too; a failing article is a
recorded skip."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from engines.compare import contents
from helpers import SAMPLE, config, story, write
from khabar import Config, RunSummary, run
from khabar.cli import main

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'khabar[ray]'")

PLUGIN = """
from khabar import stages

@stages.register("test.explode.v1", requires={"text"})
def make_explode():
    '''Fail on an article that says EXPLODE, as a buggy stage would.'''
    def explode(article):
        if "EXPLODE" in article.text:
            raise RuntimeError("this stage cannot read this article")
        return article
    return explode
"""


@pytest.fixture(scope="module")
def local_ray(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One local Ray instance for the module, its workers able to import the test plugin."""
    plugins = tmp_path_factory.mktemp("plugins")
    write(plugins / "khabar_explode_plugin.py", PLUGIN)
    sys.path.insert(0, str(plugins))
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
        runtime_env={"env_vars": {"PYTHONPATH": str(plugins)}},
    )
    try:
        yield
    finally:
        ray.shutdown()
        sys.path.remove(str(plugins))


def full(**run_settings: object) -> Config:
    """The packaged default pipeline (every stage: events, places, fusion)."""
    return Config.load(env={}, values={"run": run_settings})


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    return db, run([SAMPLE], full(), db=db)


def counts(summary: RunSummary) -> tuple[object, ...]:
    return (summary.inputs, summary.stored, summary.duplicates, summary.skipped, summary.fused)


@pytest.mark.slow
def test_ray_stores_exactly_what_the_local_engine_does(
    local_ray: None, local_run: tuple[Path, RunSummary], tmp_path: Path
) -> None:
    local_db, local = local_run
    summary = run([SAMPLE], full(engine="ray", jobs=2, ray_batch_size=4), db=tmp_path / "ray.db")
    assert counts(summary) == counts(local)
    assert summary.fused > 0 and summary.failed == []
    stored = contents(tmp_path / "ray.db")
    assert stored == contents(local_db)
    assert len(stored["events"]) > 100 and len(stored["fused_events"]) > 100
    # the work was really spread: two actors, each its own process, neither the driver
    assert len(summary.workers) == 2 and min(summary.workers.values()) > 0
    assert str(os.getpid()) not in {name.rpartition(":")[2] for name in summary.workers}


@pytest.mark.slow
def test_ray_into_shards_then_load_gives_the_same_database(
    local_ray: None, local_run: tuple[Path, RunSummary], tmp_path: Path
) -> None:
    cli = CliRunner()
    folder, db = tmp_path / "shards", tmp_path / "loaded.db"
    args = ["run", str(SAMPLE), "--engine", "ray", "-j", "2", "--shards", str(folder)]
    written = cli.invoke(main, [*args, "--set", "run.ray_batch_size=8"])
    assert written.exit_code == 0, written.output
    assert len(list(folder.glob("*.parquet"))) == 5
    loaded = cli.invoke(main, ["load", str(folder), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert "5 shards imported" in loaded.output
    assert contents(db) == contents(local_run[0])


def test_a_failing_article_in_the_middle_is_a_recorded_skip(
    local_ray: None, tmp_path: Path
) -> None:
    corpus = tmp_path / "in"
    for n in range(6):
        write(corpus / f"s{n}.txt", f"Story {n}\n\n" + story(n) + (" EXPLODE" if n == 3 else ""))

    def settings(**run_settings: object) -> Config:
        return config(
            run=run_settings,
            pipeline={"plugins": ["khabar_explode_plugin"], "stages": ["clean", "boom"]},
            stages={"boom": {"factory": "test.explode.v1"}},
        )

    summary = run([corpus], settings(engine="ray", jobs=2, ray_batch_size=2), db=tmp_path / "r.db")
    assert summary.stored == 5
    assert [(f.uri, f.stage, f.reason) for f in summary.failed] == [
        (str(corpus / "s3.txt"), "boom", "stage_error")
    ]
    with closing(sqlite3.connect(tmp_path / "r.db")) as conn:
        skips = conn.execute("SELECT stage, reason, detail FROM skips").fetchall()
    assert skips == [("boom", "stage_error", "RuntimeError: this stage cannot read this article")]
    run([corpus], settings(), db=tmp_path / "local.db")
    assert contents(tmp_path / "r.db") == contents(tmp_path / "local.db")
