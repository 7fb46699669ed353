"""Who: actor codes on the PLOVER gold records, entities on re3d (``khabar eval actors``).

**PLOVER** (``plover_gsr``: one JSON list of 322 sentences after the ``DOCUMENT`` record; source
and target actors with a country ``code`` and, for some, a ``sector``). A gold actor is placed
in its sentence by the record's ``textInfo.markup`` (``(SRC: ...)``, ``(TAR: ...)``,
``(SRC/TAR: ...)``), else by the first occurrence of its ``actorText``. khabar's actor for it is
the one with a mention overlapping that span most (none: a miss, scored wrong). Scored only
where the gold code is valid: a country that is an ISO 3166-1 alpha-3 code or a bloc code
(``JAP``, ``ITL`` are not), a sector whose first three letters are a PLOVER sector (``CVLalb``
is CVL with an ethnic qualifier; ``***``, ``MOS``, ``CIV`` are not). The gold records predate
UNO and EUR, so country accuracy is also given with UNO and EUR counted as IGO.

**re3d** (98 documents in source folders, each with ``documents.json`` and ``entities.json``;
some spans carry two types with different crowd confidences: the most confident type is the
gold one). NER precision, recall and F1 for Person, Organisation and Location, with spaCy's
labels mapped PERSON -> Person, ORG and NORP -> Organisation, GPE, LOC and FAC -> Location;
exact (same span and type) and overlap (one-to-one, overlapping spans of the same type). Also
the share of gold Person and Organisation mentions covered by a khabar actor with a country
code, and with a KB entry.

Both sets are development data: nothing in the knowledge base exists because of them.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.actors.codes import SECTORS, igo_family, valid_country
from khabar.actors.kb import load_kb
from khabar.actors.offices import load as load_offices
from khabar.actors.resolve import Resolver
from khabar.actors.stage import gazetteer
from khabar.core.article import Actor, Article, Entity, Span
from khabar.geo.stage import PlaceFinder
from khabar.nlp.entities import DEFAULT_MODEL, EntityRecognizer, make_entities
from khabar.nlp.sentences import split_sentences

log = logging.getLogger(__name__)

DEFAULT_PLOVER = Path("../shared/eval/plover_gsr")
DEFAULT_RE3D = Path("../shared/eval/re3d")
LABELS = {"PERSON": "Person", "ORG": "Organisation", "NORP": "Organisation"}
LABELS |= {"GPE": "Location", "LOC": "Location", "FAC": "Location"}
TYPES = ("Person", "Organisation", "Location")
_MARK = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC):\s*([^()]*?)\s*\)")


@dataclass
class Pipeline:
    """The stages under test, built once: NER, places (which settle which town a name is, as
    in the default pipeline, when ``places`` is given), then actor resolution."""

    ner: EntityRecognizer
    resolver: Resolver
    places: PlaceFinder | None = None
    ner_s: float = 0.0
    places_s: float = 0.0
    resolve_s: float = 0.0
    articles: int = 0

    def run(self, texts: list[str]) -> list[tuple[list[Entity], list[Actor]]]:
        articles = [_article(t) for t in texts]
        began = time.perf_counter()
        articles = list(self.ner.pipe(articles))
        after_ner = time.perf_counter()
        if self.places is not None:
            for a in articles:
                a.places = self.places.places(a)
        after_places = time.perf_counter()
        out = [
            (a.entities, self.resolver.resolve(a.text, a.entities, a.sentences, places=a.places))
            for a in articles
        ]
        self.ner_s += after_ner - began
        self.places_s += after_places - after_ner
        self.resolve_s += time.perf_counter() - after_places
        self.articles += len(articles)
        return out

    def speed(self) -> dict[str, float]:
        n = max(self.articles, 1)
        return {
            "ner_ms_per_article": round(1000 * self.ner_s / n, 2),
            "places_ms_per_article": round(1000 * self.places_s / n, 2),
            "resolve_ms_per_article": round(1000 * self.resolve_s / n, 2),
        }


def _places() -> PlaceFinder:
    """The places stage as the default pipeline builds it."""
    from khabar.geo.stage import make_places  # noqa: PLC0415 - loads the gazetteer

    finder = make_places()
    assert isinstance(finder, PlaceFinder)
    return finder


def _article(text: str) -> Article:
    article = Article.from_text(text)
    article.text = text
    article.sentences = [Span(start=s, end=e) for s, e in split_sentences(text)]
    return article


def evaluate_actors(
    plover_dir: Path = DEFAULT_PLOVER,
    re3d_dir: Path = DEFAULT_RE3D,
    *,
    model: str = DEFAULT_MODEL,
    extra_kb: tuple[str, ...] = (),
    places: bool = True,
) -> dict[str, Any]:
    """Both evaluations; a part whose data is absent says so under ``skipped``."""
    plover_file = _plover_file(plover_dir)
    have_re3d = re3d_dir.is_dir() and any(re3d_dir.glob("*/entities.json"))
    report: dict[str, Any] = {}
    if plover_file is None and not have_re3d:
        return {"skipped": f"no evaluation data under {plover_dir} or {re3d_dir}"}
    resolver = Resolver(load_kb(extra_kb), gazetteer(), offices=load_offices())  # as the stage
    pipeline = Pipeline(make_entities(model=model), resolver, _places() if places else None)
    report["kb"] = pipeline.resolver.kb.stats()
    report["plover"] = (
        evaluate_plover(plover_file, pipeline)
        if plover_file
        else {"skipped": f"no PLOVER gold records under {plover_dir}"}
    )
    report["re3d"] = (
        evaluate_re3d(re3d_dir, pipeline)
        if have_re3d
        else {"skipped": f"no re3d entities.json under {re3d_dir}"}
    )
    return report


# -- PLOVER -------------------------------------------------------------------------------------
def _plover_file(folder: Path) -> Path | None:
    candidates = sorted(folder.glob("gold_standard_records/*.txt")) + sorted(folder.glob("*.json"))
    return candidates[0] if candidates else None


def read_plover(path: Path) -> list[dict[str, Any]]:
    records = json.loads(path.read_text(encoding="utf-8-sig"))
    return [r for r in records if r.get("event") != "DOCUMENT" and r.get("text")]


@dataclass
class Score:
    scored: int = 0
    correct: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def add(self, ok: bool) -> None:
        self.scored += 1
        self.correct += ok

    def report(self) -> dict[str, Any]:
        accuracy = round(self.correct / self.scored, 4) if self.scored else None
        return {
            "scored": self.scored,
            "correct": self.correct,
            "accuracy": accuracy,
            "skipped": sum(self.skipped.values()),
            "skipped_by_reason": dict(sorted(self.skipped.items())),
        }


def evaluate_plover(path: Path, pipeline: Pipeline) -> dict[str, Any]:
    records = read_plover(path)
    results = pipeline.run([r["text"] for r in records])
    scores: dict[str, Score] = {}
    gold_found = Counter[str]()
    mentions = Counter[str]()
    for record, (_, actors) in zip(records, results, strict=True):
        _count_mentions(actors, mentions)
        for side, gold, span in gold_actors(record):
            actor = best_overlap(actors, span) if span else None
            gold_found["located" if span else "not located"] += 1
            gold_found["matched" if actor else "no khabar actor"] += 1
            _score_actor(scores, side, gold, actor)
    out: dict[str, Any] = {
        "file": str(path),
        "sentences": len(records),
        "gold_actors": gold_found,
        **{name: score.report() for name, score in sorted(scores.items())},
        "mentions": _mention_shares(mentions),
        "speed": pipeline.speed(),
    }
    return out


def gold_actors(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Span | None]]:
    """``(side, actor, span in the text)`` for every source and target actor of a record."""
    marks = _marks(record)
    used: set[int] = set()
    for side in ("source", "target"):
        actors = record.get(side)
        if not isinstance(actors, list):
            continue
        for actor in actors:
            if isinstance(actor, dict) and actor.get("actorText"):
                yield side, actor, _locate(record["text"], side, actor["actorText"], marks, used)


def _marks(record: dict[str, Any]) -> list[tuple[str, int, int, str]]:
    """The markup's ``(tag, start, end, inner text)``, if the markup rebuilds the text exactly."""
    info = record.get("textInfo")
    markup = info.get("markup") if isinstance(info, dict) else None
    markup = markup if isinstance(markup, str) else ""
    pieces, marks, at, length = [], [], 0, 0
    for match in _MARK.finditer(markup):
        pieces.append(markup[at : match.start()])
        length += match.start() - at
        marks.append((match.group(1), length, length + len(match.group(2)), match.group(2)))
        pieces.append(match.group(2))
        length += len(match.group(2))
        at = match.end()
    pieces.append(markup[at:])
    return marks if "".join(pieces) == record["text"] else []


