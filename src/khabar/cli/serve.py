"""``khabar serve`` (the REST API) and ``khabar reprocess`` (the stages again, over the store)."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from khabar.cli import render
from khabar.cli.common import config_options, db_option, fail, handles_errors, load, out


@click.command("serve")
@db_option
@click.option("--host", default=None, help="Interface to listen on [default: api.host].")
@click.option("--port", type=int, default=None, help="Port [default: api.port].")
@click.option("--workers", type=int, default=1, show_default=True, help="Server processes.")
@config_options
@handles_errors
def serve_command(
    db: str | None,
    host: str | None,
    port: int | None,
    workers: int,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Serve the database: the dashboard at / and the REST API (described at /openapi.json).

    Read-only unless api.keys holds at least one key; then POST /articles with the header
    `X-API-Key: KEY` processes and stores a submitted article.
    """
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    from khabar.api import create_app  # noqa: PLC0415

    config = load(config_path, overrides, db=db)
    settings = config.api
    app = create_app(config.run.db, config)
    writes = "with writes (API keys configured)" if settings.keys else "read-only"
    base = f"http://{host or settings.host}:{port or settings.port}"
    out.print(f"khabar over {config.run.db}, {writes}: the dashboard at {base}/, the API at {base}")
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port if port is not None else settings.port,
        workers=workers,
        log_level="warning",
    )


@click.command("reprocess")
@db_option
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Only articles stored on or after this day or time (UTC).",
)
@click.option(
    "--stage",
    default=None,
    help="Re-run from this stage on (instance or registered name) [default: the first].",
)
@config_options
@handles_errors
def reprocess_command(
    db: str | None,
    since: datetime | None,
    stage: str | None,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Run the stages again over stored articles (after an upgrade or a config change).

    Events found again keep their ids; events no longer found are recorded as deleted, with
    when and why (GET /deleted, or the deleted_events table).
    """
    from khabar.reprocess import reprocess  # noqa: PLC0415 - loads the stages

    config = load(config_path, overrides, db=db)
    summary = reprocess(config, db=config.run.db, since=since, stage=stage)
    render.reprocess_summary(out, summary)
    if summary.failed:
        fail(f"{sum(summary.failed.values())} articles kept their old analysis", code=1)
    sys.exit(0)
