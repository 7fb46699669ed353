"""The stage: every time expression in the clean text, resolved against the publication date."""

from __future__ import annotations

from datetime import date

from khabar.core.article import Article, TimeMention
from khabar.core.registry import Stage, stages
from khabar.time.interpret import Interpreter


@stages.register("time.expressions.v1", requires={"text", "sentences"}, assigns={"times"})
def make_time_expressions(day_first: bool = False, recent_days: int = 30) -> Stage:
    """Time expressions in the clean text, each an interval with granularity and tense."""
    interpreter = Interpreter(day_first=day_first, recent_days=recent_days)

    def times(article: Article) -> Article:
        sentences = [(s.start, s.end) for s in article.sentences]
        found = interpreter.interpret_all(article.text, anchor_of(article), sentences)
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
