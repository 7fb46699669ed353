"""``khabar fuse``: fused events (reports of one real-world event), and a user's corrections."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from khabar.cli.common import config_options, db_option, fail, handles_errors, load, out


@click.command("fuse")
@db_option
@click.option(
    "--all", "everything", is_flag=True, help="Fuse every report again, not only new ones."
)
@click.option("--merge", "merge", multiple=True, metavar="EVENT_ID",
              help="These reports are one event (repeat for each; two or more).")  # fmt: skip
@click.option("--split", "split", multiple=True, metavar="EVENT_ID",
              help="These two reports are not one event (give it twice).")  # fmt: skip
@click.option("--note", default=None, help="Why (kept with the decision).")
@config_options
@handles_errors
def fuse_command(
    db: str | None,
    everything: bool,
    merge: tuple[str, ...],
    split: tuple[str, ...],
    note: str | None,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Fuse reports of the same event (a run does this by itself); record a merge or a split.

    Decisions are kept in the store and hold whatever is re-processed later.
    """
    from khabar.fusion.engine import Settings  # noqa: PLC0415
    from khabar.fusion.update import FusionError, decide, update_fusion  # noqa: PLC0415
    from khabar.store import Store  # noqa: PLC0415

    if merge and split:
        fail("give --merge or --split, not both")
    config = load(config_path, overrides, db=db)
    settings = Settings.from_config(config)
    with Store.open(config.run.db) as store:
        if merge or split:
            try:
                kind = "merge" if merge else "split"
                now = decide(store, kind, list(merge or split), note, settings)
            except FusionError as exc:
                fail(f"{exc} (in {config.run.db})")
            for event_id, fused_id in sorted(now.items()):
                out.print(f"{event_id} → {fused_id}")
        summary = update_fusion(store, settings, everything=everything)
        store.commit()
    out.print(
        f"{summary.reports} reports fused into {summary.fused} events "
        f"({summary.removed} earlier fused events are gone) in {summary.seconds:.2f} s"
    )


@click.command("fused")
@db_option
@click.option("--min-reports", default=2, show_default=True, help="Only events with this many.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON record per line, with provenance.")
@config_options
@handles_errors
def fused_command(
    db: str | None,
    min_reports: int,
    limit: int,
    as_json: bool,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Fused events with the most reports first: how many articles and sites, the casualties
    reconciled, and whether the reports' tolls conflict."""
    from khabar.store import Store  # noqa: PLC0415

    config = load(config_path, overrides, db=db)
    with Store.open(config.run.db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT id, type, status, time_start, place_name, country, killed_low, killed_best, "
            "killed_high, casualty_conflict, reports, articles, sites, record FROM fused_events "
            "WHERE reports >= ? ORDER BY reports DESC, id LIMIT ?",
            (min_reports, limit),
        ).fetchall()
    if as_json:
        for row in rows:
            click.echo(json.dumps(json.loads(row[-1]), ensure_ascii=False))
        return
    table = Table(title=f"fused events in {config.run.db} (with {min_reports}+ reports)")
    for column in ("id", "type", "status", "date", "place", "killed (low-best-high)", "reports",
                   "articles", "sites"):  # fmt: skip
        table.add_column(column)
    for (fid, type_, status, day, place, country, low, best, high, conflict, reports, articles,
         sites, _) in rows:  # fmt: skip
        killed = (
            ""
            if best is None
            else f"{low}-{best}-{high}" + (" [red]conflict[/]" if conflict else "")
        )
        where = f"{place or ''} {country or ''}".strip()
        table.add_row(fid, type_, status or "", day or "", escape(where), killed, str(reports),
                      str(articles), str(sites))  # fmt: skip
    out.print(table)


@click.command("stories")
@db_option
@click.option(
    "--days",
    default=14,
    show_default=True,
    help="Dated articles further apart are never one story.",
)
@click.option(
    "--similarity", default=0.22, show_default=True, help="Average cosine that makes one story."
)
@click.option("--min-articles", default=2, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON record per story.")
@config_options
@handles_errors
def stories_command(
    db: str | None,
    days: int | None,
    similarity: float | None,
    min_articles: int,
    as_json: bool,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Articles about the same story (not necessarily one event), each story labelled with the
    names and words its articles share."""
    from datetime import date  # noqa: PLC0415

    from khabar.fusion.stories import (  # noqa: PLC0415
        Settings,
        StoryItem,
        document_frequencies,
        group,
        label,
    )
    from khabar.store import Store  # noqa: PLC0415

    config = load(config_path, overrides, db=db)
    with Store.open(config.run.db, readonly=True) as store:
        items = {
            row[0]: StoryItem(
                row[0],
                row[2] or "",
                row[1] or "",
                date.fromisoformat(row[3][:10]) if row[3] else None,
            )
            for row in store.conn.execute(
                "SELECT id, title, text, published_start FROM articles ORDER BY id"
            )
        }
    settings = Settings(
        similarity=config.fusion.story_similarity if similarity is None else similarity,
        days=config.fusion.story_days if days is None else days,
    )
    frequencies = document_frequencies(items.values(), settings)
    grouped = group(list(items.values()), settings, frequencies=frequencies)
    found = [g for g in grouped if len(g) >= min_articles]
    found.sort(key=lambda g: (-len(g), g[0]))
    stories: list[dict[str, Any]] = []
    for members in found:
        chosen = [items[m] for m in members]
        dated = sorted(i.published for i in chosen if i.published)
        stories.append(
            {
                "label": label(chosen, settings, frequencies),
                "articles": members,
                "titles": [i.title for i in chosen],
                "first": dated[0].isoformat() if dated else None,
                "last": dated[-1].isoformat() if dated else None,
            }
        )
    if as_json:
        for story in stories:
            click.echo(json.dumps(story, ensure_ascii=False))
        return
    table = Table(
        title=f"stories in {config.run.db} ({len(items)} articles, {min_articles}+ per story)"
    )
    for column in ("story", "articles", "from", "to", "titles"):
        table.add_column(column)
    for story in stories:
        titles = "; ".join(t for t in story["titles"][:3] if t)
        table.add_row(escape(story["label"]), str(len(story["articles"])), story["first"] or "",
                      story["last"] or "", escape(titles))  # fmt: skip
    out.print(table)
