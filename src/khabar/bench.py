"""``khabar bench``: throughput and peak memory of ``khabar run``, beside trafilatura alone.

Each measurement runs in a fresh process (so peak memory is its own and nothing is cached from
another), over the same pages, repeated and alternated so that a noisy machine affects both
sides alike; the figures are medians. This is a benchmark, not a test: it prints numbers.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from khabar.core.article import Article
from khabar.core.config import Config
from khabar.core.pipeline import Pipeline
from khabar.geo.gazetteer import load_or_build
from khabar.geo.names import fold
from khabar.ingest.decode import decode
from khabar.ingest.reading import ReadSkip, read_file
from khabar.runner import run

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


@dataclass(frozen=True)
class Measure:
    """One timed pass: how many items, how long, and the process's peak memory."""

    items: int
    seconds: float
    peak_rss_mb: float


@dataclass(frozen=True)
class Result:
    name: str
    runs: list[Measure]

    @property
    def items(self) -> int:
        return self.runs[0].items

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0

    @property
    def ms_per_item(self) -> float:
        return 1000 * self.seconds / self.items if self.items else 0.0

    @property
    def peak_rss_mb(self) -> float:
        return max(r.peak_rss_mb for r in self.runs)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _khabar_pass(inputs: list[str], jobs: int) -> Measure:
    config = Config.load(env={}, overrides=[f"run.jobs={jobs}"])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = run(inputs, config, db=Path(tmp) / "bench.db")
        seconds = time.perf_counter() - started
    return Measure(summary.inputs, seconds, _peak_rss_mb())


def _trafilatura_pass(pages: list[str]) -> Measure:
    started = time.perf_counter()
    for page in pages:
        try:
            html = decode(read_file(Path(page), 50_000_000)).text
        except ReadSkip:
            continue
        trafilatura.bare_extraction(
            html, favor_precision=True, include_comments=False, with_metadata=True
        )
    return Measure(len(pages), time.perf_counter() - started, _peak_rss_mb())


@dataclass(frozen=True)
class StageCosts:
    """CPU milliseconds per article for each stage, beside plain reference costs."""

    articles: int
    stage_ms: dict[str, float]
    scan_ms: float  # a plain Aho-Corasick scan of the same clean text over the gazetteer's names

    @property
    def total_ms(self) -> float:
        return sum(self.stage_ms.values())

    @property
    def articles_per_day_on_2_cores(self) -> float:
        return 2 * 86_400_000 / self.total_ms if self.total_ms else 0.0


def stage_costs(corpus: Path) -> StageCosts:
    """Time every stage of the default pipeline over the corpus, models loaded beforehand."""
    pipeline = Pipeline(Config.load(env={}))
    articles = [a for a in pipeline.read([str(corpus)]) if isinstance(a, Article)]
    if articles:  # the first article loads every model: not part of the per-article cost
        pipeline.process(articles[0].model_copy(deep=True))
    pipeline.cpu_seconds.clear()
    texts = []
    for article in articles:
        outcome = pipeline.process(article)
        if isinstance(outcome, Article):
            texts.append(outcome.text)
    automaton = load_or_build().automaton
    started = time.process_time()
    for text in texts:
        for _ in automaton.iter(fold(text)):
            pass
    scan = time.process_time() - started
    count = max(1, len(articles))
    return StageCosts(
        len(articles),
        {name: 1000 * seconds / count for name, seconds in pipeline.cpu_seconds.items()},
        1000 * scan / max(1, len(texts)),
    )


def html_pages(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.rglob("*") if p.name.lower().endswith(HTML_SUFFIXES))


def bench(corpus: Path, *, repeat: int = 3, jobs: int = 1) -> list[Result]:
    """Each measurement ``repeat`` times, in rotating order, each pass in a fresh process.

    Measured: ``khabar run`` over the whole corpus; ``khabar run`` over its HTML pages only;
    trafilatura alone over the same HTML pages (decode + extraction with khabar's settings).
    """
    pages = html_pages(corpus)
    passes: dict[str, tuple[Callable[..., Measure], tuple[object, ...]]] = {
        f"khabar run, whole corpus (jobs={jobs})": (_khabar_pass, ([str(corpus)], jobs)),
    }
    if pages:
        passes[f"khabar run, HTML pages only (jobs={jobs})"] = (_khabar_pass, (pages, jobs))
        passes["trafilatura alone, same HTML pages"] = (_trafilatura_pass, (pages,))
    runs: dict[str, list[Measure]] = {name: [] for name in passes}
    names = list(passes)
    context = multiprocessing.get_context("spawn")
    for i in range(repeat):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            function, args = passes[name]
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                runs[name].append(pool.submit(function, *args).result())
    return [Result(name, measures) for name, measures in runs.items()]
