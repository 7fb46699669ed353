"""``khabar run`` and ``khabar demo``, and the command group."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from importlib import resources
from multiprocessing import get_context
from pathlib import Path
from typing import Literal, TextIO

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from khabar._version import __version__
from khabar.bench import bench, memory_profile, stage_costs
from khabar.cli import browse, evaluate, fuse, render, serve, watch
from khabar.cli.common import (
    EXIT_OK,
    config_options,
    db_option,
    err,
    fail,
    handles_errors,
    load,
    out,
    setup_logging,
)
from khabar.cli.load import check_shard_flags, engine_options, load_command, run_into_shards
from khabar.core.config import Config
from khabar.fusion.bench import fusion_speed
from khabar.parallel import resolve_jobs
from khabar.runner import Event, RunSummary, run
from khabar.store import Store
from khabar.store.bench import write_speed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="khabar")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def main(verbose: int, quiet: bool) -> None:
    """khabar: news as found on the web in, a database of political events with evidence out."""
    setup_logging(verbose, quiet)


@main.command("run")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@db_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Also write one JSON record per input to this .jsonl file (- for stdout).",
)
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=None,
    help="Worker processes (Ray actors with --engine ray); 0 = all cores [default: run.jobs].",
)
@click.option(
    "--strict", is_flag=True, default=None, help="Raise on the first failing article (debugging)."
)
@click.option(
    "--since",
    default=None,
    metavar="DATE|last",
    help="Skip, without reading them, files and feed entries from before DATE (ISO 8601), or "
    "unchanged since the last finished run over the same inputs (last), for cron jobs.",
)
@engine_options
@config_options
@handles_errors
def run_command(
    inputs: tuple[str, ...],
    db: str | None,
    output: str | None,
    jobs: int | None,
    strict: bool | None,
    since: str | None,
    engine: str | None,
    address: str | None,
    shards: str | None,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """Process INPUT files, directories or - (stdin) into the database."""
    check_shard_flags(shards, db=db, output=output)
    config = load(
        config_path, overrides, db=db, jobs=jobs, strict=strict, engine=engine, address=address
    )
    moment = _since(since)
    if shards is not None:
        if moment == "last":
            fail("--since last needs the database's runs; with --shards give a date")
            return
        run_into_shards(list(inputs), config, shards, since=moment)
    with _open_output(output) as handle:
        summary = _run_with_progress(list(inputs), config, handle, since=moment)
    console = err if output == "-" else out
    render.summary(console, summary)
    sys.exit(summary.exit_code)


@main.command()
@click.option(
    "--db", default="khabar-demo.db", show_default=True, help="Where to write the demo database."
)
@click.option("--jobs", "-j", type=int, default=1, show_default=True, help="Worker processes.")
@handles_errors
def demo(db: str, jobs: int) -> None:
    """Run the bundled sample corpus into a fresh database and show what came out."""
    _remove_old_demo(Path(db))
    config = load(None, (), db=db, jobs=jobs)
    with resources.as_file(resources.files("khabar").joinpath("data/sample")) as sample:
        out.print(f"[bold]khabar demo[/]: the bundled sample corpus ({sample}) into {db}\n")
        summary = _run_with_progress([str(sample)], config, None)
    render.summary(out, summary)
    with Store.open(db, readonly=True) as store:
        render.article_table(out, store.list_articles(limit=100))
        first = next(store.iter_articles(), None)
        if first is not None:
            out.rule(f"khabar show {first.id} --db {db}")
            render.article(out, first, raw_text=None)
    out.print(
        f"\nNext: [bold]khabar serve --db {db}[/] (the dashboard, at http://127.0.0.1:8000/), "
        f"[bold]khabar articles --db {db}[/], [bold]khabar show ID --db {db}[/], "
        f"[bold]khabar export --db {db} --format csv[/], or [bold]khabar run YOUR/FILES[/]."
    )
    sys.exit(EXIT_OK if summary.exit_code == 0 else summary.exit_code)


def _remove_old_demo(path: Path) -> None:
    """Start the demo from nothing, but never delete a file that is not a khabar database."""
    if not path.exists():
        return
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            ours = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'"
            ).fetchone()
    except sqlite3.DatabaseError:
        ours = None
    if not ours:
        fail(f"{path} exists and is not a khabar database; choose another --db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def _open_output(output: str | None) -> Iterator[TextIO | None]:
    if output is None:
        yield None
    elif output == "-":
        yield sys.stdout
    else:
        try:
            with Path(output).open("w", encoding="utf-8") as handle:
                yield handle
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}")


def _since(value: str | None) -> datetime | Literal["last"] | None:
    if value is None:
        return None
    if value == "last":
        return "last"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since {value!r} is neither an ISO 8601 date or time nor 'last'")
        raise
    return moment if moment.tzinfo else moment.astimezone()


def _run_with_progress(
    inputs: list[str],
    config: Config,
    output: TextIO | None,
    since: datetime | Literal["last"] | None = None,
) -> RunSummary:
    counts = dict.fromkeys(("stored", "duplicate", "unchanged", "skipped", "failed"), 0)
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("processing", total=None, counts="")

        def on_event(event: Event) -> None:
            counts[event] += 1
            shown = " · ".join(f"{k} {v}" for k, v in counts.items() if v)
            progress.update(task, advance=1, counts=shown)

        return run(inputs, config, output=output, on_event=on_event, since=since)


@main.command("bench")
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="A folder of inputs [default: the bundled sample corpus].",
)
@click.option("--repeat", default=3, show_default=True, help="Timed passes of each measurement.")
@click.option(
    "--jobs",
    "-j",
    default=0,
    show_default=True,
    help="Worker processes for the parallel passes (0: one per core); 1 process is always timed "
    "too, for the speed-up.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="ray: also time khabar run on --jobs Ray actors (needs khabar[ray]).",
)
@click.option(
    "--memory",
    "memory_articles",
    type=int,
    default=0,
    show_default=True,
    help="Also run khabar over this many made-up articles and sample its memory as it goes "
    "(10000: whether memory stays flat over a long run).",
)
@click.option(
    "--fusion",
    "fusion_sizes",
    default="10000,100000",
    show_default=True,
    help="Numbers of synthetic events to fuse, comma-separated ('' to skip).",
)
def bench_command(
    corpus: str | None,
    repeat: int,
    jobs: int,
    engine: str,
    memory_articles: int,
    fusion_sizes: str,
) -> None:
    """Articles/second and peak memory of `khabar run`, beside trafilatura alone; the store's
    writes beside executemany; fusion's time and memory at growing sizes."""
    try:
        sizes = tuple(int(n) for n in fusion_sizes.split(",") if n.strip())
    except ValueError:
        fail(f"--fusion {fusion_sizes!r}: give numbers of events, comma-separated")
    with resources.as_file(resources.files("khabar").joinpath("data/sample")) as sample:
        folder = Path(corpus) if corpus else sample
        out.print(f"benchmark over {folder} ({repeat} passes each, medians)")
        results = bench(folder, repeat=repeat, jobs=resolve_jobs(jobs), engine=engine)
        render.bench(out, results)
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            costs = [pool.submit(stage_costs, folder, p).result() for p in ("default", "fast")]
    render.stage_costs(out, costs)
    render.write_speed(out, [write_speed() for _ in range(repeat)])
    if memory_articles:
        render.memory_profile(out, memory_profile(memory_articles, jobs=resolve_jobs(jobs)))
    if sizes:
        render.fusion_speed(out, fusion_speed(sizes))


main.add_command(evaluate.eval_group)
main.add_command(browse.articles)
main.add_command(browse.events_command)
main.add_command(browse.show)
main.add_command(browse.export_command)
main.add_command(browse.stages_command)
main.add_command(browse.skips)
main.add_command(browse.runs)
main.add_command(browse.sites)
main.add_command(browse.schema)
main.add_command(serve.serve_command)
main.add_command(serve.reprocess_command)
main.add_command(fuse.fuse_command)
main.add_command(fuse.fused_command)
main.add_command(fuse.stories_command)
main.add_command(load_command)
main.add_command(watch.watch_command)
