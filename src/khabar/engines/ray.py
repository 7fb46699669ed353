"""The Ray engine: the stages on Ray actors, each holding one loaded pipeline, fed in batches.

The driver (the process that runs ``khabar run``) reads the inputs, settles those already
stored, and sends the rest in batches of ``run.ray_batch_size`` to ``run.jobs`` actors (``0``:
one per CPU of the cluster), each batch to the actor with the least work. At most two batches
per actor are out at any time, done or not, so memory stays bounded whatever the input; the
outcomes are handed back in input order, and the driver's single writer stores them exactly as
the local engine does. With ``--shards``, each actor writes its batch's outcomes to a Parquet
shard instead (``khabar.engines.shards``), for ``khabar load`` to import.

Ray is an optional extra: ``pip install 'khabar[ray]'``; it is imported only when used.
"""

from __future__ import annotations

import logging
import os
import resource
import socket
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.core.article import Article
from khabar.core.config import Config
from khabar.core.errors import EngineError
from khabar.core.pipeline import Outcome, Pipeline
from khabar.engines.shards import ShardRun, batches, shard_name, write_shard

log = logging.getLogger(__name__)

INSTALL = "pip install 'khabar[ray]'"
IN_FLIGHT_PER_ACTOR = 2  # one batch being processed, one waiting: an actor is never idle


def import_ray() -> Any:
    """The ``ray`` module, or an error that says how to install it."""
    try:
        import ray  # noqa: PLC0415 - an optional extra, imported only when the engine is used
    except ImportError as exc:
        raise EngineError(
            f"run.engine = 'ray' needs Ray, which is not installed ({exc}): {INSTALL}"
        ) from exc
    return ray


@dataclass
class Processed:
    """One batch back from an actor: its outcomes, in order, and who processed them."""

    worker: str
    articles: int
    outcomes: list[Outcome]
    peak_rss_mb: float


class StageWorker:
    """What one Ray actor holds: a pipeline built once, run over batch after batch."""

    def __init__(self, config: Config) -> None:
        config.validate()  # imports the config's plugins in this process too
        self.pipeline = Pipeline(config)
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    def process(self, batch: list[Outcome]) -> Processed:
        outcomes = list(self.pipeline.pipe(batch))
        return Processed(self.name, _articles(batch), outcomes, _peak_rss_mb())

    def write(self, batch: list[Outcome], path: str, first_seq: int) -> ShardRun:
        outcomes = list(self.pipeline.pipe(batch))
        shard = Path(path)
        write_shard(shard, outcomes, first_seq)
        part = ShardRun(str(shard.parent), shards=[shard.name])
        part.count(outcomes)
        part.workers[self.name] += _articles(batch)
        return part


def _articles(batch: list[Outcome]) -> int:
    return sum(isinstance(item, Article) for item in batch)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@contextmanager
