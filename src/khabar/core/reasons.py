"""The catalogue of reasons an input or article can be skipped.

Each reason has a severity: ``skip`` (the input is fine but holds nothing to keep, such as an
empty file or a page with no article) or ``error`` (the input is broken or a stage failed). A run
exits with status 1 when any input ended with an ``error``. Third-party stages may use their own
reason codes; unknown codes count as ``skip``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["skip", "error"]


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    severity: Severity
    meaning: str


_REASONS = (
    Reason("empty", "skip", "the input holds no text (empty, or only whitespace or markup)"),
    Reason("binary", "skip", "the input looks like binary data, not text or HTML"),
    Reason("too_large", "skip", "over a size cap (sources.*.max_bytes, or 30,000 HTML elements)"),
    Reason("unsupported_type", "skip", "the file type is not one khabar reads"),
    Reason("no_article", "skip", "no main article text was found in the page"),
    Reason("too_short", "skip", "the article text is shorter than the configured minimum"),
    Reason("not_article_type", "skip", "the response is not HTML or text (a PDF, an image, ...)"),
    Reason("robots_disallowed", "skip", "the site's robots.txt does not allow khabar to fetch it"),
    Reason("revisit", "skip", "a WARC revisit record: the payload was captured before"),
    Reason("unreadable", "error", "the input could not be read (permissions, I/O error)"),
    Reason("corrupt_gzip", "error", "the gzip stream is truncated or corrupt"),
    Reason("invalid_json", "error", "a JSON Lines line is not valid JSON"),
    Reason(
        "invalid_record", "error", "a JSON Lines record lacks 'text' or 'html', or has bad fields"
    ),
    Reason(
        "blocked_address", "error", "the URL resolves to a private, loopback or metadata address"
    ),
    Reason("fetch_failed", "error", "the page could not be fetched (DNS, connection, TLS)"),
    Reason("fetch_timeout", "error", "the server did not answer within the time cap"),
    Reason("http_error", "error", "the server answered with an HTTP error status"),
    Reason("too_many_redirects", "error", "more redirects than allowed, or a redirect loop"),
    Reason(
        "unsafe_xml", "error", "a feed with a DTD or entities (billion laughs, external entities)"
    ),
    Reason("invalid_feed", "error", "the feed could not be parsed as RSS or Atom"),
    Reason(
        "corrupt_warc",
        "error",
        "a truncated or corrupt WARC file (complete records before it kept)",
    ),
    Reason("id_conflict", "error", "the input's id is already stored with different content"),
    Reason("timeout", "error", "the article took longer than pipeline.article_timeout_s"),
    Reason("invalid_span", "error", "a stage produced an offset outside the text (a bug)"),
    Reason("stage_error", "error", "a stage raised an unexpected exception (a bug: please report)"),
)

REASONS: dict[str, Reason] = {r.code: r for r in _REASONS}


def severity(code: str) -> Severity:
    """The severity of a reason code; codes outside the catalogue count as ``skip``."""
    reason = REASONS.get(code)
    return reason.severity if reason else "skip"
