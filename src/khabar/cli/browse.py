"""Commands that read the store or the registry: articles, show, export, stages, skips, runs."""

from __future__ import annotations

import csv
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from khabar.cli import render
from khabar.cli.common import (
    config_options,
    db_option,
    db_path,
    err,
    event_filters,
    fail,
    handles_errors,
    level_option,
    load,
    out,
)
from khabar.core.registry import Registered, sources, stages, steps
from khabar.core.schema import record_schema
from khabar.export import (
    FORMATS,
    Export,
    Format,
    exported,
    manifest_path,
    neutralise,
    write_export,
)
from khabar.store import Store
from khabar.store.events import EVENT_COLUMNS, EventFilter


@click.command()
@db_option
@click.option("--limit", default=50, show_default=True, help="How many articles to list.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True
)
@handles_errors
def articles(db: str | None, limit: int, fmt: str) -> None:
    """List stored articles, oldest first."""
    with Store.open(db_path(db), readonly=True) as store:
        rows = store.list_articles(limit=limit)
    if fmt == "jsonl":
        for r in rows:
            out.print_json(json.dumps(r.__dict__), indent=None)
    else:
        render.article_table(out, rows)


@click.command()
@click.argument("article_id")
@db_option
@click.option("--raw", is_flag=True, help="Also show the raw input, with raw evidence highlighted.")
@click.option("--json", "as_json", is_flag=True, help="Print the article record as JSON instead.")
@handles_errors
def show(article_id: str, db: str | None, raw: bool, as_json: bool) -> None:
    """Show one article: metadata, claims with evidence, and the text with evidence highlighted.

    ARTICLE_ID is an article id, an input's own id, or a unique prefix of an article id.
    """
    with Store.open(db_path(db), readonly=True) as store:
        found = store.resolve_id(article_id)
        article = store.get_article(found) if found else None
        if article is None:
            fail(f"no article {article_id!r} in {store.where}; list them with `khabar articles`")
            return
        raw_text = store.raw_text(article) if raw else None
    if as_json:
        print(article.to_json())
    else:
        render.article(out, article, raw_text=raw_text)


