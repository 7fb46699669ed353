"""Events: PLOVER type and actors on the PLOVER gold records, event place on event_location
(``khabar eval events``).

**PLOVER** (``plover_gsr``: one JSON list of 322 sentences after the ``DOCUMENT`` record). Each
sentence runs as a one-sentence article through the default pipeline (its ``clean`` stage with
``min_chars=1``, or a one-sentence article would be skipped as too short; no per-article time
limit) and then ``events.code.v1``, once per typing mode. The gold labels predate the 16-type
manual and are mapped: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE (disapprove), INVESTIGATE -> ACCUSE
(investigate), FIGHT -> ASSAULT; every mapped label is checked against the types named in
``CAMEO2PLOVER-2021.txt``.

*Which event is compared*: the gold marks its event words (``textInfo.markup`` ``(EVT: ...)``,
else the first word of ``eventText`` found in the sentence). The event compared is the coded
event whose trigger or evidence overlaps those words (the most confident if several); failing
that, the most confident main event of the sentence; failing that, the answer is ``NONE`` and
counts as wrong. ``top_event_accuracy`` compares the most confident event without using the gold
words, and ``any_event_accuracy`` counts a sentence right when any of its events has the gold
type.

Type accuracy, and macro-F1 over the gold types present (``NONE`` predictions count against
precision of nothing and recall of the gold type). Actor codes of the compared event: a gold
source actor is right when one of the event's actors has its country (sector), a gold target
when one of its targets does; scored only where the gold code is valid (as in
``khabar eval actors``), the rest counted as skipped with the reason.

**event_location** (one JSON array of 10,182 sentences; the 496 with ``source: RELABEL`` are the
adjudicated gold, two of which mark no verb). For the marked verb (``VERB`` span, located by its
tokens: some character offsets in the file are wrong), khabar's place of that event: the coded
event whose trigger or evidence overlaps the verb, else the place rule (``where.py``) applied to
the verb itself (the eval reports how often the stage had an event there). Right when the place
overlaps a gold ``LOCATION`` span, or when there is no gold ``LOCATION`` and no place. Items not
from ``RELABEL`` are for development (``--dev N`` scores the first N of them) and never used in
the reported figure.

Both sets are development data: nothing in the lexicon exists because of one sentence there.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.actors.codes import SECTORS, valid_country
from khabar.core.article import Article, Event, EventPlace, Span
from khabar.events.stage import EventCoder, make_events

log = logging.getLogger(__name__)

DEFAULT_PLOVER = Path("../shared/eval/plover_gsr")
DEFAULT_LOCATION = Path("../shared/eval/event_location")
OLD_LABELS = {
    "DEMAND": ("REQUEST", None),
    "DISAPPROVE": ("ACCUSE", "disapprove"),
    "INVESTIGATE": ("ACCUSE", "investigate"),
    "FIGHT": ("ASSAULT", None),
}
TYPINGS = ("rules", "classifier", "combined")
_MARK = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC):\s*([^()]*?)\s*\)")


def evaluate_events(
    plover_dir: Path = DEFAULT_PLOVER,
    location_dir: Path = DEFAULT_LOCATION,
    *,
    typings: Iterable[str] = TYPINGS,
    dev: int = 0,
    overrides: Iterable[str] = (),
    classifier_model: str = "",
) -> dict[str, Any]:
    """Both evaluations; a part whose data is absent says so under ``skipped``."""
    plover_file = _plover_file(plover_dir)
    location_file = location_dir / "labeled_text.jsonl"
    if plover_file is None and not location_file.is_file():
        return {"skipped": f"no evaluation data under {plover_dir} or {location_dir}"}
    upstream = Upstream(tuple(overrides))
    report: dict[str, Any] = {}
    report["plover"] = (
        evaluate_plover(plover_file, upstream, tuple(typings), classifier_model)
        if plover_file
        else {"skipped": f"no PLOVER gold records under {plover_dir}"}
    )
    report["location"] = (
        evaluate_location(location_file, upstream, dev=dev)
        if location_file.is_file()
        else {"skipped": f"no labeled_text.jsonl under {location_dir}"}
    )
    return report


class Upstream:
    """The configured pipeline without its events stage, for one-sentence articles, built once
    (``clean`` with ``min_chars=1``: a sentence is shorter than any article; no time limit per
    article: the first one pays for loading the models, which on a busy machine can exceed it)."""

    def __init__(self, overrides: tuple[str, ...] = ()) -> None:
        import khabar  # noqa: PLC0415 - the package's front door; imported late to avoid a cycle

        settings = [*overrides, "stages.clean.min_chars=1", "pipeline.article_timeout_s=0"]
        config = khabar.load_config(overrides=settings)
        names = [p.name for p in config.parts("stage") if p.registered.name != "events.code.v1"]
        settings.append(f"pipeline.stages={json.dumps(names)}")
        self.pipeline = khabar.load_pipeline(overrides=settings)
        self.seconds = 0.0

    def run(self, texts: list[str], prefix: str) -> list[Article | None]:
        began = time.perf_counter()
        out: list[Article | None] = []
        for i, text in enumerate(texts):
            outcome = self.pipeline.process(Article.from_text(text, id=f"{prefix}-{i}"))
            out.append(outcome if isinstance(outcome, Article) else None)
        self.seconds += time.perf_counter() - began
        return out


# -- PLOVER -------------------------------------------------------------------------------------
def _plover_file(folder: Path) -> Path | None:
    candidates = sorted(folder.glob("gold_standard_records/*.txt")) + sorted(folder.glob("*.json"))
    return candidates[0] if candidates else None


def read_plover(path: Path) -> list[dict[str, Any]]:
    records = json.loads(path.read_text(encoding="utf-8-sig"))
    return [r for r in records if r.get("event") != "DOCUMENT" and r.get("text")]


def plover_types(folder: Path) -> set[str]:
    """The PLOVER types the CAMEO-to-PLOVER table names (to check the mapped gold labels)."""
    table = folder / "CAMEO2PLOVER-2021.txt"
    if not table.is_file():
        return set()
    found = re.findall(r"^\d+:\s*([A-Z]+)\s*,", table.read_text(encoding="utf-8"), re.M)
    return set(found)


def gold_type(record: dict[str, Any]) -> str:
    label = str(record.get("event", "")).strip().upper()
    return OLD_LABELS.get(label, (label, None))[0]


def gold_spans(record: dict[str, Any]) -> list[Span]:
    """The gold event words: its ``EVT`` markup, else the first ``eventText`` word found."""
    text = record["text"]
    info = record.get("textInfo")
    markup = info.get("markup") if isinstance(info, dict) else None
    spans = _evt_spans(text, markup) if isinstance(markup, str) else []
    if spans:
        return spans
    for word in re.findall(r"[A-Za-z][A-Za-z-]+", str(record.get("eventText", ""))):
        match = re.search(rf"\b{re.escape(word)}", text, re.I)
        if match:
            return [Span(start=match.start(), end=match.end())]
    return []


def _evt_spans(text: str, markup: str) -> list[Span]:
    pieces, spans, at, length = [], [], 0, 0
    for match in _MARK.finditer(markup):
        pieces.append(markup[at : match.start()])
        length += match.start() - at
        if match.group(1) == "EVT":
            spans.append(Span(start=length, end=length + len(match.group(2))))
        pieces.append(match.group(2))
        length += len(match.group(2))
        at = match.end()
    pieces.append(markup[at:])
    return spans if "".join(pieces) == text else []


def pick_event(events: list[Event], spans: list[Span]) -> Event | None:
    """The coded event the gold record is compared with (see the module's docstring)."""

    def touches(event: Event) -> bool:
        marks = [
            event.trigger,
            *(
                Span(start=e.start, end=e.end)
                for e in event.evidence
                if e.kind == "text" and e.start is not None and e.end is not None
            ),
        ]
        return any(m.start < s.end and s.start < m.end for m in marks for s in spans)

    hits = [e for e in events if touches(e)]
    if hits:
        return min(hits, key=lambda e: (_first_overlap(e, spans), -e.confidence))
    return top_event(events)


def _first_overlap(event: Event, spans: list[Span]) -> int:
    """Which gold span the event's trigger meets first (the gold's first event word wins)."""
    for i, s in enumerate(spans):
        if event.trigger.start < s.end and s.start < event.trigger.end:
            return i
    return len(spans)


def top_event(events: list[Event]) -> Event | None:
    main = [e for e in events if e.mention_role == "main"] or events
    return max(main, key=lambda e: e.confidence) if main else None


@dataclass
class TypeScore:
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    top: list[str] = field(default_factory=list)
    any_right: int = 0

    def report(self) -> dict[str, Any]:
        n = len(self.gold)
        right = sum(g == p for g, p in zip(self.gold, self.predicted, strict=True))
        top_right = sum(g == p for g, p in zip(self.gold, self.top, strict=True))
        per_type = _per_type(self.gold, self.predicted)
        macro = sum(s["f1"] for s in per_type.values()) / len(per_type) if per_type else 0.0
        confusion = Counter(
            f"{g}->{p}" for g, p in zip(self.gold, self.predicted, strict=True) if g != p
        )
        return {
            "sentences": n,
            "accuracy": round(right / n, 4) if n else None,
            "macro_f1": round(macro, 4),
            "top_event_accuracy": round(top_right / n, 4) if n else None,
            "any_event_accuracy": round(self.any_right / n, 4) if n else None,
            "no_event": sum(p == "NONE" for p in self.predicted),
            "per_type": per_type,
            "confusions": dict(confusion.most_common(15)),
        }


def _per_type(gold: list[str], predicted: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {
            "gold": tp + fn,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }
    return out


@dataclass
class CodeScore:
    scored: int = 0
    correct: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def report(self) -> dict[str, Any]:
        return {
            "scored": self.scored,
            "correct": self.correct,
            "accuracy": round(self.correct / self.scored, 4) if self.scored else None,
            "skipped": sum(self.skipped.values()),
            "skipped_by_reason": dict(sorted(self.skipped.items())),
        }


def evaluate_plover(
    path: Path, upstream: Upstream, typings: tuple[str, ...], classifier_model: str = ""
) -> dict[str, Any]:
    records = read_plover(path)
    known = plover_types(
        path.parent.parent if path.parent.name == "gold_standard_records" else path.parent
    )
    unknown = sorted({gold_type(r) for r in records} - known) if known else []
    articles = upstream.run([r["text"] for r in records], "plover")
    out: dict[str, Any] = {
        "file": str(path),
        "sentences": len(records),
        "labels_not_in_cameo2plover": unknown,
        "upstream_ms_per_sentence": round(1000 * upstream.seconds / max(len(records), 1), 2),
    }
    for typing in typings:
        coder = make_events(typing=typing, classifier_model=classifier_model)
        if coder.settings.typing != typing:
            out[typing] = {
                "skipped": f"typing {typing!r} needs the event-type classifier, which did not load"
            }
            continue
        out[typing] = _score_plover(records, articles, coder)
    return out


def _score_plover(
    records: list[dict[str, Any]], articles: list[Article | None], coder: EventCoder
) -> dict[str, Any]:
    types = TypeScore()
    codes: dict[str, CodeScore] = {
        name: CodeScore()
        for name in ("source_country", "target_country", "source_sector", "target_sector")
    }
    began = time.perf_counter()
    for record, article in zip(records, articles, strict=True):
        events = coder.code(article.model_copy(deep=True)) if article is not None else []
        gold = gold_type(record)
        chosen = pick_event(events, gold_spans(record))
        top = top_event(events)
        types.gold.append(gold)
        types.predicted.append(chosen.type if chosen else "NONE")
        types.top.append(top.type if top else "NONE")
        types.any_right += any(e.type == gold for e in events)
        _score_codes(record, chosen, codes)
    seconds = time.perf_counter() - began
    report = types.report()
    report["actors"] = {name: score.report() for name, score in codes.items()}
    report["events_ms_per_sentence"] = round(1000 * seconds / max(len(records), 1), 2)
    return report


def _score_codes(record: dict[str, Any], event: Event | None, codes: dict[str, CodeScore]) -> None:
    for side, gold_side in (("source", "source"), ("target", "target")):
        actors = record.get(gold_side)
        if not isinstance(actors, list):
            continue
        found = (event.actors if side == "source" else event.targets) if event else []
        for actor in actors:
            if not isinstance(actor, dict):
                continue
            code = actor.get("code")
            score = codes[f"{side}_country"]
            if not code:
                score.skipped["missing"] += 1
            elif not valid_country(code):
                score.skipped[f"invalid {code}"] += 1
            else:
                score.scored += 1
                score.correct += any(p.country == code for p in found)
            sector = actor.get("sector")
            score = codes[f"{side}_sector"]
            if not sector:
                score.skipped["missing"] += 1
            elif sector[:3].upper() not in SECTORS or len(sector) not in (3, 6):
                score.skipped[f"invalid {sector}"] += 1
            else:
                score.scored += 1
                score.correct += any(p.sector == sector[:3].upper() for p in found)


# -- event_location -----------------------------------------------------------------------------
@dataclass(frozen=True)
class LocationItem:
    text: str
    verb: Span
    locations: tuple[Span, ...]


def read_location(path: Path) -> tuple[list[LocationItem], list[LocationItem], int]:
    """``(gold items, development items, gold items without a verb)``."""
    records = json.loads(path.read_text(encoding="utf-8-sig"))
    gold: list[LocationItem] = []
    dev: list[LocationItem] = []
    unusable = 0
    for record in records:
        item = _location_item(record)
        if record.get("source") == "RELABEL":
            if item is None:
                unusable += 1
            else:
                gold.append(item)
        elif item is not None and record.get("answer") == "accept":
            dev.append(item)
    return gold, dev, unusable


def _location_item(record: dict[str, Any]) -> LocationItem | None:
    text, tokens = record.get("text"), record.get("tokens")
    if not isinstance(text, str) or not isinstance(tokens, list):
        return None
    verbs: list[Span] = []
    places: list[Span] = []
    for span in record.get("spans") or []:
        located = _token_span(span, tokens)
        if located is None:
            continue
        (verbs if span.get("label") == "VERB" else places).append(located)
    if len(verbs) != 1:
        return None
    return LocationItem(text, verbs[0], tuple(places))


def _token_span(span: dict[str, Any], tokens: list[dict[str, Any]]) -> Span | None:
    first, last = span.get("token_start"), span.get("token_end")
    if (
        not isinstance(first, int)
        or not isinstance(last, int)
        or not 0 <= first <= last < len(tokens)
    ):
        return None
    return Span(start=tokens[first]["start"], end=tokens[last]["end"])


def evaluate_location(path: Path, upstream: Upstream, dev: int = 0) -> dict[str, Any]:
    gold, development, unusable = read_location(path)
    coder = make_events(typing="rules")
    out: dict[str, Any] = {"file": str(path), "gold": _score_location(gold, upstream, coder, "loc")}
    out["gold"]["without_verb"] = unusable
    if dev:
        out["development"] = _score_location(development[:dev], upstream, coder, "dev")
    return out


def _score_location(
    items: list[LocationItem], upstream: Upstream, coder: EventCoder, prefix: str
) -> dict[str, Any]:
    articles = upstream.run([i.text for i in items], prefix)
    counts: Counter[str] = Counter()
    for item, article in zip(items, articles, strict=True):
        # the cleaner strips the edges of the text: the gold's offsets are the input's
        verb = None if article is None else _in_text(article, item.verb)
        place, from_event = (None, False) if verb is None else _place_for(coder, article, verb)
        counts["stage_event_at_verb"] += from_event
        right = _right(None if place is None else _in_raw(article, place), item.locations)
        how = "none" if place is None else place.method.rsplit(":", 1)[-1]
        counts[f"by_rule:{how}:{'right' if right else 'wrong'}"] += 1
        kind = "with_location" if item.locations else "without_location"
        counts[f"{kind}:items"] += 1
        counts[f"{kind}:right"] += right
        counts["right"] += right
    n = len(items)
    return {
        "items": n,
        "accuracy": round(counts["right"] / n, 4) if n else None,
        "accuracy_with_location": _share(counts, "with_location"),
        "accuracy_without_location": _share(counts, "without_location"),
        "items_with_location": counts["with_location:items"],
        "stage_event_at_verb": counts["stage_event_at_verb"],
        "by_rule": {
            k.split(":", 1)[1]: v for k, v in sorted(counts.items()) if k.startswith("by_rule:")
        },
    }


def _share(counts: Counter[str], kind: str) -> float | None:
    n = counts[f"{kind}:items"]
    return round(counts[f"{kind}:right"] / n, 4) if n else None


def _place_for(
    coder: EventCoder, article: Article | None, verb: Span
) -> tuple[EventPlace | None, bool]:
    if article is None:
        return None, False
    events = coder.code(article.model_copy(deep=True))
    for event in events:
        marks = [
            event.trigger,
            *(
                Span(start=e.start, end=e.end)
                for e in event.evidence
                if e.kind == "text" and e.start is not None and e.end is not None
            ),
        ]
        if any(m.start < verb.end and verb.start < m.end for m in marks):
            return event.place, True
    return coder.place_at(article, verb.start, verb.end), False


def _in_text(article: Article, span: Span) -> Span | None:
    """``span`` of the raw input as offsets into the article's clean text (None if removed)."""
    for seg in article.raw_segments:
        shift = seg.start - seg.raw_start
        if seg.raw_start <= span.start and span.end <= seg.raw_start + seg.end - seg.start:
            return Span(start=span.start + shift, end=span.end + shift)
    return None if article.raw_segments else span


def _in_raw(article: Article | None, place: EventPlace) -> EventPlace:
    """The place with its offsets into the raw input, where the gold's are."""
    for seg in [] if article is None else article.raw_segments:
        if seg.start <= place.start and place.end <= seg.end:
            shift = seg.raw_start - seg.start
            return place.model_copy(update={"start": place.start + shift, "end": place.end + shift})
    return place


def _right(place: EventPlace | None, gold: tuple[Span, ...]) -> bool:
    if place is None:
        return not gold
    return any(place.start < g.end and g.start < place.end for g in gold)
