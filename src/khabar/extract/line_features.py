"""The numbers the line model reads: each line's shape and its place on the page.

Stage one sees, for every line, its own shape (``line_shape``), the shape of the two lines
before and after it, and where it lies: inside or how far from the main block of prose, how
much prose is around it, whether it sits in a run of short lines, after a comment header, how
many furniture lines separate it from the main block. Stage two adds what stage one concluded
about the neighbourhood (``stage_two_matrix``). Everything is computed on whole columns with
numpy, in time linear in the number of lines.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import numpy.typing as npt

from khabar.extract.line_shape import Line, Shape, measure

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

SHAPE_NAMES = [
    "log_words", "log_chars", "sentence_end", "inner_sentences", "stopword_share",
    "title_share", "digit_share", "log_commas", "strong", "strong_share", "weak", "weak_share",
    "byline", "date_share", "date_only", "separators", "colon_label", "list_mark", "linkish",
    "upper", "prose", "very_short", "glued", "starts_lower", "ellipsis_end", "photo_credit",
    "about_header", "timestamp_label", "comment_header", "comment_byline",
]  # fmt: skip
CONTEXT_NAMES = [
    "group_log_words", "group_prose", "continues", "continued",
    "in_block", "before_block", "after_block", "log_lines_before", "log_lines_after",
    "position", "prose_near_1", "prose_near_3", "prose_near_10", "words_near_3",
    "log_short_run", "repeated", "block_share", "dates_near_5", "markers_near_5",
    "comment_bylines_near_10", "after_comment_header", "log_markers_to_block",
    "titles_near_4", "prev_title", "next_title", "comment_header_after_prose",
    "log_comment_bylines_before", "about_header_after_prose",
]  # fmt: skip
# These shape measures are also read off the two lines before and the two after.
NEIGHBOUR_NAMES = [
    "log_words", "prose", "sentence_end", "strong", "weak", "date_only", "title_share",
    "very_short",
]  # fmt: skip
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
STAGE_ONE_NAMES = [
    *SHAPE_NAMES,
    *CONTEXT_NAMES,
    *(f"{name}@{offset:+d}" for offset in NEIGHBOUR_OFFSETS for name in NEIGHBOUR_NAMES),
]
STAGE_TWO_NAMES = [
    *STAGE_ONE_NAMES,
    "logit", "p@-1", "p@+1", "p@-2", "p@+2", "p_near_3", "p_near_10",
    "in_p_block", "log_lines_before_p_block", "log_lines_after_p_block", "log_barrier",
]  # fmt: skip
_NEIGHBOUR_COLUMNS = [SHAPE_NAMES.index(name) for name in NEIGHBOUR_NAMES]
_FIELD = {name: i for i, name in enumerate(Shape._fields)}
PROSE_MIN_WORDS = 8
SHORT_LINE_WORDS = 6
LOGIT_LIMIT = 9.0
BARRIER_BELOW = 0.2


class Columns:
    """The fields of every line's ``Shape`` as numpy columns."""

    def __init__(self, shapes: list[Shape]) -> None:
        by_field = list(zip(*shapes, strict=True)) if shapes else [()] * len(_FIELD)
        self.table = np.array(by_field, dtype=np.float64).reshape(len(_FIELD), len(shapes)).T

    @classmethod
    def from_table(cls, table: Matrix) -> Columns:
        columns = cls([])
        columns.table = table
        return columns

    def __getitem__(self, field: str) -> Vector:
        return self.table[:, _FIELD[field]]

    def prose(self) -> npt.NDArray[np.bool_]:
        """Lines shaped like a paragraph of running text (a sentence of eight words or more)."""
        return (
            (self["words"] >= PROSE_MIN_WORDS)
            & ((self["sentence_end"] > 0) | (self["inner_sentences"] > 0))
            & (self["stopword_share"] >= 0.15)
            & ~((self["strong"] > 0) & (self["words"] < 30))
        )

    def markers(self) -> npt.NDArray[np.bool_]:
        """Lines of site furniture: strong boilerplate words, or weak ones in a short line."""
        return (self["strong"] > 0) | ((self["weak"] > 0) & (self["words"] <= SHORT_LINE_WORDS))

    def title_like(self) -> npt.NDArray[np.bool_]:
        """Lines shaped like a headline: a few capitalised words, no closing punctuation."""
        words = self["words"]
        title_like: npt.NDArray[np.bool_] = (
            (words >= 3)
            & (words <= 20)
            & (self["sentence_end"] == 0)
            & (self["title_share"] >= 0.5)
        )
        return title_like


