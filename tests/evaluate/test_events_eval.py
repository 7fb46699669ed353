"""``evaluate_events`` on small data sets written here, and its clean skip without data."""

import json
from pathlib import Path

import pytest

from khabar.core.article import Event, Evidence, Span
from khabar.evaluate.events import evaluate_events, gold_spans, gold_type, pick_event

PLOVER = [
    {"id": "doc", "event": "DOCUMENT", "text": ""},
    {
        "id": "r1",
        "event": "FIGHT",
        "eventText": "shelled",
        "text": "Government troops shelled rebel positions near Juba on Sunday.",
        "source": [{"actorText": "Government troops", "code": "SSD", "sector": "MIL"}],
        "target": [{"actorText": "rebel", "code": "***"}],
    },
    {
        "id": "r2",
        "event": "DEMAND",
        "eventText": "demanded release",
        "text": "Protesters demanded the release of the jailed journalists.",
        "textInfo": {
            "markup": "(SRC: Protesters) (EVT: demanded) the release of the jailed journalists."
        },
        "source": [{"actorText": "Protesters", "code": "JAP"}],
    },
    {
        "id": "r3",
        "event": "CONSULT",
        "eventText": "met",
        "text": "The Kenyan president met the Ugandan foreign minister in Nairobi.",
    },
]


def _location_item(text: str, verb: str, places: list[str], source: str) -> dict[str, object]:
    tokens, at = [], 0
    for i, word in enumerate(text.replace(".", " .").split()):
        start = text.index(word, at)
        tokens.append({"id": i, "text": word, "start": start, "end": start + len(word)})
        at = start + len(word)
    spans = []
    for label, words in [("VERB", [verb]), *(("LOCATION", [p]) for p in places)]:
        first = next(t["id"] for t in tokens if t["text"] == words[0].split()[0])
        last = first + len(words[0].split()) - 1
        spans.append(
            {"label": label, "token_start": first, "token_end": last, "start": 0, "end": 0}
        )
    return {"text": text, "tokens": tokens, "spans": spans, "source": source, "answer": "accept"}


def _write(tmp_path: Path) -> tuple[Path, Path]:
    plover = tmp_path / "plover" / "gold_standard_records"
    plover.mkdir(parents=True)
    (plover / "gold.txt").write_text(json.dumps(PLOVER), encoding="utf-8")
    (tmp_path / "plover" / "CAMEO2PLOVER-2021.txt").write_text(
        "190: ASSAULT, , military # x\n100: REQUEST, , # y\n040: CONSULT, , # z\n", encoding="utf-8"
    )
    location = tmp_path / "location"
    location.mkdir()
    items = [
        _location_item(
            # the cleaner strips the blank edge: the gold's offsets still count from the input's
            "\n" + " " * 20 + "Gunmen killed two guards in Mogadishu on Monday.",
            "killed",
            ["Mogadishu"],
            "RELABEL",
        ),
        _location_item("Officials said gunmen killed two guards.", "killed", [], "RELABEL"),
        _location_item("Police arrested five men in Lagos.", "arrested", ["Lagos"], "AP"),
    ]
    (location / "labeled_text.jsonl").write_text(json.dumps(items), encoding="utf-8")
    return tmp_path / "plover", location


def test_absent_data_is_skipped(tmp_path: Path) -> None:
    report = evaluate_events(tmp_path / "none", tmp_path / "none")
    assert "skipped" in report


@pytest.mark.slow
def test_both_evaluations_on_small_sets(tmp_path: Path) -> None:
    plover, location = _write(tmp_path)
    report = evaluate_events(plover, location, typings=("rules",), dev=5)
    rules = report["plover"]["rules"]
    assert report["plover"]["sentences"] == 3
    assert report["plover"]["labels_not_in_cameo2plover"] == []
    assert rules["accuracy"] == 1.0
    assert rules["per_type"]["ASSAULT"]["f1"] == 1.0
    assert rules["actors"]["source_country"]["scored"] == 1
    assert rules["actors"]["source_country"]["skipped_by_reason"] == {"invalid JAP": 1}
    assert rules["actors"]["target_country"]["skipped"] == 1  # "***" is no country
    gold = report["location"]["gold"]
    assert gold["items"] == 2
    assert gold["accuracy"] == 1.0
    assert report["location"]["development"]["items"] == 1


def test_gold_labels_and_words() -> None:
    assert gold_type({"event": "DEMAND"}) == "REQUEST"
    assert gold_type({"event": "INVESTIGATE"}) == "ACCUSE"
    assert gold_type({"event": "FIGHT"}) == "ASSAULT"
    assert gold_spans(PLOVER[2]) == [Span(start=11, end=19)]
    assert gold_spans(PLOVER[1]) == [Span(start=18, end=25)]


def test_the_event_at_the_gold_words_is_compared() -> None:
    def event(type_: str, start: int, end: int, confidence: float) -> Event:
        return Event(
            id=type_,
            type=type_,
            status="happened",
            trigger=Span(start=start, end=end),
            sentence=Span(start=0, end=50),
            evidence=[Evidence.text_span(start, end)],
            method="t",
            confidence=confidence,
        )

    events = [event("ASSAULT", 0, 5, 0.9), event("PROTEST", 10, 15, 0.5)]
    assert pick_event(events, [Span(start=11, end=12)]).type == "PROTEST"  # type: ignore[union-attr]
    assert pick_event(events, [Span(start=40, end=45)]).type == "ASSAULT"  # type: ignore[union-attr]
    assert pick_event([], [Span(start=0, end=1)]) is None
