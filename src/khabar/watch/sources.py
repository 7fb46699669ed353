"""SOURCES.toml: the feeds and URL lists that ``khabar watch`` polls, each on its own schedule.

::

    [defaults]              # optional; every key may also be set on a source
    interval = "15m"        # how often a source is polled (at least 1m)
    max_backoff = "6h"      # the longest wait after failures (the wait doubles with each one)

    [[source]]
    url = "https://gulf-monitor.example/rss"
    kind = "feed"           # feed: RSS or Atom | urls: a list of article URLs, one a line
    interval = "10m"
    name = "Gulf Monitor"   # optional: how messages and the dashboard call it

    [[source]]
    url = "lists/wires.txt" # a local file, relative to this file
    kind = "urls"

Durations are ``90s``, ``15m``, ``2h``, ``1d``, combinations such as ``1h30m``, or a number of
seconds. Every mistake is a ``SourcesError`` naming the file, the entry and what to write instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from khabar.core.config import read_toml
from khabar.core.errors import KhabarError

Kind = Literal["feed", "urls"]
KINDS: tuple[Kind, ...] = ("feed", "urls")
DEFAULT_INTERVAL_S = 15 * 60
DEFAULT_MAX_BACKOFF_S = 6 * 3600
MIN_INTERVAL_S = 60  # polling a site more often than this is not polite
SCHEDULE_KEYS = ("interval", "max_backoff")
SOURCE_KEYS = ("url", "kind", "name", *SCHEDULE_KEYS)
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UNITS = (86_400, 3_600, 60, 1)


class SourcesError(KhabarError):
    """A SOURCES.toml file is missing, unreadable, or has a bad entry."""


@dataclass(frozen=True)
class WatchSource:
    """One watched source: a feed or a URL list, at an http(s) URL or in a local file."""

    name: str
    url: str  # as written in SOURCES.toml
    key: str  # the URL, or the local file's absolute path: what its state is kept under
    kind: Kind
    interval_s: float
    max_backoff_s: float

    @property
    def is_remote(self) -> bool:
        return is_http(self.url)

    def delay_s(self, failures: int) -> float:
        """How long after a poll the next one is due: the interval, doubled per failure up to
        ``max_backoff_s`` (never less than the interval itself)."""
        if failures <= 0:
            return self.interval_s
        cap = max(self.max_backoff_s, self.interval_s)
        return min(self.interval_s * float(2 ** min(failures, 32)), cap)


def is_http(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def parse_duration(value: object) -> float:
    """Seconds from ``"90s"``, ``"15m"``, ``"1h30m"``, ``"1d"`` or a number; ``ValueError`` else."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value.strip().lower())):
        if not any(match.groups()):
            raise ValueError(f"{value!r} is not a duration")
        seconds = float(
            sum(int(n or 0) * unit for n, unit in zip(match.groups(), _UNITS, strict=True))
        )
    else:
        raise ValueError(f"{value!r} is not a duration")
    if seconds <= 0:
        raise ValueError(f"{value!r} is not a positive duration")
    return seconds


def load_sources(path: str | Path) -> list[WatchSource]:
    """The sources in a SOURCES.toml file, checked; ``SourcesError`` on the first mistake."""
    path = Path(path)
    data = _read(path)
    unknown = sorted(set(data) - {"defaults", "source"})
    if unknown:
        raise SourcesError(
            f"{path}: unknown table or key {unknown[0]!r}; a sources file has [defaults] and "
            f"[[source]] entries.{_did_you_mean(unknown[0], ('defaults', 'source'))}"
        )
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SourcesError(f"{path}: 'defaults' must be a table: [defaults]")
    _check_keys(defaults, SCHEDULE_KEYS, f"{path}: [defaults]")
    base = _schedule(defaults, {}, f"{path}: [defaults]")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SourcesError(f"{path}: sources are [[source]] tables (note the double brackets)")
    if not entries:
        raise SourcesError(
            f'{path}: no [[source]] entries; add one: [[source]] url = "https://..." kind = "feed"'
        )
    sources: list[WatchSource] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        source = _source(entry, base, path, number)
        if source.key in seen:
            raise SourcesError(
                f"{path}: source #{number} ({source.url}) repeats source #{seen[source.key]}; "
                "list each feed or list once"
            )
        seen[source.key] = number
        sources.append(source)
    return sources


def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, SourcesError, "sources file")


def _source(entry: dict[str, Any], base: dict[str, float], path: Path, number: int) -> WatchSource:
    url = entry.get("url")
    where = f"{path}: source #{number}" + (f" ({url})" if isinstance(url, str) else "")
    _check_keys(entry, SOURCE_KEYS, where)
    if not isinstance(url, str) or not url.strip():
        raise SourcesError(f'{where}: give its url = "https://..." (or the path of a local file)')
    url = url.strip()
    kind = entry.get("kind")
    if kind not in KINDS:
        raise SourcesError(
            f'{where}: kind = {kind!r} is not one of "feed" (RSS or Atom) and "urls" '
            '(a list of article URLs, one a line); write kind = "feed" or kind = "urls"'
        )
    if "://" in url and not is_http(url):
        raise SourcesError(f"{where}: only http(s) URLs and local file paths are watched")
    name = entry.get("name", url)
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: name must be a non-empty string")
    schedule = _schedule(entry, base, where)
    key = url if is_http(url) else str((path.parent / Path(url).expanduser()).resolve())
    return WatchSource(name.strip(), url, key, kind, schedule["interval"], schedule["max_backoff"])


def _schedule(table: dict[str, Any], base: dict[str, float], where: str) -> dict[str, float]:
    found = {
        "interval": base.get("interval", DEFAULT_INTERVAL_S),
        "max_backoff": base.get("max_backoff", DEFAULT_MAX_BACKOFF_S),
    }
    for key in SCHEDULE_KEYS:
        if key not in table:
            continue
        try:
            found[key] = parse_duration(table[key])
        except ValueError as exc:
            raise SourcesError(
                f'{where}: {key} = {table[key]!r}: {exc}; write it like "90s", "15m", "2h", '
                '"1h30m" or "1d"'
            ) from None
    if found["interval"] < MIN_INTERVAL_S:
        raise SourcesError(
            f"{where}: interval = {table.get('interval')!r} is under the polite minimum of "
            f'{MIN_INTERVAL_S} s; write interval = "1m" or more'
        )
    return found


def _check_keys(table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise SourcesError(
                f"{where}: unknown key {key!r}; the keys are {', '.join(known)}."
                f"{_did_you_mean(key, known)}"
            )


def _did_you_mean(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""
