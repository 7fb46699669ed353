from datetime import UTC, date, datetime

import pytest

from khabar.extract.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected", "quoted"),
    [
        ("Wednesday, April 17, 2024", date(2024, 4, 17), "April 17, 2024"),
        ("Published: 12 March 2025, 14:05 PKT", date(2025, 3, 12), "12 March 2025, 14:05"),
        ("on the 3rd of January 2023 in Kabul", date(2023, 1, 3), "3rd of January 2023"),
        ("Updated Sept. 9, 2024", date(2024, 9, 9), "Sept. 9, 2024"),
        ("2024-05-06T09:30:00+03:00", date(2024, 5, 6), "2024-05-06T09:30:00+03:00"),
        ("posted 14/05/2024", date(2024, 5, 14), "14/05/2024"),
        ("posted 05/14/2024", date(2024, 5, 14), "05/14/2024"),
        # the languages of Western Europe's main news markets, and dots: day first
        ("Veröffentlicht am 3. April 2019, 14:20 Uhr", date(2019, 4, 3), "3. April 2019, 14:20"),
        ("Publié le 1er avril 2019 à 14h20", date(2019, 4, 1), "1er avril 2019"),
        ("Publicado el 3 de abril de 2019", date(2019, 4, 3), "3 de abril de 2019"),
        ("Pubblicato il 12 dicembre 2021", date(2021, 12, 12), "12 dicembre 2021"),
        ("mis à jour le 5 déc. 2020", date(2020, 12, 5), "5 déc. 2020"),
        ("Stand: 03.04.2019", date(2019, 4, 3), "03.04.2019"),
        ("posted 12.25.2019", date(2019, 12, 25), "12.25.2019"),  # a US site's dots
    ],
)
def test_explicit_dates(text: str, expected: date, quoted: str) -> None:
    (found,) = list(find_dates(text))
    assert found.day == expected
    assert text[found.start : found.end] == quoted


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2024",
        "in March",
        "last week",
        "May he rest",
        "score 2-1",
        "2024-13-45",
        "call 2024 555 0199",
        "February 30, 2024",
        "Jan 23 (Tigris Wire)",
        "version 1.2.3.2019",
        "3 ago 2019",  # "ago" and "set" are English words, never read as months
    ],
)
def test_no_date_where_there_is_none_or_it_is_ambiguous(text: str) -> None:
    assert list(find_dates(text)) == []


def test_a_timestamp_with_an_offset_is_an_instant() -> None:
    found = parse_date("2024-05-06T09:30:00+03:00")
    assert found is not None and found.at == datetime(2024, 5, 6, 6, 30, tzinfo=UTC)
    assert parse_date("2024-05-06T09:30:00") is not None
    assert parse_date("2024-05-06T09:30:00").at is None  # no offset: the instant is unknown


def test_several_dates_come_in_order() -> None:
    text = "From 3 January 2023 to May 4th, 2024 and 2025-01-02."
    assert [f.day.year for f in find_dates(text)] == [2023, 2024, 2025]
