"""``khabar watch SOURCES.toml``: poll feeds and URL lists on their schedules, until stopped."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from khabar.cli.common import config_options, db_option, err, handles_errors, load, out

if TYPE_CHECKING:
    from khabar.watch import CycleSummary

STATUS_STYLE = {
    "new": "green",
    "not_modified": "dim",
    "unchanged": "dim",
    "failed": "red",
    "interrupted": "yellow",
}


@click.command("watch")
@click.argument("sources_file", metavar="SOURCES.toml", type=click.Path(dir_okay=False))
@db_option
@click.option("--once", is_flag=True, help="Poll every source that is due once, then exit (cron).")
@click.option(
    "--max-cycles",
    type=click.IntRange(min=1),
    default=None,
    help="Stop after this many poll cycles.",
)
@config_options
@handles_errors
def watch_command(
    sources_file: str,
    db: str | None,
    once: bool,
    max_cycles: int | None,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Poll the feeds and URL lists in SOURCES.toml, each on its interval, and store what is new.

    Requests are conditional (a feed that has not changed costs one 304); a failing source is
    recorded and polled again later, less often, while the others go on. Stop it with Ctrl-C or
    SIGTERM: the article being written is finished and the run marked interrupted; start it
    again and it resumes. The file's format is in docs/watch.md. With --once, the exit status is
    1 when a source failed.
    """
    from khabar.store import Store  # noqa: PLC0415 - keeps `khabar --help` quick
    from khabar.watch import Watcher, load_sources  # noqa: PLC0415

    sources = load_sources(sources_file)
    config = load(config_path, overrides, db=db)
    stop = threading.Event()
    failed = False

    def on_cycle(summary: CycleSummary) -> None:
        nonlocal failed
        failed = failed or bool(summary.sources_failed)
        _print_cycle(summary)

    with _stopped_by_signals(stop) as caught, Store.open(config.run.db) as store:
        watcher = Watcher(store, config, sources, stop=stop)
        out.print(
            f"watching {len(sources)} source{'' if len(sources) == 1 else 's'} from "
            f"{escape(sources_file)} into "
            f"{escape(store.where)}" + ("" if once else " (Ctrl-C to stop)")
        )
        watcher.loop(once=once, max_cycles=max_cycles, on_cycle=on_cycle)
    if caught:
        out.print(
            f"stopped by {caught[0]}: everything stored is kept; run `khabar watch "
            f"{escape(sources_file)}` again to resume"
        )
    sys.exit(1 if once and failed else 0)


@contextlib.contextmanager
def _stopped_by_signals(stop: threading.Event) -> Iterator[list[str]]:
    """SIGINT and SIGTERM set ``stop``; a second one raises KeyboardInterrupt, which abandons
    the open batch (rolled back) instead of finishing the article being written."""
    caught: list[str] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        caught.append(signal.Signals(signum).name)
        stop.set()
        sys.stderr.write("stopping after the article being written (again to abandon it)\n")

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield caught
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print_cycle(summary: CycleSummary) -> None:
    when = datetime.now().strftime("%H:%M:%S")
    if not summary.polled:
        return
    if summary.run_id:
        head = (
            f"{when} run {summary.run_id}: {summary.stored} stored, {summary.duplicates} "
            f"copies linked, {summary.fused} fused events written"
        )
    else:
        head = f"{when} nothing new"
    if summary.interrupted:
        head += " [yellow](interrupted)[/]"
    out.print(head, highlight=False)
    for polled in summary.polled:
        style = STATUS_STYLE[polled.status]
        line = f"  {escape(polled.source.name)}: [{style}]{polled.status.replace('_', ' ')}[/]"
        if polled.entries:
            line += f", {polled.stored} stored of {polled.entries} read"
        if polled.status == "failed":
            line += f" ({polled.reason}: {escape(polled.detail or '')}; failure {polled.failures})"
        if polled.next_poll is not None:
            line += f"; next poll {polled.next_poll.astimezone().strftime('%H:%M:%S')}"
        (err if polled.status == "failed" else out).print(line, highlight=False)
