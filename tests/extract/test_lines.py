"""The line cleaner for scraped plain text (khabar.extract.lines).

The pages here are written for these tests: invented events, people and sites.
"""

from __future__ import annotations

import itertools
import re
import time
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import Article
from khabar.core.article import Evidence
from khabar.core.errors import DropArticle
from khabar.core.registry import stages
from khabar.extract.line_model import LineModel, bundled_model
from khabar.extract.line_shape import measure, shape, split_lines
from khabar.extract.lines import CleanText, _kept_headline, clean_scraped_text

BODY_A = [
    "ZARQA: Three people were killed and nine wounded on Tuesday when a gas cylinder exploded "
    "in a crowded market in the eastern district of the city, civil defence officials said.",
    "The blast tore through a row of food stalls shortly after noon, when the market is at its "
    "busiest, according to witnesses who spoke to the Desert Courier by telephone.",
    "“We heard a huge bang and then everybody was running. The smoke was so thick that we could "
    "not see the people lying on the ground,” said Samir Haddad, a 41-year-old shopkeeper.",
    "The governor of the district, Rania Saleh, said an investigation had been opened and that "
    "the owner of the stall had been detained for questioning by the police.",
    "Two of the wounded were in critical condition and had been moved to a hospital in the "
    "capital, the health ministry said in a statement on Tuesday evening.",
    "It was the second deadly explosion in a market in the province this year. In March, a "
    "fire caused by a faulty generator killed a child and destroyed more than forty shops.",
]

PAGE_A = "\n\n".join(
    [
        "Tuesday, 14 May 2024",
        "DESERT COURIER",
        "Home\nNews\nRegion\nEconomy\nOpinion\nVideos",
        "Local",
        "Gas cylinder blast kills three in crowded Zarqa market",
        "By Leila Farouk",
        "Published: 7 May 2024, 15:20",
        "Photo: Desert Courier / File",
        "Civil defence teams work at the scene of an earlier fire in the city.",
        BODY_A[0],
        BODY_A[1],
        BODY_A[2],
        "- Advertisement -",
        BODY_A[3],
        BODY_A[4],
        BODY_A[5],
        "Leila Farouk",
        "Leila Farouk reports on local news and public services for the Desert Courier.",
        "Follow on X @leila_dc",
        "Share this:\nFacebook\nX\nWhatsApp",
        "Tags: Zarqa, Explosion, Markets",
        "Related articles",
        "Water cuts hit four districts as pumping station fails\n"
        "City council approves new bus routes for the eastern districts\n"
        "Bakers protest against rising flour prices",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Comment *\nName *\nEmail *\nPost Comment",
        "Please enter your comment!\nPlease enter your name here",
        "Captcha verification failed!\nCAPTCHA user score failed. Please contact us!",
        "Sign up for our morning newsletter\nEnter your email\nSubscribe",
        "We use cookies to improve your experience. By continuing to browse, you agree to our "
        "use of cookies.\nAccept",
        "© 2024 Desert Courier. All rights reserved.",
    ]
)

BODY_B = [
    "PORT LUCIA, June 3 (Coastline Wire) - Dock workers at the country's largest container port "
    "walked off the job on Monday, halting the loading of ships for a second day in a dispute "
    "over night-shift pay.",
    "The port authority said about twenty vessels were waiting at anchor and that it was "
    "talking to the union about a new shift agreement.",
    "“Our members will not go back until the company honours the deal it signed last year,” the "
    "union's secretary, Marco Lindqvist, told reporters outside the main gate.",
    "Exporters of fruit and fish warned that cargo would spoil if the stoppage lasted more than "
    "a few days, and asked the government to step in.",
    "The transport minister said on Monday evening that she would meet both sides on Wednesday.",
]

