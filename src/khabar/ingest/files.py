"""Files and directories: ``.html``, ``.htm``, ``.txt`` and ``.jsonl``, each optionally gzipped.

A directory is walked in sorted order (so runs are reproducible), skipping names that match the
``ignore`` patterns. A file in a directory with another extension is skipped with the reason
``unsupported_type``; a file named explicitly is read whatever its name, its type sniffed.
"""

from __future__ import annotations

import fnmatch
import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from khabar.core.article import Article, InputRef, MediaType, SkippedInput, Unchanged
from khabar.core.lookup import ReadContext
from khabar.core.registry import sources
from khabar.ingest.jsonl import iter_jsonl
from khabar.ingest.reading import (
    ReadSkip,
    article_from_bytes,
    modified_at,
    open_binary,
    read_file,
    skipped,
    sniff_media_type,
)

NAME = "ingest.files.v1"
TYPES: dict[str, MediaType | None] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".jsonl": None,
}


@sources.register(NAME)
def make_files(
    max_bytes: int = 10_000_000, ignore: tuple[str, ...] = (".*", "*.md", "*~")
) -> FileSource:
    """Files and directories of .html/.htm/.txt/.jsonl (and .gz of each)."""
    return FileSource(max_bytes=max_bytes, ignore=ignore)


class FileSource:
    def __init__(self, *, max_bytes: int, ignore: tuple[str, ...]) -> None:
        self.max_bytes = max_bytes
        self.ignore = ignore

    def accepts(self, spec: str) -> bool:
        return spec != "-" and Path(spec).exists()

    def read(self, spec: str, context: ReadContext) -> Iterator[Article | SkippedInput | Unchanged]:
        path = Path(spec)
        if not path.is_dir():
            yield from self._read_if_changed(path, context, explicit=True)
            return
        for file in self.walk(path):
            if isinstance(file, OSError):
                ref = InputRef(name=NAME, uri=str(Path(file.filename or path).resolve()))
                yield skipped(ref, "unreadable", f"{file.filename}: {file.strerror or file}")
            else:
                yield from self._read_if_changed(file, context, explicit=False)

    def _read_if_changed(
        self, path: Path, context: ReadContext, *, explicit: bool
    ) -> Iterator[Article | SkippedInput | Unchanged]:
        """A file last modified before ``context.since`` is not even opened."""
        if context.since is not None:
            try:
                changed: float | None = path.stat().st_mtime
            except OSError:
                changed = None  # let read_file report why
            if changed is not None and changed < context.since.timestamp():
                ref = InputRef(name=NAME, uri=str(path.resolve()))
                yield Unchanged(
                    source=ref, detail=f"not modified since {context.since.isoformat()}"
                )
                return
        yield from self.read_file(path, context, explicit=explicit)

    def walk(self, root: Path) -> Iterator[Path | OSError]:
        """Files under ``root``, sorted; a folder that cannot be listed comes as its error."""
        errors: list[OSError] = []
        for folder, dirs, files in os.walk(root, onerror=errors.append):
            yield from errors
            errors.clear()
            dirs[:] = sorted(d for d in dirs if not self._ignored(d))
            for name in sorted(files):
                if not self._ignored(name):
                    yield Path(folder, name)
        yield from errors

    def _ignored(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.ignore)

    def read_file(
        self, path: Path, context: ReadContext, *, explicit: bool
    ) -> Iterator[Article | SkippedInput | Unchanged]:
        ref = InputRef(name=NAME, uri=str(path.resolve()))
        suffix = Path(path.name.removesuffix(".gz")).suffix.lower()
        if suffix == ".jsonl":
            yield from self._read_jsonl(path, ref)
            return
        if suffix not in TYPES and not explicit:
            routed = context.route(str(path), self)
            if routed is None:
                yield skipped(
                    ref, "unsupported_type", f"{path.name}: no configured source reads it"
                )
            else:
                yield from routed
            return
        try:
            data = read_file(path, self.max_bytes)
            fetched_at = modified_at(path)
        except ReadSkip as skip:
            yield skipped(ref, skip.reason, skip.detail)
            return
        media_type = TYPES.get(suffix) or sniff_media_type(data)
        yield article_from_bytes(data, media_type=media_type, source=ref, fetched_at=fetched_at)

    def _read_jsonl(self, path: Path, ref: InputRef) -> Iterator[Article | SkippedInput]:
        try:
            fetched_at = modified_at(path)
            with open_binary(path) as handle:
                for item in iter_jsonl(
                    handle, source_name=NAME, uri=ref.uri, max_bytes=self.max_bytes
                ):
                    if isinstance(item, Article):
                        item.fetched_at = fetched_at
                    yield item
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            yield skipped(ref, "corrupt_gzip", f"{path.name}: {exc or 'truncated gzip stream'}")
        except OSError as exc:
            yield skipped(ref, "unreadable", f"{path}: {exc.strerror or exc}")
