"""``khabar watch``: feeds and URL lists polled on a schedule, what is new processed as it comes.

``sources`` reads and checks SOURCES.toml; ``poll`` holds the loop, the schedule and each
source's state. See docs/watch.md.
"""

from khabar.watch.poll import CycleSummary, Polled, Watcher
from khabar.watch.sources import SourcesError, WatchSource, load_sources, parse_duration

__all__ = [
    "CycleSummary",
    "Polled",
    "SourcesError",
    "WatchSource",
    "Watcher",
    "load_sources",
    "parse_duration",
]
