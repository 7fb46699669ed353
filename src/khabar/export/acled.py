"""Stored events as ACLED rows: ACLED's column names and event types, filled from what khabar
knows, for tools that already read ACLED's exports.

An event is written when it has an ACLED event type (verbal events have none), happened (or was
reported as having happened: status ``claimed``) and has a date; the others are counted by
reason. What each column holds, and where it differs from ACLED's own coding, is in
``docs/exports.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import pycountry

from khabar.export.writers import Tally

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

ACLED_INTEGERS = frozenset(
    {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision",
     "fatalities", "timestamp"}
)  # fmt: skip
ACLED_FLOATS = frozenset({"latitude", "longitude"})

# ACLED codes events that took place; a planned, hypothetical or negated one is not an event.
WRITTEN_STATUSES = frozenset({"happened", "claimed"})

# ACLED's actor types ("inter" codes), from khabar's actor sectors (docs/actors.md).
STATE_FORCES = 1
REBELS = 2
POLITICAL_MILITIA = 3
RIOTERS = 5
PROTESTERS = 6
CIVILIANS = 7
EXTERNAL = 8
_STATE = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})
_MILITIA = frozenset({"PRM", "UAF", "CRM"})
_CIVILIAN = frozenset(
    {"CVL", "JRN", "MED", "EDU", "BUS", "LAB", "REL", "REF", "AGR", "SOC", "ELI", "PTY", "OPP"}
)
_POLITICAL_VIOLENCE = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
)

# ACLED's time_precision: 1 the day is known, 2 the week, 3 the month or less precisely.
_TIME_PRECISION = {"instant": 1, "day": 1, "week": 2}
# ACLED's geo_precision: 1 the town, 2 a part of a region near a town, 3 only a larger region.
_GEO_PRECISION = {"point": 1, "city": 1, "admin2": 2, "admin1": 3, "country": 3}


@dataclass(frozen=True)
class Source:
    """What ACLED's ``source`` and ``timestamp`` say, from an event's article."""

    site: str | None
    timestamp: int | None  # when khabar fetched the report, in seconds since 1970 (UTC)


@dataclass(frozen=True)
class Participant:
    name: str
    country: str | None
    sector: str | None

    @classmethod
    def parse(cls, stored: str) -> Participant:
        """The store keeps each actor and target as ``name|country|sector``."""
        name, country, sector = [*stored.rsplit("|", 2), "", ""][:3]
        return cls(name, country or None, sector or None)


def acled_rows(
    rows: Iterable[dict[str, Any]],
    source_of: Callable[[dict[str, Any]], Source],
    disorder_types: dict[str, str],
    tally: Tally,
) -> Iterator[dict[str, Any]]:
    """ACLED rows for the event rows that ACLED would code; the rest counted by reason
    (``no_acled_type``, ``not_happened``, ``no_date``). ``source_of`` names a row's sources."""
    for row in rows:
        event_type = row.get("acled_event_type")
        if not event_type:
            tally.skipped["no_acled_type"] += 1
        elif row.get("status") not in WRITTEN_STATUSES:
            tally.skipped["not_happened"] += 1
        elif not row.get("time_start"):
            tally.skipped["no_date"] += 1
        else:
            yield acled_row(row, source_of(row), disorder_types)


