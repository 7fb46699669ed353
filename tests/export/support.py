"""Stores of coded events for the export tests: a few hand-made events, or thousands generated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from helpers import article_with_events
from khabar import Article, Evidence, Span, Store
from khabar.core.article import AcledCode, Event, EventParticipant, EventPlace, EventTime, TimeValue
from khabar.fusion.update import update_fusion

BOMB = AcledCode(
    disorder_type="Political violence",
    event_type="Explosions/Remote violence",
    sub_event_type="Remote explosive/landmine/IED",
)
ATTACK = AcledCode(
    disorder_type="Political violence",
    event_type="Violence against civilians",
    sub_event_type="Attack",
)
# Each starts with a character a spreadsheet would take as the start of a formula.
HOSTILE = ('=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1)")


def sited(article: Article, site: str) -> Article:
    article.claim("site", site, method="t", evidence=Evidence.meta("og:site_name", site))
    article.fetched_at = datetime(2024, 5, 14, 8, 0, tzinfo=UTC)
    return article


def peshawar_article() -> Article:
    """The helpers' bombing in Peshawar (with coordinates and an ACLED code) and planned talks in
    Doha (neither)."""
    article = sited(article_with_events(), "Frontier Post")
    bomb, meet = article.events
    assert bomb.place is not None
    place = bomb.place.model_copy(
        update={"lat": 34.008, "lon": 71.5785, "admin1": "Khyber Pakhtunkhwa", "precision": "city"}
    )
    article.events = [bomb.model_copy(update={"place": place, "acled": BOMB}), meet]
    return article


def hostile_article() -> Article:
    """An attack whose sentence, place, actor and site all start like spreadsheet formulas."""
    formula, plus, minus, at = HOSTILE
    text = f"{formula} gunmen shot two villagers in {minus} on Friday."
    article = sited(Article.from_text(text, id="hostile"), plus)
    article.text = text
    shot = text.index("shot")
    place = text.index(minus)
    attack = Event(
        id="h1",
        type="ASSAULT",
        mode="firearms",
        status="happened",
        trigger=Span(start=shot, end=shot + 4),
        sentence=Span(start=0, end=len(text)),
        actors=[EventParticipant(text=at, start=0, end=1, sector="UAF", method="t")],
        targets=[
            EventParticipant(
                text="villagers", start=shot + 9, end=shot + 18, sector="CVL", method="t"
            )
        ],
        place=EventPlace(
            text=minus,
            start=place,
            end=place + len(minus),
            name=minus,
            country="AFG",
            lat=-1.5,
            lon=-70.25,
            precision="admin2",
            method="t",
        ),
        time=EventTime(
            value=TimeValue(start=date(2024, 5, 10), end=date(2024, 5, 10), granularity="day"),
            method="t",
        ),
        acled=ATTACK,
        evidence=[Evidence.text_span(shot, shot + 4)],
        method="t",
        confidence=0.7,
    )
    article.events = [attack]
    return article


def generated_articles(count: int, events_each: int) -> Iterable[Article]:
    """``count`` articles of ``events_each`` attacks each; every other one has coordinates."""
    for n in range(count):
        sentence = "Gunmen attacked a convoy near the border. "
        text = sentence * events_each
        article = sited(Article.from_text(text, id=f"gen{n:05d}"), f"site{n % 7}.example")
        article.text = text
        events = []
        for k in range(events_each):
            at = k * len(sentence)
            trigger = Span(start=at + 7, end=at + 15)
            located = (n + k) % 2 == 0
            events.append(
                Event(
                    id=f"gen{n:05d}-{k}",
                    type="ASSAULT",
                    status="happened",
                    trigger=trigger,
                    sentence=Span(start=at, end=at + len(sentence) - 1),
                    place=EventPlace(
                        text="border",
                        start=at + 34,
                        end=at + 40,
                        name="Border",
                        country="PAK",
                        lat=30.0 + n / 1000 if located else None,
                        lon=70.0 + k / 10 if located else None,
                        method="t",
                    ),
                    time=EventTime(
                        value=TimeValue(
                            start=date(2024, 1, 1 + n % 28),
                            end=date(2024, 1, 1 + n % 28),
                            granularity="day",
                        ),
                        method="t",
                    ),
                    acled=ATTACK if k % 3 else None,
                    evidence=[Evidence.text_span(trigger.start, trigger.end)],
                    method="t",
                    confidence=0.5,
                )
            )
        article.events = events
        yield article


def store_of(path: Path, articles: Iterable[Article]) -> Path:
    with Store.open(path) as store:
        run = store.begin_run(["test"], {})
        for article in articles:
            store.add_article(article, run)
        store.commit()
        update_fusion(store)  # as a run does, so that fused events export too
        store.commit()
        store.finish_run(run, "finished", {})
    return path
