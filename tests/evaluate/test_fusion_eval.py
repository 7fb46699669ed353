from __future__ import annotations

from pathlib import Path

from evaluate.test_ecbplus import tokens, write_document
from khabar.evaluate.fusion import ecbplus_report, mention_report

KABUL = [
    tokens(
        "Gunmen attacked a police station in Kabul on Monday , killing four officers , the interior ministry said ."
    ),
    tokens(
        "The attackers fled into the hills after a gunfight that lasted two hours , officials said ."
    ),
    tokens("No group has claimed the attack on the station in the west of the city ."),
]
SINDH = [
    tokens(
        "Floods in Sindh province displaced thousands of families after the Indus burst its banks ."
    ),
    tokens("Relief agencies warned of disease in the camps as the water kept rising near Sukkur ."),
    tokens("The provincial government asked the army to help evacuate villages along the river ."),
]


def corpus(tmp_path: Path) -> Path:
    attack = [("1", "ACTION_OCCURRENCE", [(0, 1)])]  # attacked
    chain = [("CROSS_DOC_COREF", "9", ["1"], "30")]
    instance = [("30", "ACTION_OCCURRENCE", "ACT_KABUL")]
    for name in ("1_1ecb", "1_2ecb"):
        write_document(tmp_path, name, KABUL, attack, instance, chain)
    for name in ("1_1ecbplus", "1_2ecbplus"):
        write_document(tmp_path, name, SINDH)
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n1,1ecb,0\n1,2ecb,0\n"
    )
    return tmp_path


def test_documents_are_grouped_by_their_real_world_event(tmp_path: Path) -> None:
    report = ecbplus_report(corpus(tmp_path))
    assert report["documents"] == 4 and report["events"] == 2
    assert report["within_topic_b3_f1"] == 1.0 and report["corpus_ari"] == 1.0
    assert "skipped" in ecbplus_report(tmp_path / "absent")


def test_event_mentions_found_by_khabar_are_scored_by_their_fused_events(tmp_path: Path) -> None:
    report = mention_report(corpus(tmp_path))
    assert report["gold_mentions"] == 2
    assert report["found"] == 2  # "attacked", coded as an event in both documents
    assert report["pairwise"]["recall"] == 1.0  # and the two reports fused
    assert "skipped" in mention_report(tmp_path / "absent")
