"""The narrow interface that steps over many articles use to look at what is already stored.

Steps (deduplication now; event fusion and stories later) never import the store: the store
implements this protocol, and tests use ``MemoryLookup``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from khabar.core.article import Article, SkippedInput, Unchanged


class ArticleLookup(Protocol):
    def id_by_content_hash(self, content_hash: str) -> str | None:
        """The id of the stored article whose clean text has this fingerprint, if any."""
        ...

    def id_by_canonical_url(self, url: str) -> str | None:
        """The id of the stored article with this canonical URL, if any."""
        ...

    def near_candidates(self, band_keys: list[int]) -> list[tuple[str, bytes]]:
        """``(id, minhash signature)`` of stored articles that share a band key with these."""
        ...

    def text_of(self, article_id: str) -> str | None:
        """The clean text of a stored article, if there is one by that id."""
        ...


class MemoryLookup:
    """An in-memory ``ArticleLookup``, for tests and for runs without a store."""

    def __init__(self) -> None:
        self._by_hash: dict[str, str] = {}
        self._by_url: dict[str, str] = {}
        self._bands: dict[int, set[str]] = {}
        self._minhash: dict[str, bytes] = {}
        self._text: dict[str, str] = {}

    def add(self, article: Article) -> None:
        if article.duplicate_of is not None:
            return
        if article.content_hash:
            self._by_hash.setdefault(article.content_hash, article.id)
        if article.canonical_url:
            self._by_url.setdefault(article.canonical_url, article.id)
        if article.fingerprints.minhash is not None:
            self._text[article.id] = article.text
            self._minhash[article.id] = article.fingerprints.minhash
            for key in article.fingerprints.bands:
                self._bands.setdefault(key, set()).add(article.id)

    def id_by_content_hash(self, content_hash: str) -> str | None:
        return self._by_hash.get(content_hash)

    def id_by_canonical_url(self, url: str) -> str | None:
        return self._by_url.get(url)

    def near_candidates(self, band_keys: list[int]) -> list[tuple[str, bytes]]:
        found = set().union(*(self._bands.get(key, set()) for key in band_keys))
        return [(article_id, self._minhash[article_id]) for article_id in sorted(found)]

    def text_of(self, article_id: str) -> str | None:
        return self._text.get(article_id)


def _nothing_known(url: str) -> bool:
    return False


def _no_route(spec: str, caller: object) -> Iterator[Article | SkippedInput | Unchanged] | None:
    return None


@dataclass(frozen=True)
class ReadContext:
    """What a source may know about earlier runs, so that it can skip cheaply what is stored.

    ``since``: inputs last changed before this moment are unchanged (file modification times,
    feed entry dates). ``known_url``: whether an article from this URL is already stored (so a
    source need not fetch it again). ``route``: hands an input found inside another (a WARC
    file in a folder) to a source listed before the caller that reads it; None if there is none.
    """

    since: datetime | None = None
    known_url: Callable[[str], bool] = _nothing_known
    route: Callable[[str, object], Iterator[Article | SkippedInput | Unchanged] | None] = _no_route
