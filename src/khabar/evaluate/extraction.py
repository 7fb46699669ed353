"""Main-text extraction on the Scrapinghub article-extraction benchmark, beside trafilatura alone.

The benchmark (github.com/scrapinghub/article-extraction-benchmark) is a folder holding
``ground-truth.json`` (page id -> ``{"articleBody": ..., "url": ...}``) and ``html/<id>.html.gz``.
Its score, which this module implements: each text becomes the multiset of its 4-word shingles
(``\\w+`` tokens); on each page true positives, false positives and false negatives are counted
and divided by their sum; precision is averaged over the pages where something was predicted,
recall over the pages with a gold body, and F1 is taken of the two averages.

Both sides run in this process on the same pages, alternating page by page so that a busy
machine slows both alike: khabar's cleaning stage exactly as the configured pipeline runs it,
and ``trafilatura.extract`` with its defaults. The time counted is decoding plus extraction.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from khabar.core.article import InputRef, SkippedInput
from khabar.core.config import Config
from khabar.core.errors import ConfigError, DropArticle
from khabar.core.registry import Stage
from khabar.ingest.decode import decode
from khabar.ingest.reading import article_from_bytes

log = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/eval/article_extraction_benchmark")
GROUND_TRUTH = "ground-truth.json"
SHINGLE_SIZE = 4
CLEAN_STAGE = "extract.main_text.v1"
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[bytes], str]


# -- the score ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageCounts:
    """True positives, false positives and false negatives of one page, as shares of their sum."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The text's word ``size``-grams with their counts; a shorter text is one shorter shingle."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < size:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(gold: str, predicted: str) -> PageCounts:
    truth, found = shingles(gold), shingles(predicted)
    tp = sum((truth & found).values())
    fp = sum((found - truth).values())
    fn = sum((truth - found).values())
    total = tp + fp + fn
    return PageCounts(tp / total, fp / total, fn / total) if total else PageCounts(0.0, 0.0, 0.0)


def score(pages: Iterable[PageCounts]) -> Score:
    """Precision averaged over pages with a prediction, recall over pages with a gold body."""
    rows = list(pages)
    precision = _mean([p.tp / (p.tp + p.fp) for p in rows if p.tp + p.fp > 0])
    recall = _mean([p.tp / (p.tp + p.fn) for p in rows if p.tp + p.fn > 0])
    total = precision + recall
    return Score(precision, recall, 2 * precision * recall / total if total else 0.0)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# -- the report -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SystemResult:
    """One extractor over the benchmark: its score and the seconds spent decoding and extracting."""

    name: str
    score: Score
    seconds: float
    pages: int

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class ExtractionReport:
    """Both systems over the same pages, or why the evaluation was skipped."""

    data_dir: Path
    pages: int = 0
    missing: int = 0
    results: tuple[SystemResult, ...] = field(default_factory=tuple)
    skipped: str | None = None

    def result(self, name: str) -> SystemResult:
        return next(r for r in self.results if r.name == name)

    def speed_ratio(self, name: str, baseline: str = "trafilatura") -> float:
        """How many times the baseline's pages per second ``name`` manages."""
        base = self.result(baseline).pages_per_second
        return self.result(name).pages_per_second / base if base else 0.0


def evaluate_extraction(
    data_dir: Path = DEFAULT_DATA, *, config: Config | None = None, limit: int | None = None
) -> ExtractionReport:
    """Score khabar's HTML cleaning and trafilatura alone on the benchmark in ``data_dir``."""
    missing_data = why_missing(data_dir)
    if missing_data:
        return ExtractionReport(data_dir=data_dir, skipped=missing_data)
    gold = load_ground_truth(data_dir)
    ids = sorted(gold)[:limit] if limit is not None else sorted(gold)
    pages = {page_id: _read_page(data_dir, page_id) for page_id in ids}
    systems: dict[str, Extractor] = {
        "khabar": khabar_extractor(config or Config.load(env={})),
        "trafilatura": trafilatura_extractor,
    }
    texts, seconds = _run_alternating(systems, pages)
    results = tuple(
        SystemResult(
            name,
            score(page_counts(gold[i], texts[name].get(i, "")) for i in ids),
            seconds[name],
            len(ids),
        )
        for name in systems
    )
    missing = sum(1 for i in ids if pages[i] is None)
    return ExtractionReport(data_dir=data_dir, pages=len(ids), missing=missing, results=results)


def why_missing(data_dir: Path) -> str | None:
    """Why the benchmark cannot be read from ``data_dir``, or None when it can."""
    if not (data_dir / GROUND_TRUTH).is_file() or not (data_dir / "html").is_dir():
        return (
            f"no benchmark at {data_dir}: expected {GROUND_TRUTH} and html/*.html.gz there "
            "(the Scrapinghub article-extraction benchmark; pass its folder with --data)"
        )
    return None


def load_ground_truth(data_dir: Path) -> dict[str, str]:
    """Page id -> gold article body."""
    with (data_dir / GROUND_TRUTH).open(encoding="utf-8") as handle:
        raw = json.load(handle)
    return {str(page_id): str(item.get("articleBody") or "") for page_id, item in raw.items()}


def _read_page(data_dir: Path, page_id: str) -> bytes | None:
    path = data_dir / "html" / f"{page_id}.html.gz"
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        log.warning("benchmark page %s unreadable, counted as extracting nothing: %s", path, exc)
        return None


def khabar_extractor(config: Config) -> Extractor:
    """Bytes -> clean text the way ``khabar run`` does it: decode, then the configured stage."""
    stage = _clean_stage(config)

    def extract(data: bytes) -> str:
        ref = InputRef(name="eval", uri="benchmark")
        article = article_from_bytes(data, media_type="text/html", source=ref)
        if isinstance(article, SkippedInput):
            return ""
        try:
            return stage(article).text
        except DropArticle:
            return ""

    return extract


def _clean_stage(config: Config) -> Stage:
    for part in config.parts("stage"):
        if part.registered.name == CLEAN_STAGE:
            built: Stage = part.build()
            return built
    raise ConfigError(
        f"the configured pipeline has no {CLEAN_STAGE} stage, so no HTML extraction to evaluate"
    )


def trafilatura_extractor(data: bytes) -> str:
    """trafilatura alone, with its default settings, on the decoded page."""
    return trafilatura.extract(decode(data).text) or ""


def _run_alternating(
    systems: dict[str, Extractor], pages: dict[str, bytes | None]
) -> tuple[dict[str, dict[str, str]], dict[str, float]]:
    """Each page through every system, the order rotating page by page; time per system."""
    names = list(systems)
    texts: dict[str, dict[str, str]] = {name: {} for name in names}
    seconds = dict.fromkeys(names, 0.0)
    first = next((data for data in pages.values() if data is not None), None)
    if first is not None:  # warm-up: lazy imports and caches are not what we measure
        for name in names:
            systems[name](first)
    for number, (page_id, data) in enumerate(pages.items()):
        if data is None:
            continue
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            texts[name][page_id] = systems[name](data)
            seconds[name] += time.perf_counter() - started
    return texts, seconds
