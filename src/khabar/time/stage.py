"""The stage: every time expression in the clean text, resolved against the publication date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from khabar.core.article import Article, TimeMention, TimeValue
from khabar.core.registry import Stage, stages
from khabar.time.interpret import Interpretation, Interpreter


@stages.register("time.expressions.v1", requires={"text", "sentences"}, assigns={"times"})
def make_time_expressions(day_first: bool = False, recent_days: int = 30) -> Stage:
    """Time expressions in the clean text, each an interval with granularity and tense."""
    interpreter = Interpreter(day_first=day_first, recent_days=recent_days)

    def times(article: Article) -> Article:
        sentences = [(s.start, s.end) for s in article.sentences]
        found = interpreter.interpret_all(article.text, anchor_of(article), sentences)
        earliest = earliest_anchor(article)
        if earliest is not None:
            early = interpreter.interpret_all(article.text, earliest, sentences)
            found = [_widened(late, early) for late, early in _paired(found, early)]
        article.times = [
            TimeMention(
                start=item.start,
                end=item.end,
                text=item.text,
                value=item.value,
                anchor=item.anchor,
                method=item.method,
                confidence=item.confidence,
            )
            for item in found
        ]
        return article

    return times


def _paired(
    late: list[Interpretation], early: list[Interpretation]
) -> list[tuple[Interpretation, Interpretation]]:
    """The same expressions read from both anchors (an expression is found whatever the anchor;
    should the lists ever differ, each reading is paired with itself)."""
    if [(i.start, i.end) for i in late] != [(i.start, i.end) for i in early]:
        return [(i, i) for i in late]
    return list(zip(late, early, strict=True))


def _widened(late: Interpretation, early: Interpretation) -> Interpretation:
    """An expression read from both ends of the publication window covers both readings: in
    an article written some time in February, "last week" is any week from late January on."""
    if late.value is None or early.value is None or late.value == early.value:
        return late
    value = TimeValue(
        start=min(late.value.start, early.value.start),
        end=max(late.value.end, early.value.end),
        granularity="interval",
    )
    return replace(
        late, value=value, confidence=round(min(late.confidence, early.confidence) * 0.8, 3)
    )


def earliest_anchor(article: Article) -> date | None:
    """The first day of the publication window, when the date is only known as a window (a
    month, an interval inferred from the text); None for a day or an instant."""
    published = article.published
    if published is None or published.at is not None or published.start == published.end:
        return None
    return published.start


def anchor_of(article: Article) -> date | None:
    """The day relative expressions count from: the publication date's instant if it has one,
    its day, or, when it is only known as an interval (a month, a window inferred from the
    text), the interval's last day. None without a publication date: never today."""
    published = article.published
    if published is None:
        return None
    if published.at is not None:
        return published.at.date()
    return published.end