def _locate(
    text: str, side: str, name: str, marks: list[tuple[str, int, int, str]], used: set[int]
) -> Span | None:
    tags = ("SRC", "SRC/TAR") if side == "source" else ("TAR", "SRC/TAR")
    key = name.casefold()
    for index, (tag, start, end, inner) in enumerate(marks):
        inside = inner.casefold()
        if index not in used and tag in tags and (key in inside or inside in key):
            used.add(index)
            return Span(start=start, end=end)
    first = name.split("...", maxsplit=1)[0].strip()
    at = text.find(first)
    if at < 0:
        at = text.casefold().find(first.casefold())
    return Span(start=at, end=at + len(first)) if at >= 0 and first else None


def best_overlap(actors: Iterable[Actor], span: Span) -> Actor | None:
    best, best_key = None, (0, 0)
    for actor in actors:
        for m in actor.mentions:
            overlap = min(m.end, span.end) - max(m.start, span.start)
            key = (overlap, -(m.end - m.start))
            if overlap > 0 and key > best_key:
                best, best_key = actor, key
    return best


def _score_actor(
    scores: dict[str, Score], side: str, gold: dict[str, Any], actor: Actor | None
) -> None:
    code = gold.get("code")
    sector = gold.get("sector")
    for name in (f"{side}_country", "country", f"{side}_country_igo", "country_igo"):
        score = scores.setdefault(name, Score())
        if not code:
            score.skipped["missing"] += 1
        elif not valid_country(code):
            score.skipped[f"invalid {code}"] += 1
        else:
            found = actor.country if actor else None
            same = igo_family(found) == igo_family(code) if "igo" in name else found == code
            score.add(same)
    for name in (f"{side}_sector", "sector"):
        score = scores.setdefault(name, Score())
        if not sector:
            score.skipped["missing"] += 1
        elif sector[:3].upper() not in SECTORS or len(sector) not in (3, 6):
            score.skipped[f"invalid {sector}"] += 1
        else:
            score.add(actor is not None and actor.sector == sector[:3].upper())