PAGE_B = "\r\n".join(
    [
        "Coastline Wire",
        "World | Business | Markets | Sport",
        "Dock workers strike for second day, halting loading at Port Lucia",
        "Reporting by Omar Said; Editing by Jana Kral",
        "June 3, 2024 6:45 PM GMT+2",
        BODY_B[0],
        BODY_B[1],
        "Read more: Port Lucia container traffic hits record in first quarter",
        BODY_B[2],
        BODY_B[3],
        BODY_B[4],
        "More from Coastline Wire",
        "Shipping rates climb as canal delays persist",
        "Fishing fleet ties up over fuel costs",
        "© 2024 Coastline Wire Media. All rights reserved.",
    ]
)


def removed_labels(raw: str, clean: CleanText) -> dict[str, str]:
    return {raw[start:end]: label for start, end, label in clean.removed}


def check_offsets(raw: str, clean: CleanText) -> None:
    """Every kept line maps exactly into the raw text, in order, and nothing else is kept."""
    at = 0
    previous_raw_end = -1
    for segment in clean.segments:
        assert segment.start == at
        piece = clean.text[segment.start : segment.end]
        assert piece == raw[segment.raw_start : segment.raw_start + len(piece)]
        assert segment.raw_start >= previous_raw_end
        previous_raw_end = segment.raw_start + len(piece)
        at = segment.end + 1
    assert clean.text == "\n".join(clean.text[s.start : s.end] for s in clean.segments)


@pytest.mark.parametrize(("raw", "body"), [(PAGE_A, BODY_A), (PAGE_B, BODY_B)])
def test_the_article_paragraphs_are_kept_exactly_and_nothing_else(
    raw: str, body: list[str]
) -> None:
    clean = clean_scraped_text(raw)
    assert clean.text.split("\n") == body
    check_offsets(raw, clean)


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Tuesday, 14 May 2024", "date_widget"),
        ("Local", "section_label"),
        ("Gas cylinder blast kills three in crowded Zarqa market", "headline"),
        ("By Leila Farouk", "byline"),
        ("Published: 7 May 2024, 15:20", "dateline"),
        ("Photo: Desert Courier / File", "caption"),
        ("Civil defence teams work at the scene of an earlier fire in the city.", "caption"),
        ("- Advertisement -", "advertisement"),
        ("Leila Farouk", "author_box"),
        (
            "Leila Farouk reports on local news and public services for the Desert Courier.",
            "author_box",
        ),
        ("Share this:", "share"),
        ("WhatsApp", "share"),
        ("Tags: Zarqa, Explosion, Markets", "navigation"),
        ("Related articles", "related"),
        ("Bakers protest against rising flour prices", "related"),
        ("Leave a Reply", "comment_form"),
        ("Name *", "comment_form"),
        ("Please enter your name here", "comment_form"),
        ("Captcha verification failed!", "captcha"),
        ("Sign up for our morning newsletter", "newsletter"),
        ("Accept", "cookie"),
        ("© 2024 Desert Courier. All rights reserved.", "footer"),
    ],
)
def test_each_kind_of_boilerplate_is_removed_with_its_label(line: str, label: str) -> None:
    labels = removed_labels(PAGE_A, clean_scraped_text(PAGE_A))
    assert labels[line] == label


def test_the_date_widget_is_reported_with_its_raw_span() -> None:
    clean = clean_scraped_text(PAGE_A)
    start, end, label = clean.removed[0]
    assert (start, end) == (0, len("Tuesday, 14 May 2024"))
    assert label == "date_widget"


def test_title_and_authors_point_at_the_raw_text() -> None:
    clean = clean_scraped_text(PAGE_A)
    assert clean.title is not None
    start, end = clean.title
    assert PAGE_A[start:end] == "Gas cylinder blast kills three in crowded Zarqa market"
    assert "Gas cylinder blast" not in clean.text
    assert [name for name, _, _ in clean.authors] == ["Leila Farouk"]
    for name, start, end in clean.authors:
        assert PAGE_A[start:end] == name
        assert PAGE_A[start - 3 : start] == "By "


