"""``khabar eval fusion``: grouping reports of one real-world event, measured.

- **ECB+** (``../shared/eval/ecbplus``): 982 news documents in 43 topics, each topic about two
  real-world events of one kind. Documents are grouped into stories (:mod:`khabar.fusion.stories`,
  terms weighted by their frequency over the whole corpus) and scored with B³ against the gold
  events in the two settings of the data's README: within each topic (B³ F1 averaged over
  topics; both grouping freely and told there are two groups) and over the whole corpus at
  once (B³ F1 and the adjusted Rand index).
- **The syndication stress** (:mod:`khabar.fusion.synthetic`): one wire story copied 500 times
  with small edits and 500 look-alikes about other bombings. Fused from the facts the stories
  were written from (the engine alone) and, with ``pipeline=True``, from what khabar's own
  pipeline codes from their text. A right answer is 501 groups.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from khabar.evaluate import ecbplus
from khabar.evaluate.clustering import adjusted_rand_index, b_cubed, pairwise
from khabar.fusion.engine import fuse
from khabar.fusion.stories import Settings, StoryItem, document_frequencies, group

log = logging.getLogger(__name__)


def _clusters(groups: Sequence[Sequence[str]]) -> dict[str, int]:
    return {member: i for i, members in enumerate(groups) for member in members}


def ecbplus_report(
    root: Path = ecbplus.DEFAULT_DATA, settings: Settings | None = None
) -> dict[str, Any]:
    """Document grouping by real-world event on ECB+, within topics and over the corpus
    (``{"skipped": why}`` when the data is absent)."""
    settings = settings or Settings()
    try:
        docs = ecbplus.load(root, annotated_only=False)
    except FileNotFoundError as exc:
        log.info("ECB+ evaluation skipped: %s", exc)
        return {"skipped": str(exc)}
    items = {d.name: StoryItem(d.name, d.text) for d in docs}
    gold = {d.name: d.event for d in docs}
    frequencies = document_frequencies(items.values(), settings)
    by_topic: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        by_topic[d.topic].append(d.name)
    started = time.perf_counter()
    within: dict[str, list[float]] = {"free": [], "two": []}
    for names in by_topic.values():
        topic_gold = {n: gold[n] for n in names}
        chosen = [items[n] for n in names]
        free = group(chosen, settings, frequencies=frequencies)
        two = group(chosen, settings, frequencies=frequencies, groups=2)
        within["free"].append(b_cubed(topic_gold, _clusters(free)).f1)
        within["two"].append(b_cubed(topic_gold, _clusters(two)).f1)
    whole = group(list(items.values()), settings, frequencies=frequencies)
    predicted = _clusters(whole)
    seconds = time.perf_counter() - started
    return {
        "documents": len(docs),
        "topics": len(by_topic),
        "events": len(set(gold.values())),
        "similarity": settings.similarity,
        "within_topic_b3_f1": round(sum(within["free"]) / len(within["free"]), 4),
        "within_topic_b3_f1_told_two": round(sum(within["two"]) / len(within["two"]), 4),
        "corpus_b3": b_cubed(gold, predicted).as_dict(),
        "corpus_ari": round(adjusted_rand_index(gold, predicted), 4),
        "corpus_pairwise": pairwise(gold, predicted).as_dict(),
        "corpus_groups": len(whole),
        "seconds": round(seconds, 2),
    }


def stress_report(
    *, copies: int = 500, negatives: int = 500, pipeline: bool = False
) -> dict[str, Any]:
    """The syndication stress, fused from the true facts and, optionally, from the pipeline."""
    from khabar.fusion.synthetic import stress, truth_report  # noqa: PLC0415

    items = list(stress(copies=copies, negatives=negatives))
    gold = {item.id: item.group for item in items}
    started = time.perf_counter()
    fused = fuse(truth_report(item) for item in items)
    report: dict[str, Any] = {
        "articles": len(items),
        "expected_groups": len(set(gold.values())),
        "engine": _article_groups(fused.cluster_of, gold, time.perf_counter() - started),
    }
    if pipeline:
        report["pipeline"] = _stress_through_pipeline(items, gold)
    return report


def _article_groups(
    cluster_of: dict[str, str], gold: dict[str, str], seconds: float
) -> dict[str, Any]:
    """Scores the articles' grouping, an article going with its first main report's event (an
    article with none is alone)."""
    article_of: dict[str, str] = {}
    for report_id, fid in sorted(cluster_of.items()):
        article = report_id.rsplit("-e", 1)[0]
        article_of.setdefault(article, fid)
    predicted = {a: article_of.get(a, f"alone:{a}") for a in gold}
    return {
        "groups": len(set(predicted.values())),
        "b3": b_cubed(gold, predicted).as_dict(),
        "ari": round(adjusted_rand_index(gold, predicted), 4),
        "seconds": round(seconds, 2),
    }


def _stress_through_pipeline(items: Sequence[Any], gold: dict[str, str]) -> dict[str, Any]:
    """The stories as JSON Lines through ``khabar run`` into a scratch store, then fused."""
    import json  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from khabar.core.config import Config  # noqa: PLC0415 - loads the pipeline's models
    from khabar.fusion.reports import Report  # noqa: PLC0415
    from khabar.runner import run  # noqa: PLC0415
    from khabar.store import Store  # noqa: PLC0415
    from khabar.store.query import EventFilter, query_events  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="khabar-eval-fusion-") as folder:
        source = Path(folder) / "stress.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for item in items:
                line = {
                    "id": item.id,
                    "title": item.title,
                    "text": item.text,
                    "url": f"https://{item.site}/{item.id}",
                    "published": item.published.isoformat(),
                }
                out.write(json.dumps(line) + "\n")
        db = Path(folder) / "stress.db"
        started = time.perf_counter()
        run([str(source)], Config.load(), db=db)
        coded = time.perf_counter() - started
        with Store.open(db) as store:
            rows = list(query_events(store.conn, EventFilter()))
            seq = dict(store.conn.execute("SELECT id, seq FROM events").fetchall())
            # A copy the store recognised as a duplicate is stored once: it goes where its
            # original goes (what the dedup stage did is part of what is measured).
            stored_as = dict(
                store.conn.execute(
                    "SELECT input_id, article_id FROM article_inputs WHERE input_id IS NOT NULL"
                ).fetchall()
            )
    # Every report is fused; an article goes with its first main report (the lede's, usually).
    reports = [Report.from_row(row) for row in rows]
    lede: dict[str, str] = {}
    for r in sorted(reports, key=lambda r: (r.article_id, seq[r.id])):
        if r.main:
            lede.setdefault(r.article_id, r.id)
    started = time.perf_counter()
    fused = fuse(reports)
    seconds = time.perf_counter() - started
    # Back to the inputs: each takes the fused event of its stored article's lede.
    event_of = {article: fused.cluster_of[report] for article, report in lede.items()}
    predicted = {item: event_of.get(stored_as.get(item, item), f"alone:{item}") for item in gold}
    result = {
        "groups": len(set(predicted.values())),
        "b3": b_cubed(gold, predicted).as_dict(),
        "ari": round(adjusted_rand_index(gold, predicted), 4),
        "seconds": round(seconds, 2),
        "stored_articles": len(set(stored_as.values())),
    }
    result["coding_seconds"] = round(coded, 1)
    result["articles_with_a_main_event"] = len(lede)
    result["reports"] = len(reports)
    return result


def mention_report(
    root: Path = ecbplus.DEFAULT_DATA, *, limit: int | None = None
) -> dict[str, Any]:
    """Event-mention coreference on ECB+: khabar codes every document, its events are fused
    across the corpus, and pairs of gold mentions (in the annotated sentences, in a
    cross-document chain) that khabar found are scored: same chain against same fused event.
    A gold mention is found when a coded event's trigger overlaps it (one to one, in order)."""
    from khabar import Article, load_pipeline  # noqa: PLC0415 - loads the pipeline's models
    from khabar.fusion.reports import reports_of  # noqa: PLC0415

    try:
        docs = ecbplus.load(root, annotated_only=True, limit=limit)
    except FileNotFoundError as exc:
        return {"skipped": str(exc)}
    pipeline = load_pipeline()
    started = time.perf_counter()
    reports = []
    found: dict[str, str] = {}  # gold mention key -> report id
    gold: dict[str, str] = {}
    for doc in docs:
        outcome = pipeline.process(Article.from_text(doc.text, id=doc.name))
        if not isinstance(outcome, Article):
            continue  # skipped (too short): its mentions count as not found
        article = outcome
        reports += reports_of(article)
        triggers = sorted((e.trigger.start, e.trigger.end, e.id) for e in article.events)
        used: set[str] = set()
        for m in doc.mentions:
            if m.chain is None:
                continue
            key = f"{doc.name}:{m.start}"
            gold[key] = m.chain
            for start, end, event_id in triggers:
                if start < m.end and m.start < end and event_id not in used:
                    found[key] = event_id
                    used.add(event_id)
                    break
    coded = time.perf_counter() - started
    fused = fuse(reports)
    matched = {k: fused.cluster_of[v] for k, v in found.items()}
    scored_gold = {k: gold[k] for k in matched}
    return {
        "documents": len(docs),
        "gold_mentions": len(gold),
        "found": len(matched),
        "reports": len(reports),
        "pairwise": pairwise(scored_gold, matched).as_dict(),
        "b3": b_cubed(scored_gold, matched).as_dict(),
        "coding_seconds": round(coded, 1),
    }
