"""Training the line model (khabar.extract.train_lines), on a few pages written here."""

from __future__ import annotations

import numpy as np

from khabar.evaluate.textonly import TextPage
from khabar.extract.line_features import STAGE_ONE_NAMES, STAGE_TWO_NAMES
from khabar.extract.line_shape import split_lines
from khabar.extract.lines import clean_scraped_text
from khabar.extract.train_lines import fit_logistic, label_lines, prepare, train

BODY = [
    "The ministry said on Friday that the new hospital in the northern district would open "
    "next spring, two years later than planned, because of delays in delivering equipment.",
    "Doctors in the district have long complained that patients must travel for hours to reach "
    "the nearest intensive care unit.",
    "Work on the building stopped twice last year when the contractor ran out of money.",
]
MENU = ["Home", "Health", "Politics", "Sport", "Share this:", "© 2024 Northern Star"]


def page(n: int) -> TextPage:
    text = "\n".join([*MENU[:4], f"Hospital opening delayed again ({n})", *BODY, *MENU[4:]])
    return TextPage(f"p{n}", text, "\n".join(BODY))


def test_lines_are_labelled_by_their_share_of_gold_shingles() -> None:
    sample = page(0)
    labels = label_lines(split_lines(sample.text), sample.body)
    assert labels == [False] * 5 + [True] * 3 + [False] * 2


def test_a_short_line_inside_the_body_is_labelled_body() -> None:
    lines = split_lines("\n".join([BODY[0], "Delays", BODY[1]]))
    assert label_lines(lines, "\n".join([BODY[0], "Delays", BODY[1]])) == [True, True, True]


def test_logistic_regression_separates_a_separable_sample() -> None:
    x = np.array([[0.0], [0.2], [0.8], [1.0]] * 10)
    y = np.array([0.0, 0.0, 1.0, 1.0] * 10)
    model = fit_logistic(x, y, np.ones(len(y)), ["x"])
    p = model.probabilities(x)
    assert (p[y == 1] > 0.5).all()
    assert (p[y == 0] < 0.5).all()


def test_a_model_trained_on_pages_cleans_a_page_it_did_not_see() -> None:
    model = train([prepare(page(n)) for n in range(8)])
    assert list(model.stage_one.names) == STAGE_ONE_NAMES
    assert list(model.stage_two.names) == STAGE_TWO_NAMES
    assert clean_scraped_text(page(99).text, model=model).text.split("\n") == BODY
