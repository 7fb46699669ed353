"""Scores of a predicted clustering against a gold one: B³, pairwise and the adjusted Rand index.

Used to measure how well khabar groups things that belong together (documents reporting the
same real-world event, mentions of the same event) on corpora such as ECB+. Both clusterings
are mappings from an item to a cluster label; the labels themselves mean nothing, only which
items share one. The items scored are always the gold ones: a predicted label for an item the
gold does not know is ignored, and a gold item the prediction leaves out counts as a cluster of
its own (the system said nothing about it, so it linked it to nothing).

Every figure is computed from the contingency table (how many items each gold cluster shares
with each predicted cluster), so the cost is linear in the number of items, never quadratic in
pairs. Where a ratio has nothing to count (no pairs predicted, no pairs in the gold, no items),
it is taken as 1.0: nothing was claimed wrongly and nothing was missed. Identical partitions
therefore always score 1.0, the degenerate ones included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

H = TypeVar("H", bound=Hashable)

__all__ = ["Scores", "adjusted_rand_index", "b_cubed", "pairwise"]


@dataclass(frozen=True)
class Scores:
    """Precision, recall and their harmonic mean."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> Scores:
        """Scores with F1 derived from precision and recall (0.0 when both are 0)."""
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)

    def as_dict(self) -> dict[str, float]:
        """Rounded to 4 decimals, as reports print them."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class _Alone:
    """The predicted label of a gold item the prediction left out: equal to nothing else, so
    the item forms a cluster of its own and cannot collide with any real label."""

    item: Hashable


@dataclass(frozen=True)
class _Table:
    """The contingency table of two clusterings over the same items, and its margins."""

    cells: Counter[tuple[Hashable, Hashable]]  # (gold label, predicted label) -> shared items
    gold_sizes: Counter[Hashable]
    predicted_sizes: Counter[Hashable]
    items: int


def _table(gold: Mapping[H, Hashable], predicted: Mapping[H, Hashable]) -> _Table:
    cells: Counter[tuple[Hashable, Hashable]] = Counter()
    for item, label in gold.items():
        cells[(label, predicted[item] if item in predicted else _Alone(item))] += 1
    gold_sizes: Counter[Hashable] = Counter()
    predicted_sizes: Counter[Hashable] = Counter()
    for (gold_label, predicted_label), count in cells.items():
        gold_sizes[gold_label] += count
        predicted_sizes[predicted_label] += count
    return _Table(cells, gold_sizes, predicted_sizes, len(gold))


def _pairs(count: int) -> int:
    """How many unordered pairs ``count`` items make."""
    return count * (count - 1) // 2


def _ratio(part: float, whole: float) -> float:
    """``part / whole``, or 1.0 when there is nothing to count (see the module docstring)."""
    return part / whole if whole else 1.0


def b_cubed(gold: Mapping[H, Hashable], predicted: Mapping[H, Hashable]) -> Scores:
    """Mention-level B³ (Bagga and Baldwin, 1998) over the items of ``gold``.

    For each item, precision is the share of its predicted cluster that is in its gold cluster
    and recall the share of its gold cluster that is in its predicted cluster; both are averaged
    over the items. Every item weighs the same, so large clusters weigh more than small ones.
    Summed per cell of the contingency table: precision = sum(n_ij² / |predicted_j|) / n.
    """
    table = _table(gold, predicted)
    if not table.items:
        return Scores(1.0, 1.0, 1.0)
    precision = sum(
        count * count / table.predicted_sizes[predicted_label]
        for (_, predicted_label), count in table.cells.items()
    )
    recall = sum(
        count * count / table.gold_sizes[gold_label]
        for (gold_label, _), count in table.cells.items()
    )
    return Scores.of(precision / table.items, recall / table.items)


def pairwise(gold: Mapping[H, Hashable], predicted: Mapping[H, Hashable]) -> Scores:
    """Precision and recall over the pairs of items put in the same cluster.

    A predicted pair is right when the gold puts both items in one cluster too. Pairs grow with
    the square of a cluster's size, so this weighs large clusters far more than B³ does.
    """
    table = _table(gold, predicted)
    right = sum(_pairs(count) for count in table.cells.values())
    claimed = sum(_pairs(size) for size in table.predicted_sizes.values())
    wanted = sum(_pairs(size) for size in table.gold_sizes.values())
    return Scores.of(_ratio(right, claimed), _ratio(right, wanted))


def adjusted_rand_index(gold: Mapping[H, Hashable], predicted: Mapping[H, Hashable]) -> float:
    """The Rand index corrected for chance (Hubert and Arabie, 1985).

    1.0 for identical partitions, about 0.0 for a clustering no better than a random one with
    the same cluster sizes, negative when worse than that. (index - expected) / (maximum -
    expected), with index the pairs together in both clusterings, expected its value under
    random assignment with the sizes fixed, maximum the mean of the pairs in each.

    The ratio is undefined when maximum == expected, which happens only when both partitions
    are all singletons, or both one cluster, or there are fewer than two items: the partitions
    are then identical and the index is 1.0.
    """
    table = _table(gold, predicted)
    index = sum(_pairs(count) for count in table.cells.values())
    gold_pairs = sum(_pairs(size) for size in table.gold_sizes.values())
    predicted_pairs = sum(_pairs(size) for size in table.predicted_sizes.values())
    all_pairs = _pairs(table.items)
    # Scaled by 2 * all_pairs so that everything stays an exact integer until the one division:
    # the degenerate case is then an exact zero, not a float that happens to be near one.
    above = 2 * (index * all_pairs - gold_pairs * predicted_pairs)
    below = (gold_pairs + predicted_pairs) * all_pairs - 2 * gold_pairs * predicted_pairs
    return above / below if below else 1.0
