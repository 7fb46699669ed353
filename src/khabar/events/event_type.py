"""Event typing: the one place where a mention's PLOVER type is decided.

Three ways, chosen by the stage's ``typing`` setting:

- ``rules``: the trigger lexicon and dependency rules (``triggers.py``, ``status.py``) alone;
- ``classifier``: khabar's sentence classifier (``khabar.events.classifier``, trained on the
  project's own labelled sentences) types the sentence; the rules still find where the event is
  (trigger, participants, place, time), and a sentence the classifier calls ``NONE`` has none;
- ``combined`` (default): the classifier chooses among the event types the trigger word can
  have in the lexicon, each scored ``(1 - w) * rule + w * classifier`` (the rule's own type
  with the full rule score, the word's other readings with half), ``w = classifier_weight``;
  a mention whose sentence the classifier calls ``NONE`` with at least
  ``drop_probability`` is dropped unless the rules are sure of it (a lexicon reading with no
  competitor); and a sentence the rules find nothing in but the classifier types with at least
  ``add_probability`` gets one event at its main verb.

When the classifier cannot be loaded (it is optional: not trained, not installed), ``combined``
and ``classifier`` fall back to ``rules`` and say so in the log; every event's ``method`` names
the typing that produced it.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

log = logging.getLogger(__name__)

Typing = Literal["combined", "rules", "classifier"]
NONE = "NONE"
CLASSIFIER_MODULE = "khabar.events.classifier"
RULE_CONFIDENCE = 0.75


class SentenceClassifier(Protocol):
    def predict(self, sentences: list[str]) -> list[list[tuple[str, float]]]: ...


@dataclass(frozen=True)
class TypeChoice:
    type: str | None  # None: not an event
    confidence: float
    method: str  # "rules", "classifier" or "combined"


def load_classifier(model: str = "") -> SentenceClassifier | None:
    """khabar's event-type classifier (its packaged model, or the model file ``model``), if it
    exists and loads; else None, logged."""
    try:
        module = importlib.import_module(CLASSIFIER_MODULE)
        cls: Any = module.EventTypeClassifier
        made = cls.load(Path(model)) if model else cls.load()
    except TypeError:
        made = _instance_load(cls)
    except Exception as exc:  # noqa: BLE001 - any failure means: type with the rules alone
        log.info(
            "events: no event-type classifier (%s: %s); typing by rules", type(exc).__name__, exc
        )
        return None
    return made if made is not None and hasattr(made, "predict") else None


def _instance_load(cls: Any) -> SentenceClassifier | None:
    try:
        instance = cls()
        loaded = instance.load()
    except Exception as exc:  # noqa: BLE001 - see load_classifier
        log.info("events: the event-type classifier did not load (%s); typing by rules", exc)
        return None
    chosen = loaded if loaded is not None and hasattr(loaded, "predict") else instance
    return chosen  # type: ignore[no-any-return]


def choose_type(
    rule_type: str,
    rule_sure: bool,
    scores: Sequence[tuple[str, float]] | None,
    typing: Typing,
    weight: float,
    drop_probability: float,
    readings: frozenset[str] = frozenset(),
) -> TypeChoice:
    """The type of one rule mention, given the classifier's scores for its sentence (if any).

    ``readings`` are the other event types the trigger word can have in the lexicon: in
    ``combined`` typing the classifier chooses among those, never a type the word cannot
    express (the classifier types the sentence, the rules the word)."""
    if typing == "rules" or not scores:
        return TypeChoice(rule_type, RULE_CONFIDENCE if rule_sure else 0.6, "rules")
    probability = dict(scores)
    best, best_p = scores[0]
    if typing == "classifier":
        # a softmax over 17 labels rarely gives its best much more than 0.3: scaled to 0.5-1
        if best == NONE:
            return TypeChoice(None, best_p, "classifier")
        return TypeChoice(best, round(0.5 + 0.5 * best_p, 3), "classifier")
    if probability.get(NONE, 0.0) >= drop_probability and not rule_sure:
        return TypeChoice(None, probability[NONE], "combined")
    rule_score = RULE_CONFIDENCE if rule_sure else 0.6
    options = {rule_type: (1 - weight) * rule_score + weight * probability.get(rule_type, 0.0)}
    for other in readings - {rule_type, NONE}:
        options[other] = (1 - weight) * rule_score * 0.5 + weight * probability.get(other, 0.0)
    chosen = max(options, key=lambda t: options[t])
    return TypeChoice(chosen, round(options[chosen], 3), "combined")


def sentence_type(
    scores: Sequence[tuple[str, float]] | None, typing: Typing, add_probability: float
) -> str | None:
    """The type of a sentence the rules found nothing in: the classifier's best type when it is
    not ``NONE`` (``classifier``), and at least ``add_probability`` sure (``combined``)."""
    if not scores or typing == "rules":
        return None
    best, probability = scores[0]
    if best == NONE:
        return None
    return best if typing == "classifier" or probability >= add_probability else None
