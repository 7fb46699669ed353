"""``run``: inputs through sources, stages and steps into the store, with a summary.

The main process reads inputs, skips those already stored (cheaply, by their bytes' hash and
place), hands the rest to the stages (in this process or in workers), applies the steps over
many articles with the store as their lookup, and writes in batches. Nothing is dropped without
a record: every input ends as a stored article, a copy linked to one, or a skip with its reason.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TextIO

from khabar.core.article import Article, Skip, SkippedInput, Unchanged
from khabar.core.config import Config
from khabar.core.errors import StageError
from khabar.core.lookup import ReadContext
from khabar.core.pipeline import Outcome, Pipeline
from khabar.fusion.update import fuse_stored
from khabar.geo.home import SiteProfiles
from khabar.parallel import FEW_ARTICLES, process_in_workers, resolve_jobs, worth_workers
from khabar.store import Store

log = logging.getLogger(__name__)

Event = Literal["stored", "duplicate", "unchanged", "skipped", "failed"]


@dataclass
class Failure:
    uri: str
    locator: str | None
    stage: str
    reason: str
    detail: str


@dataclass
class RunSummary:
    """What a run did, input by input, counted."""

    run_id: int = 0
    db: str = ""
    inputs: int = 0
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    fused: int = 0  # fused events written or rewritten at the end of the run
    workers: Counter[str] = field(default_factory=Counter)  # articles per Ray worker (host:pid)

    @property
    def exit_code(self) -> int:
        """0 when every input ended well, 1 when some failed (as the CLI exits)."""
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "inputs": self.inputs,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "skipped": [
                {"stage": stage, "reason": reason, "count": n}
                for (stage, reason), n in sorted(self.skipped.items())
            ],
            "failed": [f.__dict__ for f in self.failed],
            "seconds": round(self.seconds, 3),
            "interrupted": self.interrupted,
            "fused": self.fused,
            "workers": dict(self.workers),
        }


def run(
    inputs: Iterable[str],
    config: Config | None = None,
    *,
    db: str | Path | None = None,
    output: TextIO | None = None,
    on_event: Callable[[Event], None] | None = None,
    since: datetime | Literal["last"] | None = None,
) -> RunSummary:
    """Process ``inputs`` (paths, or ``-`` for stdin) into the store; return the summary.

    ``db`` overrides ``run.db``; ``output`` receives one JSON record per input; ``on_event`` is
    told what became of each input (for progress displays); ``since`` skips, without reading
    them, inputs unchanged since then (``"last"``: since the last finished run over the same
    inputs).
    """
    config = config or Config.load()
    specs = [str(s) for s in inputs]
    settings = config.run
    pipeline = Pipeline(config)
    pipeline.check_inputs(specs)
    target = str(db if db is not None else settings.db)
    summary = RunSummary(db=target)
    started = time.perf_counter()
    with Store.open(target) as store:
        if since == "last":
            since = store.last_run_started(specs)
        context = ReadContext(since=since, known_url=store.known_url)
        summary.run_id = store.begin_run(specs, config.to_dict())
        status = "failed"
        try:
            items = pipeline.read(specs, context)
            write_outcomes(store, pipeline, items, summary, output=output, on_event=on_event)
            # Fused after the articles are safe: a run killed here leaves its reports unfused,
            # and the next run (or `khabar fuse`) fuses them.
            summary.fused = fuse_stored(store, config)
            status = "finished"
        except KeyboardInterrupt:
            # Ctrl-C can land half-way through writing one article: the open batch is rolled
            # back (in `finally`), never committed half-written. Its inputs are not stored, so
            # the next run processes them again; every batch before it is committed and kept.
            summary.interrupted = True
            status = "interrupted"
            raise
        finally:
            summary.seconds = time.perf_counter() - started
            store.rollback()
            store.finish_run(summary.run_id, status, summary.to_dict())
    return summary


def write_outcomes(
    store: Store,
    pipeline: Pipeline,
    items: Iterable[Outcome],
    summary: RunSummary,
    *,
    output: TextIO | None = None,
    on_event: Callable[[Event], None] | None = None,
    in_process: bool = False,
) -> None:
    """Settle, process and write already-read ``items`` under the run ``summary.run_id``,
    counting into ``summary``; commits every ``run.batch_size`` outcomes and at the end.

    What ``run`` does between reading and fusing; ``khabar watch`` calls it with what each poll
    found. ``in_process`` runs the stages in this process, with ``pipeline``, whatever
    ``run.jobs`` and ``run.engine`` say. Fusing what was written (``fuse_stored``) is the
    caller's.
    """
    config = pipeline.config
    writer = _Writer(store, pipeline, summary, output, on_event or (lambda _: None))
    fresh = writer.unseen(items)
    with closing(_stage_outcomes(pipeline, fresh, summary, in_process)) as outcomes:
        for count, outcome in enumerate(outcomes, 1):
            writer.write(outcome)
            if count % config.run.batch_size == 0:
                store.commit()
    store.commit()


def _stage_outcomes(
    pipeline: Pipeline, items: Iterable[Outcome], summary: RunSummary, in_process: bool
) -> Generator[Outcome, None, None]:
    """The seam between reading and writing: the stages run here, in worker processes, or on
    Ray actors (``run.engine``); whichever runs them, outcomes come back in input order."""
    config = pipeline.config
    jobs = 1 if in_process else config.run.jobs
    if config.run.engine == "ray" and not in_process:
        from khabar.engines.ray import process_on_ray  # noqa: PLC0415 - an optional extra

        yield from process_on_ray(config, items, summary.workers, jobs=jobs)
        return
    jobs = resolve_jobs(jobs)
    if jobs > 1:
        worth, items = worth_workers(items)
        if worth:
            yield from process_in_workers(config, items, jobs)
            return
        log.info(
            "fewer than %d articles: processed in this process, not %d workers", FEW_ARTICLES, jobs
        )
    yield from pipeline.pipe(items)


class _Writer:
    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        summary: RunSummary,
        output: TextIO | None,
        on_event: Callable[[Event], None],
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.summary = summary
        self.output = output
        self.on_event = on_event
        self.strict = pipeline.strict
        # Each site's profile as the store held it when the run first met the site: the same
        # for all its articles in the run, whatever order the workers finish them in.
        self.profiles = SiteProfiles(store.site_profile)

    def unseen(self, items: Iterable[Outcome]) -> Iterator[Outcome]:
        """Pass on what needs processing; settle inputs whose exact bytes are already stored."""
        for item in items:
            self.summary.inputs += 1
            if isinstance(item, Unchanged):
                self.summary.unchanged += 1
                self.on_event("unchanged")
                continue
            if isinstance(item, Article):
                source = item.source
                known = self.store.known_input(item.raw_sha256, source.uri, source.locator)
                if known is not None:
                    self._settle("unchanged", item, known)
                    continue
                if self._same_bytes(item):
                    continue
                item.site_profile = self.profiles.for_article(item)
            yield item

    def _same_bytes(self, article: Article) -> bool:
        """Settle an input whose exact bytes an article was already made from, elsewhere."""
        original = self.store.article_for_raw(article.raw_sha256)
        if original is None:
            return False
        self.store.add_input(article, original, "same_input", self.summary.run_id, "same_input")
        article.duplicate_method = "same_input"
        self._settle("duplicate", article, original)
        return True

    def write(self, outcome: Outcome) -> None:
        if isinstance(outcome, Unchanged):
            return  # settled in unseen(); never sent to the stages
        if isinstance(outcome, SkippedInput):
            self._skip(outcome)
            return
        # Checked again here: with workers, a copy can be read before its original is written.
        if self._same_bytes(outcome):
            return
        article = self.pipeline.apply_steps(outcome, self.store)
        stored_hash = self.store.has_article(article.id)
        if article.duplicate_of is None and stored_hash is not None:
            if stored_hash != article.content_hash:
                self._skip(_conflict(article))
                return
            article.duplicate_of, article.duplicate_method = article.id, "same_id_and_text"
        if article.duplicate_of is not None:
            self.store.add_input(
                article,
                article.duplicate_of,
                "duplicate",
                self.summary.run_id,
                article.duplicate_method,
            )
            self._settle("duplicate", article, article.duplicate_of)
            return
        self.store.add_article(article, self.summary.run_id)
        self.summary.stored += 1
        self._emit(article.to_record())
        self.on_event("stored")

    def _skip(self, item: SkippedInput) -> None:
        skip = item.skip
        self.store.add_skip(item, self.summary.run_id)
        if skip.severity == "error":
            if self.strict:
                raise StageError(skip.stage, skip.reason, f"{item.source.uri}: {skip.detail}")
            self.summary.failed.append(
                Failure(item.source.uri, item.source.locator, skip.stage, skip.reason, skip.detail)
            )
            self.on_event("failed")
        else:
            self.summary.skipped[(skip.stage, skip.reason)] += 1
            self.on_event("skipped")
        self._emit(item.to_record())

    def _settle(self, event: Event, article: Article, article_id: str) -> None:
        """Count an input that became no new article; its record points at the one it copies."""
        if event == "unchanged":
            self.summary.unchanged += 1
        else:
            self.summary.duplicates += 1
        if self.output is not None:
            if article.id == article_id and event == "unchanged":
                stored = self.store.get_article(article_id)
                self._emit((stored or article).to_record())
            else:
                article.duplicate_of = article_id
                self._emit(article.to_record())
        self.on_event(event)

    def _emit(self, record: dict[str, Any]) -> None:
        if self.output is not None:
            self.output.write(json.dumps(record, ensure_ascii=False) + "\n")


def _conflict(article: Article) -> SkippedInput:
    return SkippedInput(
        source=article.source,
        skip=Skip(
            stage="store",
            reason="id_conflict",
            detail=(
                f"id {article.id!r} is already stored with different text; "
                "give this input another id"
            ),
        ),
        raw_sha256=article.raw_sha256,
    )