def ray_session(address: str) -> Iterator[Any]:
    """Ray, connected: to the session already open in this process, else to ``address`` (or
    ``RAY_ADDRESS``), else to a Ray instance started here for the run and stopped after it."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    local = not (address or os.environ.get("RAY_ADDRESS"))
    options = {"include_dashboard": False} if local else {}
    try:
        ray.init(address=address or None, logging_level=logging.WARNING, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise EngineError(
            f"cannot connect to Ray at {address or os.environ.get('RAY_ADDRESS')!r}: {exc}. "
            "Start a cluster with `ray start --head` and give --address auto (on its head "
            "node) or --address ray://HEAD:10001"
        ) from exc
    try:
        yield ray
    finally:
        ray.shutdown()


def start_actors(ray: Any, config: Config, jobs: int | None = None) -> list[Any]:
    """``jobs`` (else ``run.jobs``) actors, ``0`` meaning one per CPU in the cluster, each
    reserving one CPU."""
    cpus = int(ray.cluster_resources().get("CPU", 0))
    count = (config.run.jobs if jobs is None else jobs) or max(1, cpus)
    if count > cpus:
        log.warning("%d Ray actors asked for, but the cluster has %d CPUs: some wait", count, cpus)
    # An actor that dies (a node lost, memory exhausted) is restarted once and its batch retried
    # there; batches are pure functions of their inputs, and a shard is replaced whole.
    actor = ray.remote(StageWorker).options(num_cpus=1, max_restarts=1, max_task_retries=1)
    return [actor.remote(config) for _ in range(count)]


def in_order(
    ray: Any, actors: list[Any], batches: Iterable[Any], call: Callable[[Any, Any], Any]
) -> Iterator[Any]:
    """``call(actor, batch)`` for every batch, on the actor with the fewest batches running;
    results in the order of ``batches``, with at most ``IN_FLIGHT_PER_ACTOR`` per actor out."""
    window = IN_FLIGHT_PER_ACTOR * len(actors)
    running = [0] * len(actors)
    out: deque[Any] = deque()  # (ref, actor index), oldest first, done or not
    done: dict[Any, Any] = {}
    source = iter(batches)
    exhausted = False
    while True:
        while not exhausted and len(out) < window:
            batch = next(source, None)
            if batch is None:
                exhausted = True
                break
            index = running.index(min(running))
            running[index] += 1
            out.append((call(actors[index], batch), index))
        if not out:
            return
        ref, index = out[0]
        if ref not in done:
            ready, _ = ray.wait([r for r, _ in out if r not in done], num_returns=1)
            for finished in ready:
                done[finished] = _get(ray, finished)
                running[next(i for r, i in out if r == finished)] -= 1
            continue
        out.popleft()
        yield done.pop(ref)


def _get(ray: Any, ref: Any) -> Any:
    try:
        return ray.get(ref)
    except ray.exceptions.RayActorError as exc:
        raise EngineError(
            f"a Ray actor died ({exc}). If it died on a batch (twice: it is restarted once), "
            "see the Ray logs of its node, give each worker more memory, or lower "
            "run.ray_batch_size; if it could not start, check that khabar and the plugins in "
            "pipeline.plugins are installed on every node"
        ) from exc


def process_on_ray(
    config: Config,
    items: Iterable[Outcome],
    workers: Counter[str] | None = None,
    *,
    jobs: int | None = None,
) -> Iterator[Outcome]:
    """The outcomes of ``items`` through the stages on ``jobs`` (else ``run.jobs``) Ray actors,
    in input order; ``workers`` counts the articles each worker processed."""
    workers = Counter() if workers is None else workers
    peak: dict[str, float] = {}
    with ray_session(config.run.address) as ray:
        actors = start_actors(ray, config, jobs)
        try:
            chunks = batches(items, config.run.ray_batch_size)
            for result in in_order(ray, actors, chunks, lambda a, b: a.process.remote(b)):
                workers[result.worker] += result.articles
                peak[result.worker] = result.peak_rss_mb
                yield from result.outcomes
        finally:
            for actor in actors:
                ray.kill(actor)
    log.info(
        "ray: %d articles on %d workers, peak RSS per worker %s MB",
        workers.total(),
        len(workers),
        ", ".join(f"{mb:.0f}" for mb in peak.values()),
    )


def write_shards_on_ray(
    config: Config, items: Iterable[Outcome], folder: Path, token: str
) -> ShardRun:
    """Each batch through the stages on an actor, which writes its outcomes to a shard."""
    summary = ShardRun(str(folder))

    def calls() -> Iterator[tuple[list[Outcome], str, int]]:
        seq = 0
        for index, batch in enumerate(batches(items, config.run.ray_batch_size)):
            yield batch, str(folder / shard_name(token, index)), seq
            seq += len(batch)

    with ray_session(config.run.address) as ray:
        actors = start_actors(ray, config)
        try:
            for part in in_order(ray, actors, calls(), lambda a, c: a.write.remote(*c)):
                summary.add(part)
        finally:
            for actor in actors:
                ray.kill(actor)
    return summary
