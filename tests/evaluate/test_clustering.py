"""Clustering scores on examples small enough to work out by hand."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.evaluate.clustering import Scores, adjusted_rand_index, b_cubed, pairwise

T = TypeVar("T", bound=Hashable)


def clustering(*clusters: Iterable[T]) -> dict[T, int]:
    """Item -> label from lists of items, the label being the cluster's position."""
    return {item: label for label, items in enumerate(clusters) for item in items}


# Bagga and Baldwin (1998), figure 3: gold {1..5} {6,7} {8..12}; one response merges the second
# and third gold chains, the other the first and third.
GOLD = clustering(range(1, 6), [6, 7], range(8, 13))
MERGE_SMALL = clustering(range(1, 6), [6, 7, *range(8, 13)])
MERGE_LARGE = clustering([*range(1, 6), *range(8, 13)], [6, 7])


def test_scores_derive_f1_and_round() -> None:
    scores = Scores.of(0.5, 1.0)
    assert scores.f1 == pytest.approx(2 / 3)
    assert scores.as_dict() == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert Scores.of(0.0, 0.0).f1 == 0.0


def test_b_cubed_classic_example() -> None:
    # Items 1-5: precision 1. Items 6-7: 2/7 each. Items 8-12: 5/7 each. (5 + 4/7 + 25/7) / 12.
    small = b_cubed(GOLD, MERGE_SMALL)
    assert small.precision == pytest.approx(16 / 21)  # 0.7619
    assert small.recall == 1.0
    assert small.f1 == pytest.approx(2 * (16 / 21) / (1 + 16 / 21))  # 0.8649
    # Items 1-5 and 8-12: precision 5/10 each; items 6-7: 1. (10 * 0.5 + 2) / 12.
    large = b_cubed(GOLD, MERGE_LARGE)
    assert large.precision == pytest.approx(7 / 12)
    assert large.recall == 1.0
    # B³ punishes the larger wrong merge more.
    assert large.f1 < small.f1


def test_b_cubed_split_costs_recall() -> None:
    gold = clustering(["a", "b", "c", "d"])
    predicted = clustering(["a", "b"], ["c", "d"])
    scores = b_cubed(gold, predicted)
    assert scores.precision == 1.0
    assert scores.recall == 0.5  # every item finds 2 of its 4
    # The roles swap when gold and prediction do.
    assert b_cubed(predicted, gold) == Scores(0.5, 1.0, scores.f1)


def test_identical_partitions_score_one_whatever_the_labels() -> None:
    renamed = {item: f"cluster-{label}" for item, label in GOLD.items()}
    assert b_cubed(GOLD, renamed) == Scores(1.0, 1.0, 1.0)
    assert pairwise(GOLD, renamed) == Scores(1.0, 1.0, 1.0)
    assert adjusted_rand_index(GOLD, renamed) == 1.0


def test_all_singletons_against_one_cluster() -> None:
    singletons = clustering(*([item] for item in "abcd"))
    together = clustering("abcd")
    # Predicting singletons for one gold cluster: always precise, each item recalls 1 of 4.
    assert b_cubed(together, singletons) == Scores.of(1.0, 0.25)
    # One predicted cluster for gold singletons: each item is 1 of the 4 put with it.
    assert b_cubed(singletons, together) == Scores.of(0.25, 1.0)
    # No pair predicted: nothing claimed wrongly (precision 1), none of the 6 gold pairs found.
    assert pairwise(together, singletons) == Scores(1.0, 0.0, 0.0)
    # All 6 pairs predicted, none of them right; no gold pair to miss.
    assert pairwise(singletons, together) == Scores(0.0, 1.0, 0.0)
    assert adjusted_rand_index(together, singletons) == 0.0
    assert adjusted_rand_index(singletons, together) == 0.0


def test_degenerate_identical_partitions_are_one() -> None:
    singletons = clustering(*([item] for item in "abcd"))
    together = clustering("abcd")
    assert adjusted_rand_index(singletons, dict(singletons)) == 1.0
    assert adjusted_rand_index(together, dict(together)) == 1.0
    assert pairwise(singletons, dict(singletons)) == Scores(1.0, 1.0, 1.0)
    assert adjusted_rand_index({"a": 1}, {"a": 2}) == 1.0
    assert adjusted_rand_index({}, {}) == 1.0
    assert b_cubed({}, {}) == Scores(1.0, 1.0, 1.0)


