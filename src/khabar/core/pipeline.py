"""The pipeline: sources, stages and steps built from a config, checked before anything runs."""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from khabar.core.article import SOURCE_FIELDS, Article, Skip, SkippedInput, Unchanged
from khabar.core.config import Config, Part
from khabar.core.errors import (
    DropArticle,
    InputError,
    PipelineError,
    StageError,
    TimeLimitExceeded,
)
from khabar.core.lookup import ArticleLookup, ReadContext
from khabar.core.registry import Source, Stage, Step, stages
from khabar.core.timelimit import time_limit

log = logging.getLogger(__name__)

Outcome = Article | SkippedInput | Unchanged


@dataclass(frozen=True)
class Built:
    part: Part
    runner: Any

    @property
    def name(self) -> str:
        return self.part.name


class Pipeline:
    """Reads inputs through sources and runs each article through the configured stages.

    Build one with ``load_pipeline``. Calling the pipeline on an article runs every stage and
    lets ``DropArticle`` and errors propagate; ``process`` catches them and returns a
    ``SkippedInput`` naming the stage and the reason instead.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        settings = config.pipeline
        stage_parts = config.parts("stage")
        step_parts = config.parts("step")
        check_order(stage_parts, step_parts)
        self.timeout = settings.article_timeout_s
        self.batch_articles = settings.batch_articles
        self.strict = config.run.strict
        self._stage_parts = stage_parts
        # CPU seconds spent in each stage by this process (for `khabar bench`).
        self.cpu_seconds: defaultdict[str, float] = defaultdict(float)
        self._built_stages: list[Built] | None = None
        self._sources = [Built(p, p.build()) for p in config.parts("source")]
        self._steps = [Built(p, p.build()) for p in step_parts]

    @property
    def _stages(self) -> list[Built]:
        # Built on first use: a run with worker processes never loads models in the main one.
        if self._built_stages is None:
            self._built_stages = [Built(p, p.build()) for p in self._stage_parts]
        return self._built_stages

    @property
    def stage_names(self) -> list[str]:
        return [p.name for p in self._stage_parts]

    @property
    def step_names(self) -> list[str]:
        return [b.name for b in self._steps]

    # -- inputs -------------------------------------------------------------------------------
    def source_for(self, spec: str) -> tuple[str, Source]:
        for built in self._sources:
            source: Source = built.runner
            if source.accepts(spec):
                return built.name, source
        raise InputError(
            f"no configured source reads {spec!r}. Sources: {', '.join(self._source_names)}; "
            "give a file or directory path, an http(s) URL, or - for standard input."
        )

    @property
    def _source_names(self) -> list[str]:
        return [b.name for b in self._sources]

    def check_inputs(self, specs: Iterable[str]) -> None:
        """Fail fast, before any work, on an input that does not exist or no source reads."""
        for spec in specs:
            if spec == "-" or "://" in spec:
                self.source_for(spec)
                continue
            if not Path(spec).exists():
                raise InputError(f"input {spec!r} does not exist; check the path")
            if not os.access(spec, os.R_OK):
                raise InputError(f"input {spec!r} cannot be read: check its permissions")
            self.source_for(spec)

    def read(self, specs: Iterable[str], context: ReadContext | None = None) -> Iterator[Outcome]:
        def route(spec: str, caller: object) -> Iterator[Outcome] | None:
            return self._route(spec, caller, routed)

        routed = replace(context or ReadContext(), route=route)
        for spec in specs:
            _, source = self.source_for(spec)
            yield from source.read(spec, routed)

    def _route(self, spec: str, caller: object, context: ReadContext) -> Iterator[Outcome] | None:
        """The first source listed before ``caller`` that reads ``spec``, reading it."""
        for built in self._sources:
            if built.runner is caller:
                return None
            if built.runner.accepts(spec):
                return built.runner.read(spec, context)  # type: ignore[no-any-return]
        return None

    # -- stages -------------------------------------------------------------------------------
    def __call__(self, article: Article) -> Article:
        with time_limit(self.timeout):
            for built in self._stages:
                article = self._run_stage(built, article)
        return article

    def _run_stage(self, built: Built, article: Article) -> Article:
        stage: Stage = built.runner
        started = time.process_time()
        try:
            result = stage(article)
        finally:
            self.cpu_seconds[built.name] += time.process_time() - started
        problems = result.span_errors()
        if problems:
            raise StageError(built.name, "invalid_span", "; ".join(problems[:3]))
        return result

    def process(self, article: Article, *, start: str | None = None) -> Outcome:
        """Run the stages (from the one named ``start``, when given: for re-processing); a drop
        or a failure becomes a ``SkippedInput`` (raised if strict)."""
        current = "pipeline"
        names = self.stage_names
        if start is not None and start not in names:
            raise PipelineError(f"no stage {start!r} in this pipeline; stages: {', '.join(names)}")
        stages = self._stages[names.index(start) if start else 0 :]
        try:
            with time_limit(self.timeout):
                for built in stages:
                    current = built.name
                    article = self._run_stage(built, article)
        except DropArticle as drop:
            return self._skipped(article, current, drop.reason, drop.detail)
        except Exception as exc:
            if self.strict and not isinstance(exc, TimeLimitExceeded):
                if isinstance(exc, StageError):
                    raise
                raise StageError(current, "stage_error", f"{type(exc).__name__}: {exc}") from exc
            outcome = self._failed(article, current, exc)
        else:
            return article
        if self.strict:
            raise StageError(current, outcome.skip.reason, outcome.skip.detail)
        return outcome

    def _failed(self, article: Article, stage: str, exc: Exception) -> SkippedInput:
        """The skip that an exception in ``stage`` makes of the article."""
        if isinstance(exc, DropArticle):
            return self._skipped(article, stage, exc.reason, exc.detail)
        if isinstance(exc, TimeLimitExceeded):
            return self._skipped(article, stage, "timeout", str(exc))
        if isinstance(exc, StageError):
            return self._skipped(article, stage, exc.reason, exc.detail)
        log.exception("stage %r failed on article %s (%s)", stage, article.id, article.source.uri)
        return self._skipped(article, stage, "stage_error", f"{type(exc).__name__}: {exc}")

    def process_many(self, articles: Sequence[Article]) -> list[Outcome]:
        """``process`` for each article, with the same outcomes, but a stage that can take a
        batch (one with a ``pipe`` method: the NER model, the parser) takes them together: a
        model's matrices grow with the batch, which makes it cheaper per article.

        Each article keeps its own time limit: a batched call may last no longer than the
        limit left to the article nearest its own. A batched call that fails, or runs past that,
        does the whole batch again one article at a time, each from its untouched copy."""
        if len(articles) < 2 or self.strict:
            return [self.process(a) for a in articles]
        originals = [a.model_copy(deep=True) for a in articles]
        try:
            return self._batch(list(articles))
        except _BatchFailed as failed:
            log.info("%d articles done again one at a time: %s", len(articles), failed)
            return [self.process(a) for a in originals]

    def _batch(self, articles: list[Article]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(articles)
        spent = [0.0] * len(articles)  # each article's seconds in the stages so far
        live = list(range(len(articles)))
        for built in self._stages:
            pipe = getattr(built.runner, "pipe", None)
            if pipe is not None and len(live) > 1:
                started = time.perf_counter()
                budget = min(self._left(spent[i]) for i in live)
                results = self._pipe_stage(built, pipe, [articles[i] for i in live], budget)
                elapsed = time.perf_counter() - started
                for i, result in zip(live, results, strict=True):
                    spent[i] += elapsed
                    problems = result.span_errors()
                    if problems:
                        failure = StageError(built.name, "invalid_span", "; ".join(problems[:3]))
                        outcomes[i] = self._failed(articles[i], built.name, failure)
                    articles[i] = result
            else:
                for i in live:
                    started = time.perf_counter()
                    try:
                        with time_limit(self._left(spent[i])):
                            articles[i] = self._run_stage(built, articles[i])
                    except Exception as exc:  # noqa: BLE001 - every failure is a recorded skip
                        outcomes[i] = self._failed(articles[i], built.name, exc)
                    spent[i] += time.perf_counter() - started
            live = [i for i in live if outcomes[i] is None]
        return [articles[i] if outcome is None else outcome for i, outcome in enumerate(outcomes)]

    def _pipe_stage(
        self, built: Built, pipe: Any, batch: list[Article], budget: float
    ) -> list[Article]:
        started = time.process_time()
        try:
            with time_limit(budget):
                results = list(pipe(batch))
        except Exception as exc:
            raise _BatchFailed(f"stage {built.name!r}: {type(exc).__name__}: {exc}") from exc
        finally:
            self.cpu_seconds[built.name] += time.process_time() - started
        if len(results) != len(batch):
            raise _BatchFailed(f"stage {built.name!r} returned {len(results)} of {len(batch)}")
        return results

    def _left(self, spent: float) -> float:
        """The time limit left to an article that has spent ``spent`` seconds (0: none)."""
        if self.timeout <= 0:
            return 0.0
        return max(self.timeout - spent, 1e-3)

    def pipe(self, articles: Iterable[Outcome]) -> Iterator[Outcome]:
        """Outcomes in input order; articles go through the stages ``batch_articles`` at a
        time (see :meth:`process_many`), anything else passes through."""
        for group in batched(articles, self.batch_articles):
            if isinstance(group, list):
                yield from self.process_many(group)
            else:
                yield group

    def apply_steps(self, article: Article, lookup: ArticleLookup) -> Article:
        for built in self._steps:
            step: Step = built.runner
            article = step(article, lookup)
        return article

    @staticmethod
    def _skipped(article: Article, stage: str, reason: str, detail: str) -> SkippedInput:
        return SkippedInput(
            source=article.source,
            skip=Skip(stage=stage, reason=reason, detail=detail),
            raw_sha256=article.raw_sha256,
        )


def batched(items: Iterable[Outcome], size: int) -> Iterator[list[Article] | Outcome]:
    """Consecutive articles in lists of up to ``size``, in input order; anything else alone,
    in its place (a list ends where it comes)."""
    batch: list[Article] = []
    for item in items:
        if isinstance(item, Article):
            batch.append(item)
            if len(batch) < size:
                continue
        if batch:
            yield batch
            batch = []
        if not isinstance(item, Article):
            yield item
    if batch:
        yield batch


class _BatchFailed(Exception):
    """A batched stage call failed as a whole: the batch is done again one article at a time."""


def check_order(stage_parts: list[Part], step_parts: list[Part]) -> None:
    """Every stage's requirements must be assigned by a source or an earlier stage."""
    available = set(SOURCE_FIELDS)
    seen: set[str] = set()
    for index, part in enumerate([*stage_parts, *step_parts]):
        if part.name in seen:
            raise PipelineError(f"{part.kind} {part.name!r} is listed twice in the pipeline")
        seen.add(part.name)
        missing = sorted(part.registered.requires - available)
        if missing:
            raise PipelineError(_missing_message(part, missing, stage_parts[index + 1 :]))
        available |= part.registered.assigns


def _missing_message(part: Part, missing: list[str], later: list[Part]) -> str:
    field = missing[0]
    what = f"{part.kind} {part.name!r} ({part.registered.name}) requires {field!r}"
    for other in later:
        if field in other.registered.assigns:
            return (
                f"{what}, which stage {other.name!r} assigns, but later: list {part.name!r} "
                f"after {other.name!r} in pipeline.stages"
            )
    providers = [r.name for r in stages.all() if field in r.assigns]
    hint = f" such as {', '.join(providers)}" if providers else ""
    return f"{what}, which no earlier stage assigns: add a stage that does{hint} before it"
