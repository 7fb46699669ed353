"""Near duplicates: syndicated copies, small edits, the same wire story on many sites.

Each article's clean text becomes a MinHash signature over word 5-grams; locality-sensitive
hashing splits the signature into bands, and stored articles that share a band are candidates.
A candidate is a copy when the signatures agree on at least ``threshold`` of their positions
(an estimate of the Jaccard similarity of the two texts' 5-gram sets) and the two texts state
the same facts: their names and numbers (see :func:`facts`) overlap by at least half. The second
test tells a copy from a look-alike: two reports written from one template (a bombing in
Kabul on Monday killing 12; another in Basra on Saturday killing 7) share most of their
5-grams, while a copy, however edited, keeps the places, people, days and tolls. Looking up a
new article costs a few index probes, never a comparison with every stored article.
"""

from __future__ import annotations

import functools
import hashlib
import re

import numpy as np

from khabar.core.article import Article
from khabar.core.lookup import ArticleLookup
from khabar.core.registry import Step, steps

_WORD = re.compile(r"\w+")
SHINGLE = 5
MIN_SHINGLES = 8  # below this, a text is too short for its similarity to mean much
# A name: a capitalised word that does not open a sentence; a number: digits.
_NAME = re.compile(r"(?<![.!?\n\"“]\s)(?<!^)\b[A-Z][\w'’-]+|\d[\d,.]*\d|\d")
MIN_FACTS = 3  # texts naming fewer are judged by their words alone


def signature(text: str, num_perm: int) -> np.ndarray | None:
    """The MinHash signature (uint32) of the text's word 5-grams; None for a very short text."""
    words = _WORD.findall(text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < MIN_SHINGLES:
        return None
    # Value for value what datasketch's MinHash(num_perm, seed=1) (its default, "affine32"
    # scheme) gives for these shingles, without its per-object costs: a Python call per shingle
    # to hash it and the permutations drawn again for every signature.
    hashed = _fmix32(
        np.frombuffer(b"".join(hashlib.sha1(s).digest()[:4] for s in shingles), dtype="<u4")
    )
    a, b = _permutations(num_perm)
    lowest: np.ndarray = (hashed[:, np.newaxis] * a + b).min(axis=0)
    return lowest.astype(np.uint32)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (multiplication wraps, as intended)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))  # type: ignore[no-any-return]


@functools.cache
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations (a, b) for ``num_perm`` positions and seed 1, drawn as it
    draws them (importing datasketch itself pulls in SciPy: a third of a second per process)."""
    draw = np.random.RandomState(1)
    a = draw.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def band_keys(sig: np.ndarray, bands: int) -> list[int]:
    """One 63-bit key per band: articles sharing a key become candidates."""
    rows = len(sig) // bands
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(
            sig[band * rows : (band + 1) * rows].tobytes(),
            digest_size=8,
            person=band.to_bytes(4, "little"),
        ).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def facts(text: str) -> frozenset[str]:
    """The names and numbers a text states (lower-cased), in its first 2,000 characters: the
    lede, where a copy and a look-alike differ."""
    return frozenset(m.group().lower().strip(".,") for m in _NAME.finditer(text[:2000]))


def same_facts(a: str | frozenset[str], b: str | frozenset[str], minimum: float = 0.5) -> bool:
    """Whether two texts (or their :func:`facts`) state mostly the same names and numbers
    (True when either states too few to tell)."""
    left = facts(a) if isinstance(a, str) else a
    right = facts(b) if isinstance(b, str) else b
    if len(left) < MIN_FACTS or len(right) < MIN_FACTS:
        return True
    return len(left & right) / len(left | right) >= minimum


def similarity(a: bytes | np.ndarray, b: bytes | np.ndarray) -> float:
    left = np.frombuffer(a, dtype=np.uint32) if isinstance(a, bytes) else a
    right = np.frombuffer(b, dtype=np.uint32) if isinstance(b, bytes) else b
    return float(np.mean(left == right)) if len(left) == len(right) else 0.0


@steps.register(
    "dedup.near.v1",
    requires={"text"},
    assigns={"duplicate_of", "duplicate_method", "fingerprints"},
)
def make_near(threshold: float = 0.5, num_perm: int = 128, bands: int = 32) -> Step:
    """Link an article to a stored near-copy (MinHash over word 5-grams, LSH bands)."""
    if num_perm % bands:
        raise ValueError(f"num_perm ({num_perm}) must be a multiple of bands ({bands})")

    def link(article: Article, lookup: ArticleLookup) -> Article:
        sig = signature(article.text, num_perm)
        if sig is None:
            return article
        keys = band_keys(sig, bands)
        article.fingerprints.minhash = sig.tobytes()
        article.fingerprints.bands = keys
        if article.duplicate_of is not None:
            return article
        scored = sorted(
            (-similarity(sig, other_sig), other_id)
            for other_id, other_sig in lookup.near_candidates(keys)
            if other_id != article.id
        )
        stated: frozenset[str] | None = None
        for negative, other_id in scored:
            if -negative < threshold:
                break
            other_text = lookup.text_of(other_id)
            if other_text is not None:
                stated = facts(article.text) if stated is None else stated
                if not same_facts(stated, other_text):
                    continue  # a look-alike: the same words about other places, days, tolls
            article.duplicate_of = other_id
            article.duplicate_method = f"near_text:{-negative:.2f}"
            break
        return article

    return link
