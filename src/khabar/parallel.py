"""Run the pipeline's stages in worker processes, keeping input order and bounded memory.

Each worker builds its own pipeline once (models load once per worker) and processes a few
articles at a time (``pipeline.batch_articles``); the main process keeps at most ``window``
articles in flight, so memory stays bounded whatever the size of the input, and yields outcomes
in input order, so a run with N workers stores exactly what a run with one stores.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from khabar.core.article import Article
from khabar.core.config import Config
from khabar.core.pipeline import Outcome, Pipeline, batched

_worker_pipeline: Pipeline | None = None

#: Fewer articles than this are done in the run's own process whatever ``run.jobs`` says: each
#: worker loads every model first (seconds), more than a handful of articles takes.
FEW_ARTICLES = 32


def _start_worker(config: Config) -> None:
    global _worker_pipeline  # noqa: PLW0603 - one pipeline per worker process
    config.validate()  # imports the config's plugins here too: their parts register on import
    _worker_pipeline = Pipeline(config)


def _process_many(articles: list[Article]) -> list[Outcome]:
    assert _worker_pipeline is not None, "worker started without a pipeline"
    outcomes = _worker_pipeline.process_many(articles)
    for outcome in outcomes:
        if isinstance(outcome, Article):
            # The stages only read the raw input, and the main process still holds it: not
            # sent back (a news page's bytes and their decoded text are most of what a result
            # weighs).
            outcome.raw, outcome.raw_text = b"", ""
    return outcomes


def _with_raw(outcome: Outcome, submitted: Outcome) -> Outcome:
    if isinstance(outcome, Article) and isinstance(submitted, Article):
        outcome.raw, outcome.raw_text = submitted.raw, submitted.raw_text
    return outcome


def _done(items: list[Outcome]) -> Future[list[Outcome]]:
    future: Future[list[Outcome]] = Future()
    future.set_result(items)
    return future


def resolve_jobs(jobs: int) -> int:
    """``0`` means one worker per CPU core this process may use."""
    if jobs > 0:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worth_workers(items: Iterable[Outcome]) -> tuple[bool, Iterator[Outcome]]:
    """Whether ``items`` hold at least :data:`FEW_ARTICLES` articles, reading ahead no further
    than that; and all the items again, in order."""
    rest = iter(items)
    head: list[Outcome] = []
    articles = 0
    for item in rest:
        head.append(item)
        articles += isinstance(item, Article)
        if articles >= FEW_ARTICLES:
            return True, itertools.chain(head, rest)
    return False, iter(head)


def process_in_workers(config: Config, items: Iterable[Outcome], jobs: int) -> Iterator[Outcome]:
    """Outcomes of ``items`` through the stages, in input order, using ``jobs`` processes.

    Articles go to the workers ``pipeline.batch_articles`` at a time (each worker's models
    then read them together: ``Pipeline.process_many``); each worker has a batch queued behind
    the one it is doing, so none waits for the main process."""
    size = config.pipeline.batch_articles
    window = jobs * (2 * size + 1)  # articles in flight
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(config,)
    ) as pool:
        pending: deque[tuple[Future[list[Outcome]], Sequence[Outcome]]] = deque()
        in_flight = 0
        for group in batched(items, size):
            if isinstance(group, list):
                pending.append((pool.submit(_process_many, group), group))
                in_flight += len(group)
            else:
                pending.append((_done([group]), [group]))
            while in_flight >= window and pending:
                future, submitted = pending.popleft()
                in_flight -= sum(isinstance(i, Article) for i in submitted)
                yield from map(_with_raw, future.result(), submitted)
        while pending:
            future, submitted = pending.popleft()
            yield from map(_with_raw, future.result(), submitted)
