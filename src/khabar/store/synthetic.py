"""Synthetic articles with coded events, for load scripts, store benchmarks and tests.

Made-up but well-formed: every span lies inside its article's text, every event has a sentence,
a trigger, a place with coordinates near a real capital, a day and a casualty count, so that
filters by type, country, date range, bounding box and radius all have something to find. The
same seed gives the same articles.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from khabar.core.article import (
    AcledCode,
    Article,
    Casualties,
    Event,
    EventParticipant,
    EventPlace,
    EventTime,
    Evidence,
    Span,
    TimeValue,
)

# (ISO3, capital, lat, lon): spread over the regions event data covers most.
PLACES = (
    ("PAK", "Islamabad", 33.69, 73.06),
    ("AFG", "Kabul", 34.53, 69.17),
    ("IND", "New Delhi", 28.61, 77.21),
    ("NGA", "Abuja", 9.06, 7.49),
    ("SDN", "Khartoum", 15.50, 32.56),
    ("UKR", "Kyiv", 50.45, 30.52),
    ("SYR", "Damascus", 33.51, 36.29),
    ("MEX", "Mexico City", 19.43, -99.13),
    ("COL", "Bogota", 4.71, -74.07),
    ("MMR", "Naypyidaw", 19.76, 96.08),
    ("ETH", "Addis Ababa", 9.03, 38.74),
    ("FRA", "Paris", 48.86, 2.35),
)
# (PLOVER type, status, trigger word, ACLED event type, ACLED sub-event type)
KINDS = (
    ("ASSAULT", "happened", "attacked", "Violence against civilians", "Attack"),
    ("FIGHT", "happened", "clashed", "Battles", "Armed clash"),
    ("PROTEST", "happened", "protested", "Protests", "Peaceful protest"),
    ("CONSULT", "planned", "will meet", None, None),
    ("AGREE", "happened", "agreed", None, None),
    ("ACCUSE", "happened", "accused", None, None),
    ("COERCE", "happened", "arrested", "Strategic developments", "Arrests"),
)
ACTORS = (
    ("Police", "GOV", "police"),
    ("Protesters", "CVL", "protesters"),
    ("Militants", "REB", "militants"),
    ("Soldiers", "MIL", "soldiers"),
    ("Ministers", "GOV", "ministers"),
)


def synthetic_articles(
    count: int,
    *,
    events_per_article: int = 10,
    seed: int = 7,
    start: date | None = None,
    days: int = 730,
) -> Iterator[Article]:
    """``count`` articles, each with ``events_per_article`` events over ``days`` days."""
    rng = random.Random(seed)
    first_day = start or date(2023, 1, 1)
    for n in range(count):
        sentences: list[str] = []
        events: list[Event] = []
        offset = 0
        for k in range(events_per_article):
            iso3, city, lat, lon = rng.choice(PLACES)
            type_, status, trigger, acled_type, acled_sub = rng.choice(KINDS)
            actor, sector, _ = rng.choice(ACTORS)
            _, target_sector, target_word = rng.choice(ACTORS)
            day = first_day + timedelta(days=rng.randrange(days))
            killed = rng.choice((0, 0, 0, 1, 2, 5, 12))
            head = f"{actor} {trigger} {target_word} in {city} on {day.isoformat()}"
            sentence = f"{head}, leaving {killed} dead."
            place_at = offset + sentence.index(city)
            trigger_at = offset + len(actor) + 1
            killed_at = offset + len(head) + len(", leaving ")
            event = Event(
                id=f"syn-{seed}-{n:07d}-{k:02d}",
                type=type_,
                status=status,
                planned_type=type_ if status == "planned" else None,
                trigger=Span(start=trigger_at, end=trigger_at + len(trigger)),
                sentence=Span(start=offset, end=offset + len(sentence)),
                actors=[
                    EventParticipant(
                        text=actor,
                        start=offset,
                        end=offset + len(actor),
                        canonical=f"{actor} ({iso3})",
                        country=iso3,
                        sector=sector,
                        method="synthetic",
                    )
                ],
                targets=[
                    EventParticipant(
                        text=target_word,
                        start=trigger_at + len(trigger) + 1,
                        end=trigger_at + len(trigger) + 1 + len(target_word),
                        country=iso3,
                        sector=target_sector,
                        method="synthetic",
                    )
                ],
                place=EventPlace(
                    text=city,
                    start=place_at,
                    end=place_at + len(city),
                    name=city,
                    country=iso3,
                    lat=round(lat + rng.uniform(-1.5, 1.5), 4),
                    lon=round(lon + rng.uniform(-1.5, 1.5), 4),
                    precision="city",
                    method="synthetic",
                ),
                time=EventTime(
                    value=TimeValue(start=day, end=day, granularity="day"), method="synthetic"
                ),
                killed=Casualties(
                    low=killed,
                    best=killed,
                    high=killed,
                    text=str(killed),
                    evidence=[Evidence.text_span(killed_at, killed_at + len(str(killed)))],
                    method="synthetic",
                ),
                evidence=[Evidence.text_span(trigger_at, trigger_at + len(trigger))],
                method="synthetic",
                confidence=round(rng.uniform(0.5, 1.0), 3),
            )
            if acled_type and acled_sub:
                event.acled = AcledCode(event_type=acled_type, sub_event_type=acled_sub)
            sentences.append(sentence)
            events.append(event)
            offset += len(sentence) + 1
        text = " ".join(sentences)
        article = Article.from_text(text, id=f"syn-{seed}-{n:07d}")
        article.text = text
        article.events = events
        yield article