def _count_mentions(actors: Iterable[Actor], counts: Counter[str]) -> None:
    for actor in actors:
        n = len(actor.mentions)
        counts["all"] += n
        counts["kb"] += n if actor.kb_id else 0
        counts["country"] += n if actor.country else 0
        counts["sector"] += n if actor.sector else 0


def _mention_shares(counts: Counter[str]) -> dict[str, Any]:
    total = counts["all"]
    return {
        "actor_mentions": total,
        "share_kb_entry": round(counts["kb"] / total, 4) if total else None,
        "share_with_country": round(counts["country"] / total, 4) if total else None,
        "share_with_sector": round(counts["sector"] / total, 4) if total else None,
    }


# -- re3d ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    type: str


def read_re3d(folder: Path) -> Iterator[tuple[str, str, list[Gold]]]:
    """``(document id, text, gold entities)`` for every document, folders in sorted order."""
    for source in sorted(p for p in folder.iterdir() if (p / "entities.json").is_file()):
        texts = {r["_id"]: r["text"] for r in _json_lines(source / "documents.json")}
        best: dict[tuple[str, int, int], tuple[float, str]] = {}
        for e in _json_lines(source / "entities.json"):
            key = (e["documentId"], int(e["begin"]), int(e["end"]))
            confidence = float(e.get("confidence") or 0.0)
            if key not in best or best[key][0] < confidence:
                best[key] = (confidence, e["type"])
        by_doc: dict[str, list[Gold]] = {doc: [] for doc in texts}
        for (doc, start, end), (_, kind) in sorted(best.items()):
            if doc in by_doc:
                by_doc[doc].append(Gold(start, end, kind))
        for doc, text in texts.items():
            yield doc, text, by_doc[doc]


