"""Standard input (``-``): one HTML page or text, or a stream of JSON Lines."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import BinaryIO, cast

from khabar.core.article import Article, InputRef, SkippedInput
from khabar.core.lookup import ReadContext
from khabar.core.registry import sources
from khabar.ingest.jsonl import iter_jsonl
from khabar.ingest.reading import (
    ReadSkip,
    article_from_bytes,
    read_capped,
    skipped,
    sniff_media_type,
)

NAME = "ingest.stdin.v1"


@sources.register(NAME)
def make_stdin(max_bytes: int = 10_000_000) -> StdinSource:
    """Standard input, given as '-': a page, a text, or JSON Lines (one article per line)."""
    return StdinSource(max_bytes=max_bytes)


class StdinSource:
    def __init__(self, *, max_bytes: int, stream: BinaryIO | None = None) -> None:
        self.max_bytes = max_bytes
        self.stream = stream

    def accepts(self, spec: str) -> bool:
        return spec == "-"

    def read(self, spec: str, context: ReadContext) -> Iterator[Article | SkippedInput]:
        raw = self.stream or sys.stdin.buffer
        stream = (
            raw
            if isinstance(raw, io.BufferedReader)
            else io.BufferedReader(cast(io.RawIOBase, raw))
        )
        ref = InputRef(name=NAME, uri="stdin")
        if _looks_like_jsonl(stream.peek(4096)):
            yield from iter_jsonl(stream, source_name=NAME, uri="stdin", max_bytes=self.max_bytes)
            return
        try:
            data = read_capped(stream, self.max_bytes, "standard input")
        except ReadSkip as skip:
            yield skipped(ref, skip.reason, skip.detail)
            return
        yield article_from_bytes(data, media_type=sniff_media_type(data), source=ref)


def _looks_like_jsonl(head: bytes) -> bool:
    return head.lstrip().startswith(b"{")
