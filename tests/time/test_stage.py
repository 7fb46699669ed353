import time
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.core.article import Article, Evidence, TimeValue
from khabar.core.registry import stages
from khabar.nlp.sentences import split_sentences
from khabar.time.stage import anchor_of, make_time_expressions

SEED_LIKE = (
    "Pakistan, US to hold counter-terrorism talks next month\n"
    "Foreign Minister Bilawal Bhutto-Zardari on Friday said Pakistan and the United States "
    "will hold a conference in March. He visited Moscow last week. The TTP ended its "
    "ceasefire in November, and the country has faced attacks since then; a recent bombing "
    "in Peshawar killed dozens. Floods last summer displaced millions."
)


def article(text: str, published: TimeValue | None = None) -> Article:
    made = Article.from_text(text, id="t1")
    made.text = text
    made.sentences = []
    if published is not None:
        made.claim("published", published, method="test", evidence=Evidence.meta("test", "x"))
    return made


def run(made: Article) -> Article:
    from khabar.core.article import Span

    made.sentences = [Span(start=s, end=e) for s, e in split_sentences(made.text)]
    return make_time_expressions()(made)


def test_the_stage_is_registered_with_what_it_requires_and_assigns() -> None:
    part = stages.get("time.expressions.v1")
    assert part.requires == {"text", "sentences"}
    assert part.assigns == {"times"}


def test_seed_like_article_resolves_against_its_publication_date() -> None:
    done = run(article(SEED_LIKE, TimeValue.day(date(2023, 2, 3))))
    values = {
        m.text: (m.value.start.isoformat(), m.value.end.isoformat(), m.value.granularity)
        for m in done.times
        if m.value is not None
    }
    assert values == {
        "next month": ("2023-03-01", "2023-03-31", "month"),
        "Friday": ("2023-02-03", "2023-02-03", "day"),
        "March": ("2023-03-01", "2023-03-31", "month"),
        "last week": ("2023-01-23", "2023-01-29", "week"),
        "November": ("2022-11-01", "2022-11-30", "month"),
        "recent": ("2023-01-04", "2023-02-03", "interval"),
        "last summer": ("2022-06-01", "2022-08-31", "season"),
    }
    for mention in done.times:
        assert done.text[mention.start : mention.end] == mention.text
        assert mention.anchor == date(2023, 2, 3)
        assert mention.method.startswith("rules:")
        assert 0 < mention.confidence <= 1


def test_without_a_publication_date_relative_times_get_no_value_never_today() -> None:
    done = run(article("The talks ended last week. The treaty dates from 3 May 1998."))
    by_text = {m.text: m for m in done.times}
    assert by_text["last week"].value is None
    assert by_text["last week"].anchor is None
    absolute = by_text["3 May 1998"].value
    assert absolute is not None and absolute.start == date(1998, 5, 3)


def test_the_anchor_is_the_instant_the_day_or_the_end_of_an_interval() -> None:
    at = datetime(2023, 2, 3, 23, 30, tzinfo=UTC)
    assert anchor_of(article("x", TimeValue.day(date(2023, 2, 3), at=at))) == date(2023, 2, 3)
    assert anchor_of(article("x", TimeValue.day(date(2023, 2, 3)))) == date(2023, 2, 3)
    window = TimeValue(start=date(2023, 2, 1), end=date(2023, 2, 7), granularity="interval")
    assert anchor_of(article("x", window)) == date(2023, 2, 7)
    assert anchor_of(article("x")) is None


_WORDS = st.sampled_from(
    [
        "on Friday",
        "March",
        "in March",
        "2019",
        "last",
        "week",
        " ",
        ". ",
        "\n",
        "since",
        "the",
        "day",
        "ended",
        "will",
        "7",
        "/",
        ":",
        "'80s",
        "mid-",
        "May 4th",
        "Q2",
        "ago",
        "two days",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_WORDS, max_size=50).map("".join))
def test_every_time_mention_lies_inside_the_text(text: str) -> None:
    done = run(article(text, TimeValue.day(date(2023, 2, 3))))
    assert done.span_errors() == []
    for mention in done.times:
        assert mention.start < mention.end
        assert done.text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize("text", ["9" * 100_000, "On Friday, 3 March 2023, prices rose. " * 3_000])
def test_large_inputs_finish_in_seconds(text: str) -> None:
    began = time.perf_counter()
    done = run(article(text, TimeValue.day(date(2023, 2, 3))))
    assert time.perf_counter() - began < 20.0
    assert done.span_errors() == []


@pytest.mark.slow
def test_five_megabytes_of_news_finish_in_seconds() -> None:
    paragraph = (
        "Officials said on Friday that the talks, first held in March 2021, would resume next "
        "month. Prices rose 4% last week, the ministry said, and 1,200 people have fled since "
        "November. The 2019 agreement expired two years ago.\n"
    )
    text = (paragraph * (5_000_000 // len(paragraph) + 1))[:5_000_000]
    began = time.perf_counter()
    done = make_time_expressions()(article(text, TimeValue.day(date(2023, 2, 3))))
    assert time.perf_counter() - began < 60.0
    assert len(done.times) > 100_000


def test_a_month_long_publication_date_widens_what_depends_on_the_day() -> None:
    february = TimeValue(start=date(2023, 2, 1), end=date(2023, 2, 28), granularity="month")
    made = run(article(SEED_LIKE, february))
    by_text = {t.text: t for t in made.times}
    # "next month" and "in March" mean the same from any day of February
    assert (by_text["next month"].value.start, by_text["next month"].value.granularity) == (
        date(2023, 3, 1),
        "month",
    )
    assert by_text["November"].value.start == date(2022, 11, 1)
    week = by_text["last week"]
    assert (week.value.start, week.value.end, week.value.granularity) == (
        date(2023, 1, 23),
        date(2023, 2, 26),
        "interval",
    )
    exact = run(article(SEED_LIKE, TimeValue.day(date(2023, 2, 3))))
    assert week.confidence < {t.text: t for t in exact.times}["last week"].confidence
