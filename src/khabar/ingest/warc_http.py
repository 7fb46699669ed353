"""The HTTP part of a WARC response record: its header, and the body with its encodings undone.

Archives keep what the server sent, so a body may still be chunked or compressed (gzip, deflate,
brotli, zstd); others (Common Crawl) store it decoded and rename the headers. Both are read: a
body that does not look encoded the way its header says is taken as it is.
"""

from __future__ import annotations

import io
import logging
import re
import zlib
from dataclasses import dataclass

from fastwarc.stream_io import BrotliReader, ZstdReader

log = logging.getLogger(__name__)

_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)?\s+(\d{3})")
_GZIP_OR_ZLIB_WBITS = 47  # 32 + 15: a gzip or a zlib header, told apart by zlib itself
_ZLIB_WBITS = 15
_RAW_DEFLATE_WBITS = -15
_READ = 1 << 16


class PayloadTooLarge(Exception):
    """The decoded body is over the cap."""


@dataclass(frozen=True, slots=True)
class HttpHead:
    status: int
    headers: dict[str, list[str]]  # lower-case names, each with every value it was given
    size: int  # bytes of the status line and headers, blank line included

    def get(self, name: str) -> str | None:
        values = self.headers.get(name)
        return values[-1] if values else None

    def tokens(self, name: str) -> list[str]:
        """A comma-separated header's values, lower case, in order (Content-Encoding...)."""
        found = (t.strip().lower() for v in self.headers.get(name, []) for t in v.split(","))
        return [t for t in found if t]

    @property
    def content_type(self) -> str | None:
        return self.get("content-type")

    @property
    def last_modified(self) -> str | None:
        return self.get("last-modified")


def parse_head(data: bytes) -> HttpHead | None:
    """The HTTP response header at the start of ``data``; None if there is none."""
    match = _STATUS_LINE.match(data)
    ends = [(i, n) for i, n in ((data.find(b"\r\n\r\n"), 4), (data.find(b"\n\n"), 2)) if i >= 0]
    if match is None or not ends:
        return None
    end, blank = min(ends)
    headers: dict[str, list[str]] = {}
    last: list[str] | None = None
    for line in data[:end].decode("latin-1").splitlines()[1:]:
        if line[:1] in (" ", "\t") and last:
            last[-1] += " " + line.strip()  # an obsolete folded continuation line
            continue
        name, colon, value = line.partition(":")
        if colon:
            last = headers.setdefault(name.strip().lower(), [])
            last.append(value.strip())
    return HttpHead(status=int(match.group(1)), headers=headers, size=end + blank)


def undo_encodings(body: bytes, head: HttpHead, max_bytes: int) -> bytes:
    """The body with chunking and content encodings undone, within ``max_bytes``."""
    if "chunked" in head.tokens("transfer-encoding"):
        body = dechunk(body)
    for coding in reversed(head.tokens("content-encoding")):
        body = _decompress(body, coding, max_bytes)
    if len(body) > max_bytes:
        raise PayloadTooLarge
    return body


def dechunk(data: bytes) -> bytes:
    """The data of a chunked body; a body that is not chunked after all comes back as it is."""
    parts: list[bytes] = []
    position = 0
    while (eol := data.find(b"\n", position)) >= 0:
        size_text = data[position:eol].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            break
        if size == 0:
            return b"".join(parts)
        start = eol + 1
        parts.append(data[start : start + size])
        position = start + size
        position += 2 if data.startswith(b"\r\n", position) else 1
    # A cut chunked body keeps what arrived; one whose first line is no chunk size was not chunked.
    return b"".join(parts) if parts else data


def _decompress(data: bytes, coding: str, max_bytes: int) -> bytes:
    if coding in ("gzip", "x-gzip"):
        compressed = data[:2] == b"\x1f\x8b" or _zlib_header(data)
        return _inflate(data, _GZIP_OR_ZLIB_WBITS, max_bytes) if compressed else data
    if coding == "deflate":
        return _inflate(data, _ZLIB_WBITS if _zlib_header(data) else _RAW_DEFLATE_WBITS, max_bytes)
    if coding == "br":
        return _read_decoded(BrotliReader(io.BytesIO(data)), data, max_bytes)
    if coding == "zstd":
        return _read_decoded(ZstdReader(io.BytesIO(data)), data, max_bytes)
    if coding != "identity":
        log.debug("unknown content encoding %r: body taken as it is", coding)
    return data


def _zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _inflate(data: bytes, wbits: int, max_bytes: int) -> bytes:
    try:
        out = zlib.decompressobj(wbits).decompress(data, max_bytes + 1)
    except zlib.error:
        return data  # not what the header says: probably stored decoded
    if len(out) > max_bytes:
        raise PayloadTooLarge
    return out


def _read_decoded(reader: BrotliReader | ZstdReader, data: bytes, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes and (part := reader.read(_READ)):
            parts.append(part)
            size += len(part)
    except OSError:
        if not parts:
            return data  # not what the header says: probably stored decoded
    if size > max_bytes:
        raise PayloadTooLarge
    return b"".join(parts)
