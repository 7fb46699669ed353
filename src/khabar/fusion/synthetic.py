"""The fusion stress test: one wire story syndicated many times with small edits, and as many
hard negatives written from the same templates (the same kind of event in other places, on
other dates, by other actors). A right answer is one group for the copies and one per negative.

Each item is an article (text, title, site, publication date) for the real pipeline, with its
true group and the structured facts it was written from, so the fusion engine can also be tested
alone (:func:`truth_report`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from khabar.fusion.reports import Report, content_words

# (city, ISO3, country, lat, lon): places far enough apart that no two are one event's place.
CITIES = (
    ("Peshawar", "PAK", "Pakistan", 34.008, 71.578),
    ("Quetta", "PAK", "Pakistan", 30.184, 67.001),
    ("Lahore", "PAK", "Pakistan", 31.558, 74.351),
    ("Karachi", "PAK", "Pakistan", 24.861, 67.010),
    ("Kabul", "AFG", "Afghanistan", 34.529, 69.172),
    ("Kandahar", "AFG", "Afghanistan", 31.613, 65.711),
    ("Herat", "AFG", "Afghanistan", 34.348, 62.199),
    ("Maiduguri", "NGA", "Nigeria", 11.846, 13.160),
    ("Kaduna", "NGA", "Nigeria", 10.523, 7.440),
    ("Kano", "NGA", "Nigeria", 12.000, 8.517),
    ("Mogadishu", "SOM", "Somalia", 2.037, 45.344),
    ("Kismayo", "SOM", "Somalia", -0.358, 42.546),
    ("Baghdad", "IRQ", "Iraq", 33.341, 44.401),
    ("Mosul", "IRQ", "Iraq", 36.335, 43.119),
    ("Basra", "IRQ", "Iraq", 30.508, 47.783),
    ("Aleppo", "SYR", "Syria", 36.202, 37.158),
    ("Homs", "SYR", "Syria", 34.727, 36.723),
    ("Gao", "MLI", "Mali", 16.272, -0.044),
    ("Timbuktu", "MLI", "Mali", 16.773, -3.007),
    ("Goma", "COD", "DR Congo", -1.679, 29.222),
    ("Bunia", "COD", "DR Congo", 1.566, 30.252),
    ("Aden", "YEM", "Yemen", 12.779, 45.037),
    ("Marib", "YEM", "Yemen", 15.463, 45.325),
    ("Ouagadougou", "BFA", "Burkina Faso", 12.365, -1.534),
    ("Djibo", "BFA", "Burkina Faso", 14.101, -1.631),
)
GROUPS = (
    ("Islamic State", "militants"),
    ("al-Shabaab", "militants"),
    ("Boko Haram", "insurgents"),
    ("the Pakistani Taliban", "militants"),
    ("JNIM", "jihadists"),
    ("the ADF", "rebels"),
)
TARGETS = ("a crowded market", "a police checkpoint", "a bus station", "a mosque", "a wedding")
SITES = tuple(f"wire-{n:03d}.example" for n in range(40))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Item:
    id: str
    group: str
    title: str
    text: str
    site: str
    published: date
    day: date
    city: tuple[str, str, str, float, float]
    actor: str
    killed: int


def _story(
    rng: random.Random,
    day: date,
    city: tuple[str, str, str, float, float],
    actor: tuple[str, str],
    target: str,
    killed: int,
    edit: bool,
) -> tuple[str, str]:
    name, _, country, _, _ = city
    who, kind = actor
    weekday = WEEKDAYS[day.weekday()]
    toll = f"killing {killed} people"
    if edit and rng.random() < 0.5:
        toll = f"leaving {killed} people dead"
    lede = (
        f"A suicide bomber attacked {target} in {name}, {country}, on {weekday}, "
        f"{toll} and wounding {killed * 2 + 3} others, police said."
    )
    who = who[0].upper() + who[1:]  # it opens the sentence
    claim = f"{who} claimed responsibility for the attack, the deadliest by the {kind} this year."
    extra = [
        "Ambulances rushed the wounded to the main hospital, where doctors appealed for blood.",
        "Security forces sealed off the area and began a search for accomplices.",
        "The government condemned the bombing and promised to bring those responsible to justice.",
        "Witnesses described a loud explosion followed by scenes of panic.",
    ]
    body = [lede, claim]
    if edit:
        rng.shuffle(extra)
        body += extra[: rng.randint(1, 4)]
        if rng.random() < 0.5:
            body[1] = body[1].replace("claimed responsibility for", "said it carried out")
    else:
        body += extra
    title = f"Suicide bombing kills {killed} in {name}"
    return title, "\n\n".join(body)


def stress(copies: int = 500, negatives: int = 500, seed: int = 11) -> Iterator[Item]:
    """``copies`` edits of one wire story, then ``negatives`` stories like it about other
    bombings: each in another city or at least ten days from any other in its city."""
    rng = random.Random(seed)
    wire_day = date(2024, 3, 12)
    wire_city = CITIES[0]
    wire_actor = GROUPS[3]
    for n in range(copies):
        title, text = _story(rng, wire_day, wire_city, wire_actor, TARGETS[0], 23, edit=n > 0)
        site = SITES[n % len(SITES)]
        yield Item(
            f"copy-{n:04d}", "wire", title, text, site, wire_day + timedelta(days=n % 2),
            wire_day, wire_city, wire_actor[0], 23,
        )  # fmt: skip
    taken: dict[str, list[date]] = {wire_city[0]: [wire_day]}
    made = 0
    while made < negatives:
        city = rng.choice(CITIES)
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(730))
        if any(abs((day - other).days) < 10 for other in taken.get(city[0], [])):
            continue
        taken.setdefault(city[0], []).append(day)
        actor = rng.choice(GROUPS)
        killed = rng.randint(3, 40)
        title, text = _story(rng, day, city, actor, rng.choice(TARGETS), killed, edit=True)
        yield Item(
            f"other-{made:04d}", f"other-{made:04d}", title, text, rng.choice(SITES), day, day,
            city, actor[0], killed,
        )  # fmt: skip
        made += 1


def truth_report(item: Item) -> Report:
    """The report a perfect coder would make of an item's main event."""
    name, iso3, _, lat, lon = item.city
    lede = item.text.split("\n\n", 1)[0]
    return Report(
        id=f"{item.id}-e0",
        article_id=item.id,
        type="ASSAULT",
        start=item.day,
        end=item.day,
        granularity="day",
        place=name,
        country=iso3,
        lat=lat,
        lon=lon,
        precision="city",
        actors=frozenset({item.actor}),
        killed=(item.killed, item.killed, item.killed),
        site=item.site,
        confidence=0.75,
        sentence=lede,
        words=content_words(lede),
    )
