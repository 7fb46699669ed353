"""``khabar bench``: throughput and peak memory of ``khabar run``, beside trafilatura alone.

Each measurement runs in a fresh process (so peak memory is its own and nothing is cached from
another), over the same pages, repeated and alternated so that a noisy machine affects both
sides alike; the figures are medians. This is a benchmark, not a test: it prints numbers.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import statistics
import tempfile
import threading
import time
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
    """One timed pass: how many items, how long, the process's peak memory and that of its
    largest worker process (0 without workers)."""

    items: int
    seconds: float
    peak_rss_mb: float
    worker_rss_mb: float = 0.0
    # Inputs per second over the second half of the inputs: the models loaded, the workers busy.
    steady_per_second: float = 0.0


@dataclass(frozen=True)
class Pass:
    """What one line of the benchmark runs: trafilatura alone, or ``khabar run`` with a profile
    on a number of worker processes (or Ray actors)."""

    name: str
    kind: str  # "trafilatura" or "khabar"
    profile: str = "default"
    jobs: int = 1
    engine: str = "local"


@dataclass(frozen=True)
class Result:
    name: str
    runs: list[Measure]
    what: Pass | None = None

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

    @property
    def worker_rss_mb(self) -> float:
        return max(r.worker_rss_mb for r in self.runs)

    @property
    def steady_per_second(self) -> float:
        return statistics.median(r.steady_per_second for r in self.runs)

    @property
    def per_day(self) -> float:
        return 86_400 * self.per_second


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _khabar_pass(
    inputs: list[str], jobs: int, engine: str = "local", profile: str = "default"
) -> Measure:
    config = Config.load(
        env={}, overrides=[f"run.jobs={jobs}", f'run.engine="{engine}"'], profile=profile
    )
    settled: list[float] = []  # when each input was settled
    workers = _WorkerMemory(os.getpid())
    workers.start()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        summary = run(
            inputs,
            config,
            db=Path(tmp) / "bench.db",
            on_event=lambda _: settled.append(time.perf_counter()),
        )
        seconds = time.perf_counter() - started
    workers.stop.set()
    workers.join()
    return Measure(summary.inputs, seconds, _peak_rss_mb(), workers.peak_mb, steady_rate(settled))


def steady_rate(settled: list[float]) -> float:
    """Inputs settled a second over the second half of a pass: the least-squares slope of the
    count against the time. Articles come back a batch at a time, so settling times bunch; a
    slope gives the batches' own rate, where a count between two chosen moments would depend on
    whether those fell at the start or the end of a batch."""
    times = settled[len(settled) // 2 :]
    if len(times) < 2 or times[0] == times[-1]:
        return 0.0
    return statistics.linear_regression(times, range(len(times))).slope


class _WorkerMemory(threading.Thread):
    """Samples the memory of every process below ``pid`` (worker processes, a forkserver)
    twice a second; ``peak_mb`` is the largest any of them reached."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            sizes = [_rss_mb(child) for child in _children(self.pid)]
            self.peak_mb = max([self.peak_mb, *sizes])


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
    profile: str = "default"
    events: int = 0  # event reports coded in all

    @property
    def total_ms(self) -> float:
        return sum(self.stage_ms.values())

    @property
    def articles_per_day_on_2_cores(self) -> float:
        return 2 * 86_400_000 / self.total_ms if self.total_ms else 0.0


def stage_costs(corpus: Path, profile: str = "default") -> StageCosts:
    """Time every stage of the profile's pipeline over the corpus, models loaded beforehand,
    and count the event reports it codes."""
    pipeline = Pipeline(Config.load(env={}, profile=profile))
    articles = [a for a in pipeline.read([str(corpus)]) if isinstance(a, Article)]
    if articles:  # the first article loads every model: not part of the per-article cost
        pipeline.process(articles[0].model_copy(deep=True))
    pipeline.cpu_seconds.clear()
    texts = []
    events = 0
    for outcome in pipeline.pipe(articles):  # in batches, as a run does
        if isinstance(outcome, Article):
            texts.append(outcome.text)
            events += len(outcome.events)
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
        profile,
        events,
    )


def html_pages(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.rglob("*") if p.name.lower().endswith(HTML_SUFFIXES))


def passes(jobs: int, engine: str = "local") -> list[Pass]:
    """The benchmark's lines: trafilatura alone; ``khabar run`` in the default profile on one
    worker and on ``jobs``; the fast profile on ``jobs``; with ``engine="ray"``, the default
    profile on ``jobs`` Ray actors too."""
    lines = [
        Pass("trafilatura alone", "trafilatura"),
        Pass("khabar default, 1 process", "khabar", "default", 1),
    ]
    if jobs > 1:
        lines.append(Pass(f"khabar default, {jobs} workers", "khabar", "default", jobs))
    lines.append(Pass(f"khabar fast, {jobs} workers", "khabar", "fast", jobs))
    if engine == "ray":
        lines.append(Pass(f"khabar default, {jobs} Ray actors", "khabar", "default", jobs, "ray"))
    return lines