def stage_one_matrix(lines: list[Line], columns: Columns) -> Matrix:
    """One row of ``STAGE_ONE_NAMES`` numbers per line."""
    own = _shape_matrix(columns)
    context = _context_matrix(lines, columns)
    picked = own[:, _NEIGHBOUR_COLUMNS]
    neighbours = [_shift(picked, offset) for offset in NEIGHBOUR_OFFSETS]
    return np.hstack([own, context, *neighbours])


def stage_two_matrix(first: Matrix, columns: Columns, p: Vector) -> Matrix:
    """Stage one's rows with what its probabilities ``p`` say about each line's surroundings."""
    return np.hstack([first, stage_two_extra(columns, p)])


def stage_two_extra(columns: Columns, p: Vector) -> Matrix:
    """The columns stage two adds to stage one's (``STAGE_TWO_NAMES`` past stage one's)."""
    n = len(p)
    index = np.arange(n)
    clipped = np.clip(p, 1e-9, 1 - 1e-9)
    logits = np.clip(np.log(clipped / (1 - clipped)), -LOGIT_LIMIT, LOGIT_LIMIT)
    start, last = max_sum_span(logits)
    walls = _between_block(columns.markers() & (p < BARRIER_BELOW), start, last)
    before, after = np.maximum(0, start - index), np.maximum(0, index - last)
    p_column = p.reshape(n, 1)
    extra = [
        logits,
        _shift(p_column, -1)[:, 0],
        _shift(p_column, 1)[:, 0],
        _shift(p_column, -2)[:, 0],
        _shift(p_column, 2)[:, 0],
        window_means(p, 3),
        window_means(p, 10),
        ((index >= start) & (index <= last)).astype(np.float64),
        np.log1p(before),
        np.log1p(after),
        np.log1p(walls),
    ]
    return np.column_stack(extra)


def max_sum_span(values: Vector) -> tuple[int, int]:
    """The ``(first, last)`` indices of the run of values with the largest sum."""
    if len(values) == 0:
        return 0, -1
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    lowest_before = np.minimum.accumulate(prefix[:-1])
    gains = prefix[1:] - lowest_before
    last = int(np.argmax(gains))
    first = int(np.argmin(prefix[: last + 1]))
    return first, last


def window_sums(values: Vector, radius: int) -> Vector:
    """Sum of ``values`` over ``[i - radius, i + radius]`` for every i."""
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(len(values))
    high = np.minimum(len(values), index + radius + 1)
    sums: Vector = prefix[high] - prefix[np.maximum(0, index - radius)]
    return sums


def window_means(values: Vector, radius: int) -> Vector:
    index = np.arange(len(values))
    sizes = np.minimum(len(values), index + radius + 1) - np.maximum(0, index - radius)
    means: Vector = window_sums(values, radius) / sizes
    return means


def short_runs(words: Vector) -> Vector:
    """For each line, the length of the run of consecutive short lines it belongs to (0: long)."""
    short = words <= SHORT_LINE_WORDS
    runs = np.zeros(len(words))
    edges = np.flatnonzero(np.diff(np.concatenate([[False], short, [False]]).astype(np.int8)))
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        runs[begin:end] = end - begin
    return runs


def paragraphs(columns: Columns) -> npt.NDArray[np.int64]:
    """Index of the paragraph each line belongs to: hard-wrapped lines are joined back.

    A line continues the one before when it starts in lower case and the one before does not
    end a sentence, as when a scraper kept the ``<br>`` of a wrapped paragraph.
    """
    continues = np.zeros(len(columns.table), dtype=bool)
    continues[1:] = (columns["starts_lower"][1:] > 0) & (columns["sentence_end"][:-1] == 0)
    return np.cumsum(~continues) - 1


def _shift(matrix: Matrix, offset: int) -> Matrix:
    """Row i of the result is row ``i + offset`` of ``matrix`` (zeros past the edges)."""
    out = np.zeros_like(matrix)
    if offset > 0:
        out[:-offset] = matrix[offset:]
    elif offset < 0:
        out[-offset:] = matrix[:offset]
    return out


def _between_block(flags: npt.NDArray[np.bool_], first: int, last: int) -> Vector:
    """For each line outside ``[first, last]``, how many flagged lines lie between it and it."""
    counts = np.concatenate([[0], np.cumsum(flags)])
    index = np.arange(len(flags))
    before = counts[first] - counts[np.minimum(index + 1, len(flags))]
    after = counts[index] - counts[min(last + 1, len(flags))]
    out = np.where(index < first, before, np.where(index > last, after, 0))
    return np.maximum(out, 0).astype(np.float64)