def test_bylines_with_several_people_and_crlf_line_ends() -> None:
    clean = clean_scraped_text(PAGE_B)
    assert [name for name, _, _ in clean.authors] == ["Omar Said", "Jana Kral"]
    for name, start, end in clean.authors:
        assert PAGE_B[start:end] == name
    assert clean.title is not None
    assert PAGE_B[clean.title[0] : clean.title[1]].startswith("Dock workers strike")
    labels = removed_labels(PAGE_B, clean)
    assert labels["Read more: Port Lucia container traffic hits record in first quarter"] == (
        "related"
    )
    assert all("\r" not in part for part in clean.text.split("\n"))


def test_crlf_and_lf_give_the_same_text() -> None:
    assert clean_scraped_text(PAGE_B).text == clean_scraped_text(PAGE_B.replace("\r\n", "\n")).text


def test_a_staff_byline_names_nobody() -> None:
    raw = "Floods cut off mountain villages in the north\nStaff Reporter\n" + "\n".join(BODY_A)
    clean = clean_scraped_text(raw)
    assert clean.authors == []
    assert removed_labels(raw, clean)["Staff Reporter"] == "byline"


def test_a_line_repeated_on_the_page_is_kept_once() -> None:
    teaser = BODY_A[0]
    raw = "\n".join(["Latest", teaser, "Politics", "Opinion", "", *BODY_A])
    clean = clean_scraped_text(raw)
    assert clean.text.split("\n") == BODY_A
    kept_at = clean.segments[0].raw_start
    assert kept_at == raw.index(teaser, raw.index("Opinion"))


@pytest.mark.parametrize("raw", ["", "   \n\n \r\n", "\n"])
def test_empty_pages(raw: str) -> None:
    clean = clean_scraped_text(raw)
    assert clean == CleanText("", [], None, [], [])


def test_a_line_of_digits_does_not_blow_up() -> None:
    started = time.perf_counter()
    clean = clean_scraped_text("1" * 100_000)
    assert time.perf_counter() - started < 2.0
    check_offsets("1" * 100_000, clean)


def test_time_grows_with_the_number_of_lines_not_faster() -> None:
    page = PAGE_A + "\n" + PAGE_B
    small = "\n".join(f"{line} {i}" for i in range(20) for line in page.splitlines())
    large = "\n".join(f"{line} {i}" for i in range(200) for line in page.splitlines())

    def cpu_seconds(raw: str) -> float:
        started = time.process_time()
        clean_scraped_text(raw)
        return time.process_time() - started

    cpu_seconds(small)
    assert cpu_seconds(large) < 25 * max(cpu_seconds(small), 0.01)


