import json
from pathlib import Path

from khabar.core.article import Actor, Span
from khabar.evaluate.actors import (
    Counts,
    Gold,
    best_overlap,
    evaluate_actors,
    gold_actors,
    match_spans,
)

RECORDS = [
    {"id": "DOC", "event": "DOCUMENT", "eventText": "documentation"},
    {
        "id": "A-1",
        "event": "AGREE",
        "text": "Kenyan police and Ugandan officials agreed to cooperate.",
        "source": [
            {"actorText": "Kenyan police", "code": "KEN", "sector": "COP"},
            {"actorText": "Ugandan officials", "code": "UGA", "sector": "***"},
        ],
        "target": "",
        "textInfo": {
            "markup": "(SRC/TAR: Kenyan police) and (SRC/TAR: Ugandan officials) (EVT: agreed) "
            "to cooperate."
        },
    },
    {
        "id": "A-2",
        "event": "ACCUSE",
        "text": "Pakistan accused the TTP of the attack.",
        "source": [{"actorText": "Pakistan", "code": "PAK"}],
        "target": [{"actorText": "TTP", "code": "PAX", "sector": "REB"}],
    },
]


def write_fixtures(root: Path) -> tuple[Path, Path]:
    plover = root / "plover" / "gold_standard_records"
    plover.mkdir(parents=True)
    (plover / "records.txt").write_text(json.dumps(RECORDS), encoding="utf-8")
    source = root / "re3d" / "Some Source"
    source.mkdir(parents=True)
    text = "Angela Merkel met NATO officials in Berlin."
    (source / "documents.json").write_text(json.dumps({"_id": "d1", "text": text}) + "\n")
    entities = [
        {"documentId": "d1", "begin": 0, "end": 13, "type": "Person", "confidence": 1},
        {"documentId": "d1", "begin": 18, "end": 22, "type": "Organisation", "confidence": 1},
        {"documentId": "d1", "begin": 18, "end": 22, "type": "Location", "confidence": 0},
        {"documentId": "d1", "begin": 36, "end": 42, "type": "Location", "confidence": 1},
    ]
    (source / "entities.json").write_text("\n".join(json.dumps(e) for e in entities) + "\n")
    return root / "plover", root / "re3d"


def test_scores_on_small_gold_sets(tmp_path: Path) -> None:
    plover, re3d = write_fixtures(tmp_path)
    report = evaluate_actors(plover, re3d)
    scores = report["plover"]
    assert scores["sentences"] == 2  # the DOCUMENT record is skipped
    assert scores["country"]["scored"] == 3  # KEN, UGA, PAK; "PAX" is not a country code
    assert scores["country"]["skipped_by_reason"] == {"invalid PAX": 1}
    assert scores["country"]["correct"] == 3
    assert scores["sector"]["scored"] == 2  # COP and REB; "***" and a missing one skipped
    assert scores["sector"]["skipped_by_reason"] == {"invalid ***": 1, "missing": 1}
    assert scores["sector"]["correct"] == 2
    assert 0 < scores["mentions"]["share_kb_entry"] <= 1
    ner = report["re3d"]["ner"]["exact"]
    assert ner["Person"]["tp"] == 1 and ner["Location"]["tp"] == 1
    assert report["re3d"]["actors"]["Organisation"]["share_kb"] == 1.0  # NATO


def test_absent_data_is_skipped_cleanly(tmp_path: Path) -> None:
    report = evaluate_actors(tmp_path / "none", tmp_path / "nothing")
    assert "skipped" in report


def test_gold_actors_are_placed_by_the_markup() -> None:
    placed = list(gold_actors(RECORDS[1]))
    text = RECORDS[1]["text"]
    assert [text[s.start : s.end] for _, _, s in placed if s] == [
        "Kenyan police",
        "Ugandan officials",
    ]


def test_matching_is_one_to_one() -> None:
    tally = {"Person": Counts(), "Organisation": Counts(), "Location": Counts()}
    gold = [Gold(0, 5, "Person")]
    match_spans(gold, [Gold(0, 3, "Person"), Gold(1, 5, "Person")], tally, exact=False)
    assert (tally["Person"].tp, tally["Person"].fp, tally["Person"].fn) == (1, 1, 0)
    report = tally["Person"].report()
    assert report["precision"] == 0.5 and report["recall"] == 1.0


def test_the_actor_overlapping_most_is_chosen() -> None:
    a = Actor(text="a", method="m", mentions=[Span(start=0, end=2)])
    b = Actor(text="b", method="m", mentions=[Span(start=1, end=9)])
    assert best_overlap([a, b], Span(start=0, end=8)) is b
    assert best_overlap([a, b], Span(start=20, end=25)) is None
