"""Parquet shards: what the stages produced, written to files, imported later by one writer.

``khabar run --shards DIR`` writes no database: each batch of inputs, as it came out of the
stages, becomes one Parquet file (an article with its raw bytes, a skip, an input a source
settled as unchanged), as full JSON records so that nothing is lost. ``khabar load DIR`` then
imports the files in name order, which is input order, through the same writer as ``khabar run``
(the dedup steps, the store, fusion), so the database is the one a plain run makes. Each file is
imported in one transaction that also records its name: loading again skips it, and a killed
load resumes with the first file not recorded.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from khabar.core.article import Article, Fingerprints, SkippedInput, Unchanged
from khabar.core.config import Config
from khabar.core.errors import InputError
from khabar.core.lookup import ReadContext
from khabar.core.pipeline import Outcome, Pipeline
from khabar.fusion.update import fuse_stored
from khabar.parallel import process_in_workers, resolve_jobs
from khabar.runner import Event, RunSummary, _Writer
from khabar.store import Store

SUFFIX = ".parquet"
SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),  # the input's place in the run that wrote the shard
        ("kind", pa.string()),  # article | skipped | unchanged
        ("record", pa.string()),  # the outcome as JSON (an article's full record)
        ("raw", pa.binary()),  # an article's raw input, which its record leaves out
        ("raw_text", pa.string()),  # and the raw input decoded
        ("fingerprints", pa.string()),  # and its fingerprints (JSON), when steps made them
    ]
)


def new_token() -> str:
    """A prefix for one run's shard names: they sort after earlier runs' and never clash."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


def shard_name(token: str, index: int) -> str:
    return f"{token}-{index:08d}{SUFFIX}"


def shard_files(directory: str | Path) -> list[Path]:
    """The shards in ``directory``, in the order they must be imported."""
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError(f"{directory} is not a folder of shards; give the --shards folder")
    return sorted(p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith("."))


def write_shard(path: Path, outcomes: Sequence[Outcome], first_seq: int) -> None:
    """Write one shard whole or not at all (a temporary file, renamed when complete)."""
    rows = [_row(first_seq + i, outcome) for i, outcome in enumerate(outcomes)]
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), temporary, compression="zstd")
    temporary.replace(path)


def read_shard(path: Path) -> list[Outcome]:
    return [_outcome(row) for row in pq.read_table(path, schema=SCHEMA).to_pylist()]


def _row(seq: int, outcome: Outcome) -> dict[str, Any]:
    row: dict[str, Any] = {"seq": seq, "record": outcome.model_dump_json()}
    if isinstance(outcome, Article):
        fingerprints = outcome.fingerprints
        row |= {"kind": "article", "raw": outcome.raw, "raw_text": outcome.raw_text}
        if fingerprints != Fingerprints():
            row["fingerprints"] = fingerprints.model_dump_json()
    else:
        row["kind"] = "skipped" if isinstance(outcome, SkippedInput) else "unchanged"
    return row


def _outcome(row: dict[str, Any]) -> Outcome:
    if row["kind"] == "skipped":
        return SkippedInput.model_validate_json(row["record"])
    if row["kind"] == "unchanged":
        return Unchanged.model_validate_json(row["record"])
    data = json.loads(row["record"])
    data |= {"raw": row["raw"] or b"", "raw_text": row["raw_text"] or ""}
    if row["fingerprints"]:
        data["fingerprints"] = Fingerprints.model_validate_json(row["fingerprints"])
    return Article.model_validate(data)


