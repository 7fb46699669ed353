"""Stories: articles about the same story, not necessarily the same event, grouped, with a label
made from the articles themselves.

Each article becomes a TF-IDF vector of its content words, names (capitalised words) counted
twice because they are what tells one story from another of the same kind. Articles are only
compared when they share some of their most distinctive words (an inverted index of each
article's top terms: no all-pairs comparison), and, when both are dated, when they are no more
than ``Settings.days`` apart. Groups are made by average-link agglomeration over those
similarities (pairs never compared count as 0), merging while the best pair of groups is at
least ``Settings.similarity`` alike; every tie is broken by id, so the result does not depend on
the order of the input.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from khabar.fusion.reports import _STOP

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class StoryItem:
    id: str
    text: str
    title: str = ""
    published: date | None = None


@dataclass(frozen=True)
class Settings:
    similarity: float = 0.22  # average cosine at which two groups are one story
    days: int = 14  # dated articles further apart are never one story
    top_terms: int = 25  # each article's most distinctive terms, for finding partners
    shared_terms: int = 2  # partners share at least this many of them
    name_weight: float = 2.0


@dataclass
class Story:
    id: str
    label: str
    members: list[str] = field(default_factory=list)


def terms(item: StoryItem, name_weight: float) -> dict[str, float]:
    """Content words of the title and text (the title counted twice), names weighted."""
    counts: dict[str, float] = defaultdict(float)
    for text, weight in ((item.title, 2.0), (item.text, 1.0)):
        for i, token in enumerate(_TOKEN.findall(text)):
            word = token.lower()
            if len(word) < 3 or word in _STOP:
                continue
            # A capital after the first word is a name (the first word of a text is ambiguous).
            named = token[0].isupper() and i > 0
            counts[word] += weight * (name_weight if named else 1.0)
    return counts


def document_frequencies(
    items: Iterable[StoryItem], settings: Settings
) -> tuple[Counter[str], int]:
    """In how many of ``items`` each term is, and how many items there are: the weights of
    terms, from a collection larger than the articles being grouped when there is one."""
    df: Counter[str] = Counter()
    n = 0
    for item in items:
        df.update(terms(item, settings.name_weight).keys())
        n += 1
    return df, n


def _vectors(
    items: Sequence[StoryItem], settings: Settings, frequencies: tuple[Counter[str], int] | None
) -> list[dict[str, float]]:
    counted = [terms(item, settings.name_weight) for item in items]
    if frequencies is None:
        df: Counter[str] = Counter()
        for c in counted:
            df.update(c.keys())
        n = len(items)
    else:
        df, n = frequencies
    vectors = []
    for c in counted:
        v = {t: (1 + math.log(x)) * math.log((1 + n) / (1 + df[t])) for t, x in c.items() if x > 0}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vectors.append({t: w / norm for t, w in v.items() if w > 0})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def similarities(
    items: Sequence[StoryItem],
    settings: Settings,
    frequencies: tuple[Counter[str], int] | None = None,
) -> tuple[list[dict[str, float]], dict[tuple[int, int], float]]:
    """The articles' vectors and the similarity of every pair worth comparing."""
    vectors = _vectors(items, settings, frequencies)
    index: dict[str, list[int]] = defaultdict(list)
    tops = []
    for i, v in enumerate(vectors):
        top = sorted(v, key=lambda t: (-v[t], t))[: settings.top_terms]
        tops.append(top)
        for t in top:
            index[t].append(i)
    pairs: dict[tuple[int, int], float] = {}
    for i, top in enumerate(tops):
        shared: Counter[int] = Counter()
        for t in top:
            shared.update(j for j in index[t] if j > i)
        for j, count in shared.items():
            if count < settings.shared_terms or _far(items[i], items[j], settings.days):
                continue
            score = _cosine(vectors[i], vectors[j])
            if score > 0:
                pairs[i, j] = score
    return vectors, pairs


def _far(a: StoryItem, b: StoryItem, days: int) -> bool:
    return (
        a.published is not None
        and b.published is not None
        and (abs((a.published - b.published).days) > days)
    )


def group(
    items: Sequence[StoryItem],
    settings: Settings | None = None,
    *,
    groups: int | None = None,
    frequencies: tuple[Counter[str], int] | None = None,
) -> list[list[str]]:
    """The articles' ids grouped into stories. With ``groups``, merging goes on (whatever the
    similarity) until there are that many, as when the number of stories is known.
    ``frequencies`` (:func:`document_frequencies`) weigh terms by a larger collection."""
    settings = settings or Settings()
    order = sorted(range(len(items)), key=lambda i: items[i].id)
    items = [items[i] for i in order]
    _, pairs = similarities(items, settings, frequencies)
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    # Sum of pair similarities between groups; average = sum / (|A| |B|).
    between: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in pairs.items():
        between[i][j] = s
        between[j][i] = s
    version = dict.fromkeys(members, 0)
    heap = [(-s, i, j, 0, 0) for (i, j), s in pairs.items()]
    heapq.heapify(heap)
    while len(members) > 1:
        found: tuple[float, int, int] | None = None
        while heap:
            neg, a, b, va, vb = heapq.heappop(heap)
            if a in members and b in members and version[a] == va and version[b] == vb:
                found = (-neg, a, b)
                break
        wanted = groups is not None and len(members) > groups
        if found is None or (found[0] < settings.similarity and not wanted):
            if not wanted:
                break
            if found is None:
                first, second = sorted(members)[:2]  # nothing alike is left: the first by id
                found = (0.0, first, second)
        _, a, b = found
        a, b = min(a, b), max(a, b)
        members[a] += members.pop(b)
        version[a] += 1
        for c, total in between.pop(b, {}).items():
            between[c].pop(b, None)
            if c != a:
                between[a][c] = between[a].get(c, 0.0) + total
                between[c][a] = between[a][c]
        for c, total in between[a].items():
            avg = total / (len(members[a]) * len(members[c]))
            x, y = min(a, c), max(a, c)
            heapq.heappush(heap, (-avg, x, y, version[x], version[y]))
    return sorted(sorted(items[i].id for i in m) for m in members.values())


def label(
    items: Iterable[StoryItem],
    settings: Settings | None = None,
    frequencies: tuple[Counter[str], int] | None = None,
) -> str:
    """A story's label: the terms that weigh most across its articles (TF-IDF summed, times
    how many of them use it: a name all of them use and few other articles do comes first), as
    most often spelled."""
    settings = settings or Settings()
    chosen = list(items)
    counted = [terms(item, settings.name_weight) for item in chosen]
    df, n = frequencies or document_frequencies(chosen, settings)
    weight: dict[str, float] = defaultdict(float)
    shared: Counter[str] = Counter()
    for counts in counted:
        shared.update(counts.keys())
        for term, x in counts.items():
            # Smoothed IDF (+1): in a small collection, the words every article shares are
            # exactly the story's, and must not weigh nothing.
            weight[term] += (1 + math.log(x)) * (math.log((1 + n) / (1 + df[term])) + 1)
    for term in weight:
        weight[term] *= shared[term]
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for item in chosen:
        for token in _TOKEN.findall(item.title + " " + item.text):
            spelled[token.lower()][token] += 1
    top = sorted(weight, key=lambda t: (-weight[t], t))[:4]
    return ", ".join(spelled[t].most_common(1)[0][0] if spelled[t] else t for t in top)
