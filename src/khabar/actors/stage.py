"""The ``actors.resolve.v1`` stage: the article's entity mentions grouped into coded actors."""

from __future__ import annotations

from functools import cache

from khabar.actors.kb import load_kb
from khabar.actors.offices import load as load_offices
from khabar.actors.places import Gazetteer
from khabar.actors.resolve import Resolver
from khabar.core.article import Article
from khabar.core.registry import Stage, stages


@stages.register("actors.resolve.v1", requires={"text", "entities"}, assigns={"actors"})
def make_actors(
    extra_kb: tuple[str, ...] = (),
    places: bool = True,
    context_country: bool = True,
    office_holders: bool = True,
    offices: tuple[str, ...] = (),
) -> Stage:
    """Actors with PLOVER country and sector codes, from a curated KB, role nouns and NER."""
    resolver = Resolver(
        load_kb(extra_kb),
        gazetteer() if places else None,
        context_country=context_country,
        offices=load_offices(offices) if office_holders else None,
    )

    def resolve(article: Article) -> Article:
        published = article.published
        when = published.start if published is not None and published.trusted else None
        article.actors = resolver.resolve(
            article.text, article.entities, article.sentences, when=when, places=article.places
        )
        return article

    return resolve


@cache
def gazetteer() -> Gazetteer:
    """Loaded once per process: every stage built in it shares the same read-only tables."""
    return Gazetteer()
