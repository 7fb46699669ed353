from pathlib import Path

import pytest

from khabar import Article, Evidence, stages

detect = stages.get("nlp.language.v1").factory()
ENGLISH = "The minister said on Friday that talks with the rebels would resume in Geneva next week."
RUSSIAN = "Министр иностранных дел заявил в пятницу, что переговоры возобновятся в Женеве на следующей неделе."


def article(text: str, declared: str | None = None) -> Article:
    made = Article.from_text(text)
    made.text = text
    if declared:
        made.claim(
            "language",
            declared,
            method="trafilatura",
            confidence=0.8,
            evidence=Evidence.raw_span(0, 2, declared),
        )
    return detect(made)


def test_the_language_is_detected_from_the_text() -> None:
    assert article(ENGLISH).language == "en"
    assert article(RUSSIAN).language == "ru"


def test_a_wrong_declaration_is_overruled_and_kept() -> None:
    result = article(RUSSIAN, declared="en")
    assert result.language == "ru"
    assert [(c.value, c.accepted) for c in result.candidates("language")] == [
        ("en", False),
        ("ru", True),
    ]


def test_an_agreeing_declaration_stands_alone() -> None:
    result = article(ENGLISH, declared="en-GB")
    assert [(c.method, c.accepted) for c in result.candidates("language")] == [
        ("trafilatura", True)
    ]


def test_too_little_text_is_not_classified() -> None:
    assert article("Kabul, Monday").language is None


def test_the_model_is_unpacked_into_the_cache_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from py3langid import langid

    from khabar.nlp import language

    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    language.load_identifier.cache_clear()
    try:
        cached = language.load_identifier()
        assert list(tmp_path.glob("langid/model-*/ptc.npy"))
        packaged = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
        for text in (ENGLISH, RUSSIAN):
            assert cached.classify(text) == packaged.classify(text)
        # a damaged copy falls back to py3langid's own loader
        next(tmp_path.glob("langid/model-*/ptc.npy")).write_bytes(b"damaged")
        language.load_identifier.cache_clear()
        assert language.load_identifier().classify(ENGLISH)[0] == "en"
    finally:
        language.load_identifier.cache_clear()
