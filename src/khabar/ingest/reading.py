"""Reading bytes safely: size caps, streamed gzip (bomb-proof), and turning bytes into Articles."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from khabar.core.article import Article, InputRef, MediaType, Skip, SkippedInput
from khabar.ingest.decode import decode, has_bom, looks_binary

CHUNK = 1 << 16


class ReadSkip(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def read_capped(handle: BinaryIO, max_bytes: int, what: str) -> bytes:
    """Read at most ``max_bytes``; more than that is a ``too_large`` skip, not a memory spike."""
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ReadSkip("too_large", f"{what} is over the cap of {max_bytes:,} bytes")
    return data


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file, gunzipped when its name ends in ``.gz``, within the cap."""
    try:
        if path.suffix == ".gz":
            with open_binary(path) as handle:
                return read_capped(handle, max_bytes, f"{path.name} decompressed")
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadSkip(
                "too_large", f"{path.name} is {size:,} bytes, over the cap of {max_bytes:,}"
            )
        with path.open("rb") as handle:
            return read_capped(handle, max_bytes, path.name)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ReadSkip("corrupt_gzip", f"{path.name}: {exc or 'truncated gzip stream'}") from None
    except OSError as exc:
        raise ReadSkip("unreadable", f"{path}: {exc.strerror or exc}") from None


def open_binary(path: Path) -> BinaryIO:
    """Open a file for streaming, through gzip when its name ends in ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def modified_at(path: Path) -> datetime:
    """When a saved page was written: the best 'fetched at' a local file has (and stable)."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)


def sniff_media_type(data: bytes) -> MediaType:
    head = data[:2048].lstrip().lower()
    markers = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div", b"<p>")
    return "text/html" if any(m in head for m in markers) else "text/plain"


def article_from_bytes(
    data: bytes,
    *,
    media_type: MediaType,
    source: InputRef,
    url: str | None = None,
    fetched_at: datetime | None = None,
) -> Article | SkippedInput:
    """Decode one input's bytes into an Article, or skip it (empty, binary) with the reason."""
    if not data.strip():
        return skipped(source, "empty", "the input is empty")
    if looks_binary(data) and not has_bom(data):
        return skipped(source, "binary", "the input looks like binary data, not text or HTML")
    decoded = decode(data)
    return Article.new(
        data,
        decoded.text,
        media_type=media_type,
        source=source,
        encoding=decoded.encoding,
        url=url,
        fetched_at=fetched_at,
    )


def skipped(
    source: InputRef, reason: str, detail: str, raw_sha256: str | None = None
) -> SkippedInput:
    return SkippedInput(
        source=source,
        skip=Skip(stage=f"source:{source.name}", reason=reason, detail=detail),
        raw_sha256=raw_sha256,
    )
