"""The line model: two stacked logistic regressions saying how likely a line is article body.

Stage one scores each line from its shape and place on the page; stage two scores it again,
knowing stage one's scores around it (a short line between two confident paragraphs is body,
the same line in a menu is not). The weights live in ``khabar/data/models/lines.json``, written
by ``khabar.extract.train_lines``; the features are named there, and loading fails loudly when
they are not the ones this code computes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from khabar.extract.line_features import (
    STAGE_ONE_NAMES,
    STAGE_TWO_NAMES,
    Columns,
    Matrix,
    Vector,
    stage_one_matrix,
    stage_two_extra,
)
from khabar.extract.line_shape import Line, Shape

MODEL_FILE = "data/models/lines.json"
MODEL_VERSION = 1


@dataclass(frozen=True)
class Logistic:
    """``P(body) = sigmoid(bias + weights · row)`` over the named features."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probabilities(self, rows: Matrix) -> Vector:
        return _logistic(rows @ np.array(self.weights) + self.bias)

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": dict(zip(self.names, self.weights, strict=True))}

    @classmethod
    def from_json(cls, data: dict[str, Any], names: list[str]) -> Logistic:
        weights = data["weights"]
        if sorted(weights) != sorted(names):
            missing, extra = set(names) - set(weights), set(weights) - set(names)
            raise ValueError(
                f"line model features do not match the code: missing {sorted(missing)}, "
                f"unknown {sorted(extra)}; retrain with python -m khabar.extract.train_lines"
            )
        return cls(tuple(names), tuple(float(weights[n]) for n in names), float(data["bias"]))


@dataclass(frozen=True)
class LineModel:
    stage_one: Logistic
    stage_two: Logistic
    threshold: float

    def body_probabilities(self, lines: list[Line], shapes: list[Shape]) -> list[float]:
        """For each line, the probability that it belongs to the article body."""
        if not lines:
            return []
        columns = Columns(shapes)
        first_rows = stage_one_matrix(lines, columns)
        first = self.stage_one.probabilities(first_rows)
        # Stage two reads stage one's columns and its own: two products, no copy.
        weights = np.array(self.stage_two.weights)
        split = first_rows.shape[1]
        z = (
            first_rows @ weights[:split]
            + stage_two_extra(columns, first) @ weights[split:]
            + self.stage_two.bias
        )
        return [float(v) for v in _logistic(z)]

    def to_json(self, **about: Any) -> dict[str, Any]:
        return {
            "version": MODEL_VERSION,
            **about,
            "threshold": self.threshold,
            "stage_one": self.stage_one.to_json(),
            "stage_two": self.stage_two.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LineModel:
        if data.get("version") != MODEL_VERSION:
            raise ValueError(f"line model version {data.get('version')}, expected {MODEL_VERSION}")
        return cls(
            Logistic.from_json(data["stage_one"], STAGE_ONE_NAMES),
            Logistic.from_json(data["stage_two"], STAGE_TWO_NAMES),
            float(data["threshold"]),
        )


def _logistic(z: Vector) -> Vector:
    """1 / (1 + exp(-z)), written so that no z overflows."""
    out: Vector = 0.5 * (1.0 + np.tanh(0.5 * z))
    return out


@cache
def bundled_model() -> LineModel:
    """The model shipped with khabar (loaded once)."""
    text = resources.files("khabar").joinpath(MODEL_FILE).read_text("utf-8")
    return LineModel.from_json(json.loads(text))
