"""Shards: the stages' outcomes in Parquet files, imported by ``load`` into the database a plain
run makes; loading again adds nothing, and a killed load resumes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engines.compare import contents
from helpers import SAMPLE, config
from khabar import run
from khabar.core.errors import EngineError
from khabar.core.pipeline import Outcome, Pipeline
from khabar.engines import shards
from khabar.engines.shards import load_shards, read_shard, run_to_shards, shard_files, write_shard


def test_a_shard_gives_back_exactly_what_was_written(tmp_path: Path) -> None:
    pipeline = Pipeline(config())
    outcomes = list(pipeline.pipe(pipeline.read([str(SAMPLE)])))
    write_shard(tmp_path / "one.parquet", outcomes, 0)
    back = read_shard(tmp_path / "one.parquet")
    assert back == outcomes  # raw bytes, decoded text and every field of the record


@pytest.fixture
def direct(tmp_path: Path) -> Path:
    db = tmp_path / "direct.db"
    run([SAMPLE], config(), db=db)
    return db


def test_shards_then_load_make_the_database_a_run_makes(tmp_path: Path, direct: Path) -> None:
    written = run_to_shards([SAMPLE], config(run={"ray_batch_size": 8}), directory=tmp_path / "s")
    assert (written.inputs, len(written.shards)) == (38, 5)
    assert dict(written.skipped) == {("clean", "too_short"): 1}
    loaded = load_shards(tmp_path / "s", config(), db=tmp_path / "loaded.db")
    summary = loaded.run
    assert (summary.inputs, summary.stored, summary.duplicates, summary.failed) == (38, 35, 2, [])
    assert contents(tmp_path / "loaded.db") == contents(direct)


def test_loading_again_skips_loaded_shards_and_a_killed_load_resumes(
    tmp_path: Path, direct: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db = tmp_path / "s", tmp_path / "loaded.db"
    run_to_shards([SAMPLE], config(run={"ray_batch_size": 10}), directory=folder)
    names = [p.name for p in shard_files(folder)]
    calls = []

    def killed_on_the_third(path: Path) -> list[Outcome]:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return read_shard(path)

    monkeypatch.setattr(shards, "read_shard", killed_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        load_shards(folder, config(), db=db)
    monkeypatch.undo()
    resumed = load_shards(folder, config(), db=db)
    assert (resumed.already_loaded, resumed.loaded) == (2, names[2:])
    assert contents(db) == contents(direct)
    again = load_shards(folder, config(), db=db)
    assert (again.already_loaded, again.loaded, again.run.inputs) == (len(names), [], 0)
    assert contents(db) == contents(direct)


def test_the_ray_engine_without_ray_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(EngineError, match=r"pip install 'khabar\[ray\]'"):
        run([SAMPLE], config(run={"engine": "ray"}), db=tmp_path / "k.db")


def test_shards_load_once_into_either_database(tmp_path: Path, database: str) -> None:
    folder = tmp_path / "s"
    run_to_shards([SAMPLE], config(run={"ray_batch_size": 10}), directory=folder)
    first = load_shards(folder, config(), db=database)
    assert (first.run.stored, first.run.duplicates, first.already_loaded) == (35, 2, 0)
    again = load_shards(folder, config(), db=database)
    assert (again.already_loaded, again.loaded, again.run.inputs) == (
        len(shard_files(folder)),
        [],
        0,
    )
