"""The ECB+ loader, on tiny documents written here in the corpus's own XML layout; and, when the
project's shared evaluation folder is there, on the real corpus."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from khabar.evaluate.ecbplus import DEFAULT_DATA, Document, Mention, load

REAL_DATA = Path(__file__).resolve().parents[3] / "shared/eval/ecbplus"

Word = tuple[int, int]  # (sentence, position in it)
Markable = tuple[str, str, list[Word]]  # (m_id, tag, anchored words)
Relation = tuple[str, str, list[str], str]  # (tag, r_id, source m_ids, target m_id)


def tokens(line: str) -> list[str]:
    """A sentence as the corpus's tokeniser cut it, the tokens written apart by spaces."""
    return line.split(" ")


ECB_SENTENCES = [
    tokens("Quake hits Northern Province"),
    tokens("`` It 's huge , '' an official said after the quake ."),
    tokens("Rescuers searched the rubble ."),
]
ECB_MARKABLES: list[Markable] = [
    ("1", "ACTION_OCCURRENCE", [(0, 1)]),  # hits
    ("2", "ACTION_REPORTING", [(1, 8)]),  # said
    ("3", "ACTION_OCCURRENCE", [(1, 11)]),  # quake
    ("4", "HUMAN_PART_PER", [(1, 7)]),  # official: not an event
    ("5", "ACTION_OCCURRENCE", [(2, 1)]),  # searched: outside the annotated sentences
    ("6", "ACTION_OCCURRENCE", []),  # left empty by the annotators
]
ECB_INSTANCES = [("20", "ACTION_OCCURRENCE", "ACT1"), ("21", "HUMAN_PART_PER", "HUM1")]
ECB_RELATIONS: list[Relation] = [
    ("CROSS_DOC_COREF", "1", ["1", "3"], "20"),
    ("CROSS_DOC_COREF", "2", ["4"], "21"),
]

URL = tokens("http : / / news . example . org / quake - 2")
PLUS_SENTENCES = [
    URL,
    tokens("A 6 . 1 - magnitude quake struck the U . S . coast ’ s towns on Monday ."),
    tokens("It did not kill anyone , officials said ."),
    tokens("The quake was felt far away ."),
]
PLUS_MARKABLES: list[Markable] = [
    ("1", "ACTION_OCCURRENCE", [(1, 6)]),  # quake
    ("2", "ACTION_OCCURRENCE", [(1, 7)]),  # struck
    ("3", "NEG_ACTION_OCCURRENCE", [(2, 1), (2, 3)]),  # did ... kill: skips "not"
    ("4", "ACTION_REPORTING", [(2, 7)]),  # said
    ("5", "ACTION_OCCURRENCE", [(3, 1)]),  # quake, outside the annotated sentences
]
PLUS_INSTANCES = [
    ("20", "ACTION_OCCURRENCE", "ACT2"),
    ("21", "ACTION_REPORTING", "ACT3"),
    ("22", "UNKNOWN_INSTANCE_TAG", ""),
]
PLUS_RELATIONS: list[Relation] = [
    ("CROSS_DOC_COREF", "7", ["2"], "20"),
    ("CROSS_DOC_COREF", "8", ["4"], "21"),
    ("INTRA_DOC_COREF", "9", ["1", "5"], "22"),
]
ANNOTATED = ["Topic,File,Sentence Number", "1,1ecb,0", "1,1ecb,1", "1,1ecbplus,1", "1,1ecbplus,2"]

ECB_TEXT = (
    "Quake hits Northern Province\n"
    '"It\'s huge," an official said after the quake.\n'
    "Rescuers searched the rubble."
)
PLUS_TEXT = (
    "A 6.1-magnitude quake struck the U.S. coast’s towns on Monday.\n"
    "It did not kill anyone, officials said.\n"
    "The quake was felt far away."
)


