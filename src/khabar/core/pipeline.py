"""The pipeline: sources, stages and steps built from a config, checked before anything runs."""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
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
        except TimeLimitExceeded as exc:
            outcome = self._skipped(article, current, "timeout", str(exc))
        except StageError as exc:
            if self.strict:
                raise
            outcome = self._skipped(article, current, exc.reason, exc.detail)
        except Exception as exc:
            if self.strict:
                raise StageError(current, "stage_error", f"{type(exc).__name__}: {exc}") from exc
            log.exception(
                "stage %r failed on article %s (%s)", current, article.id, article.source.uri
            )
            outcome = self._skipped(article, current, "stage_error", f"{type(exc).__name__}: {exc}")
        else:
            return article
        if self.strict:
            raise StageError(current, outcome.skip.reason, outcome.skip.detail)
        return outcome

    def pipe(self, articles: Iterable[Outcome]) -> Iterator[Outcome]:
        for item in articles:
            yield self.process(item) if isinstance(item, Article) else item

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
