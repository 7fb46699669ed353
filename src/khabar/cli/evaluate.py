"""``khabar eval``: khabar measured against public gold data, beside a peer, side by side."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from khabar.cli.common import config_options, handles_errors, load, out
from khabar.evaluate.extraction import DEFAULT_DATA, ExtractionReport, evaluate_extraction

SYSTEM_LABELS = {"khabar": "khabar (clean stage)", "trafilatura": "trafilatura alone (defaults)"}


@click.group("eval")
def eval_group() -> None:
    """Measure khabar on public gold data (skipped, exit 0, when the data is absent)."""


@eval_group.command("extraction")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="The Scrapinghub article-extraction benchmark: ground-truth.json and html/*.html.gz.",
)
@click.option("--limit", type=int, default=None, help="Only the first N pages (sorted by id).")
@config_options
@handles_errors
def extraction(
    data: Path, limit: int | None, config_path: str | None, overrides: tuple[str, ...]
) -> None:
    """HTML main-text precision, recall, F1 and pages/s: khabar beside trafilatura alone."""
    config = load(config_path, overrides)
    report = evaluate_extraction(data, config=config, limit=limit)
    if report.skipped:
        out.print(f"[yellow]skipped[/]: {escape(report.skipped)}", highlight=False)
        return
    show_report(report)


def show_report(report: ExtractionReport) -> None:
    table = Table(
        title=f"main-text extraction: {report.pages} pages from {escape(str(report.data_dir))}",
        title_justify="left",
    )
    for name in ("system", "precision", "recall", "F1", "pages/s", "speed ratio"):
        table.add_column(name, justify="left" if name == "system" else "right")
    for result in report.results:
        table.add_row(
            SYSTEM_LABELS.get(result.name, result.name),
            f"{result.score.precision:.4f}",
            f"{result.score.recall:.4f}",
            f"[bold]{result.score.f1:.4f}[/]",
            f"{result.pages_per_second:.1f}",
            f"{report.speed_ratio(result.name):.2f}x",
        )
    out.print(table)
    out.print(
        "4-word shingles, counts normalised per page, P and R averaged over pages, F1 of the "
        "averages; time = decoding + extraction, the two systems alternating page by page"
        + (f"; {report.missing} pages unreadable (scored as empty)" if report.missing else ""),
        highlight=False,
    )
