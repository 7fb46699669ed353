"""One exception tree for khabar.

Every error says what went wrong, with which input or setting, and what to do next.
``DropArticle`` is not an error: a stage raises it to skip one article with a reason.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base class of every error khabar raises on purpose."""


class ConfigError(KhabarError):
    """A configuration file, override or value is wrong. Raised before any article runs."""


class RegistryError(KhabarError):
    """A source, stage or step name is unknown, or registered twice."""


class PipelineError(KhabarError):
    """The pipeline cannot be assembled (e.g. a stage requires a field nothing assigns)."""


class InputError(KhabarError):
    """An input given on the command line or to ``run`` cannot be used at all."""


class StoreError(KhabarError):
    """The database cannot be opened, migrated or written."""


class EngineError(KhabarError):
    """The engine that runs the stages cannot start or lost its workers (Ray not installed, a
    cluster that cannot be reached, an actor that died twice on one batch)."""


class StageError(KhabarError):
    """A stage failed on one article. Counted against the stage; with ``strict`` it propagates."""

    def __init__(self, stage: str, reason: str, detail: str) -> None:
        super().__init__(f"stage {stage!r} failed ({reason}): {detail}")
        self.stage = stage
        self.reason = reason
        self.detail = detail


class DropArticle(Exception):
    """Raised by a stage to skip the current article, with a short machine-readable reason.

    ``reason`` is a code such as ``"no_article"``; ``detail`` is a human sentence. The pipeline
    records both against the stage that raised it and goes on with the next article.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class TimeLimitExceeded(Exception):
    """The per-article time limit ran out while a stage was working."""
