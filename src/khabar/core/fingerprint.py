"""Content fingerprints: what makes two articles "the same text"."""

from __future__ import annotations

import hashlib
import re

_SPACE = re.compile(r"\s+")


def text_fingerprint(text: str) -> str:
    """sha256 of the text with case folded and every run of white space made one space."""
    normal = _SPACE.sub(" ", text.casefold()).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
