"""The packaged event-type classifier and the labelled sentences it is trained on."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from khabar.events.classifier import (
    DEFAULT_MODEL,
    LABELS,
    MODES,
    NO_EVENT,
    PLOVER_TYPES,
    STATUSES,
    EventTypeClassifier,
    features,
    stem,
)
from khabar.events.train import (
    DEFAULT_DATA,
    Example,
    Settings,
    fit,
    model_payload,
    read_examples,
    validate,
    write_model,
)


@pytest.fixture(scope="module")
def model() -> EventTypeClassifier:
    return EventTypeClassifier.load()


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return read_examples()


# Sentences written for this test (none is in the training data, which a test below checks).
OBVIOUS = [
    ("Gunmen shot dead four soldiers at a checkpoint near the border on Tuesday.", "ASSAULT"),
    ("A car bomb exploded outside a police station, killing nine people.", "ASSAULT"),
    ("Police arrested 30 opposition activists in dawn raids on Sunday.", "COERCE"),
    ("Thousands of workers marched through the capital to demand higher wages.", "PROTEST"),
    ("The two foreign ministers held talks in Ankara on Monday.", "CONSULT"),
    ("The ministers will meet in Doha next week to discuss the ceasefire.", "AGREE"),
    ("The government accused the rebels of war crimes against civilians.", "ACCUSE"),
    ("The rebels threatened to attack the capital if the army advanced.", "THREATEN"),
    ("The United States imposed sanctions on five companies over the weapons trade.", "SANCTION"),
    ("Japan donated $20 million in emergency food aid to flood victims in Malawi.", "AID"),
    ("The kidnappers released the twelve hostages unharmed on Saturday.", "RETREAT"),
    ("The opposition demanded the immediate release of its jailed leader.", "REQUEST"),
    ("The government rejected the opposition's proposal for early elections.", "REJECT"),
    ("The army deployed thousands of troops along the border after the clashes.", "MOBILIZE"),
    ("The president pardoned 200 prisoners to mark the national holiday.", "CONCEDE"),
    ("The two navies began a joint exercise in the Arabian Sea on Monday.", "COOPERATE"),
    ("The president praised the peacekeepers and thanked the countries that sent them.", "SUPPORT"),
    ("Inflation rose to 12 percent in March, the statistics office said.", NO_EVENT),
    ("The president offered his condolences to the families of the victims.", NO_EVENT),
]
MISLEADING = [
    ("Talks between the two sides collapsed without agreement late on Friday.", "REJECT"),
    ("The football club fired its coach after five straight defeats.", NO_EVENT),
    ("Police fired tear gas at students marching on parliament.", "ASSAULT"),
    ("Hackers shut down the websites of three ministries in a cyberattack.", "COERCE"),
]


def test_the_packaged_model_loads_with_every_label(model: EventTypeClassifier) -> None:
    assert DEFAULT_MODEL.is_file()
    assert model.labels == LABELS
    assert len(PLOVER_TYPES) == 16 and NO_EVENT not in PLOVER_TYPES
    assert DEFAULT_MODEL.stat().st_size < 5_000_000


@pytest.mark.parametrize("sentence", [OBVIOUS[0][0], "", "???", "A " * 200])
def test_each_sentence_gets_every_label_once_best_first_summing_to_one(
    model: EventTypeClassifier, sentence: str
) -> None:
    (ranking,) = model.predict([sentence])
    assert sorted(label for label, _ in ranking) == sorted(LABELS)
    probabilities = [p for _, p in ranking]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-5)


def test_predicting_nothing_gives_nothing_and_order_is_kept(model: EventTypeClassifier) -> None:
    assert model.predict([]) == []
    sentences = [s for s, _ in OBVIOUS[:5]]
    one_by_one = [model.predict([s])[0][0][0] for s in sentences]
    assert [r[0][0] for r in model.predict(sentences)] == one_by_one


@pytest.mark.parametrize(("sentence", "expected"), OBVIOUS + MISLEADING)
def test_obvious_and_misleading_sentences(
    model: EventTypeClassifier, sentence: str, expected: str
) -> None:
    best, probability = model.predict([sentence])[0][0]
    assert best == expected
    assert probability > 0.5


def test_the_test_sentences_are_not_training_sentences(examples: list[Example]) -> None:
    training = {e.text for e in examples}
    assert not training & {s for s, _ in OBVIOUS + MISLEADING}


def test_it_is_fast(model: EventTypeClassifier) -> None:
    sentences = [s for s, _ in OBVIOUS] * 60  # 1,140 sentences
    begin = time.perf_counter()
    model.predict(sentences)
    assert time.perf_counter() - begin < 2.0  # measured: about 13,000 sentences/s on one core


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(ValueError, match="not a khabar event-type model"):
        EventTypeClassifier.load(other)
    with pytest.raises(FileNotFoundError, match=r"khabar\.events\.train"):
        EventTypeClassifier.load(tmp_path / "missing.json")


def test_features_see_stems_cues_and_scope() -> None:
    assert stem("attacked") == stem("attacks") == stem("attacking") == "attack"
    assert stem("met") == "meet" and stem("stopped") == "stop"
    future = features("The ministers will meet next week.")
    past = features("The ministers met last week.")
    assert "fut:meet" in future and "fut:meet" not in past
    assert "lex:CONSULT" in future and "lex:CONSULT" in past
    assert "neg:lex:AGREE" in features("The rebels will not accept the offer.")


# -- the training data ----------------------------------------------------------------------------
def test_the_training_data_validates(examples: list[Example]) -> None:
    assert validate(examples) == []
    for ex in examples:
        assert ex.type in LABELS
        assert ex.mode is None or ex.mode in MODES[ex.type]
        assert ex.status in STATUSES
        assert 10 <= len(ex.text.split()) <= 60, ex.text
    assert len({e.text.lower() for e in examples}) == len(examples)


def test_the_training_data_covers_every_type(examples: list[Example]) -> None:
    counts = Counter(e.type for e in examples)
    assert len(examples) >= 2000
    assert all(counts[t] >= 80 for t in PLOVER_TYPES), counts
    assert counts[NO_EVENT] >= 400
    assert {e.status for e in examples} == set(STATUSES)


def test_the_training_data_is_one_json_object_per_line() -> None:
    lines = DEFAULT_DATA.read_text(encoding="utf-8").splitlines()
    for line in lines:
        record = json.loads(line)
        assert set(record) <= {"text", "type", "mode", "status", "note"}
        assert {"text", "type", "mode", "status"} <= set(record)


@pytest.mark.slow
def test_retraining_reproduces_the_packaged_model(examples: list[Example], tmp_path: Path) -> None:
    """The same features, labels and settings, and the same weights to float rounding: L-BFGS
    in float64 ends a few last bits apart on another CPU's BLAS kernels, so the file is not
    compared byte for byte; the predictions it makes are."""
    settings = Settings()
    classifier = fit([e.text for e in examples], [e.type for e in examples], settings)
    rebuilt = tmp_path / "event-types-v1.json"
    write_model(model_payload(classifier, examples, settings), rebuilt)
    got = json.loads(rebuilt.read_text(encoding="utf-8"))
    packaged = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    assert {k: v for k, v in got.items() if k != "weights"} == {
        k: v for k, v in packaged.items() if k != "weights"
    }
    ours, theirs = EventTypeClassifier.from_dict(got), EventTypeClassifier.load()
    assert np.allclose(ours.weights, theirs.weights, rtol=1e-3, atol=1e-5)
    texts = [e.text for e in examples]
    assert (ours.probabilities(texts).argmax(1) == theirs.probabilities(texts).argmax(1)).all()
