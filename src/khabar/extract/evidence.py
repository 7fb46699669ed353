"""Pointing metadata values back at the raw input they were read from."""

from __future__ import annotations

from khabar.core.article import Article, ClaimValue, Evidence

MAX_QUOTE = 300


def locate(raw_text: str, value: str, *, fallback_field: str) -> Evidence:
    """A raw span where ``value`` occurs in the raw input, else meta evidence naming the field.

    Extractors normalise what they read (entities decoded, whitespace collapsed), so a value is
    not always found verbatim; then the evidence names the extractor's field instead.
    """
    needle = value.strip()
    start = raw_text.find(needle) if needle else -1
    if start < 0:
        return Evidence.meta(fallback_field, value)
    end = start + len(needle)
    return Evidence.raw_span(start, end, raw_text[start:end][:MAX_QUOTE])


def offer(
    article: Article,
    field: str,
    value: ClaimValue,
    *,
    method: str,
    confidence: float,
    evidence: Evidence | list[Evidence],
) -> None:
    """Claim ``field`` unless an earlier claim (e.g. the input's own metadata) already holds it.

    The losing value is still kept, as a rejected candidate, so nothing is lost.
    """
    held = article.accepted(field)
    article.claim(
        field,
        value,
        method=method,
        confidence=confidence,
        evidence=evidence,
        accepted=held is None,
        note=None if held is None else f"kept the earlier claim by {held.method}",
    )
