"""Rebuild the event-type model from the labelled sentences: ``python -m khabar.events.train``.

Reads ``data/events/training.jsonl`` (written for khabar, CC BY 4.0; see its README), checks
every line, reports stratified k-fold cross-validated accuracy and macro-F1 with the commonest
confusions, trains on all of it and writes ``data/models/event-types-v1.json``. The same data
and settings give the same file, byte for byte: the optimiser is deterministic (full-batch
L-BFGS, no sampling) and the folds come from a fixed seed.

Where the PLOVER gold records are found (``../shared/eval/plover_gsr`` from the repository root,
or ``--plover-gsr``) it also scores the model on them as an external test set. Their older
labels are mapped as ``docs/event-coding-guideline.md`` says; a sentence the model calls
``NONE`` counts as wrong (they are all events). Also given: the accuracy when the model must
pick one of the sixteen types, i.e. once some other step has decided the sentence is an event.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from khabar.events.classifier import (
    DEFAULT_MODEL,
    LABELS,
    MODEL_FORMAT,
    MODES,
    NO_EVENT,
    PLOVER_TYPES,
    STATUSES,
    EventTypeClassifier,
    SparseRows,
    features,
    scores,
    softmax,
    vectorize,
)

log = logging.getLogger(__name__)

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "data" / "events" / "training.jsonl"
DEFAULT_GSR = Path("../shared/eval/plover_gsr")
# The gold records use CAMEO-era names for four types (docs/event-coding-guideline.md).
GSR_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
GSR_LABELS |= {"FIGHT": "ASSAULT"}
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    text: str
    type: str
    mode: str | None
    status: str
    note: str | None = None


@dataclass(frozen=True)
class Settings:
    l2: float = 3e-6  # L2 penalty on the weights (per sentence of the mean loss)
    min_count: int = 2  # a feature must occur in this many training sentences
    max_iter: int = 400
    balanced: bool = True  # weigh each label's sentences as one label's worth, NONE included
    folds: int = 5
    seed: int = 20240203


# -- data -----------------------------------------------------------------------------------------
def read_examples(path: Path = DEFAULT_DATA) -> list[Example]:
    """The labelled sentences in ``path``; a line that is not a valid example is an error."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            examples.append(
                Example(
                    text=record["text"],
                    type=record["type"],
                    mode=record.get("mode"),
                    status=record["status"],
                    note=record.get("note"),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a training example ({error})") from None
    problems = validate(examples)
    if problems:
        raise ValueError(f"{path}: {len(problems)} invalid examples, first: {problems[0]}")
    return examples


def normalized(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def validate(examples: Sequence[Example]) -> list[str]:
    """What is wrong with the examples: unknown labels, modes or statuses, duplicates."""
    problems = []
    seen: dict[str, int] = {}
    for i, ex in enumerate(examples, 1):
        if ex.type not in LABELS:
            problems.append(f"example {i}: unknown type {ex.type!r}")
        elif ex.mode is not None and ex.mode not in MODES[ex.type]:
            problems.append(f"example {i}: mode {ex.mode!r} is not a mode of {ex.type}")
        if ex.status not in STATUSES:
            problems.append(f"example {i}: unknown status {ex.status!r}")
        key = normalized(ex.text)
        if key in seen:
            problems.append(f"example {i}: duplicate of example {seen[key]}: {ex.text!r}")
        seen.setdefault(key, i)
    return problems


def data_digest(examples: Sequence[Example]) -> str:
    joined = "\n".join(f"{e.type}\t{e.text}" for e in examples)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


# -- training -------------------------------------------------------------------------------------
def fit(texts: Sequence[str], labels: Sequence[str], settings: Settings) -> EventTypeClassifier:
    """A classifier trained on ``texts`` labelled ``labels`` (each a member of ``LABELS``)."""
    feature_lists = [features(t) for t in texts]
    counts = Counter(f for feats in feature_lists for f in feats)
    vocabulary = sorted(f for f, n in counts.items() if n >= settings.min_count)
    index = {f: i for i, f in enumerate(vocabulary)}
    rows = vectorize(feature_lists, index)
    targets = np.asarray([LABELS.index(label) for label in labels], dtype=np.int64)
    unpenalized = index.get("bias")
    weights = _train_logistic(rows, targets, len(vocabulary), settings, unpenalized)
    log.info("event types: trained on %d sentences, %d features", len(texts), len(vocabulary))
    return EventTypeClassifier(LABELS, vocabulary, weights.astype(np.float32))


def _train_logistic(
    rows: SparseRows,
    targets: npt.NDArray[np.int64],
    n_features: int,
    settings: Settings,
    free: int | None,
) -> F64:
    """Multinomial logistic regression with an L2 penalty, by L-BFGS from zero weights."""
    n_labels = len(LABELS)
    onehot = np.zeros((rows.rows, n_labels))
    onehot[np.arange(rows.rows), targets] = 1.0
    per_label = np.bincount(targets, minlength=n_labels).astype(np.float64)
    present = per_label > 0
    sample = np.ones(rows.rows)
    if settings.balanced:
        sample = rows.rows / (present.sum() * per_label[targets])
    transpose = _transposer(rows, n_features)
    penalty = np.full((n_features, 1), settings.l2)
    if free is not None:
        penalty[free] = 0.0

    def loss_and_gradient(flat: F64) -> tuple[float, F64]:
        weights = flat.reshape(n_features, n_labels)
        probs = softmax(scores(rows, weights))
        picked = probs[np.arange(rows.rows), targets]
        loss = -float((sample * np.log(np.maximum(picked, 1e-12))).mean())
        loss += 0.5 * float((penalty * weights**2).sum())
        residual = (probs - onehot) * (sample / rows.rows)[:, None]
        gradient = transpose(residual) + penalty * weights
        return loss, gradient.ravel()

    start = np.zeros(n_features * n_labels)
    return lbfgs(loss_and_gradient, start, settings.max_iter).reshape(n_features, n_labels)


def _transposer(rows: SparseRows, n_features: int) -> Callable[[F64], F64]:
    """``rows.T @ matrix``, with the column order worked out once."""
    order = np.argsort(rows.indices, kind="stable")
    sorted_features = rows.indices[order]
    row_of = np.repeat(np.arange(rows.rows), np.diff(rows.indptr))[order]
    values = rows.data[order].astype(np.float64)[:, None]
    starts = np.flatnonzero(np.r_[True, sorted_features[1:] != sorted_features[:-1]])
    present = sorted_features[starts]

    def apply(matrix: F64) -> F64:
        out = np.zeros((n_features, matrix.shape[1]))
        if starts.size:
            out[present] = np.add.reduceat(values * matrix[row_of], starts, axis=0)
        return out

    return apply


def lbfgs(
    function: Callable[[F64], tuple[float, F64]], start: F64, max_iter: int, memory: int = 10
) -> F64:
    """Minimise a smooth convex ``function`` (value and gradient) by L-BFGS with backtracking."""
    x = start
    value, gradient = function(x)
    history: list[tuple[F64, F64, float]] = []
    for _ in range(max_iter):
        direction = -_two_loop(gradient, history)
        slope = float(gradient @ direction)
        if slope >= 0:  # not a descent direction: forget the curvature and go downhill
            history.clear()
            direction, slope = -gradient, -float(gradient @ gradient)
        step = 1.0 if history else 1.0 / max(1.0, float(np.sqrt(-slope)))
        while True:
            candidate = x + step * direction
            new_value, new_gradient = function(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, y = candidate - x, new_gradient - gradient
        curvature = float(s @ y)
        if curvature > 1e-12:
            history.append((s, y, 1.0 / curvature))
            del history[:-memory]
        converged = abs(value - new_value) <= 1e-9 * max(1.0, abs(value))
        x, value, gradient = candidate, new_value, new_gradient
        if converged or float(np.abs(gradient).max()) < 1e-6:
            break
    return x


def _two_loop(gradient: F64, history: Sequence[tuple[F64, F64, float]]) -> F64:
    q = gradient.copy()
    alphas = []
    for s, y, rho in reversed(history):
        alpha = rho * float(s @ q)
        q -= alpha * y
        alphas.append(alpha)
    if history:
        s, y, _ = history[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y, rho), alpha in zip(history, reversed(alphas), strict=True):
        beta = rho * float(y @ q)
        q += (alpha - beta) * s
    return q


# -- the model file -------------------------------------------------------------------------------
def model_payload(
    classifier: EventTypeClassifier, examples: Sequence[Example], settings: Settings
) -> dict[str, Any]:
    vocabulary = sorted(classifier.vocabulary, key=classifier.vocabulary.__getitem__)
    weights = classifier.weights.astype("<f4")
    return {
        "format": MODEL_FORMAT,
        "name": "event-types-v1",
        "labels": list(classifier.labels),
        "features": vocabulary,
        "weights": base64.b64encode(weights.tobytes()).decode("ascii"),
        "settings": asdict(settings),
        "training": {
            "sentences": len(examples),
            "per_type": dict(sorted(Counter(e.type for e in examples).items())),
            "data_sha256": data_digest(examples),
            "licence": "model and training data: CC BY 4.0, the khabar developers",
        },
    }


def write_model(payload: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, sort_keys=True, indent=0) + "\n", encoding="utf-8")


# -- measuring ------------------------------------------------------------------------------------
def stratified_folds(labels: Sequence[str], folds: int, seed: int) -> list[int]:
    """A fold number per example: each label's examples shuffled, then dealt round-robin."""
    rng = np.random.default_rng(seed)
    assignment = [0] * len(labels)
    for label in sorted(set(labels)):
        members = [i for i, lab in enumerate(labels) if lab == label]
        for k, i in enumerate(rng.permutation(members)):
            assignment[int(i)] = k % folds
    return assignment


def cross_validate(examples: Sequence[Example], settings: Settings) -> dict[str, Any]:
    labels = [e.type for e in examples]
    fold_of = stratified_folds(labels, settings.folds, settings.seed)
    predicted = [""] * len(examples)
    for fold in range(settings.folds):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        test = [i for i, f in enumerate(fold_of) if f == fold]
        model = fit([examples[i].text for i in train], [labels[i] for i in train], settings)
        guesses = model.predict([examples[i].text for i in test])
        for i, ranking in zip(test, guesses, strict=True):
            predicted[i] = ranking[0][0]
    return {"folds": settings.folds, **summary(labels, predicted, LABELS)}


def summary(gold: Sequence[str], predicted: Sequence[str], over: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-label precision / recall / F1 and their macro mean over ``over``."""
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    per_label = {}
    for label in over:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        gold_n, pred_n = gold.count(label), predicted.count(label)
        precision = tp / pred_n if pred_n else 0.0
        recall = tp / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "n": gold_n,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
        }
    confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
    return {
        "n": len(gold),
        "accuracy": round(correct / len(gold), 4) if gold else None,
        "macro_f1": round(float(np.mean([v["f1"] for v in per_label.values()])), 4),
        "per_label": per_label,
        "confusions": [[g, p, n] for (g, p), n in confusions.most_common(15)],
    }


def read_plover_gsr(folder: Path) -> list[tuple[str, str]]:
    """(sentence, PLOVER type) for each gold record in ``folder``, labels mapped to PLOVER."""
    files = sorted(folder.glob("gold_standard_records/*.txt")) + sorted(folder.glob("*.json"))
    if not files:
        return []
    records = json.loads(files[0].read_text(encoding="utf-8-sig"))
    return [
        (r["text"], GSR_LABELS.get(r["event"], r["event"]))
        for r in records
        if r.get("event") != "DOCUMENT" and r.get("text")
    ]


def evaluate_plover(
    classifier: EventTypeClassifier, gold: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    texts = [text for text, _ in gold]
    labels = [label for _, label in gold]
    present = [t for t in PLOVER_TYPES if t in labels]
    probs = classifier.probabilities(texts)
    columns = [classifier.labels.index(t) for t in PLOVER_TYPES]
    best = [classifier.labels[j] for j in probs.argmax(axis=1)]
    best_event = [PLOVER_TYPES[j] for j in probs[:, columns].argmax(axis=1)]
    return {
        "all_labels": summary(labels, best, present),
        "event_types_only": summary(labels, best_event, present),
        "called_none": best.count(NO_EVENT),
    }


def speed(classifier: EventTypeClassifier, texts: Sequence[str], rounds: int = 3) -> float:
    """Sentences per second through ``predict`` (the best of ``rounds`` passes)."""
    best = float("inf")
    for _ in range(rounds):
        begin = time.perf_counter()
        classifier.predict(list(texts))
        best = min(best, time.perf_counter() - begin)
    return len(texts) / best


# -- command --------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m khabar.events.train", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--plover-gsr", type=Path, default=DEFAULT_GSR)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--l2", type=float, default=Settings.l2)
    parser.add_argument("--folds", type=int, default=Settings.folds)
    args = parser.parse_args(argv)
    settings = Settings(l2=args.l2, folds=args.folds)
    examples = read_examples(args.data)
    print(f"{len(examples)} labelled sentences in {args.data}")
    print(
        "per type: "
        + ", ".join(f"{t} {n}" for t, n in sorted(Counter(e.type for e in examples).items()))
    )
    if not args.no_cv:
        report(f"{settings.folds}-fold cross-validation", cross_validate(examples, settings))
    classifier = fit([e.text for e in examples], [e.type for e in examples], settings)
    write_model(model_payload(classifier, examples, settings), args.out)
    size = args.out.stat().st_size
    print(f"model: {args.out} ({len(classifier.vocabulary)} features, {size / 1e6:.2f} MB)")
    gold = read_plover_gsr(args.plover_gsr)
    if gold:
        result = evaluate_plover(classifier, gold)
        report(f"plover_gsr ({args.plover_gsr}), all labels", result["all_labels"])
        report("plover_gsr, event types only", result["event_types_only"])
        print(f"plover_gsr sentences called NONE: {result['called_none']}")
    else:
        print(f"plover_gsr: skipped, no gold records under {args.plover_gsr}")
    rate = speed(classifier, [e.text for e in examples])
    print(f"speed: {rate:,.0f} sentences/s (predict, one process)")
    return 0


def report(title: str, result: dict[str, Any]) -> None:
    print(
        f"\n{title}: n {result['n']}, accuracy {result['accuracy']}, macro-F1 {result['macro_f1']}"
    )
    for label, row in result["per_label"].items():
        scores_text = f"P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}"
        print(f"  {label:<10} n {row['n']:>4}  {scores_text}")
    print(
        "  commonest confusions (gold -> predicted): "
        + "; ".join(f"{g}->{p} {n}" for g, p, n in result["confusions"])
    )


if __name__ == "__main__":
    sys.exit(main())
