"""The shared spaCy pipeline: loaded once, its layers on NumPy's BLAS, in one BLAS thread."""

import spacy
from thinc.backends.numpy_ops import NumpyOps
from threadpoolctl import threadpool_info, threadpool_limits

from khabar.nlp.entities import DEFAULT_MODEL
from khabar.nlp.models import load_pipeline, load_spacy

SENTENCES = [
    "Foreign Minister Bilawal Bhutto-Zardari met American diplomats in Washington on Friday.",
    "Gunmen killed three policemen at a checkpoint near Quetta late on Sunday, officials said.",
    "The two sides agreed to hold talks in Geneva next month under the auspices of the UN.",
]


def test_the_models_layers_multiply_through_numpy_not_blis() -> None:
    nlp = load_pipeline(DEFAULT_MODEL, stage="test")
    for name in ("tok2vec", "ner"):
        ops = nlp.get_pipe(name).model.ops
        assert isinstance(ops, NumpyOps)
        assert ops.use_blis is False


def test_loading_a_model_keeps_blas_to_one_thread() -> None:
    with threadpool_limits(limits=2, user_api="blas"):  # restored when the test ends
        load_spacy(DEFAULT_MODEL, disable=["lemmatizer"])
        threads = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert threads
        assert set(threads) == {1}


def test_numpys_blas_gives_the_parse_and_entities_blis_gives() -> None:
    reference = spacy.load(DEFAULT_MODEL)  # spaCy's own loading, on BLIS
    assert reference.get_pipe("ner").model.ops.use_blis is True
    ours = load_pipeline(DEFAULT_MODEL, stage="test")
    for text in SENTENCES:
        want, got = reference(text), ours(text)
        assert [(t.tag_, t.dep_, t.head.i) for t in got] == [
            (t.tag_, t.dep_, t.head.i) for t in want
        ]
        assert [(e.start_char, e.label_) for e in got.ents] == [
            (e.start_char, e.label_) for e in want.ents
        ]