def _json_lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def report(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def evaluate_re3d(folder: Path, pipeline: Pipeline) -> dict[str, Any]:
    docs = list(read_re3d(folder))
    results = pipeline.run([text for _, text, _ in docs])
    ner: dict[str, dict[str, Counts]] = {}
    coverage: Counter[str] = Counter()
    for (_, _, gold), (entities, actors) in zip(docs, results, strict=True):
        wanted = [g for g in gold if g.type in TYPES]
        for variant, labels in (("", LABELS), ("_without_norp", _without("NORP"))):
            predicted = [
                Gold(e.start, e.end, labels[e.label]) for e in entities if e.label in labels
            ]
            for mode in ("exact", "overlap"):
                tally = ner.setdefault(f"{mode}{variant}", {t: Counts() for t in TYPES})
                match_spans(wanted, predicted, tally, exact=mode == "exact")
        _cover(wanted, actors, coverage)
    return {
        "folder": str(folder),
        "documents": len(docs),
        "ner": {mode: _with_micro(tally) for mode, tally in ner.items()},
        "actors": _coverage_report(coverage),
        "speed": pipeline.speed(),
    }


def _without(label: str) -> dict[str, str]:
    return {k: v for k, v in LABELS.items() if k != label}


def match_spans(
    gold: list[Gold], predicted: list[Gold], tally: dict[str, Counts], exact: bool
) -> None:
    """One-to-one matching of same-type spans: identical spans, or overlapping ones."""
    unmatched = list(gold)
    for p in predicted:
        hit = next((g for g in unmatched if g.type == p.type and _fits(g, p, exact)), None)
        if hit is None:
            tally[p.type].fp += 1
        else:
            unmatched.remove(hit)
            tally[p.type].tp += 1
    for g in unmatched:
        tally[g.type].fn += 1


def _fits(gold: Gold, found: Gold, exact: bool) -> bool:
    if exact:
        return (gold.start, gold.end) == (found.start, found.end)
    return gold.start < found.end and found.start < gold.end


def _with_micro(tally: dict[str, Counts]) -> dict[str, Any]:
    micro = Counts(*(sum(getattr(c, f) for c in tally.values()) for f in ("tp", "fp", "fn")))
    return {**{t: c.report() for t, c in tally.items()}, "micro": micro.report()}


def _cover(gold: list[Gold], actors: list[Actor], counts: Counter[str]) -> None:
    for g in gold:
        if g.type == "Location":
            continue
        actor = best_overlap(actors, Span(start=g.start, end=g.end))
        counts[f"{g.type}:all"] += 1
        counts[f"{g.type}:actor"] += actor is not None
        counts[f"{g.type}:country"] += bool(actor and actor.country)
        counts[f"{g.type}:kb"] += bool(actor and actor.kb_id)


def _coverage_report(counts: Counter[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("Person", "Organisation"):
        total = counts[f"{kind}:all"]
        out[kind] = {
            "gold_mentions": total,
            **{
                f"share_{what}": round(counts[f"{kind}:{what}"] / total, 4) if total else None
                for what in ("actor", "country", "kb")
            },
        }
    return out
