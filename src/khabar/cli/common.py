"""What every command shares: consoles, options, and turning errors into exit codes."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.logging import RichHandler

from khabar.core.config import Config
from khabar.core.errors import KhabarError, StageError

out = Console(soft_wrap=False)
err = Console(stderr=True)

EXIT_OK, EXIT_FAILED_INPUTS, EXIT_USAGE = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])


def setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    handler = RichHandler(console=err, show_path=False, show_time=False)
    logging.basicConfig(level=level, handlers=[handler], format="%(message)s", force=True)


def fail(message: str, code: int = EXIT_USAGE) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    sys.exit(code)


def handles_errors(command: F) -> F:
    """Known errors become one clear line and exit code 2; strict-mode stage errors exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except StageError:
            raise  # only with --strict: the traceback is what the user asked for
        except KhabarError as exc:
            fail(str(exc))
        return None

    return wrapper  # type: ignore[return-value]


def config_options(command: F) -> F:
    command = click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override one setting, e.g. --set run.batch_size=50 (repeatable).",
    )(command)
    command = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="A TOML file of settings over the packaged defaults (see docs/config.md).",
    )(command)
    return command


def db_option(command: F) -> F:
    return click.option(
        "--db",
        default=None,
        metavar="PATH",
        help="A SQLite file, or a PostgreSQL URL (postgresql://user@host/db) [default: run.db].",
    )(command)


def load(config_path: str | None, overrides: tuple[str, ...], **flags: Any) -> Config:
    """The config with the command-line flags applied as the last layer."""
    extra = [f"run.{key}={_toml(value)}" for key, value in flags.items() if value is not None]
    return Config.load(config_path, overrides=[*overrides, *extra])


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def db_path(db: str | None, config_path: str | None = None, overrides: tuple[str, ...] = ()) -> str:
    return db if db is not None else load(config_path, overrides).run.db
