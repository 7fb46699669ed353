"""Training the line model, and measuring it honestly by cross-validation over pages.

The training data is the text-only variant of the Scrapinghub article-extraction benchmark
(``khabar.evaluate.textonly``): each page's full text, one block per line, and its gold body. A
line is labelled body when at least half of its 4-word shingles are in the gold body; a line
too short for a shingle is body when its words occur in the gold body and a body line is near.
Each line weighs its word count, normalised per page, because the benchmark scores every page
alike and, within a page, by words.

Stage one is fitted on all training pages; stage two on the same pages, from stage one's
probabilities predicted out of fold (so stage two learns how far stage one can be trusted on
pages it has not seen). Cross-validation repeats all of it with whole pages held out, and
scores the complete cleaner (rules, duplicates, headline) on the held-out pages.

Run: ``python -m khabar.extract.train_lines [BENCHMARK_DIR] [--folds 5] [--seed 0]
[--cv-only] [--out PATH]``. numpy is needed here only, not to clean text.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from khabar.evaluate.textonly import DEFAULT_DATA, TextPage, load_text_pages, score_texts
from khabar.extract.line_features import (
    STAGE_ONE_NAMES,
    STAGE_TWO_NAMES,
    Columns,
    Matrix,
    stage_one_matrix,
    stage_two_matrix,
)
from khabar.extract.line_model import MODEL_FILE, LineModel, Logistic
from khabar.extract.line_shape import Line, measure, split_lines
from khabar.extract.lines import clean_scraped_text

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+")
SHINGLE = 4
BODY_SHARE = 0.5
NEAR_LINES = 2
L2 = 0.01
THRESHOLD = 0.5
INNER_FOLDS = 4
NEWTON_STEPS = 100
NEWTON_TOLERANCE = 1e-4


@dataclass
class PageData:
    """One page ready for training: its lines, shape columns, stage-one rows, labels, weights."""

    page: TextPage
    columns: Columns
    x: Matrix
    y: Matrix
    weight: Matrix


def prepare(page: TextPage) -> PageData:
    lines = split_lines(page.text)
    shapes = measure([line.text for line in lines])
    columns = Columns(shapes)
    words = np.maximum(1.0, columns["words"])
    return PageData(
        page=page,
        columns=columns,
        x=stage_one_matrix(lines, columns),
        y=np.array(label_lines(lines, page.body), dtype=np.float64),
        weight=100 * words / max(1.0, float(words.sum())),
    )


def _shingles(tokens: list[str]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def label_lines(lines: list[Line], body: str) -> list[bool]:
    """Which lines belong to the gold body (see the module docstring)."""
    gold_tokens = _TOKEN.findall(body)
    gold = _shingles(gold_tokens)
    gold_text = f" {' '.join(gold_tokens)} "
    long_labels: list[bool | None] = []
    for line in lines:
        tokens = _TOKEN.findall(line.text)
        if len(tokens) < SHINGLE:
            long_labels.append(None)
            continue
        found = _shingles(tokens)
        long_labels.append(sum(1 for k in found if k in gold) >= BODY_SHARE * len(found))
    labels = []
    for i, (line, known) in enumerate(zip(lines, long_labels, strict=True)):
        if known is not None:
            labels.append(known)
            continue
        tokens = _TOKEN.findall(line.text)
        near = any(long_labels[max(0, i - NEAR_LINES) : i + NEAR_LINES + 1])
        labels.append(bool(tokens) and near and f" {' '.join(tokens)} " in gold_text)
    return labels


def fit_logistic(x: Matrix, y: Matrix, weight: Matrix, names: list[str]) -> Logistic:
    """L2-regularised weighted logistic regression by Newton's method, on standardised columns.

    The returned weights apply to the raw columns (the standardisation is folded in).
    """
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = weight / weight.mean()
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], L2)
    penalty[-1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        gradient = z.T @ (w * (p - y)) / len(y) + penalty * beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z / len(y) + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < NEWTON_TOLERANCE:
            break
    weights = beta[:-1] / scale
    bias = float(beta[-1] - (weights * mean).sum())
    return Logistic(tuple(names), tuple(float(v) for v in weights), bias)


def _stage_one(pages: list[PageData]) -> Logistic:
    return fit_logistic(
        np.vstack([d.x for d in pages]),
        np.concatenate([d.y for d in pages]),
        np.concatenate([d.weight for d in pages]),
        STAGE_ONE_NAMES,
    )


def train(pages: list[PageData]) -> LineModel:
    """Both stages, stage two on out-of-fold stage-one probabilities."""
    first = _stage_one(pages)
    second_rows: list[Matrix] = []
    for fold in range(INNER_FOLDS):
        held = [d for i, d in enumerate(pages) if i % INNER_FOLDS == fold]
        inner = _stage_one([d for i, d in enumerate(pages) if i % INNER_FOLDS != fold])
        for d in held:
            second_rows.append(stage_two_matrix(d.x, d.columns, inner.probabilities(d.x)))
    order = [d for f in range(INNER_FOLDS) for i, d in enumerate(pages) if i % INNER_FOLDS == f]
    second = fit_logistic(
        np.vstack(second_rows),
        np.concatenate([d.y for d in order]),
        np.concatenate([d.weight for d in order]),
        STAGE_TWO_NAMES,
    )
    return LineModel(first, second, THRESHOLD)


def cross_validate(
    data_dir: Path, pages: list[PageData], folds: int, seed: int
) -> dict[str, float]:
    """Score of the whole cleaner on each page by a model that never saw that page."""
    order = list(range(len(pages)))
    random.Random(seed).shuffle(order)
    fold_of = {page: n % folds for n, page in enumerate(order)}
    texts = [""] * len(pages)
    for fold in range(folds):
        model = train([d for i, d in enumerate(pages) if fold_of[i] != fold])
        for i, d in enumerate(pages):
            if fold_of[i] == fold:
                texts[i] = clean_scraped_text(d.page.text, model=model).text
        log.info("fold %d of %d done", fold + 1, folds)
    return score_texts(data_dir, [d.page for d in pages], texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m khabar.extract.train_lines")
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, nargs="+", default=[0])
    parser.add_argument("--cv-only", action="store_true", help="measure, do not write a model")
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / MODEL_FILE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    pages = [prepare(page) for page in load_text_pages(args.data_dir)]
    scores = {
        f"seed {seed}": cross_validate(args.data_dir, pages, args.folds, seed) for seed in args.seed
    }
    mean_f1 = round(float(np.mean([s["f1"] for s in scores.values()])), 4)
    report: dict[str, Any] = {"pages": len(pages), "folds": args.folds, "cv": scores}
    report["cv_f1_mean"] = mean_f1
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    if not args.cv_only:
        model = train(pages)
        about = {
            "trained_on": "Scrapinghub article-extraction benchmark, text-only variant",
            "pages": len(pages),
            "cross_validated": {"folds": args.folds, "f1": mean_f1, "by_seed": scores},
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(model.to_json(**about), indent=1) + "\n", "utf-8")
        log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