def _shape_matrix(c: Columns) -> Matrix:
    words = c["words"]
    return np.column_stack(
        [
            np.log1p(words),
            np.log1p(c["chars"]) / 2,
            c["sentence_end"],
            np.log1p(c["inner_sentences"]),
            c["stopword_share"],
            c["title_share"],
            c["digit_share"],
            np.log1p(c["commas"]),
            np.minimum(c["strong"], 3) / 3,
            c["strong"] / np.maximum(1, words),
            np.minimum(c["weak"], 3) / 3,
            c["weak"] / np.maximum(1, words),
            c["byline"],
            c["date_share"],
            c["date_share"] >= 0.99,
            np.minimum(c["separators"], 3) / 3,
            c["colon_label"],
            c["list_mark"],
            c["linkish"],
            c["upper"],
            c.prose(),
            words <= 3,
            np.minimum(c["glued"], 3) / 3,
            c["starts_lower"],
            c["ellipsis_end"],
            c["photo_credit"],
            c["about_header"],
            c["timestamp_label"],
            c["comment_header"],
            c["comment_byline"],
        ]
    ).astype(np.float64)


def _paragraph_columns(lines: list[Line], ids: npt.NDArray[np.int64], c: Columns) -> Columns:
    """The shape of each line's whole paragraph (the line's own shape when it stands alone)."""
    table = c.table.copy()
    bounds = np.flatnonzero(np.diff(np.concatenate([[-1], ids, [ids[-1] + 1]])))
    spans = [(int(a), int(b)) for a, b in itertools.pairwise(bounds) if b - a > 1]
    merged = measure([" ".join(line.text for line in lines[a:b]) for a, b in spans])
    for (a, b), shape in zip(spans, merged, strict=True):
        table[a:b] = shape
    return Columns.from_table(table)


def _context_matrix(lines: list[Line], c: Columns) -> Matrix:
    n = len(lines)
    index = np.arange(n)
    words = c["words"]
    ids = paragraphs(c)
    groups = _paragraph_columns(lines, ids, c)
    group_prose = groups.prose()
    prose_words = np.where(group_prose, words, 0.0)
    first, last = max_sum_span(np.where(group_prose, words, -(2.0 + 0.5 * np.minimum(words, 20))))
    before, after = np.maximum(0, first - index), np.maximum(0, index - last)
    ratios = [
        window_sums(prose_words, r) / np.maximum(window_sums(words, r), 1e-9) for r in (1, 3, 10)
    ]
    counts = Counter(line.text.lower() for line in lines)
    repeated = np.array([counts[line.text.lower()] > 1 for line in lines], dtype=np.float64)
    headers = np.concatenate([[0], np.cumsum(c["comment_header"])])
    abouts = np.concatenate([[0], np.cumsum(c["about_header"])])
    prose_at = np.flatnonzero(group_prose)
    first_prose = int(prose_at[0]) if len(prose_at) else n
    titles = c.title_like().astype(np.float64)
    title_column = titles.reshape(n, 1)
    same_as_previous = np.concatenate([[False], ids[1:] == ids[:-1]])
    same_as_next = np.concatenate([ids[:-1] == ids[1:], [False]])
    return np.column_stack(
        [
            np.log1p(groups["words"]),
            group_prose,
            same_as_previous,
            same_as_next,
            (index >= first) & (index <= last),
            before > 0,
            after > 0,
            np.log1p(before),
            np.log1p(after),
            index / n,
            *ratios,
            np.log1p(window_sums(words, 3)) / 3,
            np.log1p(short_runs(words)),
            repeated,
            np.full(n, prose_words[first : last + 1].sum() / max(1.0, float(words.sum()))),
            window_sums((c["date_share"] >= 0.99).astype(np.float64), 5) / 11,
            window_sums(c.markers().astype(np.float64), 5) / 11,
            window_sums(c["comment_byline"], 10) / 21,
            (index > first) & (headers[index] > headers[first]),
            np.log1p(_between_block(c.markers(), first, last)),
            window_sums(titles, 4) / 9,
            _shift(title_column, -1)[:, 0],
            _shift(title_column, 1)[:, 0],
            (index > first_prose) & (headers[index] > headers[min(first_prose, n)]),
            np.log1p(np.cumsum(c["comment_byline"]) - c["comment_byline"]),
            (index > first_prose) & (abouts[index] > abouts[min(first_prose, n)]),
        ]
    ).astype(np.float64)