def acled_row(
    row: dict[str, Any], source: Source, disorder_types: dict[str, str]
) -> dict[str, Any]:
    """One event row (with an ACLED type and a date) as an ACLED row."""
    event_type = row["acled_event_type"]
    country = row.get("country")
    actors = [Participant.parse(a) for a in row.get("actors") or []]
    targets = [Participant.parse(t) for t in row.get("targets") or []]
    inter1 = inter(actors[0], event_type, country, acting=True) if actors else None
    inter2 = inter(targets[0], event_type, country, acting=False) if targets else None
    day = date.fromisoformat(row["time_start"][:10])
    iso, country_name = country_codes(country) if country else (None, None)
    lat, lon = row.get("lat"), row.get("lon")
    killed = row.get("killed_best")
    if killed is None:
        killed = row.get("killed_low")
    return {
        "event_id_cnty": row["id"],
        "event_date": day.isoformat(),
        "year": day.year,
        "time_precision": time_precision(row),
        "disorder_type": disorder_types.get(event_type),
        "event_type": event_type,
        "sub_event_type": row.get("acled_sub_event_type"),
        "actor1": actors[0].name if actors else None,
        "assoc_actor_1": "; ".join(a.name for a in actors[1:]),
        "inter1": inter1,
        "actor2": targets[0].name if targets else None,
        "assoc_actor_2": "; ".join(t.name for t in targets[1:]),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting"
        if event_type in _POLITICAL_VIOLENCE
        and any(inter(t, event_type, country, acting=False) == CIVILIANS for t in targets)
        else None,
        "iso": iso,
        "region": None,
        "country": country_name,
        "admin1": row.get("admin1"),
        "admin2": None,
        "admin3": None,
        "location": row.get("place_name"),
        # Numbers, not text: a formatted "-12.5000" would be neutralised as a formula.
        "latitude": round(lat, 4) if lat is not None else None,
        "longitude": round(lon, 4) if lon is not None else None,
        "geo_precision": _GEO_PRECISION.get(row.get("geo_precision") or ""),
        "source": source.site,
        "source_scale": None,
        "notes": row.get("sentence"),
        "fatalities": killed or 0,
        "tags": "reported" if row.get("status") == "claimed" else None,
        "timestamp": source.timestamp,
    }


def fused_as_row(detail: dict[str, Any]) -> dict[str, Any] | None:
    """A fused event (as :func:`khabar.store.query.fused_detail` gives it) as one event row:
    the fused event's own id, status, time, place and casualties, with the ACLED sub-type,
    actors, targets and sentence of the report that represents it (the one its sentence came
    from when that report has the fused type, else its first main report of that type). None
    when it has no report left."""
    members: list[dict[str, Any]] = detail.get("events") or []
    if not members:
        return None
    kind = detail["type"]["value"]
    by_id = {m["id"]: m for m in members}
    chosen = [by_id[i] for i in (detail.get("sentence") or {}).get("from", []) if i in by_id]
    of_kind = [m for m in chosen + members if m["type"] == kind]
    main = [m for m in of_kind if m.get("mention_role") != "background"]
    representative = (main or of_kind or members)[0]
    time = detail.get("time") or {}
    place = detail.get("place") or {}
    killed = detail.get("killed") or {}
    same_place = place.get("name") == representative.get("place_name")
    return {
        **representative,
        "id": detail["id"],
        "status": detail["status"]["value"],
        "time_start": time.get("start"),
        "time_end": time.get("end"),
        "time_granularity": "interval" if time else None,
        "place_name": place.get("name"),
        "country": place.get("country"),
        "admin1": representative.get("admin1") if same_place else None,
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "geo_precision": place.get("precision"),
        "killed_low": killed.get("low"),
        "killed_best": killed.get("best"),
        "killed_high": killed.get("high"),
    }


def inter(who: Participant, event_type: str, country: str | None, *, acting: bool) -> int | None:
    """ACLED's actor type for a participant, or None when its sector says nothing."""
    if acting and event_type == "Protests":
        return PROTESTERS
    if acting and event_type == "Riots":
        return RIOTERS
    sector = who.sector
    if sector in _STATE:
        # ACLED files a state's forces acting abroad as external forces.
        abroad = who.country is not None and country is not None and who.country != country
        return EXTERNAL if abroad else STATE_FORCES
    if sector == "REB":
        return REBELS
    if sector in _MILITIA:
        return POLITICAL_MILITIA
    if sector in _CIVILIAN:
        return CIVILIANS
    return None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two actor types, the smaller first; an actor alone is followed
    by 0. Without the first actor's type the pair is unknown."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def time_precision(row: dict[str, Any]) -> int:
    granularity = row.get("time_granularity") or ""
    if granularity in _TIME_PRECISION:
        return _TIME_PRECISION[granularity]
    if granularity == "interval" and row.get("time_end"):
        days = (
            date.fromisoformat(row["time_end"][:10]) - date.fromisoformat(row["time_start"][:10])
        ).days
        return 1 if days < 1 else 2 if days < 7 else 3
    return 3


@cache
def country_codes(alpha3: str) -> tuple[int | None, str]:
    """ISO 3166 numeric code and the country's (common) name; the code itself when unknown."""
    country = pycountry.countries.get(alpha_3=alpha3.upper())
    if country is None:
        return None, alpha3
    name = getattr(country, "common_name", None) or country.name
    return int(country.numeric), str(name)
