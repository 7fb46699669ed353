"""The bytes of a WARC file as one stream, with the file offset of every record and strict checks.

FastWARC parses records from this stream. Both libraries we tried read a truncated ``.warc.gz``
without complaint (the cut record comes back empty, or the file just seems to end), so a
``.warc.gz`` is decompressed here, gzip member by member: a member cut short, a bad checksum or
bytes that are not gzip at all raise ``BrokenArchive`` with the offset of the member, after every
byte of the members before it has been handed on. The end of each member (all of it, when it is
under ``VERIFY_LIMIT``) is handed on only once its checksum is verified, so the record in a
damaged member is never completed and never becomes an article.
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from typing import BinaryIO, Protocol

CHUNK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"
# Output of a member past this is handed on before the member's checksum is read, so memory
# stays bounded; the member's last part still waits for the checksum.
VERIFY_LIMIT = 1 << 23
_GZIP_WBITS = 31
_HEADER_LIMIT = 1 << 16


class BrokenArchive(Exception):
    """The file is truncated or corrupt at ``offset``; everything before it was read."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class ReadFailed(Exception):
    """The file itself could not be read (an I/O error, not bad content)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class ArchiveStream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def tell(self) -> int: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def close(self) -> None: ...

    def offset_of(self, position: int) -> int:
        """The file offset of the record that starts at ``position`` in this stream."""
        ...

    def offset_after(self, position: int | None) -> int:
        """The file offset just after the record at ``position`` (0 when there is none)."""
        ...


def open_stream(raw: io.BufferedReader) -> ArchiveStream:
    """A stream of WARC records from an open file, gunzipped if it starts like gzip (sniffed
    by peeking, so that a pipe can be read too)."""
    try:
        head = raw.peek(len(GZIP_MAGIC))[: len(GZIP_MAGIC)]
    except OSError as exc:
        raise ReadFailed(exc) from exc
    return GzipMembers(raw) if head == GZIP_MAGIC else PlainStream(raw)


def _read(raw: BinaryIO, size: int) -> bytes:
    try:
        return raw.read(size)
    except OSError as exc:
        raise ReadFailed(exc) from exc


class _ForwardOnly:
    """What FastWARC asks of a Python stream besides ``read``: it only reads forward."""

    def seek(self, offset: int, whence: int = 0, /) -> int:
        raise io.UnsupportedOperation("a WARC stream is read forward only")

    def close(self) -> None:
        """The caller closes the file."""


class PlainStream(_ForwardOnly):
    """An uncompressed ``.warc``: stream positions are file offsets."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._position = 0

    def read(self, size: int = -1, /) -> bytes:
        data = _read(self._raw, size if size > 0 else CHUNK)
        self._position += len(data)
        return data

    def tell(self) -> int:
        return self._position

    def offset_of(self, position: int) -> int:
        return position

    def offset_after(self, position: int | None) -> int:
        """Re-reads the header of the record at ``position`` to find where that record ends."""
        if position is None:
            return 0
        try:
            self._raw.seek(position)
            head = self._raw.read(_HEADER_LIMIT)
        except OSError:
            return position
        end = head.find(b"\r\n\r\n")
        for line in head[:end].split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                return position + end + 4 + int(value) + 4
        return position


class GzipMembers(_ForwardOnly):
    """A ``.warc.gz``: the concatenated output of its gzip members, each verified."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._pending = b""  # compressed bytes read but not yet decompressed
        self._file_pos = 0  # file offset of _pending[0]
        self._member: zlib._Decompress | None = None
        self._member_start = 0
        self._held: list[bytes] = []  # output of the current member, not yet verified
        self._held_size = 0
        self._ready: deque[bytes] = deque()  # verified output, not yet read
        self._ready_size = 0
        self._produced = 0  # stream position just after the last byte decompressed
        self._position = 0  # stream position of the next byte read
        self._starts: deque[tuple[int, int]] = deque()  # (stream position, file offset)
        self._error: BrokenArchive | None = None
        self._done = False
        self._end_of_file = False

    def read(self, size: int = -1, /) -> bytes:
        size = size if size > 0 else CHUNK
        while self._ready_size < size and not self._done:
            try:
                self._advance()
            except BrokenArchive as exc:
                self._done, self._error = True, exc
        if not self._ready and self._error is not None:
            raise self._error
        data = self._take(size)
        self._position += len(data)
        return data

    def _take(self, size: int) -> bytes:
        parts: list[bytes] = []
        while size and self._ready:
            piece = self._ready.popleft()
            if len(piece) > size:
                self._ready.appendleft(piece[size:])
                piece = piece[:size]
            parts.append(piece)
            size -= len(piece)
        data = b"".join(parts)
        self._ready_size -= len(data)
        return data

    def tell(self) -> int:
        return self._position

    def offset_of(self, position: int) -> int:
        while len(self._starts) > 1 and self._starts[1][0] <= position:
            self._starts.popleft()
        return self._starts[0][1] if self._starts else 0

    def offset_after(self, position: int | None) -> int:
        if position is None:
            return 0
        current = self.offset_of(position)
        return next((offset for _, offset in self._starts if offset > current), current)

    def _advance(self) -> None:
        if self._member is None and not self._start_member():
            self._done = True
            return
        if not self._pending:
            self._pending = self._read_raw()
        if not self._inflate() and self._member is not None and self._end_of_file:
            raise BrokenArchive(
                self._member_start,
                f"the gzip member at offset {self._member_start} is cut short "
                f"(the file ends at {self._file_pos})",
            )

    def _read_raw(self) -> bytes:
        data = _read(self._raw, CHUNK)
        self._end_of_file = not data
        return data

    def _start_member(self) -> bool:
        """Begin the next member; False at a clean end of file."""
        if len(self._pending) < len(GZIP_MAGIC) and not self._end_of_file:
            self._pending += self._read_raw()
        if not self._pending:
            return False
        if not self._pending.startswith(GZIP_MAGIC):
            raise BrokenArchive(
                self._file_pos, f"the bytes at offset {self._file_pos} are not a gzip member"
            )
        self._member = zlib.decompressobj(_GZIP_WBITS)
        self._member_start = self._file_pos
        self._starts.append((self._produced, self._file_pos))
        return True

    def _inflate(self) -> int:
        """Decompress some pending input; the number of bytes it gave."""
        assert self._member is not None
        before = len(self._pending)
        try:
            out = self._member.decompress(self._pending, CHUNK)
        except zlib.error as exc:
            raise BrokenArchive(
                self._member_start, f"the gzip member at offset {self._member_start}: {exc}"
            ) from None
        if out:
            self._held.append(out)
            self._held_size += len(out)
            self._produced += len(out)
        if self._member.eof:
            self._pending = self._member.unused_data
            self._member = None
        else:
            self._pending = self._member.unconsumed_tail
        self._file_pos += before - len(self._pending)
        if self._member is None or self._held_size > VERIFY_LIMIT:
            self._ready.extend(self._held)
            self._ready_size += self._held_size
            self._held.clear()
            self._held_size = 0
        return len(out)
