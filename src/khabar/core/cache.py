"""Where khabar keeps what it builds once from installed packages (the gazetteer, the actors'
place table, the language model unpacked), and how a cached file names what it was built from."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

CACHE_ENV = "KHABAR_CACHE_DIR"


def cache_root() -> Path:
    """``$KHABAR_CACHE_DIR``, else ``$XDG_CACHE_HOME/khabar``, else ``~/.cache/khabar``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "khabar"


def package_version(name: str) -> str:
    """An installed package's version, ``"absent"`` when it is not installed: part of the key
    of whatever is built from its data."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


@contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """A fresh folder beside ``folder`` to build into; when the block ends without an error it
    takes ``folder``'s place (replacing a damaged copy), so a reader never sees half a cache.
    If another process puts its copy there first, that copy stays: it is as good."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        yield staging
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)
        try:
            staging.rename(folder)
        except OSError:
            if not folder.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
