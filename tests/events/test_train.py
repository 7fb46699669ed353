"""Training the event-type classifier: a tiny run end to end, and the measuring helpers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from khabar.events.classifier import LABELS, EventTypeClassifier
from khabar.events.train import (
    Example,
    Settings,
    cross_validate,
    evaluate_plover,
    fit,
    lbfgs,
    main,
    model_payload,
    read_examples,
    read_plover_gsr,
    stratified_folds,
    summary,
    validate,
)

TINY = [
    Example(
        "Gunmen killed three villagers in an attack on the market.", "ASSAULT", None, "happened"
    ),
    Example(
        "Soldiers shot dead two fighters in a gun battle near the river.",
        "ASSAULT",
        None,
        "happened",
    ),
    Example("A bomb killed five people at the bus station on Monday.", "ASSAULT", None, "happened"),
    Example("The two presidents held talks in the capital on Friday.", "CONSULT", None, "happened"),
    Example(
        "Foreign ministers met in Geneva for talks on the border.", "CONSULT", None, "happened"
    ),
    Example("The envoy held talks with rebel leaders in the north.", "CONSULT", None, "happened"),
    Example("Inflation rose to nine percent in the third quarter.", "NONE", None, "happened"),
    Example("The central bank kept interest rates unchanged this month.", "NONE", None, "happened"),
    Example("The currency fell to a record low against the dollar.", "NONE", None, "happened"),
]
TINY_SETTINGS = Settings(min_count=1, max_iter=200, folds=3)


def tiny_model() -> EventTypeClassifier:
    return fit([e.text for e in TINY], [e.type for e in TINY], TINY_SETTINGS)


def test_a_tiny_training_run_learns_its_examples() -> None:
    model = tiny_model()
    rankings = model.predict([e.text for e in TINY])
    assert [r[0][0] for r in rankings] == [e.type for e in TINY]
    for ranking in rankings:
        assert sum(p for _, p in ranking) == pytest.approx(1.0, abs=1e-5)
    # A label with no training sentence stays unlikely.
    unseen = dict(model.predict(["Gunmen attacked the market."])[0])
    assert unseen["ASSAULT"] > 0.5 > unseen["PROTEST"]


def test_tiny_training_is_deterministic() -> None:
    first = model_payload(tiny_model(), TINY, TINY_SETTINGS)
    second = model_payload(tiny_model(), TINY, TINY_SETTINGS)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["labels"] == list(LABELS)
    assert first["training"]["per_type"] == {"ASSAULT": 3, "CONSULT": 3, "NONE": 3}


def test_main_writes_a_model_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "training.jsonl"
    data.write_text("".join(json.dumps(e.__dict__) + "\n" for e in TINY), encoding="utf-8")
    gold = tmp_path / "gold" / "gold_standard_records"
    gold.mkdir(parents=True)
    records = [
        {"event": "DOCUMENT", "eventText": "documentation"},
        {"event": "FIGHT", "text": "Rebels and soldiers fought a gun battle near the town."},
        {"event": "CONSULT", "text": "The two leaders held talks in the capital."},
    ]
    (gold / "records.txt").write_text(json.dumps(records), encoding="utf-8")
    out = tmp_path / "model.json"
    args = ["--data", str(data), "--out", str(out), "--plover-gsr", str(gold.parent), "--no-cv"]
    assert main(args) == 0
    loaded = EventTypeClassifier.load(out)
    assert loaded.predict(["A bomb killed five people at the bus station on Monday."])[0][0][0] == (
        "ASSAULT"
    )
    printed = capsys.readouterr().out
    assert "9 labelled sentences" in printed and "plover_gsr" in printed


def test_cross_validation_runs_on_a_tiny_set() -> None:
    result = cross_validate(TINY, TINY_SETTINGS)
    assert result["n"] == len(TINY) and result["folds"] == 3
    assert 0.0 <= result["accuracy"] <= 1.0


def test_gold_records_are_read_with_their_labels_mapped(tmp_path: Path) -> None:
    folder = tmp_path / "plover_gsr"
    (folder / "gold_standard_records").mkdir(parents=True)
    records = [
        {"event": "DOCUMENT"},
        {"event": "DEMAND", "text": "A demanded that B leave."},
        {"event": "DISAPPROVE", "text": "A criticised B."},
        {"event": "INVESTIGATE", "text": "A opened an inquiry."},
        {"event": "FIGHT", "text": "A and B clashed."},
        {"event": "AGREE", "text": "A agreed to meet B."},
    ]
    (folder / "gold_standard_records" / "gold.txt").write_text(json.dumps(records))
    gold = read_plover_gsr(folder)
    assert [label for _, label in gold] == ["REQUEST", "ACCUSE", "ACCUSE", "ASSAULT", "AGREE"]
    assert read_plover_gsr(tmp_path / "absent") == []
    result = evaluate_plover(tiny_model(), gold)
    assert result["all_labels"]["n"] == 5
    assert set(result["all_labels"]["per_label"]) == {"REQUEST", "ACCUSE", "ASSAULT", "AGREE"}


def test_folds_are_stratified_and_fixed() -> None:
    labels = ["A"] * 10 + ["B"] * 5
    folds = stratified_folds(labels, 5, seed=7)
    assert folds == stratified_folds(labels, 5, seed=7)
    for fold in range(5):
        members = [lab for lab, f in zip(labels, folds, strict=True) if f == fold]
        assert members.count("A") == 2 and members.count("B") == 1


def test_summary_scores_what_it_should() -> None:
    result = summary(["A", "A", "B", "B"], ["A", "B", "B", "B"], ["A", "B"])
    assert result["accuracy"] == 0.75
    assert result["per_label"]["A"] == {"n": 2, "precision": 1.0, "recall": 0.5, "f1": 0.667}
    assert result["per_label"]["B"]["f1"] == 0.8
    assert result["macro_f1"] == pytest.approx((0.667 + 0.8) / 2, abs=1e-3)
    assert result["confusions"] == [["A", "B", 1]]


def test_lbfgs_finds_the_minimum_of_a_quadratic() -> None:
    target = np.array([3.0, -1.0, 0.5])

    def quadratic(x: np.ndarray) -> tuple[float, np.ndarray]:
        return float(((x - target) ** 2).sum()), 2 * (x - target)

    assert lbfgs(quadratic, np.zeros(3), max_iter=50) == pytest.approx(target, abs=1e-4)


def test_bad_examples_are_reported() -> None:
    good = TINY[0]
    bad = [
        good,
        Example("Something new happened in the capital today.", "FIGHT", None, "happened"),
        Example("Troops deployed along the border on Sunday.", "MOBILIZE", "drone", "happened"),
        Example("The ministers met in Doha on Sunday for talks.", "CONSULT", None, "rumoured"),
        Example(good.text.upper(), "ASSAULT", None, "happened"),
    ]
    problems = validate(bad)
    assert len(problems) == 4
    assert "unknown type 'FIGHT'" in problems[0]
    assert "'drone' is not a mode of MOBILIZE" in problems[1]
    assert "unknown status 'rumoured'" in problems[2]
    assert "duplicate of example 1" in problems[3]


def test_an_invalid_line_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "training.jsonl"
    path.write_text(
        '{"text": "ok", "type": "NONE", "mode": null, "status": "happened"}\n{"text": 1\n'
    )
    with pytest.raises(ValueError, match=r"training\.jsonl:2"):
        read_examples(path)