def bench(corpus: Path, *, repeat: int = 3, jobs: int = 2, engine: str = "local") -> list[Result]:
    """Each line of :func:`passes` ``repeat`` times, in rotating order, each pass in a fresh
    process (so its memory is its own and nothing is cached from another), over the same
    inputs: the corpus's HTML pages when it has any (trafilatura reads HTML only), else the
    whole corpus (and no trafilatura line). Model loading is included in every khabar pass.
    A Ray pass includes starting Ray; its peak memory is the driver's.
    """
    pages = html_pages(corpus)
    inputs = pages or [str(corpus)]
    lines = [p for p in passes(jobs, engine) if pages or p.kind != "trafilatura"]
    runs: dict[str, list[Measure]] = {line.name: [] for line in lines}
    context = multiprocessing.get_context("spawn")
    for i in range(repeat):
        for line in lines[i % len(lines) :] + lines[: i % len(lines)]:
            with ProcessPoolExecutor(1, mp_context=context) as pool:
                if line.kind == "trafilatura":
                    future = pool.submit(_trafilatura_pass, pages)
                else:
                    future = pool.submit(_khabar_pass, inputs, line.jobs, line.engine, line.profile)
                runs[line.name].append(future.result())
    return [Result(line.name, runs[line.name], line) for line in lines]


# -- memory over a long run ----------------------------------------------------------------------
@dataclass(frozen=True)
class MemorySample:
    seconds: float
    main_mb: float  # the run's own process (reader, writer, store)
    worker_mb: float  # its largest worker process


@dataclass(frozen=True)
class MemoryProfile:
    """The memory of one ``khabar run`` over ``articles`` made-up articles, sampled as it ran."""

    articles: int
    jobs: int
    seconds: float
    samples: list[MemorySample]

    def at(self, share: float) -> MemorySample:
        """The sample taken when ``share`` (0 to 1) of the run's time had passed."""
        return self.samples[min(len(self.samples) - 1, int(share * len(self.samples)))]

    def growth_mb(self) -> tuple[float, float]:
        """How much the main process and the largest worker grew from the first half of the
        run (after its first tenth: models loading) to its second half: median against median."""
        if len(self.samples) < 10:
            return 0.0, 0.0
        tenth = len(self.samples) // 10
        first, second = (
            self.samples[tenth : len(self.samples) // 2],
            self.samples[len(self.samples) // 2 :],
        )
        return (
            statistics.median(s.main_mb for s in second)
            - statistics.median(s.main_mb for s in first),
            statistics.median(s.worker_mb for s in second)
            - statistics.median(s.worker_mb for s in first),
        )


def _rss_mb(pid: int) -> float:
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    """Every process below ``pid``: its children, theirs, and so on (one read of Linux /proc)."""
    parent_of: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent_of[int(entry.name)] = int(fields[1])
    found: list[int] = []
    below = {pid}
    while below:
        below = {child for child, parent in parent_of.items() if parent in below}
        found += sorted(below)
    return found


def _memory_run(source: str, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run([source], Config.load(env={}, overrides=[f"run.jobs={jobs}"]), db=Path(tmp) / "m.db")


def memory_profile(articles: int = 10_000, *, jobs: int = 2, every_s: float = 1.0) -> MemoryProfile:
    """``khabar run`` over ``articles`` made-up news stories (JSON Lines, each text its own),
    in a fresh process with ``jobs`` workers, its memory and its workers' sampled every
    ``every_s`` seconds: memory stays flat when the run streams."""
    import json  # noqa: PLC0415

    from khabar.fusion.synthetic import stress  # noqa: PLC0415

    stories = list(stress(copies=0, negatives=min(articles, 1000)))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for n in range(articles):
                story = stories[n % len(stories)]
                line = {
                    "id": f"mem-{n:06d}",
                    "title": story.title,
                    # Each text its own, so none is settled as a copy before the stages.
                    "text": f"{story.text}\nFiled as report {n} of {articles}.",
                    "url": f"https://{story.site}/mem-{n:06d}",
                }
                out.write(json.dumps(line) + "\n")
        context = multiprocessing.get_context("spawn")
        process = context.Process(target=_memory_run, args=(str(source), jobs))
        started = time.perf_counter()
        process.start()
        samples = []
        while process.is_alive():
            assert process.pid is not None
            workers = [_rss_mb(child) for child in _children(process.pid)]
            samples.append(
                MemorySample(
                    time.perf_counter() - started, _rss_mb(process.pid), max(workers, default=0.0)
                )
            )
            process.join(every_s)
        if process.exitcode != 0:
            raise RuntimeError(f"the memory run failed (exit code {process.exitcode})")
    return MemoryProfile(articles, jobs, time.perf_counter() - started, samples)
