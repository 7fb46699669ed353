"""Time expressions measured on MEANTIME (English WikiNews, NAF/CAT XML), TempEval-3 style.

Each document's tokens are joined back into text (sentences one per line, spaces as English is
written), the document creation time (its ``CREATION_TIME`` TIMEX3) is the anchor, and the
time stage's interpreter runs on the text. Scored:

- **detection**: a system expression matches a gold TIMEX3 when their spans overlap (relaxed
  match, one to one, largest overlap first); precision, recall, F1. ``strict`` counts exact
  spans only.
- **value accuracy**: over the matched pairs, the share whose TimeValue, written as a TIMEX3
  value at its granularity (``khabar.time.timex``), equals the gold value.
- **value F1** = detection F1 x value accuracy.

What is scored: khabar's times are dates, so the primary figures count the gold DATE and TIME
expressions (and the few DURATION ones whose value is a reference such as ``PAST_REF``). Gold
durations and sets (values ``P...``: "two years", "weekly") are not scored: a system
expression overlapping one is neither right nor wrong. The creation time itself (the dateline)
is the anchor, given, so it is not scored either, as in TempEval-3. ``all_types`` repeats the
figures with durations and sets counted as gold that khabar misses.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from khabar.time.interpret import Interpretation, Interpreter
from khabar.time.timex import timex_value

log = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/eval/meantime_en")
ANNOTATED_SENTENCES = 6  # headline, dateline, four sentences of the body
_PERIOD_VALUE = re.compile(r"^P(?:\d|X|T)")
_NO_SPACE_BEFORE = frozenset(
    {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "...", "'s", "’s", "n't", "'re", "'ve"}
    | {"'ll", "'d", "'m", "'"}
)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "US$", "CA$", "AU$", "#", "£", "€"})


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    type: str
    value: str
    text: str

    @property
    def is_period(self) -> bool:
        """A duration or a set ("two years", "weekly"): not a date, not scored by default.
        A DURATION whose value is a reference ("current": PRESENT_REF) counts as a date."""
        if self.type in ("DURATION", "SET"):
            return not self.value.endswith("_REF")
        return bool(_PERIOD_VALUE.match(self.value))


@dataclass(frozen=True)
class Document:
    name: str
    folder: str
    text: str
    sentences: tuple[tuple[int, int], ...]
    creation: date
    creation_span: tuple[int, int] | None
    timexes: tuple[GoldTimex, ...]

    @property
    def annotated_end(self) -> int:
        """Where the annotated part ends: MEANTIME marks times in the headline, the dateline
        and the first four sentences of the body only (no gold timex lies further)."""
        if len(self.sentences) <= ANNOTATED_SENTENCES:
            return len(self.text)
        return self.sentences[ANNOTATED_SENTENCES - 1][1]


@dataclass
class Counts:
    """Matches and errors summed over documents."""

    gold: int = 0
    system: int = 0
    matched: int = 0
    strict: int = 0
    value_right: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.system += other.system
        self.matched += other.matched
        self.strict += other.strict
        self.value_right += other.value_right

    def figures(self) -> dict[str, Any]:
        precision = self.matched / self.system if self.system else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = _f1(precision, recall)
        strict_p = self.strict / self.system if self.system else 0.0
        strict_r = self.strict / self.gold if self.gold else 0.0
        accuracy = self.value_right / self.matched if self.matched else 0.0
        return {
            "gold": self.gold,
            "system": self.system,
            "matched": self.matched,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "strict_f1": round(_f1(strict_p, strict_r), 4),
            "value_accuracy": round(accuracy, 4),
            "value_f1": round(f1 * accuracy, 4),
        }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


# -- reading MEANTIME -----------------------------------------------------------------------------
def why_missing(data_dir: Path) -> str | None:
    """Why MEANTIME cannot be read from ``data_dir``, or None when it can."""
    if not data_dir.is_dir() or next(data_dir.rglob("corpus_*/*.xml"), None) is None:
        return (
            f"no MEANTIME data at {data_dir}: expected corpus_*/*.xml files below it (the "
            "English section of the NewsReader MEANTIME corpus; pass its folder with --data)"
        )
    return None


def read_documents(data_dir: Path) -> list[Document]:
    """Every readable annotated document under ``data_dir``, each once (by document id)."""
    documents: dict[str, Document] = {}
    for path in sorted(data_dir.rglob("corpus_*/*.xml")):
        document = read_document(path)
        if document is not None:
            documents.setdefault(document.name, document)
    return [documents[name] for name in sorted(documents)]


def read_document(path: Path) -> Document | None:
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        log.warning("MEANTIME file %s unreadable, left out: %s", path, exc)
        return None
    text, offsets, sentences = _detokenise(root.iter("token"))
    timexes: list[GoldTimex] = []
    creation_span: tuple[int, int] | None = None
    for node in root.iter("TIMEX3"):
        ids = [a.get("t_id", "") for a in node.iter("token_anchor")]
        spans = [offsets[i] for i in ids if i in offsets]
        if not spans:
            continue  # a timex that no words express (an inferred endpoint)
        span = (min(s for s, _ in spans), max(e for _, e in spans))
        if node.get("functionInDocument") == "CREATION_TIME":
            creation_span = span
        else:
            gold = GoldTimex(*span, node.get("type", ""), node.get("value", ""), "")
            timexes.append(GoldTimex(**{**gold.__dict__, "text": text[span[0] : span[1]]}))
    dateline = sentences[1] if len(sentences) > 1 else None
    if creation_span is None and dateline is not None:
        # A few files leave the dateline's timex unmarked as the creation time: it is still
        # the document's date, and not a timex of its text.
        creation_span = dateline
        timexes = [t for t in timexes if not dateline[0] <= t.start < dateline[1]]
    creation = _dateline_date(text, creation_span)
    if creation is None:
        log.warning("MEANTIME file %s has no readable creation time, left out", path)
        return None
    name = root.get("doc_name") or path.stem
    return Document(
        name, path.parent.name, text, sentences, creation, creation_span, tuple(timexes)
    )


def _dateline_date(text: str, span: tuple[int, int] | None) -> date | None:
    """The creation time read from the dateline's words ("March 01, 2008"), which are
    unambiguous where the annotated value is not (one file writes "03-02-2009")."""
    if span is None:
        return None
    found = Interpreter().interpret(text, span[0], span[1], None)
    if found is None or found.value is None or found.value.granularity != "day":
        return None
    return found.value.start


def _detokenise(
    tokens: Iterable[Element],
) -> tuple[str, dict[str, tuple[int, int]], tuple[tuple[int, int], ...]]:
    """Tokens joined as English is written; offsets of each token; one sentence per line."""
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    sentences: list[tuple[int, int]] = []
    size, sentence, previous, sentence_start, open_quote = 0, None, "", 0, False
    for token in tokens:
        word = token.text or ""
        word = '"' if word in ("``", "''") else word
        if token.get("sentence") != sentence:
            if sentence is not None:
                sentences.append((sentence_start, size))
                parts.append("\n")
                size += 1
            sentence, previous, sentence_start, open_quote = token.get("sentence"), "", size, False
        elif _space_between(previous, word, open_quote):
            parts.append(" ")
            size += 1
        if word == '"':
            open_quote = not open_quote
        offsets[token.get("t_id", "")] = (size, size + len(word))
        parts.append(word)
        size += len(word)
        previous = word
    if sentence is not None:
        sentences.append((sentence_start, size))
    return "".join(parts), offsets, tuple(sentences)


def _space_between(previous: str, word: str, open_quote: bool) -> bool:
    if not previous or word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER:
        return False
    if word == '"':
        return not open_quote  # an opening quote takes a space, a closing one none
    return not (previous == '"' and open_quote)


# -- scoring --------------------------------------------------------------------------------------
def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _overlaps_any(found: Interpretation, timexes: Sequence[GoldTimex]) -> bool:
    return any(_overlap((found.start, found.end), (t.start, t.end)) for t in timexes)


def score_document(
    document: Document,
    found: Sequence[Interpretation],
    *,
    with_periods: bool = False,
    mistakes: list[dict[str, Any]] | None = None,
) -> Counts:
    """Counts for one document; ``mistakes`` (if given) receives every error, for inspection."""
    gold = [t for t in document.timexes if with_periods or not t.is_period]
    ignored = [t for t in document.timexes if t.is_period and not with_periods]
    region = document.annotated_end
    system = [
        f
        for f in found
        if f.end <= region
        and not (document.creation_span and _overlap((f.start, f.end), document.creation_span))
        and not (_overlaps_any(f, ignored) and not _overlaps_any(f, gold))
    ]
    pairs = sorted(
        (
            (_overlap((g.start, g.end), (s.start, s.end)), gi, si)
            for gi, g in enumerate(gold)
            for si, s in enumerate(system)
            if _overlap((g.start, g.end), (s.start, s.end))
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_system: set[int] = set()
    counts = Counts(gold=len(gold), system=len(system))
    for _, gi, si in pairs:
        if gi in used_gold or si in used_system:
            continue
        used_gold.add(gi)
        used_system.add(si)
        g, s = gold[gi], system[si]
        counts.matched += 1
        counts.strict += (g.start, g.end) == (s.start, s.end)
        value = timex_value(s.value, document.creation) if s.value else None
        if value == g.value.strip().upper():
            counts.value_right += 1
        elif mistakes is not None:
            mistakes.append(_mistake("value", document, g, s, value))
    if mistakes is not None:
        mistakes.extend(
            _mistake("missed", document, g, None, None)
            for gi, g in enumerate(gold)
            if gi not in used_gold
        )
        mistakes.extend(
            _mistake("false", document, None, s, None)
            for si, s in enumerate(system)
            if si not in used_system
        )
    return counts


def _mistake(
    kind: str,
    document: Document,
    gold: GoldTimex | None,
    found: Interpretation | None,
    value: str | None,
) -> dict[str, Any]:
    at = gold.start if gold else found.start if found else 0
    line_start = document.text.rfind("\n", 0, at) + 1
    line_end = document.text.find("\n", at)
    return {
        "kind": kind,
        "document": document.name,
        "folder": document.folder,
        "creation": document.creation.isoformat(),
        "gold": f"{gold.text!r} {gold.type} {gold.value}" if gold else None,
        "system": f"{found.text!r} {value or ''} ({found.tense})" if found else None,
        "sentence": document.text[line_start : line_end if line_end >= 0 else None],
    }


def evaluate_time(
    data_dir: Path = DEFAULT_DATA,
    *,
    held_out: Sequence[str] = ("corpus_gm",),
    interpreter: Interpreter | None = None,
    mistakes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Score the time stage's interpreter on MEANTIME in ``data_dir`` (see the module's doc).

    The figures come for all documents, per topic folder, and for the folders used in tuning
    apart from ``held_out`` (folders not looked at while writing the rules). When the data is
    missing the result is ``{"skipped": <why>}``.
    """
    missing = why_missing(data_dir)
    if missing:
        log.info("time evaluation skipped: %s", missing)
        return {"skipped": missing}
    interpreter = interpreter or Interpreter()
    documents = read_documents(data_dir)
    overall, everything = Counts(), Counts()
    folders: dict[str, Counts] = {}
    seconds = 0.0
    for document in documents:
        began = time.perf_counter()
        found = interpreter.interpret_all(document.text, document.creation, document.sentences)
        seconds += time.perf_counter() - began
        counts = score_document(document, found, mistakes=mistakes)
        overall.add(counts)
        folders.setdefault(document.folder, Counts()).add(counts)
        everything.add(score_document(document, found, with_periods=True))
    tuning, held = Counts(), Counts()
    for name, counts in folders.items():
        (held if name in held_out else tuning).add(counts)
    return {
        "data": str(data_dir),
        "documents": len(documents),
        **overall.figures(),
        "all_types": everything.figures(),
        "folders": {name: folders[name].figures() for name in sorted(folders)},
        "tuning_folders": tuning.figures(),
        "held_out": {"folders": list(held_out), **held.figures()},
        "ms_per_document": round(1000 * seconds / len(documents), 2) if documents else 0.0,
    }
