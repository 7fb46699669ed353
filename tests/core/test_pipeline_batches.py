"""Articles through the stages several at a time: the same outcomes as one at a time."""

import time
from collections.abc import Iterable, Iterator

from helpers import SAMPLE, config
from khabar import Article, Evidence, Pipeline, SkippedInput, load_pipeline, stages
from khabar.core.article import InputRef, Skip

LONG = "Enough words to pass the cleaning stage easily, yes indeed. " * 5


class Batched:
    """A stage that can take a batch: it records the size of each batch it is given, fails a
    batch or an article holding the word "poison", and spins on one holding "slow"."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article], alone=True))

    def pipe(self, articles: Iterable[Article], alone: bool = False) -> Iterator[Article]:
        batch = list(articles)
        if not alone:
            self.batches.append(len(batch))
        if any("poison" in a.text for a in batch):
            raise ValueError("a poisoned article")
        if any("slow" in a.text for a in batch):
            end = time.monotonic() + 5
            while time.monotonic() < end:
                pass
        for article in batch:
            article.claim(
                "site", "seen", method="test.batched", evidence=Evidence.meta("test", "seen")
            )
            yield article


LAST: list[Batched] = []


@stages.register("test.batched.v1", requires={"text"})
def make_batched():  # type: ignore[no-untyped-def]
    """Take articles in batches (see ``Batched``)."""
    LAST.append(Batched())
    return LAST[-1]


def pipeline(batch: int = 3, timeout: float = 0.5) -> Pipeline:
    settings = {"stages": ["clean", "test.batched.v1"], "article_timeout_s": timeout}
    return Pipeline(config(pipeline=settings | {"batch_articles": batch}))


def articles(*words: str) -> list[Article]:
    return [Article.from_text(f"{word} {LONG}", id=f"a{i}") for i, word in enumerate(words)]


def test_a_stage_that_takes_batches_gets_the_articles_together() -> None:
    outcomes = list(pipeline(batch=3).pipe(articles(*"abcdefg")))
    assert LAST[-1].batches == [3, 3]  # the seventh alone, through the stage's plain call
    assert [o.source.id for o in outcomes] == [f"a{i}" for i in range(7)]
    assert all(isinstance(o, Article) and _site(o) == "seen" for o in outcomes)


def test_a_failed_batch_is_done_again_one_article_at_a_time() -> None:
    outcomes = pipeline(batch=4).process_many(articles("one", "two", "poison", "four"))
    skipped = outcomes[2]
    assert isinstance(skipped, SkippedInput)
    assert (skipped.skip.stage, skipped.skip.reason) == ("test.batched.v1", "stage_error")
    assert "a poisoned article" in skipped.skip.detail
    kept = [outcomes[i] for i in (0, 1, 3)]
    assert all(isinstance(o, Article) and _site(o) == "seen" for o in kept)
    # each done again from its untouched copy: what the stages claimed before is not doubled
    alone = pipeline(batch=1).process(articles("one")[0])
    assert isinstance(alone, Article) and alone.claims
    assert all(len(o.claims) == len(alone.claims) for o in kept)


def test_each_article_keeps_its_own_time_limit_in_a_batch() -> None:
    started = time.monotonic()
    outcomes = pipeline(batch=3, timeout=0.5).process_many(articles("one", "slow", "three"))
    assert time.monotonic() - started < 3
    slow = outcomes[1]
    assert isinstance(slow, SkippedInput)
    assert (slow.skip.stage, slow.skip.reason) == ("test.batched.v1", "timeout")
    assert isinstance(outcomes[0], Article) and isinstance(outcomes[2], Article)


def test_what_is_not_an_article_passes_through_in_its_place() -> None:
    skip = SkippedInput(
        source=InputRef(name="files", uri="x.html"), skip=Skip(stage="read", reason="empty")
    )
    a, b, c = articles("a", "b", "c")
    outcomes = list(pipeline(batch=2).pipe([a, skip, b, c]))
    assert [type(o).__name__ for o in outcomes] == ["Article", "SkippedInput", "Article", "Article"]
    assert outcomes[1] is skip
    assert [o.source.id for o in outcomes if isinstance(o, Article)] == ["a0", "a1", "a2"]


def test_the_packaged_pipeline_stores_the_same_in_batches_as_one_at_a_time() -> None:
    one = load_pipeline(overrides=["pipeline.batch_articles=1"])
    many = load_pipeline(overrides=["pipeline.batch_articles=8"])
    inputs = [
        a for a in one.read([str(SAMPLE / "html"), str(SAMPLE / "text")]) if isinstance(a, Article)
    ]
    assert len(inputs) >= 4
    alone = [one.process(a.model_copy(deep=True)) for a in inputs]
    together = many.process_many([a.model_copy(deep=True) for a in inputs])
    assert sum(isinstance(o, Article) and bool(o.events) for o in together) >= 2
    assert [_record(o) for o in together] == [_record(o) for o in alone]


def _site(article: Article) -> object:
    claim = article.accepted("site")
    return claim.value if claim is not None else None


def _record(outcome: object) -> object:
    return outcome.to_record() if isinstance(outcome, Article) else outcome
