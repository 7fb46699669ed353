from pathlib import Path

import pytest

from khabar.evaluate.time import evaluate_time, read_document, read_documents, score_document
from khabar.time import Interpreter

# A tiny document in MEANTIME's layout, written for this test: tokens with sentence numbers,
# TIMEX3 markables anchored to tokens, the creation time on the dateline.
SENTENCES = [
    ["Ministers", "meet", "in", "Doha"],
    ["March", "01", ",", "2008"],
    ["The", "ministers", "met", "last", "week", "for", "two", "years", "of", "talks", "."],
    ["They", "will", "meet", "again", "in", "April", ",", "officials", "said", "."],
    ["Officials", "said", "prices", "rose", "in", "June", "."],
]
TIMEXES = [
    ("CREATION_TIME", "DATE", "2008-03-01", (1, 0, 3)),
    ("NONE", "DATE", "2008-W08", (2, 3, 4)),
    ("NONE", "DURATION", "P2Y", (2, 6, 7)),
    ("NONE", "DATE", "2008-04", (3, 5, 5)),
    ("NONE", "DATE", "2008-06", (4, 5, 5)),
]


def write_document(path: Path, timexes: list[tuple[str, str, str, tuple[int, int, int]]]) -> Path:
    ids: dict[tuple[int, int], int] = {}
    tokens = []
    for s, words in enumerate(SENTENCES):
        for w, word in enumerate(words):
            ids[(s, w)] = len(ids) + 1
            tokens.append(
                f'<token number="{len(ids) - 1}" sentence="{s}" t_id="{len(ids)}">{word}</token>'
            )
    markables = []
    for m, (function, kind, value, (s, first, last)) in enumerate(timexes, start=1):
        anchors = "".join(f'<token_anchor t_id="{ids[(s, w)]}"/>' for w in range(first, last + 1))
        markables.append(
            f'<TIMEX3 functionInDocument="{function}" m_id="{m}" type="{kind}" value="{value}">'
            f"{anchors}</TIMEX3>"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<?xml version="1.0" ?><Document doc_id="1" doc_name="doha" lang="en">'
        + "".join(tokens)
        + "<Markables>"
        + "".join(markables)
        + "</Markables></Document>",
        encoding="utf-8",
    )
    return path


def test_a_missing_data_folder_is_skipped_with_the_reason(tmp_path: Path) -> None:
    result = evaluate_time(tmp_path / "absent")
    assert set(result) == {"skipped"}
    assert "no MEANTIME data" in result["skipped"]


def test_tokens_are_joined_as_english_is_written(tmp_path: Path) -> None:
    document = read_document(write_document(tmp_path / "corpus_a" / "doha.xml", TIMEXES))
    assert document is not None
    assert document.text.splitlines()[1] == "March 01, 2008"
    assert "talks." in document.text and "April, officials" in document.text
    assert document.creation.isoformat() == "2008-03-01"
    assert [t.text for t in document.timexes] == ["last week", "two years", "April", "June"]


def test_scores_dates_and_leaves_durations_and_the_dateline_out(tmp_path: Path) -> None:
    document = read_document(write_document(tmp_path / "corpus_a" / "doha.xml", TIMEXES))
    assert document is not None
    found = Interpreter().interpret_all(document.text, document.creation, document.sentences)
    counts = score_document(document, found)
    # gold: last week, April, June (the duration and the dateline are not scored)
    assert (counts.gold, counts.matched) == (3, 3)
    # "last week" is 2008-W09 in ISO weeks, not the annotated W08; April and June are right
    assert counts.value_right == 2
    with_periods = score_document(document, found, with_periods=True)
    assert (with_periods.gold, with_periods.matched) == (4, 3)


def test_the_report_has_folders_and_a_held_out_part(tmp_path: Path) -> None:
    write_document(tmp_path / "corpus_a" / "doha.xml", TIMEXES)
    write_document(tmp_path / "corpus_b" / "doha2.xml", TIMEXES)
    result = evaluate_time(tmp_path, held_out=("corpus_b",))
    assert result["documents"] == 1  # the same document id is read once
    assert set(result["folders"]) == {"corpus_a"}
    assert result["value_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["value_f1"] == pytest.approx(result["f1"] * result["value_accuracy"], abs=1e-3)


def test_a_dateline_not_marked_as_creation_time_is_still_the_anchor(tmp_path: Path) -> None:
    unmarked = [("NONE", *rest) for _, *rest in TIMEXES[:1]] + TIMEXES[1:]
    document = read_document(write_document(tmp_path / "corpus_a" / "doha.xml", unmarked))  # type: ignore[arg-type]
    assert document is not None
    assert document.creation.isoformat() == "2008-03-01"
    assert document.timexes[0].text == "last week"


def test_unreadable_files_are_left_out(tmp_path: Path) -> None:
    broken = tmp_path / "corpus_a" / "broken.xml"
    broken.parent.mkdir(parents=True)
    broken.write_text("<Document><token", encoding="utf-8")
    assert read_documents(tmp_path) == []