def write_document(
    corpus: Path,
    name: str,
    sentences: list[list[str]],
    markables: Sequence[Markable] = (),
    instances: Sequence[tuple[str, str, str]] = (),
    relations: Sequence[Relation] = (),
) -> Path:
    """One gzipped document laid out as the corpus lays them out (CAT tokens, then CROMER
    markables and relations), ids counted from 1."""
    ids: dict[Word, int] = {}
    lines = [f'<Document doc_name="{name}.xml" doc_id="DOC{len(name)}">']
    for s, words in enumerate(sentences):
        for w, word in enumerate(words):
            ids[(s, w)] = len(ids) + 1
            lines.append(
                f'<token t_id="{ids[(s, w)]}" sentence="{s}" number="{w}">{escape(word)}</token>'
            )
    lines.append("<Markables>")
    for m_id, tag, anchored in markables:
        lines.append(f'<{tag} m_id="{m_id}"  >')
        lines.extend(f'  <token_anchor t_id="{ids[word]}"/>' for word in anchored)
        lines.append(f"</{tag}>")
    for m_id, tag, instance in instances:
        instance_id = f' instance_id="{instance}"' if instance else ""
        lines.append(
            f'<{tag} m_id="{m_id}" RELATED_TO="" TAG_DESCRIPTOR="t_{m_id}"{instance_id} />'
        )
    lines.append("</Markables>")
    lines.append("<Relations>")
    for tag, r_id, sources, target in relations:
        note = "" if tag == "INTRA_DOC_COREF" else ' note="ignored"'
        lines.append(f'<{tag} r_id="{r_id}"{note} >')
        lines.extend(f'  <source m_id="{source}" />' for source in sources)
        lines.append(f'  <target m_id="{target}" />')
        lines.append(f"</{tag}>")
    lines.append("</Relations>")
    lines.append("</Document>")
    topic = name.split("_", maxsplit=1)[0]
    path = corpus / "ECB+" / topic / f"{name}.xml.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("\n".join(lines))
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_document(tmp_path, "1_1ecb", ECB_SENTENCES, ECB_MARKABLES, ECB_INSTANCES, ECB_RELATIONS)
    write_document(
        tmp_path, "1_1ecbplus", PLUS_SENTENCES, PLUS_MARKABLES, PLUS_INSTANCES, PLUS_RELATIONS
    )
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text("\n".join(ANNOTATED))
    return tmp_path


def by_text(document: Document) -> dict[str, Mention]:
    return {m.text: m for m in document.mentions}


def test_documents_have_their_text_and_event(corpus: Path) -> None:
    ecb, plus = load(corpus)
    assert (ecb.name, ecb.topic, ecb.event, ecb.url) == ("1_1ecb", "1", "1/ecb", None)
    assert ecb.text == ECB_TEXT
    assert (plus.name, plus.topic, plus.event) == ("1_1ecbplus", "1", "1/ecbplus")
    # The page address (sentence 0 of ecbplus files) is kept aside, not in the text; the words
    # the ecbplus tokeniser cut at inner punctuation are whole again.
    assert plus.url == "http://news.example.org/quake-2"
    assert plus.text == PLUS_TEXT


def test_mentions_have_offsets_kinds_and_chains(corpus: Path) -> None:
    ecb, plus = load(corpus)
    for document in (ecb, plus):
        for mention in document.mentions:
            assert mention.doc == document.name
            assert document.text[mention.start : mention.end] == mention.text
    assert [m.text for m in ecb.mentions] == ["hits", "said", "quake"]  # in text order
    ecb_mentions = by_text(ecb)
    assert ecb_mentions["hits"] == Mention("1_1ecb", 6, 10, "hits", "ACTION_OCCURRENCE", "ACT1")
    assert ecb_mentions["quake"].chain == "ACT1"
    assert ecb_mentions["said"].kind == "ACTION_REPORTING"
    assert ecb_mentions["said"].chain is None
    plus_mentions = by_text(plus)
    assert set(plus_mentions) == {"quake", "struck", "did not kill", "said"}
    # A markable that skips a word spans the words between.
    assert plus_mentions["did not kill"].kind == "NEG_ACTION_OCCURRENCE"
    assert plus_mentions["did not kill"].chain is None
    assert plus_mentions["struck"].chain == "ACT2"
    assert plus_mentions["said"].chain == "ACT3"
    # Coreference within the document only: no cross-document chain, a local one.
    assert plus_mentions["quake"].chain is None
    assert plus_mentions["quake"].intra_chain == "1_1ecbplus/9"


