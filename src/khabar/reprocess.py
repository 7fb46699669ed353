"""``reprocess``: run the stages again over stored articles, after an upgrade or a config change.

Each stored article goes back through the stages from the one named (by default the first,
starting again from its stored raw input), and the store takes the new analysis in place of the
old. Event ids come from the article, the type and the trigger's offsets, so an event the new
stages find again keeps its id (and is marked updated only when something about it changed); an
event they no longer find moves to ``deleted_events`` with when and why. Claims that came with
the input (a feed's or a JSON Lines line's metadata, an HTTP Last-Modified) are kept: the
stages cannot make them again.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from khabar._version import __version__
from khabar.core.article import Article, SkippedInput
from khabar.core.config import Config
from khabar.core.errors import PipelineError
from khabar.core.pipeline import Pipeline
from khabar.fusion.update import fuse_stored
from khabar.geo.home import SiteProfiles
from khabar.ingest.feeds import METHOD as FEED_METHOD
from khabar.ingest.jsonl import METHOD as JSONL_METHOD
from khabar.ingest.warc import LAST_MODIFIED_METHOD
from khabar.store import Store

log = logging.getLogger(__name__)

SOURCE_METHODS = frozenset({FEED_METHOD, JSONL_METHOD, LAST_MODIFIED_METHOD})


@dataclass
class ReprocessSummary:
    run_id: int = 0
    articles: int = 0
    failed: Counter[tuple[str, str]] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)  # created, updated, kept, deleted
    seconds: float = 0.0
    fused: int = 0  # fused events rewritten

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "failed": [
                {"stage": s, "reason": r, "count": n} for (s, r), n in sorted(self.failed.items())
            ],
            "events": dict(sorted(self.events.items())),
            "seconds": round(self.seconds, 3),
            "fused": self.fused,
        }


def reprocess(
    config: Config,
    *,
    db: str | Path,
    since: datetime | None = None,
    stage: str | None = None,
    on_article: Callable[[str], None] | None = None,
) -> ReprocessSummary:
    """Re-run the stages from ``stage`` over the articles stored since ``since``."""
    pipeline = Pipeline(config)
    first = _first_stage(config, pipeline, stage)
    forget = _assigned_from(config, first)
    reason = (
        f"not found when re-processing from stage {first!r} with khabar {__version__}"
        f"{' since ' + since.isoformat() if since else ''}"
    )
    summary = ReprocessSummary()
    started = time.perf_counter()
    with Store.open(db) as store:
        summary.run_id = store.begin_run(
            [f"reprocess:{first}"], {**config.to_dict(), "reprocess": {"stage": first}}
        )
        status = "failed"
        # each article is given its site's profile less its own part
        profiles = SiteProfiles(store.site_profile, own=store.article_profile)
        try:
            for count, stored in enumerate(store.iter_articles(since=since), 1):
                fresh = _reset(store, stored, forget, from_raw=first == pipeline.stage_names[0])
                fresh.site_profile = profiles.for_article(fresh)
                outcome = pipeline.process(fresh, start=first)
                if isinstance(outcome, SkippedInput):
                    # The old analysis stays: better the last good one than none.
                    summary.failed[(outcome.skip.stage, outcome.skip.reason)] += 1
                    log.warning(
                        "article %s kept its old analysis: %s failed (%s: %s)",
                        stored.id,
                        outcome.skip.stage,
                        outcome.skip.reason,
                        outcome.skip.detail,
                    )
                elif isinstance(outcome, Article):
                    summary.events.update(store.replace_analysis(outcome, summary.run_id, reason))
                summary.articles = count
                if on_article:
                    on_article(stored.id)
                if count % config.run.batch_size == 0:
                    store.commit()
            store.commit()
            summary.fused = fuse_stored(store, config)
            status = "finished"
        finally:
            summary.seconds = time.perf_counter() - started
            store.rollback()
            store.finish_run(summary.run_id, status, summary.to_dict())
    return summary


def _first_stage(config: Config, pipeline: Pipeline, stage: str | None) -> str:
    names = pipeline.stage_names
    if stage is None:
        return names[0]
    if stage not in names:
        registered = {p.registered.name: p.name for p in config.parts("stage")}
        if stage in registered:
            return registered[stage]
        raise PipelineError(f"no stage {stage!r} in this pipeline; stages: {', '.join(names)}")
    return stage


def _assigned_from(config: Config, first: str) -> set[str]:
    """The fields the stages from ``first`` on assign, which must not be shared with earlier
    stages (their claims could not be told apart from the earlier stages' own)."""
    parts = config.parts("stage")
    index = [p.name for p in parts].index(first)
    earlier = set().union(*(p.registered.assigns for p in parts[:index]))
    later = set().union(*(p.registered.assigns for p in parts[index:]))
    shared = sorted(earlier & later)
    if shared:
        raise PipelineError(
            f"stage {first!r} assigns {', '.join(shared)}, which earlier stages also assign; "
            f"re-process from the first of them ({parts[0].name!r}) instead"
        )
    return later


def _reset(store: Store, article: Article, forget: set[str], *, from_raw: bool) -> Article:
    """The article as the first re-run stage expects it: what those stages assign, forgotten."""
    updates: dict[str, Any] = {}
    for name in forget:
        info = Article.model_fields.get(name)
        if info is not None and name not in ("text",):
            updates[name] = info.get_default(call_default_factory=True)
    updates["claims"] = [
        c for c in article.claims if c.field not in forget or c.method in SOURCE_METHODS
    ]
    if from_raw:
        raw, text = store.raw_input(article)
        updates |= {"raw": raw, "raw_text": text, "text": "", "raw_segments": []}
    return article.model_copy(update=updates)