lines_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80).map(
    lambda s: s.replace("\r", " ")
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(lines_text | st.sampled_from([*BODY_A, "", "   ", "Share this:", "© 2024"])),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_cleaning_only_removes_whole_lines(lines: list[str], newline: str) -> None:
    raw = newline.join(lines)
    clean = clean_scraped_text(raw)
    check_offsets(raw, clean)
    stripped = [line.text for line in split_lines(raw)]
    assert all(part in stripped for part in clean.text.split("\n") if clean.text)
    spans = [(s.raw_start, s.raw_start + s.end - s.start) for s in clean.segments]
    spans += [(start, end) for start, end, _ in clean.removed]
    spans.sort()
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert len(spans) == len(stripped)
    if clean.title is not None:
        assert (clean.title[0], clean.title[1], "headline") in clean.removed
    for name, start, end in clean.authors:
        assert raw[start:end] == name


def test_shape_reads_only_the_head_of_a_very_long_line() -> None:
    long_line = "word " * 100_000
    assert shape(long_line).words == pytest.approx(100_000, rel=0.01)


def test_the_bundled_model_matches_the_features_the_code_computes() -> None:
    model = bundled_model()
    data = model.to_json()
    LineModel.from_json(data)
    del data["stage_one"]["weights"]["prose"]
    with pytest.raises(ValueError, match="missing \\['prose'\\]"):
        LineModel.from_json(data)


# -- the bundled sample pages and their answer key --------------------------------------------
SAMPLE = resources.files("khabar").joinpath("data/sample/text")


def answer_key() -> list[dict[str, str]]:
    """The rows of the answer-key table in the sample folder's README."""
    readme = SAMPLE.joinpath("README.md").read_text("utf-8")
    rows = [line for line in readme.splitlines() if re.match(r"\| \d\d_", line)]
    header = next(line for line in readme.splitlines() if line.startswith("| File"))
    names = [cell.strip() for cell in header.strip("|").split("|")]
    return [
        dict(zip(names, (cell.strip() for cell in row.strip("|").split("|")), strict=True))
        for row in rows
    ]


def in_body_boilerplate() -> dict[str, list[str]]:
    """The README's list of boilerplate lines inside a body, by file."""
    readme = SAMPLE.joinpath("README.md").read_text("utf-8")
    found: dict[str, list[str]] = {}
    for file, line in re.findall(r"- (\d\d_\w+\.txt): the line `([^`]+)`", readme):
        found.setdefault(file, []).append(line)
    return found


FURNITURE = re.compile(
    r"advertisement|share this|©|captcha|cookies|sign up|leave a reply|related|most popular|"
    r"^tags:|^by |^photo:|^published|follow on x",
    re.IGNORECASE,
)


@pytest.mark.parametrize("row", answer_key(), ids=lambda row: row["File"])
def test_sample_pages_body_starts_and_ends_where_the_key_says(row: dict[str, str]) -> None:
    raw = SAMPLE.joinpath(row["File"]).read_text("utf-8")
    clean = clean_scraped_text(raw)
    assert clean.text.startswith(row["Body starts"])
    assert clean.text.endswith(row["Body ends"])
    for part in clean.text.split("\n"):
        assert not FURNITURE.search(part), part
    for line in in_body_boilerplate().get(row["File"], []):
        assert line not in clean.text.split("\n")
    assert clean.title is not None
    assert raw[clean.title[0] : clean.title[1]] == row["Headline"]
    check_offsets(raw, clean)


@pytest.mark.parametrize("row", answer_key(), ids=lambda row: row["File"])
def test_sample_pages_authors(row: dict[str, str]) -> None:
    clean = clean_scraped_text(SAMPLE.joinpath(row["File"]).read_text("utf-8"))
    found = [name for name, _, _ in clean.authors]
    if row["Author"].startswith("None named"):
        assert found == []
    else:
        expected = re.findall(r"[A-ZÀ-Þ][\w'-]+(?: (?:al-)?[A-ZÀ-Þ][\w'-]+)+", row["Author"])
        assert found == expected


def test_sample_date_widgets_are_labelled() -> None:
    for row in answer_key():
        raw = SAMPLE.joinpath(row["File"]).read_text("utf-8")
        labels = [label for _, _, label in clean_scraped_text(raw).removed]
        assert ("date_widget" in labels) == ("widget" in row["Publication date"]), row["File"]


def test_the_sample_folder_is_where_the_tests_read_it() -> None:
    assert Path(str(SAMPLE.joinpath("README.md"))).is_file()


# -- the cleaning stage on scraped text -------------------------------------------------------
STAGE_PAGE = """Tuesday, 3 June 2025

Harbour workers end strike after pay deal

Business

By Laila Haddad and Tomas Reyes
Published 2 June 2025, 18:40

Dock workers at the city's main container port returned to work on Monday evening after their union accepted a pay rise of eight percent, ending a strike that had lasted eleven days.

The port authority said ships that had waited at anchor would be unloaded over the coming week, and that perishable cargo would be handled first.

- Advertisement -

Share this:
Facebook
Twitter
"""


def test_the_clean_stage_claims_the_headline_and_the_byline_authors_with_raw_spans() -> None:
    clean = stages.get("extract.main_text.v1").factory(min_chars=50)
    article = clean(Article.from_text(STAGE_PAGE))
    assert article.text.startswith("Dock workers at the city's main container port")
    assert article.text.endswith("perishable cargo would be handled first.")
    assert article.title == "Harbour workers end strike after pay deal"
    assert article.authors == ["Laila Haddad", "Tomas Reyes"]
    claim = article.accepted("authors")
    assert claim is not None and claim.method == "text.byline"
    assert [STAGE_PAGE[e.start : e.end] for e in claim.evidence if e.start is not None] == [
        "Laila Haddad",
        "Tomas Reyes",
    ]
    assert article.span_errors() == []


def test_an_authors_claim_from_the_input_is_kept_and_the_byline_becomes_a_candidate() -> None:
    article = Article.from_text(STAGE_PAGE)
    article.claim(
        "authors", ["Desk Editor"], method="input.jsonl", evidence=Evidence.meta("a", "b")
    )
    article = stages.get("extract.main_text.v1").factory(min_chars=50)(article)
    assert article.authors == ["Desk Editor"]
    byline = next(c for c in article.candidates("authors") if c.method == "text.byline")
    assert byline.accepted is False


def test_a_page_of_nothing_but_furniture_is_dropped_with_a_reason() -> None:
    clean = stages.get("extract.main_text.v1").factory(min_chars=20)
    with pytest.raises(DropArticle) as info:
        clean(Article.from_text("Home\nNews\nSport\n- Advertisement -\nShare this:\n"))
    assert info.value.reason == "no_article"


def test_a_bare_paragraph_without_a_page_around_it_is_kept() -> None:
    paragraph = (
        "Ministers met in Geneva on Monday to discuss the ceasefire, and officials said the "
        "talks would continue next week."
    )
    clean = clean_scraped_text(f"{paragraph}\n- Advertisement -\n")
    assert clean.text == paragraph
    assert [kind for _, _, kind in clean.removed] == ["advertisement"]


@pytest.mark.parametrize(
    "line", ['"Rebels have ruined Kivu.', "Troops shelled Homs.", "Seven people were injured."]
)
def test_a_text_of_one_short_sentence_is_the_article(line: str) -> None:
    # too short to look like a paragraph, but there is no page around it to be furniture of
    assert clean_scraped_text(f"{line}\n").text == line


@pytest.mark.parametrize("line", ["Share this", "Click here to subscribe now", "Follow us"])
def test_a_lone_line_of_furniture_is_still_furniture(line: str) -> None:
    assert clean_scraped_text(f"{line}\n").text == ""


def test_the_headline_is_the_line_that_speaks_of_the_article_not_the_widgets_below_it() -> None:
    # Between the headline and the body: sharing widgets, a photo caption, a related story,
    # all headline-shaped, none about the market blast.
    page = "\n".join(
        [
            "Desert Courier",
            "Home",
            "World",
            "Gas cylinder blast kills three in crowded Zarqa market",
            "Close extra sharing options",
            "Share this story with your friends now",
            "Skip to the next story in this series",
            "Read more about the new metro line opening",
            *BODY_A,
        ]
    )
    clean = clean_scraped_text(page)
    assert clean.title is not None
    start, end = clean.title
    assert page[start:end] == "Gas cylinder blast kills three in crowded Zarqa market"
    assert clean.text.split("\n") == BODY_A


def test_a_headline_the_model_kept_as_prose_is_the_headline() -> None:
    def first_is_headline(first_line: str) -> bool:
        lines = split_lines("\n".join([first_line, *BODY_A]))
        shapes = measure([line.text for line in lines])
        return _kept_headline(lines, shapes, [True] * len(lines), 0)

    assert first_is_headline("Gas cylinder blast kills three in crowded Zarqa market")
    assert not first_is_headline("Subscribe to our newsletter for the best stories daily")
    assert not first_is_headline(BODY_A[0])  # prose, not a headline