def test_items_missing_from_predicted_are_singletons() -> None:
    gold = clustering("abc", "d")
    predicted = {"a": 0, "b": 0, "z": 0}  # "c" and "d" left out, "z" not in the gold
    assert b_cubed(gold, predicted) == b_cubed(gold, {"a": 0, "b": 0, "c": 1, "d": 2})
    # a, b: precision 1, recall 2/3; c: precision 1, recall 1/3; d: 1 and 1.
    scores = b_cubed(gold, predicted)
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    # Left-out items never join each other, even with labels that look alike.
    assert pairwise(gold, {"a": "x"}) == Scores(1.0, 0.0, 0.0)


def test_pairwise_counts_pairs() -> None:
    gold = clustering("abc", "de")  # pairs ab ac bc de: 4
    predicted = clustering("ab", "cde")  # pairs ab cd ce de: 4, of which ab and de are right
    assert pairwise(gold, predicted) == Scores.of(0.5, 0.5)
    # The classic example: 21 predicted pairs among 6, 7, 8..12, of which 1 + 10 are gold.
    assert pairwise(GOLD, MERGE_SMALL) == Scores.of((10 + 1 + 10) / (10 + 21), 1.0)


def test_adjusted_rand_index_by_hand() -> None:
    # gold {a b c} {d e}, predicted {a b} {c d e}: contingency [[2, 1], [0, 2]], n = 5.
    # index = C(2,2) + C(2,2) = 2; gold pairs 3 + 1 = 4; predicted pairs 1 + 3 = 4; C(5,2) = 10.
    # expected = 4 * 4 / 10 = 1.6; maximum = 4; ARI = (2 - 1.6) / (4 - 1.6) = 1/6.
    gold = clustering("abc", "de")
    predicted = clustering("ab", "cde")
    assert adjusted_rand_index(gold, predicted) == pytest.approx(1 / 6)
    assert adjusted_rand_index(predicted, gold) == pytest.approx(1 / 6)


def test_adjusted_rand_index_can_be_negative() -> None:
    # gold {a b} {c d}, predicted {a c} {b d}: no pair agrees. index 0, expected 2 * 2 / 6.
    gold = clustering("ab", "cd")
    predicted = clustering("ac", "bd")
    assert adjusted_rand_index(gold, predicted) == pytest.approx((0 - 2 / 3) / (2 - 2 / 3))


# -- against the definitions, item by item and pair by pair ----------------------------------------
def brute_b_cubed(gold: dict[int, int], predicted: dict[int, int]) -> tuple[float, float]:
    precision = recall = 0.0
    for item, label in gold.items():
        same_gold = {j for j, other in gold.items() if other == label}
        same_predicted = {j for j in gold if predicted[j] == predicted[item]}
        precision += len(same_gold & same_predicted) / len(same_predicted)
        recall += len(same_gold & same_predicted) / len(same_gold)
    return precision / len(gold), recall / len(gold)


def brute_ari(gold: dict[int, int], predicted: dict[int, int]) -> float:
    """Hubert and Arabie's index from its definition over all pairs, as n00, n01, n10, n11."""
    items = sorted(gold)
    both = only_gold = only_predicted = neither = 0
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            g, p = gold[a] == gold[b], predicted[a] == predicted[b]
            both += g and p
            only_gold += g and not p
            only_predicted += p and not g
            neither += not g and not p
    # The pair-counting form: 2 (n11 n00 - n01 n10) / ((n11 + n01)(n01 + n00) + (n11 + n10)(n10 + n00))
    below = (both + only_gold) * (only_gold + neither) + (both + only_predicted) * (
        only_predicted + neither
    )
    return 2 * (both * neither - only_gold * only_predicted) / below if below else 1.0


labels = st.dictionaries(st.integers(0, 30), st.integers(0, 4), min_size=2, max_size=30)


@given(labels, st.data())
def test_agrees_with_the_definitions(gold: dict[int, int], data: st.DataObject) -> None:
    predicted = data.draw(st.fixed_dictionaries({item: st.integers(0, 4) for item in gold}))
    precision, recall = brute_b_cubed(gold, predicted)
    scores = b_cubed(gold, predicted)
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert adjusted_rand_index(gold, predicted) == pytest.approx(brute_ari(gold, predicted))
