import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.time.expressions import Found
from khabar.time.find import Finder, longest
from khabar.time.rules import rules

FINDER = Finder()


def found_texts(sentence: str) -> list[str]:
    return [sentence[f.start : f.end] for f in FINDER.find(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The minister said on Friday that talks would resume.", ["Friday"]),
        ("Prices rose sharply last week.", ["last week"]),
        ("The vote is due next month.", ["next month"]),
        ("The conference will be held in March.", ["March"]),
        ("It was unusually hot last summer.", ["last summer"]),
        ("Growth slowed this year.", ["this year"]),
        ("Earlier this year the army withdrew.", ["Earlier this year"]),
        ("The recent attacks were condemned.", ["recent"]),
        ("Violence has recently increased.", ["recently"]),
        ("The border has been closed since November.", ["November"]),
        ("The deal was signed on 3 January 2023 in Doha.", ["3 January 2023"]),
        ("The deal was signed on January 3 in Doha.", ["January 3"]),
        ("The deal was signed on Tuesday, January 3, 2023.", ["Tuesday, January 3, 2023"]),
        ("He arrived two days ago.", ["two days ago"]),
        ("Results are expected in two weeks.", ["in two weeks"]),
        ("Police arrested him yesterday.", ["yesterday"]),
        ("The court rules today.", ["today"]),
        ("Protests are planned tonight.", ["tonight"]),
        ("Shelling resumed this morning.", ["this morning"]),
        ("The blast happened on Monday night.", ["Monday night"]),
        ("Inflation doubled over the past decade.", ["the past decade"]),
        ("The law was passed in 2019.", ["2019"]),
        ("The wars of the 1990s left deep scars.", ["the 1990s"]),
        ("Elections are set for mid-March.", ["mid-March"]),
        ("The company collapsed late last year.", ["late last year"]),
        ("Profits fell in the second quarter.", ["the second quarter"]),
        ("Sales rose in Q3 2022.", ["Q3 2022"]),
        ("Militants attacked a checkpoint last weekend.", ["last weekend"]),
        ("Talks continue this week.", ["this week"]),
        ("Students marked the anniversary of the May 4th movement.", ["May 4th"]),
        ("Fireworks lit the sky on the Fourth of July.", ["Fourth of July"]),
        ("The plane landed at 18:00 UTC on Monday.", ["18:00 UTC on Monday"]),
        ("The plant opened in the early 1990s.", ["the early 1990s"]),
        ("The fort was built in the 19th century.", ["the 19th century"]),
        ("The ceasefire began on 2023-02-03 at dawn.", ["2023-02-03"]),
        ("Fighting eased between January and March.", ["January", "March"]),
        ("Troops stayed through the winter of 2022.", ["winter of 2022"]),
        ("Trading closed at 4 p.m. on Friday.", ["4 p.m. on Friday"]),
        ("The bourse ended the day up 2 percent.", ["the day"]),
        ("The mine flooded in the summer.", ["summer"]),
        ("Growth will return in the first half of 2024.", ["the first half of 2024"]),
        ("Strikes hit the country in the '80s.", ["the '80s"]),
        ("Prices jumped in March last year.", ["March last year"]),
    ],
)
def test_finds_news_time_expressions(sentence: str, expected: list[str]) -> None:
    assert found_texts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Protesters march on the capital every year.",
        "Police may detain the organisers.",
        "Farmers Plan To March On The Capital",
        "Troops moved to the border.",
        "The village lies at 34.0151, 71.5249 in the valley.",
        "The camp is at 33.6844° N, 73.0479° E.",
        "Pakistan beat India 2-1 and then won 21-14.",
        "The rifle costs $1,999 and the scope $2019.",
        "Call 0300 2019 123 or +92 51 2099 456 for help.",
        "Turnout reached 20.19% in the district.",
        "He lives on 42nd Street near Fourth Avenue.",
        "The 2000 troops arrived with 1500 vehicles.",
        "The Russell 2000 Index fell sharply.",
        "The pipeline is 1500 km long.",
        "USA Today reported the story.",
        "Analysts recalled the Arab Spring.",
        "They discussed the fall of Kabul.",
        "A quarter of the population fled.",
        "The team scored in the first half of the match.",
        "Now that the war is over, refugees return.",
        "Aid should arrive as soon as possible.",
        "April Smith and Theresa May met.",
        "He was charged under section 2019 of the code.",
        "Between 1500 and 2000 people were killed.",
    ],
)
def test_does_not_take_what_only_looks_like_a_date(sentence: str) -> None:
    assert found_texts(sentence) == []


def test_a_bare_year_after_a_preposition_is_a_year_even_when_old() -> None:
    assert found_texts("The mosque was built in 1648 by the emperor.") == ["1648"]


def test_longest_of_overlapping_candidates_wins() -> None:
    short = Found(0, 5, None, "a")  # type: ignore[arg-type]
    long = Found(0, 9, None, "b")  # type: ignore[arg-type]
    later = Found(7, 12, None, "c")  # type: ignore[arg-type]
    assert longest([short, later, long]) == [long]


def test_searches_only_inside_the_given_range() -> None:
    text = "On Friday he left. On Monday he returned."
    assert [text[f.start : f.end] for f in FINDER.find(text, 19)] == ["Monday"]


_PIECES = st.sampled_from(
    [
        "on Friday",
        "in March",
        "last week",
        "3 January 2023",
        "2019",
        " ",
        "\n",
        ", ",
        "the 1990s",
        "two days ago",
        "at 18:00 UTC",
        "since November",
        "mid-",
        "late ",
        "May ",
        "4",
        "the day",
        "$",
        "-",
        "'",
        "12",
        "recently",
        "the past decade",
        "Q3",
        "summer",
        "he said",
        "will",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_expressions_lie_inside_the_text_in_order_without_overlap(text: str) -> None:
    found = FINDER.find(text)
    for item in found:
        assert 0 <= item.start < item.end <= len(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_windows_around_triggers_find_what_a_full_scan_finds(text: str) -> None:
    full = set()
    for rule in rules():
        for match in rule.pattern.finditer(text):
            meaning = rule.read(text, match)
            if meaning is not None:
                full.add(Found(match.start(), match.end(), meaning, rule.name))
    assert set(FINDER.candidates(text)) == full


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000,
        " " * 200_000,
        "12 " * 70_000,
        "1/2/" * 50_000,
        "12:30:" * 35_000,
        "2019-" * 40_000,
        "March " * 35_000,
        "the the day " * 20_000,
    ],
    ids=["digits", "spaces", "numbers", "slashes", "colons", "dashes", "months", "words"],
)
def test_pathological_inputs_finish_quickly(text: str) -> None:
    began = time.perf_counter()
    FINDER.find(text)
    assert time.perf_counter() - began < 5.0
