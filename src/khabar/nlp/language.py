"""The article's language, detected from its clean text (py3langid: its model ships in the wheel).

A page's own declaration (``<html lang>``, as the cleaning stage read it) is often a site-wide
template value; the text itself is better evidence once there is enough of it. The detected
language wins when the detector is sure; otherwise the declaration stands, and both are kept.
"""

from __future__ import annotations

from typing import Any

from py3langid import langid

from khabar.core.article import Article, Evidence
from khabar.core.registry import Stage, stages

METHOD = "py3langid"
SAMPLE_CHARS = 5000  # the detector is linear; a few thousand characters decide it


@stages.register("nlp.language.v1", requires={"text"}, assigns={"language"})
def make_language(min_confidence: float = 0.9, min_chars: int = 40) -> Stage:
    """The language of the clean text (ISO 639-1), from a model that ships in its package."""
    identifier: Any = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)

    def detect(article: Article) -> Article:
        sample = article.text[:SAMPLE_CHARS]
        if len(sample.strip()) < min_chars:
            return article
        code, probability = identifier.classify(sample)
        declared = article.accepted("language")
        sure = probability >= min_confidence
        if declared is not None and str(declared.value).lower().split("-")[0] == code:
            return article  # they agree: the declaration, with its evidence, stands
        article.claim(
            "language",
            code,
            method=METHOD,
            confidence=round(float(probability), 3),
            evidence=Evidence.text_span(0, len(sample)),
            accepted=sure or declared is None,
            note=None
            if sure or declared is None
            else f"not sure enough to overrule {declared.method}",
        )
        return article

    return detect
