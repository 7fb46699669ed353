import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from helpers import config
from khabar.evaluate.extraction import (
    PageCounts,
    evaluate_extraction,
    page_counts,
    score,
    shingles,
)

# -- the score on hand-made examples --------------------------------------------------------------


def test_shingles_are_overlapping_four_word_grams_with_counts() -> None:
    assert shingles("One two, three four five!") == Counter(
        {("One", "two", "three", "four"): 1, ("two", "three", "four", "five"): 1}
    )
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2


def test_a_text_shorter_than_a_shingle_is_one_short_shingle() -> None:
    assert shingles("just two") == Counter({("just", "two"): 1})
    assert shingles("  ...  ") == Counter()


def test_page_counts_are_shares_of_their_sum() -> None:
    assert page_counts("one two three four five", "one two three four five") == PageCounts(1, 0, 0)
    # gold (1234, 2345), prediction (1234, 2346): one of each kind
    third = 1 / 3
    assert page_counts("one two three four five", "one two three four six") == PageCounts(
        third, third, third
    )
    # repeated shingles count: gold has 1234 twice and three others, the prediction 1234 once
    assert page_counts("a b c d a b c d", "a b c d") == PageCounts(0.2, 0.0, 0.8)
    assert page_counts("", "") == PageCounts(0.0, 0.0, 0.0)


def test_precision_and_recall_are_averaged_over_pages_then_combined() -> None:
    half_wrong = PageCounts(0.5, 0.5, 0.0)  # P 0.5, R 1
    nothing_found = PageCounts(0.0, 0.0, 1.0)  # no prediction: counts for recall only
    all_right = PageCounts(1.0, 0.0, 0.0)
    result = score([half_wrong, nothing_found, all_right])
    assert result.precision == pytest.approx((0.5 + 1.0) / 2)
    assert result.recall == pytest.approx((1.0 + 0.0 + 1.0) / 3)
    p, r = 0.75, 2 / 3
    assert result.f1 == pytest.approx(2 * p * r / (p + r))
    assert score([]).f1 == 0.0


# -- the report on a tiny benchmark written here --------------------------------------------------
BODIES = {
    "page-a": (
        "Rescue teams pulled eleven survivors from the collapsed apartment block on Sunday, "
        "the civil defence agency said, and the search for at least twenty missing residents "
        "continued through the night under floodlights.\n"
        "The governor declared three days of mourning and ordered an inquiry into the builder."
    ),
    "page-b": (
        "Talks between the two delegations ended without agreement in the capital on Friday, "
        "after negotiators failed to settle the route of the new border crossing.\n"
        "Both sides said they would meet again next month and that the ceasefire would hold."
    ),
}


def news_page(body: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
    return (
        "<html><head><title>News | The Herald</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>A headline for the story</h1>{paragraphs}"
        "<p>Sign up for our newsletter to get the day's top stories in your inbox.</p>"
        "</article><footer>© 2025 The Herald. All rights reserved.</footer></body></html>"
    )


@pytest.fixture
def benchmark(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    truth = {}
    for page_id, body in BODIES.items():
        with gzip.open(tmp_path / "html" / f"{page_id}.html.gz", "wt", encoding="utf-8") as f:
            f.write(news_page(body))
        truth[page_id] = {"articleBody": body, "url": f"https://herald.example/{page_id}"}
    truth["page-missing"] = {"articleBody": "A body whose page was never saved.", "url": ""}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_both_systems_are_scored_and_timed_on_the_same_pages(benchmark: Path) -> None:
    report = evaluate_extraction(benchmark, config=config())
    assert report.skipped is None
    assert (report.pages, report.missing) == (3, 1)
    assert [r.name for r in report.results] == ["khabar", "trafilatura"]
    khabar, alone = report.result("khabar"), report.result("trafilatura")
    # the missing page costs recall only (nothing predicted): 2 of 3 pages found in full
    assert khabar.score.precision == pytest.approx(1.0)
    assert khabar.score.recall == pytest.approx(2 / 3)
    # trafilatura alone keeps the newsletter line: below khabar on precision
    assert alone.score.precision < 1.0 and alone.score.recall == pytest.approx(2 / 3)
    assert khabar.pages_per_second > 0 and alone.pages_per_second > 0
    assert report.speed_ratio("trafilatura") == pytest.approx(1.0)


def test_limit_takes_the_first_pages_by_id(benchmark: Path) -> None:
    report = evaluate_extraction(benchmark, config=config(), limit=1)
    assert report.pages == 1 and report.missing == 0
    assert report.result("khabar").score.f1 == pytest.approx(1.0)


def test_the_configured_clean_stage_is_what_runs(benchmark: Path) -> None:
    whole = config(stages={"clean": {"favor_precision": False}})
    report = evaluate_extraction(benchmark, config=whole, limit=1)
    assert report.result("khabar").score.precision < 1.0  # the newsletter line is kept


def test_an_absent_benchmark_is_skipped_with_the_reason(tmp_path: Path) -> None:
    report = evaluate_extraction(tmp_path / "no-such-folder")
    assert report.results == () and report.pages == 0
    assert report.skipped is not None
    assert "no-such-folder" in report.skipped and "ground-truth.json" in report.skipped
