from datetime import date

from khabar.actors.offices import Offices, read_terms
from khabar.extract.window import MAX_READINGS, infer

HEADER = "name\taliases\tcountry\toffice\ttitles\tstart\tend\tsource"
OKAFOR = (
    "Amina Okafor\tOkafor\tNGA\tforeign_minister\tNigerian Foreign Minister\t"
    "2019-06-01\t2020-06-30\twritten for this test"
)
TEXT = (
    "Nigeria and Niger to reopen border talks next month\n"
    "Foreign Minister Amina Okafor said on Tuesday that the two governments will meet in April "
    "to discuss the crossings. The border was closed in October after a spate of kidnappings."
)


def offices(*rows: str) -> Offices:
    read = list(read_terms([HEADER, *rows], "test.tsv"))
    return Offices([t for t, _ in read], {t.name: names for t, names in read})


def spans(text: str, window: object) -> set[str]:
    return {text[e.start : e.end] for e in window.evidence}  # type: ignore[attr-defined]


def test_month_names_a_landing_reference_and_an_office_holder_fix_the_month() -> None:
    window = infer(TEXT, date(2026, 1, 1), offices(OKAFOR))
    assert window is not None
    assert (window.value.start, window.value.end) == (date(2020, 3, 1), date(2020, 3, 31))
    assert window.value.granularity == "month"
    assert window.trusted
    assert {"next month", "April", "Amina Okafor"} <= spans(TEXT, window)
    assert "Amina Okafor in office (foreign_minister: 2019-06-01..2020-06-30)" in window.note


def test_without_an_office_holder_the_year_is_not_fixed_and_not_trusted() -> None:
    window = infer(TEXT, date(2025, 11, 20), offices())
    assert window is not None
    assert not window.trusted
    assert (window.value.start, window.value.end) == (date(2025, 3, 1), date(2025, 3, 31))
    assert "the year is not fixed" in window.note


def test_month_names_alone_give_the_months_between_them() -> None:
    text = "The ceasefire collapsed in January. Elections will be held in March."
    window = infer(text, date(2024, 6, 30), None)
    assert window is not None
    assert (window.value.start, window.value.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert window.value.granularity == "interval"


def test_the_window_never_passes_the_latest_possible_day() -> None:
    window = infer(TEXT, date(2025, 3, 10), offices())
    assert window is not None
    assert (window.value.start, window.value.end) == (date(2025, 3, 1), date(2025, 3, 10))
    assert window.value.granularity == "interval"  # a month cut short is no longer a month


def test_a_dated_past_event_fixes_the_year() -> None:
    text = (
        "Talks on the dam resume next month, officials said. They will meet in June. "
        "Engineers inspected the site on 3 January 2024."
    )
    window = infer(text, date(2025, 2, 1), None)
    assert window is not None
    assert (window.value.start, window.value.end, window.trusted) == (
        date(2024, 5, 1),
        date(2024, 5, 31),
        True,
    )


def test_a_holder_out_of_office_at_every_fitting_month_gives_nothing() -> None:
    text = TEXT.replace("Amina Okafor", "Tomas Verde")
    verde = "Tomas Verde\tVerde\tNGA\tforeign_minister\t\t2010-06-01\t2010-07-30\ttest"
    assert infer(text, date(2026, 1, 1), offices(verde)) is None


def test_a_text_without_month_names_or_relative_references_says_nothing() -> None:
    assert infer("Police said on Friday that three people were arrested.", date(2025, 1, 1)) is None
    assert infer("Officials said talks would continue next month.", date(2025, 1, 1)) is None


def test_a_page_of_ten_thousand_month_names_reads_a_bounded_number() -> None:
    text = "Officials will meet in March. " * 5_000 + "Talks resume next month."
    window = infer(text, date(2025, 11, 20), None)
    assert window is not None
    assert len(window.evidence) <= 2 * MAX_READINGS
    assert all(0 <= e.start < e.end <= len(text) for e in window.evidence)  # type: ignore[operator]
