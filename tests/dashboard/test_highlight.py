from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from khabar.dashboard.highlight import Mark, claim_marks, event_marks, pieces

TEXT = "Gunmen attacked a market in Kaduna on Monday, killing four traders."


def test_overlapping_spans_cut_the_text_and_each_piece_knows_what_covers_it() -> None:
    sentence = Mark(0, len(TEXT), "sentence", "the event's sentence", "ev-sentence")
    trigger = Mark(7, 15, "trigger", "trigger: ASSAULT", "ev-trigger")
    place = Mark(28, 34, "place", "place: Kaduna", "ev-place")
    cut = pieces(TEXT, [place, sentence, trigger])
    assert "".join(p.text for p in cut) == TEXT
    by_text = {p.text: p for p in cut}
    assert by_text["attacked"].kinds == ["sentence", "trigger"]
    assert by_text["attacked"].title == "trigger: ASSAULT"  # the sentence goes without saying
    assert by_text["attacked"].anchors == ["ev-trigger"]
    assert by_text["Kaduna"].kinds == ["place", "sentence"]
    assert cut[0].anchors == ["ev-sentence"] and cut[0].text == "Gunmen "


def test_spans_outside_the_text_or_empty_are_dropped() -> None:
    cut = pieces(
        "short", [Mark(2, 99, "place", "x"), Mark(3, 3, "time", "y"), Mark(-1, 2, "a", "z")]
    )
    assert [(p.text, p.marks) for p in cut] == [("short", [])]


def test_an_event_record_names_every_span_it_points_at() -> None:
    record = {
        "type": "ASSAULT",
        "sentence": {"start": 0, "end": 67},
        "trigger": {"start": 7, "end": 15},
        "mentions": [{"start": 0, "end": 67}],
        "actors": [{"text": "Gunmen", "start": 0, "end": 6, "canonical": None}],
        "targets": [{"text": "four traders", "start": 54, "end": 66, "canonical": "traders"}],
        "place": {"text": "Kaduna", "name": "Kaduna", "start": 28, "end": 34},
        "time": {"value": {"start": "2025-06-16", "end": "2025-06-16"}, "start": 38, "end": 44},
        "killed": {"best": 4, "evidence": [{"kind": "text", "start": 54, "end": 58}]},
        "injured": None,
    }
    found = {m.anchor: (m.kind, m.label, TEXT[m.start : m.end]) for m in event_marks(record)}
    assert found == {
        "ev-sentence": ("sentence", "the event's sentence", TEXT),
        "ev-trigger": ("trigger", "trigger: ASSAULT", "attacked"),
        "ev-actor-0": ("actor", "actor: Gunmen", "Gunmen"),
        "ev-target-0": ("target", "target: traders", "four traders"),
        "ev-place": ("place", "place: Kaduna", "Kaduna"),
        "ev-time": ("time", "time: 2025-06-16", "Monday"),
        "ev-killed-0": ("killed", "killed: 4", "four"),
    }


spans = st.tuples(st.integers(-5, 60), st.integers(-5, 60), st.sampled_from(["a", "b", "c"]))


@given(st.text(max_size=50), st.lists(spans, max_size=8))
def test_pieces_always_rebuild_the_text_and_stay_inside_their_marks(
    text: str, raw: list[tuple[int, int, str]]
) -> None:
    marks = [Mark(s, e, kind, kind) for s, e, kind in raw]
    cut = pieces(text, marks)
    assert "".join(p.text for p in cut) == text
    for piece in cut:
        assert piece.text
        for mark in piece.marks:
            assert 0 <= mark.start <= piece.start and piece.start + len(piece.text) <= mark.end


def test_claim_evidence_is_marked_by_whether_it_was_believed_but_not_the_whole_text() -> None:
    def claim(field: str, accepted: bool, start: int, end: int) -> dict[str, object]:
        evidence = [{"kind": "text", "start": start, "end": end, "field": None, "value": None}]
        return {"field": field, "accepted": accepted, "evidence": evidence}

    claims = [
        claim("published", False, 0, 6),
        claim("published", True, 38, 44),
        claim("language", True, 0, len(TEXT)),
    ]
    found = [(m.kind, m.label, TEXT[m.start : m.end]) for m in claim_marks(claims, len(TEXT))]
    assert found == [
        ("rejected", "rejected published", "Gunmen"),
        ("claim", "published", "Monday"),
    ]