# -- writing shards -------------------------------------------------------------------------
@dataclass
class ShardRun:
    """What a run into shards wrote: files, and its inputs counted by what they became."""

    directory: str
    shards: list[str] = field(default_factory=list)
    inputs: int = 0
    articles: int = 0  # out of the stages, to be stored or linked to a copy by `khabar load`
    unchanged: int = 0
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed: int = 0
    workers: Counter[str] = field(default_factory=Counter)  # articles each Ray worker processed
    seconds: float = 0.0

    def count(self, outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            self.inputs += 1
            if isinstance(outcome, Article):
                self.articles += 1
            elif isinstance(outcome, Unchanged):
                self.unchanged += 1
            elif outcome.skip.severity == "error":
                self.failed += 1
            else:
                self.skipped[(outcome.skip.stage, outcome.skip.reason)] += 1

    def add(self, part: ShardRun) -> None:
        self.shards += part.shards
        self.inputs += part.inputs
        self.articles += part.articles
        self.unchanged += part.unchanged
        self.skipped.update(part.skipped)
        self.failed += part.failed
        self.workers.update(part.workers)


def batches(items: Iterable[Outcome], size: int) -> Iterator[list[Outcome]]:
    """``items`` in lists of ``size`` (the last may be shorter), in order."""
    batch: list[Outcome] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_to_shards(
    inputs: Iterable[str],
    config: Config | None = None,
    *,
    directory: str | Path,
    since: datetime | None = None,
) -> ShardRun:
    """Read ``inputs``, run the stages (locally or on Ray, as ``run.engine`` says) and write
    their outcomes to shards in ``directory``, ``run.ray_batch_size`` inputs a shard."""
    config = config or Config.load()
    specs = [str(s) for s in inputs]
    pipeline = Pipeline(config)
    pipeline.check_inputs(specs)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    items = pipeline.read(specs, ReadContext(since=since))
    if config.run.engine == "ray":
        from khabar.engines.ray import write_shards_on_ray  # noqa: PLC0415 - an optional extra

        summary = write_shards_on_ray(config, items, folder, new_token())
    else:
        summary = _write_shards_here(pipeline, items, folder)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_shards_here(pipeline: Pipeline, items: Iterable[Outcome], folder: Path) -> ShardRun:
    config = pipeline.config
    jobs = resolve_jobs(config.run.jobs)
    outcomes = pipeline.pipe(items) if jobs == 1 else process_in_workers(config, items, jobs)
    summary, token, seq = ShardRun(str(folder)), new_token(), 0
    for index, batch in enumerate(batches(outcomes, config.run.ray_batch_size)):
        name = shard_name(token, index)
        write_shard(folder / name, batch, seq)
        seq += len(batch)
        summary.shards.append(name)
        summary.count(batch)
    return summary


# -- loading shards -------------------------------------------------------------------------
@dataclass
class LoadSummary:
    """What ``khabar load`` did: the run it recorded, and the shards it imported or skipped."""

    run: RunSummary
    loaded: list[str] = field(default_factory=list)
    already_loaded: int = 0


def load_shards(
    directory: str | Path,
    config: Config | None = None,
    *,
    db: str | Path | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> LoadSummary:
    """Import the shards in ``directory`` not yet in the store (``db``, else ``run.db``), then
    fuse; each shard in one transaction, so a killed load resumes where it stopped."""
    config = config or Config.load()
    files = shard_files(directory)
    pipeline = Pipeline(config)  # the steps; the stages are never built here
    target = str(db if db is not None else config.run.db)
    summary = LoadSummary(RunSummary(db=target))
    started = time.perf_counter()
    with Store.open(target) as store:
        done = store.loaded_shards()
        run = summary.run
        run.run_id = store.begin_run([f"shards:{Path(directory).resolve()}"], config.to_dict())
        writer = _Writer(store, pipeline, run, None, on_event or (lambda _: None))
        status = "failed"
        try:
            for path in files:
                if path.name in done:
                    summary.already_loaded += 1
                    continue
                outcomes = read_shard(path)
                for outcome in writer.unseen(outcomes):
                    writer.write(outcome)
                store.mark_shard_loaded(path.name, len(outcomes), run.run_id)
                store.commit()
                summary.loaded.append(path.name)
            run.fused = fuse_stored(store, config)
            status = "finished"
        except KeyboardInterrupt:
            run.interrupted, status = True, "interrupted"
            raise
        finally:
            run.seconds = time.perf_counter() - started
            store.rollback()  # a shard half-written is not recorded: the next load redoes it
            store.finish_run(run.run_id, status, run.to_dict())
    return summary
