"""Counts of dead and injured: low / best / high, with evidence inside the text."""

from datetime import date

import pytest

from .conftest import Code
from .support import only

CASES = [
    ("At least 12 people were killed in a suicide bombing in Kabul.", (12, 12, None), None),
    ("Dozens of people were killed when gunmen attacked the village.", (24, None, 99), None),
    ("Hundreds of civilians were killed in air strikes on Aleppo.", (200, None, 999), None),
    ("A policeman and two civilians were killed in the blast.", (3, 3, 3), None),
    (
        "Gunmen killed 5 and wounded 20 in an attack on a market in Mogadishu.",
        (5, 5, 5),
        (20, 20, 20),
    ),
    ("More than 30 soldiers were killed in the ambush.", (31, 31, None), None),
    ("Up to 16 villagers were killed when militants stormed the village.", (None, None, 16), None),
    ("The explosion caused no casualties.", (0, 0, 0), (0, 0, 0)),
]


@pytest.mark.parametrize(("text", "killed", "injured"), CASES)
def test_casualty_phrases(
    code: Code, text: str, killed: tuple[int | None, ...], injured: tuple[int | None, ...] | None
) -> None:
    done = code(text, date(2023, 2, 3))
    event = only(done.events, "ASSAULT")
    assert event.killed is not None
    assert (event.killed.low, event.killed.best, event.killed.high) == killed
    if injured is None:
        assert event.injured is None
    else:
        assert event.injured is not None
        assert (event.injured.low, event.injured.best, event.injured.high) == injured
    for count in (event.killed, event.injured):
        if count is not None:
            assert count.text in done.text
            assert all(0 <= e.start < e.end <= len(done.text) for e in count.evidence)  # type: ignore[operator]


def test_injured_alone_is_not_counted_as_dead(code: Code) -> None:
    done = code("Dozens of protesters were injured when police fired tear gas in Nairobi.")
    event = only(done.events, "ASSAULT")
    assert event.killed is None
    assert event.injured is not None and (event.injured.low, event.injured.high) == (24, 99)
    assert event.mode == "crowd-control"


def test_deaths_in_an_accident_are_no_event(code: Code) -> None:
    assert code("Three people were killed in a car accident in Lahore.").events == []
