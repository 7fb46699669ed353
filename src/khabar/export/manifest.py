"""Writing an export to a file, all or nothing, with a manifest beside it.

The file is written under a temporary name in the same folder and renamed into place when it is
complete, so a failed or interrupted export never leaves a half-written file under the asked
name. ``<file>.manifest.json`` says what the file holds: format, rows, what was left out and why,
columns, size and sha256. The manifest has no clock in it either: two exports of the same data
give the same file and the same manifest.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from khabar import __version__
from khabar.export.stream import Export, ExportError

log = logging.getLogger(__name__)

MANIFEST_SUFFIX = ".manifest.json"


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def write_export(export: Export, path: Path) -> dict[str, Any]:
    """Write ``export`` to ``path`` and its manifest beside it; return the manifest."""
    digest = hashlib.sha256()
    size = 0

    def write(handle: Any) -> None:
        nonlocal size
        for chunk in export.chunks():
            handle.write(chunk)
            digest.update(chunk)
            size += len(chunk)

    _write_atomically(path, write)
    manifest = {
        "file": path.name,
        "what": export.what,
        "format": export.fmt,
        "rows": export.tally.rows,
        "skipped": dict(sorted(export.tally.skipped.items())),
        "filters": export.filters(),
        "columns": export.columns(),
        "bytes": size,
        "sha256": digest.hexdigest(),
        "khabar_version": __version__,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _write_atomically(manifest_path(path), lambda h: h.write(text.encode("utf-8")))
    log.info("exported %d %s to %s", export.tally.rows, export.what, path)
    return manifest


def _write_atomically(path: Path, write: Any) -> None:
    # Created like any new file (mode 0666 less the umask), unlike tempfile's private 0600.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ExportError(
            f"cannot write {path}: {exc.strerror}; check that the folder exists and is writable"
        ) from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror}; nothing was written") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
