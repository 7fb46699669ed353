"""One report of an event, as fusion sees it: the coded fields that say whether two reports can
be the same real-world event, taken from a stored event row (or made directly, in tests)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from khabar.core.article import Article
from khabar.extract.line_shape import STOPWORDS, vocabulary

#: A toll: low, best, high (a vague one, "hundreds", has no best; "at least 12" no high).
Toll = tuple[int | None, int | None, int | None]

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words that say nothing about which event a sentence reports.
_STOP = STOPWORDS | vocabulary("people others reported report reports news")


def content_words(text: str) -> frozenset[str]:
    """The lower-cased words of three letters or more that are not function words."""
    return frozenset(w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOP)


@dataclass(frozen=True)
class Report:
    """An event as one article reports it."""

    id: str
    article_id: str
    type: str
    status: str = "happened"
    mention_role: str = "main"
    start: date | None = None
    end: date | None = None
    granularity: str | None = None
    place: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    actors: frozenset[str] = frozenset()  # canonical names, actors and targets together
    actor_countries: frozenset[str] = frozenset()
    killed: Toll | None = None  # low, best, high
    injured: Toll | None = None
    site: str | None = None
    confidence: float = 0.5
    sentence: str = ""
    words: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def placed(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def dated(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def main(self) -> bool:
        return self.mention_role != "background"

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Report:
        """From an event as ``khabar.store.query`` returns it (``actors`` and ``targets`` as
        lists of ``name|country|sector``)."""
        actors, targets = row.get("actors") or (), row.get("targets") or ()
        if isinstance(actors, str):  # as stored: JSON
            actors, targets = json.loads(actors), json.loads(targets or "[]")
        people = [(*p.split("|"), "", "")[:3] for p in [*actors, *targets]]
        names = frozenset(name for name, _, _ in people if name)
        countries = frozenset(country for _, country, _ in people if country)
        sentence = row.get("sentence") or ""
        return cls(
            id=row["id"],
            article_id=row["article_id"],
            type=row["type"],
            status=row.get("status") or "happened",
            mention_role=row.get("mention_role") or "main",
            start=_day(row.get("time_start")),
            end=_day(row.get("time_end")),
            granularity=row.get("time_granularity"),
            place=row.get("place_name"),
            country=row.get("country"),
            lat=row.get("lat"),
            lon=row.get("lon"),
            precision=row.get("geo_precision"),
            actors=names,
            actor_countries=countries,
            killed=_count(row, "killed"),
            injured=_count(row, "injured"),
            site=row.get("site"),
            confidence=float(row.get("confidence") or 0.5),
            sentence=sentence,
            words=content_words(sentence),
        )


def _day(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def _count(row: Mapping[str, Any], name: str) -> Toll | None:
    """``(low, best, high)``; a vague toll ("hundreds": 200-999) has a range and no best."""
    low, best, high = (row.get(f"{name}_{part}") for part in ("low", "best", "high"))
    if best is None and low is None and high is None:
        return None
    low = best if low is None else low
    high = best if high is None else high
    return (
        None if low is None else int(low),
        None if best is None else int(best),
        None if high is None else int(high),
    )


def reports_of(article: Article) -> list[Report]:
    """The reports of an article's coded events, as the store would give them."""
    from khabar.store.sqlite import event_row  # noqa: PLC0415 - the store's mapping, once

    site = article.site
    return [Report.from_row(event_row(article, i, e, site)) for i, e in enumerate(article.events)]
