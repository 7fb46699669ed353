"""Where ``khabar run`` runs the stages (``--engine``, ``--address``), ``--shards``, and
``khabar load``, which imports shards into a database."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click
from rich.table import Table

from khabar.cli import render
from khabar.cli.common import (
    EXIT_FAILED_INPUTS,
    EXIT_OK,
    config_options,
    db_option,
    fail,
    handles_errors,
    load,
    out,
)
from khabar.core.config import Config
from khabar.engines.shards import load_shards, run_to_shards

F = TypeVar("F", bound=Callable[..., Any])


def engine_options(command: F) -> F:
    """``--engine``, ``--address`` and ``--shards`` for ``khabar run``."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(["local", "ray"]),
            default=None,
            help="Where the stages run: here (local) or on Ray actors [default: run.engine].",
        ),
        click.option(
            "--address",
            default=None,
            metavar="ADDRESS",
            help="The Ray cluster: auto, or ray://HEAD:10001 [default: run.address; empty: "
            "RAY_ADDRESS, else a Ray instance started for the run].",
        ),
        click.option(
            "--shards",
            type=click.Path(file_okay=False),
            default=None,
            metavar="DIR",
            help="Write what the stages produce to Parquet shards in DIR instead of a "
            "database; import them with `khabar load DIR`.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_into_shards(
    inputs: list[str], config: Config, directory: str, *, since: datetime | None = None
) -> None:
    """``khabar run --shards DIR``: the stages' outcomes into shards; exits."""
    summary = run_to_shards(inputs, config, directory=directory, since=since)
    table = Table(title=f"shards → {directory}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("inputs read", str(summary.inputs))
    table.add_row("articles, to load", str(summary.articles))
    table.add_row("unchanged", str(summary.unchanged))
    for (stage, reason), count in sorted(summary.skipped.items()):
        table.add_row(f"skipped: {reason} [dim]({stage})[/]", str(count))
    table.add_row("failed", f"[red]{summary.failed}[/]" if summary.failed else "0")
    table.add_row("shards written", str(len(summary.shards)))
    if summary.workers:
        table.add_row("Ray workers", str(len(summary.workers)))
    table.add_row("time", f"{summary.seconds:.2f} s")
    out.print(table)
    out.print(f"Next: [bold]khabar load {directory} --db DB[/]")
    sys.exit(EXIT_FAILED_INPUTS if summary.failed else EXIT_OK)


@click.command("load")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@db_option
@config_options
@handles_errors
def load_command(
    directory: str, db: str | None, config_path: str | None, overrides: tuple[str, ...]
) -> None:
    """Import the Parquet shards in DIRECTORY (from `khabar run --shards`) into the database:
    dedup, store, fuse. Shards already imported are skipped; a killed load resumes."""
    config = load(config_path, overrides, db=db)
    summary = load_shards(directory, config)
    render.summary(out, summary.run)
    out.print(
        f"{len(summary.loaded)} shards imported; {summary.already_loaded} imported before, skipped"
    )
    sys.exit(summary.run.exit_code)


def check_shard_flags(shards: str | None, **others: Any) -> None:
    """Options that write to a database make no sense with ``--shards``."""
    if shards is None:
        return
    given = [f"--{name}" for name, value in others.items() if value is not None]
    if given:
        fail(f"--shards writes no database, so {', '.join(given)} cannot be used with it")
