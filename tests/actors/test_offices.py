from datetime import date

import pytest

from khabar.actors.offices import Offices, OfficesError, load, read_terms

HEADER = "name\taliases\tcountry\toffice\ttitles\tstart\tend\tsource"
ROWS = [
    "Amina Okafor\tOkafor|Ms Okafor\tNGA\tforeign_minister\tNigerian Foreign Minister\t"
    "2019-06-01\t2020-06-30\twritten for this test",
    "Tomas Verde\tVerde\tXYZ\thead_of_government\tPrime Minister\t2011-01-01\t2014-12-31\ttest",
    "Tomas Verde\tVerde\tXYZ\thead_of_government\tPrime Minister\t2018-01-01\t\ttest",
]


def offices(*rows: str) -> Offices:
    read = list(read_terms([HEADER, *(rows or ROWS)], "test.tsv"))
    aliases: dict[str, set[str]] = {}
    for term, names in read:
        aliases.setdefault(term.name, set()).update(names)
    return Offices([t for t, _ in read], aliases)


def names(text: str) -> list[str]:
    return [text[m.start : m.end] for m in offices().find(text)]


def test_a_name_counts_with_its_capitalised_title_before_it() -> None:
    assert names("Nigerian Foreign Minister Amina Okafor said on Tuesday") == ["Amina Okafor"]
    assert names("Prime Minister Verde resigned") == ["Verde"]
    assert names("Minister of Foreign Affairs Okafor") == ["Okafor"]
    # lower case before a name is a party's or a club's title as often as the state's
    assert names("the party's prime minister Verde") == []


def test_a_name_counts_with_its_title_after_it() -> None:
    assert names("Amina Okafor, the foreign minister, said") == ["Amina Okafor"]
    assert names("Okafor, Nigeria's Foreign Minister, said") == ["Okafor"]


def test_a_name_alone_or_a_former_holder_does_not_count() -> None:
    assert names("Amina Okafor said on Tuesday") == []
    assert names("former Foreign Minister Amina Okafor said") == []
    assert names("then-Prime Minister Verde said") == []
    assert names("Okafor, a former foreign minister, said") == []
    assert names("Verdes and Okaforo met") == []  # part of a longer word
    assert names("ousted Prime Minister Verde fled") == []
    assert names("the slain Foreign Minister Okafor") == []


def test_a_lesser_office_with_the_same_words_does_not_count() -> None:
    assert names("Deputy Prime Minister Tomas Verde") == []
    assert names("Vice-Prime Minister Verde") == []
    assert names("Deputy Foreign Minister Okafor") == []
    assert names("Okafor, the deputy foreign minister, said") == []
    assert names("Verde, the UDPS prime minister, said") == []
    assert names("Okafor, the Nigerian foreign minister, said") == ["Okafor"]


def test_every_term_of_a_holder_is_kept() -> None:
    [found] = offices().find("Prime Minister Tomas Verde said")
    assert found.spans() == [(date(2011, 1, 1), date(2014, 12, 31)), (date(2018, 1, 1), None)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X\t\tNGA\tking\tKing\t2019-01-01\t\ttest", "unknown office"),
        ("X\t\tNGA\tforeign_minister\t\t2019-13-01\t\ttest", "YYYY-MM-DD"),
        ("X\t\tNGA\tforeign_minister\t\t2019-01-01\t2018-01-01\ttest", "ends before"),
        ("X\t\tNGA\tforeign_minister\t\t2019-01-01\t\t", "source"),
        ("X\tNGA\tforeign_minister", "3 cells"),
    ],
)
def test_a_bad_row_is_an_error_naming_the_row(row: str, message: str) -> None:
    with pytest.raises(OfficesError, match=rf"test.tsv, row 2: .*{message}"):
        offices(row)


def test_a_wrong_header_and_a_missing_file_are_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OfficesError, match="header"):
        list(read_terms(["name\tcountry", "x\ty"], "bad.tsv"))
    with pytest.raises(OfficesError, match="cannot read"):
        load([tmp_path / "missing.tsv"])


def test_the_packaged_file_loads_and_a_users_file_adds_to_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine.tsv"
    mine.write_text("\n".join([HEADER, ROWS[0]]) + "\n", encoding="utf-8")
    packaged = load()
    assert len(packaged) > 300
    assert offices().find("Secretary of State Antony Blinken") == []
    assert [m.name for m in packaged.find("US Secretary of State Antony Blinken said")] == [
        "Antony Blinken"
    ]
    assert [m.name for m in load([mine]).find("Foreign Minister Okafor said")] == ["Okafor"]


def test_the_packaged_file_reaches_back_to_the_1980s() -> None:
    # Archive news (the 1980s and 1990s) names the heads of state and government of its time.
    packaged = load()
    [found] = packaged.find("Algerian President Abdelaziz Bouteflika said")
    assert found.spans()[0][0] == date(1999, 4, 27)
    [found] = packaged.find("Prime Minister Margaret Thatcher said")
    assert found.spans() == [(date(1979, 5, 4), date(1990, 11, 28))]
    # a name a later namesake in office shares is no alias: "President Marcos" is not dated
    # to the father's term
    assert [m.name for m in packaged.find("Philippine President Marcos said")] == []
