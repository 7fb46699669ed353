import csv
import io
from pathlib import Path
from typing import Any

import pytest

from khabar import Store
from khabar.export import ACLED_COLUMNS, Export, write_export
from khabar.export.acled import (
    EXTERNAL,
    POLITICAL_MILITIA,
    PROTESTERS,
    REBELS,
    RIOTERS,
    STATE_FORCES,
    Participant,
    Source,
    acled_rows,
    country_codes,
    inter,
    interaction,
    time_precision,
)
from khabar.export.writers import Tally

from .support import hostile_article, peshawar_article, store_of

DISORDER = {"Violence against civilians": "Political violence", "Protests": "Demonstrations"}
NOWHERE = Source(site="example.org", timestamp=0)


def acled_csv(tmp_path: Path) -> list[dict[str, str]]:
    db = store_of(tmp_path / "k.db", [peshawar_article(), hostile_article()])
    with Store.open(db, readonly=True) as store:
        write_export(Export(store, "events", "acled"), tmp_path / "acled.csv")
    return list(csv.DictReader(io.StringIO((tmp_path / "acled.csv").read_text())))


def test_an_event_becomes_an_acled_row_with_what_khabar_knows(tmp_path: Path) -> None:
    bomb, attack = acled_csv(tmp_path)
    assert tuple(bomb) == ACLED_COLUMNS
    assert {k: v for k, v in bomb.items() if v} == {
        "event_id_cnty": "e1",
        "event_date": "2024-05-13",
        "year": "2024",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "actor2": "people",
        "inter2": "7",
        "civilian_targeting": "Civilian targeting",
        "iso": "586",
        "country": "Pakistan",
        "admin1": "Khyber Pakhtunkhwa",
        "location": "Peshawar",
        "latitude": "34.008",
        "longitude": "71.5785",
        "geo_precision": "1",
        "source": "Frontier Post",
        "notes": "A bomb killed 12 people in Peshawar on Monday.",
        "fatalities": "12",
        "timestamp": "1715673600",
    }
    assert (attack["actor1"], attack["inter1"], attack["interaction"]) == ("'@SUM(A1)", "3", "37")
    assert (attack["iso"], attack["country"], attack["geo_precision"]) == ("4", "Afghanistan", "2")
    assert (attack["fatalities"], attack["source"]) == ("0", "'+1+1")
    assert attack["notes"].startswith("'=HYPERLINK")
    assert attack["longitude"] == "-70.25"  # a number, so not neutralised


def event_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "x1",
        "article_id": "a1",
        "status": "happened",
        "acled_event_type": "Violence against civilians",
        "acled_sub_event_type": "Attack",
        "time_start": "2024-03-01",
        "time_end": "2024-03-01",
        "time_granularity": "day",
        "country": "SYR",
        "actors": [],
        "targets": [],
    }
    return {**row, **changes}


def test_events_acled_would_not_code_are_left_out_and_counted() -> None:
    tally = Tally()
    rows = [
        event_row(),
        event_row(acled_event_type=None),
        event_row(status="planned"),
        event_row(status="negated", acled_event_type=None),
        event_row(time_start=None),
        event_row(status="claimed"),
    ]
    written = list(acled_rows(rows, lambda _: NOWHERE, DISORDER, tally))
    assert [r["tags"] for r in written] == [None, "reported"]
    assert tally.skipped == {"no_acled_type": 2, "not_happened": 1, "no_date": 1}


def test_fatalities_are_the_best_count_else_the_low_one_else_zero() -> None:
    rows = [event_row(killed_best=5, killed_low=3), event_row(killed_low=3), event_row()]
    written = acled_rows(rows, lambda _: NOWHERE, DISORDER, Tally())
    assert [r["fatalities"] for r in written] == [5, 3, 0]


@pytest.mark.parametrize(
    ("sector", "country", "event_type", "acting", "expected"),
    [
        ("MIL", "SYR", "Battles", True, STATE_FORCES),
        ("COP", None, "Battles", False, STATE_FORCES),
        ("MIL", "RUS", "Battles", True, EXTERNAL),
        ("REB", "SYR", "Battles", True, REBELS),
        ("UAF", None, "Violence against civilians", True, POLITICAL_MILITIA),
        ("CVL", "SYR", "Protests", True, PROTESTERS),
        ("OPP", "SYR", "Riots", True, RIOTERS),
        ("CVL", "SYR", "Riots", False, 7),
        ("UNK", None, "Battles", True, None),
        (None, None, "Battles", False, None),
    ],
)
def test_inter_codes_come_from_sector_event_type_and_country(
    sector: str | None, country: str | None, event_type: str, acting: bool, expected: int | None
) -> None:
    who = Participant(name="x", country=country, sector=sector)
    assert inter(who, event_type, "SYR", acting=acting) == expected


def test_interaction_is_the_pair_smaller_first_or_the_first_actor_alone() -> None:
    assert interaction(7, 1) == 17
    assert interaction(2, 3) == 23
    assert interaction(6, None) == 60
    assert interaction(None, 7) is None


def test_participants_parse_from_the_store_form() -> None:
    assert Participant.parse("Hamas|PSE|REB") == Participant("Hamas", "PSE", "REB")
    assert Participant.parse("a|b|c|PAK|GOV") == Participant("a|b|c", "PAK", "GOV")
    assert Participant.parse("people||CVL") == Participant("people", None, "CVL")


@pytest.mark.parametrize(
    ("granularity", "end", "expected"),
    [
        ("day", "2024-03-01", 1),
        ("instant", "2024-03-01", 1),
        ("week", "2024-03-07", 2),
        ("interval", "2024-03-03", 2),
        ("interval", "2024-03-20", 3),
        ("month", "2024-03-31", 3),
        ("year", "2024-12-31", 3),
    ],
)
def test_time_precision_from_granularity(granularity: str, end: str, expected: int) -> None:
    assert time_precision(event_row(time_granularity=granularity, time_end=end)) == expected


def test_country_codes_are_iso_numeric_and_a_common_name() -> None:
    assert country_codes("SYR") == (760, "Syria")
    assert country_codes("IRN") == (364, "Iran")
    assert country_codes("XKX") == (None, "XKX")  # Kosovo: no ISO 3166 entry