def test_only_annotated_sentences_by_default(corpus: Path) -> None:
    ecb, plus = load(corpus)
    assert "searched" not in by_text(ecb)
    assert ecb.annotated == ((0, 28), (29, ECB_TEXT.index("\nRescuers")))
    assert plus.annotated == ((0, 62), (63, PLUS_TEXT.index("\nThe quake")))
    assert plus.text[plus.annotated[1][0] : plus.annotated[1][1]] == (
        "It did not kill anyone, officials said."
    )
    start = ECB_TEXT.index("searched")
    assert not ecb.is_annotated(start, start + len("searched"))
    assert all(d.is_annotated(m.start, m.end) for d in (ecb, plus) for m in d.mentions)

    ecb, plus = load(corpus, annotated_only=False)
    assert [m.text for m in ecb.mentions] == ["hits", "said", "quake", "searched"]
    assert ecb.annotated == ((0, 28), (29, ECB_TEXT.index("\nRescuers")))
    late = plus.mentions[-1]
    assert (late.text, late.start) == ("quake", PLUS_TEXT.rindex("quake"))
    assert late.intra_chain == by_text(plus)["quake"].intra_chain


def test_the_sentence_list_is_needed_only_for_annotated_only(corpus: Path) -> None:
    (corpus / "ECBplus_coreference_sentences.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"ECBplus_coreference_sentences\.csv"):
        load(corpus)
    ecb, _ = load(corpus, annotated_only=False)
    assert len(ecb.mentions) == 4
    assert ecb.annotated == ()


def test_sorted_by_topic_number_then_name_and_filtered(corpus: Path) -> None:
    for name in ("10_1ecb", "2_2ecbplus", "2_10ecb", "2_2ecb"):
        write_document(corpus, name, [["Words", "."]])
    names = [d.name for d in load(corpus, annotated_only=False)]
    assert names == ["1_1ecb", "1_1ecbplus", "2_10ecb", "2_2ecb", "2_2ecbplus", "10_1ecb"]
    assert [d.name for d in load(corpus, topics=["10", "2"])] == names[2:]
    assert [d.name for d in load(corpus, topics=["2"], limit=2)] == ["2_10ecb", "2_2ecb"]
    assert load(corpus, topics=["99"]) == []
    # The data folder, its ECB+_LREC2014 folder or the ECB+ folder itself will do as the root.
    nested = corpus / "ecbplus"
    (nested / "ECB+_LREC2014").mkdir(parents=True)
    (corpus / "ECB+").rename(nested / "ECB+_LREC2014" / "ECB+")
    (corpus / "ECBplus_coreference_sentences.csv").rename(
        nested / "ECB+_LREC2014" / "ECBplus_coreference_sentences.csv"
    )
    assert [d.name for d in load(nested, annotated_only=False)] == names
    assert [d.name for d in load(nested / "ECB+_LREC2014" / "ECB+", limit=1)] == names[:1]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as raised:
        load(tmp_path / "absent")
    assert str(tmp_path / "absent") in str(raised.value)
    assert str(DEFAULT_DATA) in str(raised.value)
    assert str(DEFAULT_DATA) == "../shared/eval/ecbplus"


@pytest.mark.slow
@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="the shared ECB+ data is not here")
def test_the_real_corpus() -> None:
    documents = load(REAL_DATA, annotated_only=False)
    # The counts of the corpus README (ECB+ 1.0): 43 topics, 982 texts, 15,003 action mentions.
    assert len(documents) == 982
    assert len({d.topic for d in documents}) == 43
    events: dict[str, set[str]] = {}
    for document in documents:
        events.setdefault(document.topic, set()).add(document.event)
    assert all(len(pair) == 2 for pair in events.values())
    assert sum(d.event.endswith("/ecbplus") for d in documents) == 502
    assert all(d.url for d in documents if d.event.endswith("/ecbplus"))
    mentions = [m for d in documents for m in d.mentions]
    assert len(mentions) == 15003
    for document in documents:
        for mention in document.mentions:
            assert 0 <= mention.start < mention.end <= len(document.text)
            assert document.text[mention.start : mention.end] == mention.text
    # 1,840 annotated sentences; the 6,833 event mentions in them are the usual ECB+ figure.
    assert sum(len(d.annotated) for d in documents) == 1840
    assert sum(d.is_annotated(m.start, m.end) for d in documents for m in d.mentions) == 6833
    chains = {m.chain for m in mentions if m.chain is not None}
    assert all(chain.startswith(("ACT", "NEG")) for chain in chains)