@click.command("export")
@db_option
@click.option(
    "--what",
    type=click.Choice(["articles", "events", "fused"]),
    default="articles",
    show_default=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: full records; csv, parquet: flat columns; geojson: events with coordinates; "
    "acled: events as ACLED's columns and event types (docs/exports.md).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="File to write, with FILE.manifest.json beside it; - for stdout (no manifest, and "
    "not for parquet).",
)
@level_option
@handles_errors
@event_filters
def export_command(
    db: str | None, what: str, fmt: str, output: str, level: str, wanted: EventFilter
) -> None:
    """Export every stored article or event, streamed, with no cap.

    Events are real-world (fused) events unless --reports asks for each article's report
    (``--what fused`` is another name for fused events). A file gets a manifest beside it
    (FILE.manifest.json: rows, what was left out and why, columns, bytes, sha256); stdout gets
    none. The same data always exports to the same bytes.
    """
    if output == "-" and fmt == "parquet":
        fail("parquet is a binary file format: give a file with -o FILE.parquet")
    with Store.open(db_path(db), readonly=True) as store:
        export = Export(store, exported(what, level), _format(fmt), wanted)
        if output == "-":
            stdout = sys.stdout.buffer
            for chunk in export.chunks():
                stdout.write(chunk)
            stdout.flush()
            err.print(
                f"{export.tally.rows} {_noun(export)} exported{_skipped(export)}", soft_wrap=True
            )
            return
        manifest = write_export(export, Path(output))
    out.print(
        f"{manifest['rows']} {_noun(export)} → {output} (sha256 {manifest['sha256']})"
        f"{_skipped(export)}; manifest {manifest_path(Path(output))}",
        highlight=False,
        soft_wrap=True,
    )


def _noun(export: Export) -> str:
    if export.fmt == "acled":
        return "ACLED events"
    return "fused events" if export.what == "fused" else export.what


_LEFT_OUT = {
    "no_coordinates": "without coordinates",
    "no_acled_type": "without an ACLED event type",
    "not_happened": "planned, hypothetical or negated",
    "no_date": "without a date",
}


def _skipped(export: Export) -> str:
    """What the export left out and why: "; left out 3 events (2 without coordinates, ...)"."""
    skipped = export.tally.skipped
    if not skipped:
        return ""
    total = sum(skipped.values())
    reasons = ", ".join(
        f"{n} {_LEFT_OUT.get(reason, reason)}" for reason, n in sorted(skipped.items())
    )
    return f"; left out {total} {'event' if total == 1 else 'events'} ({reasons})"


def _format(value: str) -> Format:
    for known in FORMATS:
        if known == value:
            return known
    raise click.BadParameter(f"unknown format {value!r}", param_hint="--format")


@click.command("stages")
@config_options
@handles_errors
def stages_command(config_path: str | None, overrides: tuple[str, ...]) -> None:
    """The registered sources, stages and steps: what each requires and assigns."""
    config = load(config_path, overrides)
    configured = {
        p.registered.name for kind in ("source", "stage", "step") for p in config.parts(kind)
    }
    for title, registry in (("sources", sources), ("stages", stages), ("steps", steps)):
        table = Table(title=title, title_justify="left")
        for name in ("name", "in config", "requires", "assigns", "what it does"):
            table.add_column(name, overflow="fold")
        for item in registry.all():
            table.add_row(*_describe(item, item.name in configured))
        out.print(table)


def _describe(item: Registered, used: bool) -> list[str]:
    return [
        item.name,
        "yes" if used else "",
        ", ".join(sorted(item.requires)),
        ", ".join(sorted(item.assigns)),
        escape(item.summary),
    ]


@click.command()
@db_option
@click.option("--run", "run_id", type=int, default=None, help="Only what this run skipped.")
@handles_errors
def skips(db: str | None, run_id: int | None) -> None:
    """Inputs that produced no article, with the stage and the reason."""
    with Store.open(db_path(db), readonly=True) as store:
        render.skip_table(out, store.list_skips(run_id))


@click.command()
@db_option
@click.option("--limit", default=20, show_default=True)
@handles_errors
def runs(db: str | None, limit: int) -> None:
    """Recent runs: when, over what inputs, and what they did."""
    with Store.open(db_path(db), readonly=True) as store:
        rows = store.runs(limit)
    table = Table(title="runs", title_justify="left")
    for name in ("run", "started", "status", "inputs", "stored", "dup.", "failed", "seconds"):
        table.add_column(name, overflow="fold")
    for r in rows:
        c = r["counts"] or {}
        table.add_row(
            str(r["id"]),
            r["started_at"],
            r["status"],
            escape(" ".join(r["inputs"])),
            str(c.get("stored", "")),
            str(c.get("duplicates", "")),
            str(len(c.get("failed", []))),
            str(c.get("seconds", "")),
        )
    out.print(table)


@click.command()
@db_option
@click.option("--limit", default=50, show_default=True)
@handles_errors
def sites(db: str | None, limit: int) -> None:
    """Sites with the most stored articles, and the home each one's articles give it: the
    country and area its ambiguous place names lean to (docs/places.md)."""
    with Store.open(db_path(db), readonly=True) as store:
        rows = store.site_profiles(limit)
    table = Table(title="sites", title_justify="left")
    for name in ("site", "articles", "home", "most named"):
        table.add_column(name, overflow="fold")
    for site, profile in rows:
        home = profile.home_keys()
        named = (profile.areas + profile.countries).most_common(3)
        table.add_row(
            escape(site),
            str(profile.articles),
            escape(", ".join(f"{k} {v:.0%}" for k, v in home.items()) or "none"),
            escape(", ".join(f"{k} {n}" for k, n in named)),
        )
    out.print(table)


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the schema to this file instead of printing it.",
)
def schema(output: str | None) -> None:
    """The JSON Schema of the article record (what `run --output` and `export` write)."""
    text = json.dumps(record_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@click.command("events")
@db_option
@click.option("--limit", type=int, default=None)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@level_option
@handles_errors
@event_filters
def events_command(
    db: str | None, limit: int | None, fmt: str, level: str, wanted: EventFilter
) -> None:
    """Stored events, filtered (the same filters as the API's): real-world (fused) events, or
    with --reports each article's report; as a table, JSON Lines (full records) or CSV."""
    wanted = replace(wanted, limit=limit)
    if level == "fused":
        _fused_events(db, limit, fmt, wanted)
        return
    with Store.open(db_path(db), readonly=True) as store:
        rows = store.events(wanted)
        if fmt == "table":
            render.event_table(out, list(rows))
        elif fmt == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                flat = {
                    **row,
                    "actors": "; ".join(row["actors"]),
                    "targets": "; ".join(row["targets"]),
                }
                writer.writerow({k: neutralise(v) for k, v in flat.items()})
        else:
            for row in rows:
                record = store.event_record(row["id"])
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _fused_events(db: str | None, limit: int | None, fmt: str, wanted: EventFilter) -> None:
    """``khabar events``: fused events, as a table, CSV or their JSON records."""
    from khabar.store.query import FUSED_COLUMNS, fused_detail, iter_fused_pages  # noqa: PLC0415

    with Store.open(db_path(db), readonly=True) as store:
        rows = list(itertools.islice(iter_fused_pages(store.conn, wanted), limit))
        if fmt == "json":
            for row in rows:
                detail = fused_detail(store.conn, row["id"])
                sys.stdout.write(json.dumps(detail, ensure_ascii=False) + "\n")
            return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FUSED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralise(v) for k, v in row.items()})
        return
    render.fused_table(out, rows)
