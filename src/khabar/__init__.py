"""khabar: news as found on the web in, a queryable database of political events out.

The Python API in one breath::

    import khabar

    pipeline = khabar.load_pipeline()                 # the packaged default configuration
    article = pipeline(khabar.Article.from_text(html, media_type="text/html"))
    article.text, article.title, article.sentences     # clean text, claims, spans
    summary = khabar.run(["pages/"], db="khabar.db")   # files in, a SQLite store out
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from khabar._version import __version__
from khabar.core.article import (
    Article,
    Claim,
    Evidence,
    InputRef,
    Published,
    Segment,
    Skip,
    SkippedInput,
    Span,
    TimeValue,
)
from khabar.core.config import Config
from khabar.core.errors import (
    ConfigError,
    DropArticle,
    InputError,
    KhabarError,
    PipelineError,
    RegistryError,
    StageError,
    StoreError,
)
from khabar.core.lookup import ArticleLookup, MemoryLookup
from khabar.core.pipeline import Pipeline
from khabar.core.registry import Source, Stage, Step, sources, stages, steps
from khabar.runner import RunSummary, run
from khabar.store import Store

__all__ = [
    "Article",
    "ArticleLookup",
    "Claim",
    "Config",
    "ConfigError",
    "DropArticle",
    "Evidence",
    "InputError",
    "InputRef",
    "KhabarError",
    "MemoryLookup",
    "Pipeline",
    "PipelineError",
    "Published",
    "RegistryError",
    "RunSummary",
    "Segment",
    "Skip",
    "SkippedInput",
    "Source",
    "Span",
    "Stage",
    "StageError",
    "Step",
    "Store",
    "StoreError",
    "TimeValue",
    "__version__",
    "load_config",
    "load_pipeline",
    "run",
    "sources",
    "stages",
    "steps",
]


def load_config(
    config: Config | str | Path | Mapping[str, Any] | None = None,
    *,
    overrides: Iterable[str] = (),
) -> Config:
    """A checked configuration from a file path, a nested dict of values, or the defaults."""
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.load(overrides=overrides, values=config)
    return Config.load(config, overrides=overrides)


def load_pipeline(
    config: Config | str | Path | Mapping[str, Any] | None = None,
    *,
    overrides: Iterable[str] = (),
) -> Pipeline:
    """A ready pipeline: ``load_pipeline()``, ``load_pipeline("my.toml")`` or with a dict."""
    return Pipeline(load_config(config, overrides=overrides))
