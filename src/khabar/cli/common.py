"""What every command shares: consoles, options, and turning errors into exit codes."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from click.core import ParameterSource
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
    """``--profile``, ``--config`` and ``--set``. The command gets ``config_path`` and
    ``overrides``; the profile is kept for :func:`load` in the click context."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        profile = kwargs.pop("profile")
        if profile is not None:
            click.get_current_context().meta[_PROFILE] = profile
        return command(*args, **kwargs)

    options = [
        click.option(
            "--profile",
            default=None,
            metavar="NAME",
            help="A packaged configuration: default (the most accurate) or fast (for the "
            "firehose), under --config and --set [default: KHABAR_PROFILE, else default].",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            default=None,
            help="A TOML file of settings over the packaged defaults (see docs/config.md).",
        ),
        click.option(
            "--set",
            "overrides",
            multiple=True,
            metavar="KEY=VALUE",
            help="Override one setting, e.g. --set run.batch_size=50 (repeatable).",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


_PROFILE = "khabar.profile"


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
    context = click.get_current_context(silent=True)
    profile = context.meta.get(_PROFILE) if context is not None else None
    return Config.load(config_path, overrides=[*overrides, *extra], profile=profile)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def db_path(db: str | None, config_path: str | None = None, overrides: tuple[str, ...] = ()) -> str:
    return db if db is not None else load(config_path, overrides).run.db


_DAY = click.DateTime(["%Y-%m-%d"])
_STATUSES = ["happened", "planned", "hypothetical", "negated", "claimed"]


def event_filters(command: F) -> F:
    """The query layer's event filters as options (the same as the API's); the command gets
    them as one ``wanted: EventFilter``. Put it under ``handles_errors``, which then turns a
    filter that cannot be answered into a clear error."""
    from khabar.store.query import BBox, EventFilter, Radius  # noqa: PLC0415

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, end = kwargs.pop("start"), kwargs.pop("end")
        bbox, near = kwargs.pop("bbox"), kwargs.pop("near")
        wanted = EventFilter(
            types=kwargs.pop("types"),
            statuses=kwargs.pop("statuses"),
            countries=kwargs.pop("countries"),
            actor=kwargs.pop("actor"),
            start=start.date() if start else None,
            end=end.date() if end else None,
            sites=kwargs.pop("sites"),
            bbox=BBox.parse(bbox) if bbox else None,
            near=Radius.parse(near) if near else None,
            text=kwargs.pop("text"),
            min_confidence=kwargs.pop("min_confidence"),
            main_only=kwargs.pop("main_only"),
        )
        return command(*args, wanted=wanted, **kwargs)

    options = [
        click.option(
            "--type", "types", multiple=True, help="PLOVER type, e.g. ASSAULT (repeatable)."
        ),
        click.option("--status", "statuses", multiple=True, type=click.Choice(_STATUSES)),
        click.option("--country", "countries", multiple=True, help="ISO3 code of the place."),
        click.option("--actor", default=None, help="A name or code among actors or targets."),
        click.option("--since", "start", type=_DAY, default=None, help="Time reaches this day."),
        click.option("--until", "end", type=_DAY, default=None, help="Time begins by this day."),
        click.option("--site", "sites", multiple=True, help="The article's site (repeatable)."),
        click.option("--bbox", default=None, metavar="W,S,E,N", help="Inside this box (degrees)."),
        click.option("--near", default=None, metavar="LAT,LON,KM", help="Within KM of a point."),
        click.option("--text", default=None, help="Words that must all be in the article."),
        click.option("--min-confidence", type=float, default=0.0, show_default=True),
        click.option(
            "--main", "main_only", is_flag=True, help="Main reports only (no background)."
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def level_option(command: F) -> F:
    """``--level fused|report`` and its shorthand ``--reports``: whether a command lists
    real-world (fused) events, the default, or each article's report of one. The command gets
    one ``level``."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        reports = kwargs.pop("reports")
        given = click.get_current_context().get_parameter_source("level")
        if reports and kwargs["level"] == "fused" and given is ParameterSource.COMMANDLINE:
            raise click.UsageError("--reports and --level fused contradict each other")
        if reports:
            kwargs["level"] = "report"
        return command(*args, **kwargs)

    options = [
        click.option(
            "--level",
            type=click.Choice(["fused", "report"]),
            default="fused",
            show_default=True,
            help="fused: one row per real-world event, however many articles reported it (with "
            "a report that matches the filters); report: each article's report of an event.",
        ),
        click.option("--reports", is_flag=True, help="The same as --level report."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]
