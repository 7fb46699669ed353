import time

import pytest

from helpers import config
from khabar import (
    Article,
    DropArticle,
    Evidence,
    Pipeline,
    PipelineError,
    SkippedInput,
    StageError,
    stages,
)


@stages.register("test.drop_short.v1", requires={"text"})
def make_drop_short(limit: int = 10):  # type: ignore[no-untyped-def]
    """Drop articles shorter than the limit."""

    def drop(article: Article) -> Article:
        if len(article.text) < limit:
            raise DropArticle("too_short_for_test", f"{len(article.text)} < {limit}")
        return article

    return drop


@stages.register("test.crash.v1", requires={"text"})
def make_crash():  # type: ignore[no-untyped-def]
    """Raise an error on every article."""

    def crash(article: Article) -> Article:
        raise ValueError("boom")

    return crash


@stages.register("test.sleep.v1")
def make_sleep(seconds: float = 5.0):  # type: ignore[no-untyped-def]
    """Spin for a while, in pure Python."""

    def sleep(article: Article) -> Article:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            pass
        return article

    return sleep


@stages.register("test.bad_span.v1", requires={"text"}, assigns={"title"})
def make_bad_span():  # type: ignore[no-untyped-def]
    """Claim a title with evidence past the end of the text."""

    def bad(article: Article) -> Article:
        article.claim(
            "title", "x", method="bad", evidence=Evidence.text_span(0, len(article.text) + 5)
        )
        return article

    return bad


def pipeline(*names: str, **run: object) -> Pipeline:
    return Pipeline(config(pipeline={"stages": list(names), "article_timeout_s": 0.5}, run=run))


LONG = "Enough words to pass the cleaning stage easily, yes indeed. " * 5


def article(text: str = LONG) -> Article:
    return Article.from_text(text, id="t1")


def test_a_stage_before_the_one_that_assigns_its_input_is_named() -> None:
    with pytest.raises(
        PipelineError,
        match=r"stage 'sentences' .* requires 'text', which stage 'clean' assigns, but later",
    ):
        pipeline("sentences", "clean")


def test_a_missing_requirement_suggests_stages_that_provide_it() -> None:
    with pytest.raises(
        PipelineError,
        match=r"requires 'text', which no earlier stage assigns.*extract.main_text.v1",
    ):
        pipeline("sentences")


def test_a_stage_listed_twice_is_refused() -> None:
    with pytest.raises(PipelineError, match="listed twice"):
        pipeline("clean", "clean")


def test_a_drop_is_recorded_with_stage_and_reason() -> None:
    outcome = pipeline("clean", "test.drop_short.v1").process(article())
    assert isinstance(outcome, Article)
    p = Pipeline(
        config(
            pipeline={"stages": ["clean", "short"]},
            stages={"short": {"factory": "test.drop_short.v1", "limit": 1000}},
        )
    )
    outcome = p.process(
        article("A text that is long enough to pass cleaning but not the test limit. " * 4)
    )
    assert isinstance(outcome, SkippedInput)
    assert (outcome.skip.stage, outcome.skip.reason) == ("short", "too_short_for_test")
    assert outcome.skip.severity == "skip"


def test_an_exception_in_a_stage_becomes_a_stage_error_skip() -> None:
    outcome = pipeline("clean", "test.crash.v1").process(article())
    assert isinstance(outcome, SkippedInput)
    assert outcome.skip.reason == "stage_error"
    assert outcome.skip.stage == "test.crash.v1"
    assert "ValueError: boom" in outcome.skip.detail
    assert outcome.skip.severity == "error"


def test_strict_mode_raises_instead() -> None:
    p = pipeline("clean", "test.crash.v1", strict=True)
    with pytest.raises(StageError, match="boom") as info:
        p.process(article())
    assert isinstance(info.value.__cause__, ValueError)


def test_a_slow_article_is_stopped_at_the_time_limit() -> None:
    started = time.monotonic()
    outcome = pipeline("clean", "test.sleep.v1").process(article())
    assert time.monotonic() - started < 3
    assert isinstance(outcome, SkippedInput)
    assert (outcome.skip.stage, outcome.skip.reason) == ("test.sleep.v1", "timeout")


def test_spans_outside_the_text_are_caught_at_the_stage_that_made_them() -> None:
    outcome = pipeline("clean", "test.bad_span.v1").process(article())
    assert isinstance(outcome, SkippedInput)
    assert (outcome.skip.stage, outcome.skip.reason) == ("test.bad_span.v1", "invalid_span")


def test_calling_the_pipeline_lets_drops_propagate() -> None:
    with pytest.raises(DropArticle, match="too_short"):
        pipeline("clean")(article("tiny"))
