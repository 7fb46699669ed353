"""``khabar eval``: khabar measured against public gold data, beside a peer, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from khabar.cli.common import config_options, handles_errors, load, out
from khabar.evaluate.actors import DEFAULT_PLOVER, DEFAULT_RE3D, evaluate_actors
from khabar.evaluate.ecbplus import DEFAULT_DATA as ECBPLUS_DATA
from khabar.evaluate.events import DEFAULT_LOCATION as EVENTS_LOCATION
from khabar.evaluate.events import DEFAULT_PLOVER as EVENTS_PLOVER
from khabar.evaluate.events import TYPINGS as EVENT_TYPINGS
from khabar.evaluate.events import evaluate_events
from khabar.evaluate.extraction import DEFAULT_DATA, ExtractionReport, evaluate_extraction
from khabar.evaluate.geo import DEFAULT_DATA as GEO_DATA
from khabar.evaluate.geo import evaluate_geo
from khabar.evaluate.pubdates import evaluate_pubdates
from khabar.evaluate.textonly import BenchmarkMissing, evaluate_textonly
from khabar.evaluate.time import DEFAULT_DATA as TIME_DATA
from khabar.evaluate.time import evaluate_time
from khabar.nlp.entities import DEFAULT_MODEL

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
@click.option(
    "--plain-text",
    is_flag=True,
    help="Score the scraped-text line cleaner instead, on each page turned into full-page text "
    "(needs the evaluation's tools/ folder beside --data), beside keeping every line.",
)
@config_options
@handles_errors
def extraction(
    data: Path,
    limit: int | None,
    plain_text: bool,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """HTML main-text precision, recall, F1 and pages/s: khabar beside trafilatura alone."""
    if plain_text:
        show_textonly(data, limit)
        return
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


def show_textonly(data: Path, limit: int | None) -> None:
    try:
        report = evaluate_textonly(data, limit=limit)
    except BenchmarkMissing as missing:
        out.print(f"[yellow]skipped[/]: {escape(str(missing))}", highlight=False)
        return
    table = Table(
        title=f"scraped-text cleaning: {report['pages']} pages from {escape(str(data))}",
        title_justify="left",
    )
    for name in ("system", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name == "system" else "right")
    for key, label in (("khabar", "khabar line cleaner"), ("keep_everything", "keep every line")):
        score = report[key]
        table.add_row(
            label,
            f"{score['precision']:.4f}",
            f"{score['recall']:.4f}",
            f"[bold]{score['f1']:.4f}[/]",
        )
    out.print(table)
    out.print(
        f"headline: the cleaner's agrees with the page's own title on "
        f"{report['headline_agrees']} of {report['pages_with_title']} pages (a floor: a page's "
        "title may word the headline differently)",
        highlight=False,
    )
    held_out = report["cross_validated_f1"]
    out.print(
        f"cleaner: {report['ms_per_page']} ms per page. The bundled line model was trained on "
        "these pages: its honest, cross-validated F1 (pages held out) is "
        + (f"{held_out:.4f}" if held_out is not None else "not recorded")
        + "; rebuild and re-measure with python -m khabar.extract.train_lines",
        highlight=False,
    )


@eval_group.command("dates")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA,
    show_default=True,
    help="The article-extraction benchmark (its pages whose address carries a day are used).",
)
@handles_errors
def dates(data: Path) -> None:
    """Publication dates, HTML and scraped text, on pages whose address gives the day."""
    try:
        report = evaluate_pubdates(data)
    except BenchmarkMissing as missing:
        out.print(f"[yellow]skipped[/]: {escape(str(missing))}", highlight=False)
        return
    table = Table(
        title=f"publication dates: {report['pages']} pages whose address carries the day "
        "(withheld from khabar)",
        title_justify="left",
    )
    verdicts = ("right", "right (a window)", "wrong", "none")
    for name in ("system", *verdicts):
        table.add_column(name, justify="left" if name == "system" else "right")
    for key, label in (
        ("html", "khabar, HTML"),
        ("htmldate", "htmldate alone, HTML"),
        ("text", "khabar, scraped text"),
        ("htmldate_text", "htmldate alone, scraped text"),
    ):
        table.add_row(label, *(str(report[key].get(v, 0)) for v in verdicts))
    out.print(table)
    text = report["text"]
    out.print(
        f"scraped text: {text.get('untrusted window', 0)} pages got only an untrusted window "
        f"(the year not fixed by the text), {text.get('untrusted window, right month', 0)} of "
        f"them with the right month; {report['seconds']} s",
        highlight=False,
    )


@eval_group.command("actors")
@click.option(
    "--plover",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_PLOVER,
    show_default=True,
    help="PLOVER's gold records: a folder with gold_standard_records/*.txt (one JSON list).",
)
@click.option(
    "--re3d",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_RE3D,
    show_default=True,
    help="re3d: a folder of source folders, each with documents.json and entities.json.",
)
@config_options
@handles_errors
def actors(plover: Path, re3d: Path, config_path: str | None, overrides: tuple[str, ...]) -> None:
    """Actor country and sector accuracy (PLOVER); NER P/R/F1 and actor coverage (re3d)."""
    stages = {p.registered.name: p.settings for p in load(config_path, overrides).parts("stage")}
    ner = stages.get("nlp.entities.v1", {})
    kb = stages.get("actors.resolve.v1", {})
    report = evaluate_actors(
        plover,
        re3d,
        model=ner.get("model", DEFAULT_MODEL),
        extra_kb=tuple(kb.get("extra_kb", ())),
    )
    if "skipped" in report:
        out.print(f"[yellow]skipped[/]: {escape(report['skipped'])}", highlight=False)
        return
    show_actor_report(report)


def show_actor_report(report: dict[str, Any]) -> None:
    plover = report["plover"]
    if "skipped" in plover:
        out.print(f"[yellow]PLOVER skipped[/]: {escape(plover['skipped'])}", highlight=False)
    else:
        table = Table(
            title=f"actors on {plover['sentences']} PLOVER gold sentences", title_justify="left"
        )
        for name in ("figure", "all", "source", "target", "scored", "skipped"):
            table.add_column(name, justify="left" if name == "figure" else "right")
        for figure in ("country", "country_igo", "sector"):
            side = figure.split("_", 1)
            source, target = (f"source_{figure}", f"target_{figure}")
            table.add_row(
                figure.replace("_igo", " (UNO, EUR as IGO)"),
                f"[bold]{plover[figure]['accuracy']}[/]",
                str(plover[source]["accuracy"]),
                str(plover[target]["accuracy"]),
                str(plover[figure]["scored"]),
                str(plover[figure]["skipped"]),
            )
            del side
        out.print(table)
        shares = plover["mentions"]
        out.print(
            f"{shares['actor_mentions']} actor mentions: {shares['share_kb_entry']} with a KB "
            f"entry, {shares['share_with_country']} with a country; speed {plover['speed']}",
            highlight=False,
        )
    re3d = report["re3d"]
    if "skipped" in re3d:
        out.print(f"[yellow]re3d skipped[/]: {escape(re3d['skipped'])}", highlight=False)
        return
    table = Table(title=f"entities on {re3d['documents']} re3d documents", title_justify="left")
    for name in ("match", "type", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name in ("match", "type") else "right")
    for mode in ("exact", "overlap"):
        for kind, score in re3d["ner"][mode].items():
            table.add_row(
                mode, kind, str(score["precision"]), str(score["recall"]), f"[bold]{score['f1']}[/]"
            )
    out.print(table)
    for kind, share in re3d["actors"].items():
        out.print(
            f"{kind}: {share['gold_mentions']} gold mentions, {share['share_country']} covered by "
            f"an actor with a country, {share['share_kb']} by a KB entry",
            highlight=False,
        )


@eval_group.command("geo")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=GEO_DATA,
    show_default=True,
    help="geoparsing_dev: data/Corpora/lgl.xml and GeoVirus.xml.",
)
@click.option(
    "--entities/--no-entities", default=False, help="Run spaCy NER first and use its labels."
)
@click.option(
    "--home/--no-home",
    default=True,
    show_default=True,
    help="Resolve with each site's profile, from its other articles (LGL names the site).",
)
@handles_errors
def geo(data: Path, entities: bool, home: bool) -> None:
    """Toponym recognition P/R/F1 and resolution accuracy@161 km on LGL and GeoVirus."""
    report = evaluate_geo(data, entities=entities, home=home)
    if "skipped" in report:
        out.print(f"[yellow]skipped[/]: {escape(report['skipped'])}", highlight=False)
        return
    table = Table(title="toponyms: recognition and resolution", title_justify="left")
    for name in ("corpus", "part", "P", "R", "F1", "acc@161km", "median km", "mean km", "country"):
        table.add_column(name, justify="left" if name in ("corpus", "part") else "right")
    for corpus_name, corpus in report["corpora"].items():
        for part in ("tune", "heldout", "all"):
            if part not in corpus:
                continue
            rec, res = corpus[part]["recognition"], corpus[part]["resolution"]
            table.add_row(
                corpus_name,
                part,
                f"{rec['precision']:.3f}",
                f"{rec['recall']:.3f}",
                f"{rec['f1']:.3f}",
                f"{res['accuracy_161km']:.3f}",
                str(res["median_error_km"]),
                str(res.get("mean_error_km", "")),
                f"{res['correct_country']:.3f}",
            )
    out.print(table)


@eval_group.command("fusion")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=ECBPLUS_DATA,
    show_default=True,
    help="ECB+: a folder holding ECB+_LREC2014/ECB+/<topic>/*.xml(.gz).",
)
@click.option(
    "--pipeline/--no-pipeline",
    default=False,
    show_default=True,
    help="Also code the 1,000 stress stories with khabar's pipeline (about 3 minutes).",
)
@click.option(
    "--mentions/--no-mentions",
    default=False,
    show_default=True,
    help="Also code every ECB+ document and score event-mention coreference (about 2 minutes).",
)
@handles_errors
def fusion(data: Path, pipeline: bool, mentions: bool) -> None:
    """Grouping reports of one event: ECB+ (B³, ARI) and the syndication stress (501 groups)."""
    from khabar.evaluate.fusion import (  # noqa: PLC0415
        ecbplus_report,
        mention_report,
        stress_report,
    )

    stories = ecbplus_report(data)
    if "skipped" in stories:
        out.print(f"[yellow]ECB+ skipped[/]: {escape(stories['skipped'])}", highlight=False)
    else:
        table = Table(
            title=f"ECB+: {stories['documents']} documents, {stories['topics']} topics, "
            f"{stories['events']} real-world events; stories at similarity "
            f"{stories['similarity']}",
            title_justify="left",
        )
        table.add_column("setting")
        table.add_column("score", justify="right")
        table.add_row("within each topic: B³ F1 (mean over topics)",
                      f"{stories['within_topic_b3_f1']:.3f}")  # fmt: skip
        table.add_row("within each topic, told there are two: B³ F1",
                      f"{stories['within_topic_b3_f1_told_two']:.3f}")  # fmt: skip
        b3 = stories["corpus_b3"]
        table.add_row("whole corpus: B³ P / R / F1",
                      f"{b3['precision']:.3f} / {b3['recall']:.3f} / {b3['f1']:.3f}")  # fmt: skip
        table.add_row("whole corpus: adjusted Rand index", f"{stories['corpus_ari']:.3f}")
        pairs = stories["corpus_pairwise"]
        shown = f"{pairs['precision']:.3f} / {pairs['recall']:.3f} / {pairs['f1']:.3f}"
        table.add_row("whole corpus: pairwise P / R / F1", shown)
        table.add_row("whole corpus: groups made", str(stories["corpus_groups"]))
        out.print(table)
    if mentions and "skipped" not in stories:
        found = mention_report(data)
        pairs, b3 = found["pairwise"], found["b3"]
        out.print(
            f"ECB+ event mentions: {found['found']:,} of {found['gold_mentions']:,} gold mentions "
            f"(annotated sentences, cross-document chains) coded by khabar; over those, pairwise "
            f"P/R/F1 {pairs['precision']:.3f} / {pairs['recall']:.3f} / {pairs['f1']:.3f}, "
            f"B³ F1 {b3['f1']:.3f}"
        )
    stress = stress_report(pipeline=pipeline)
    table = Table(
        title=f"syndication stress: {stress['articles']} articles, "
        f"{stress['expected_groups']} real events",
        title_justify="left",
    )
    for column in ("fused from", "groups", "B³ F1", "ARI", "seconds"):
        table.add_column(column, justify="right" if column != "fused from" else "left")
    for name, label in (("engine", "the true facts"), ("pipeline", "khabar's coding")):
        if name in stress:
            got = stress[name]
            table.add_row(label, str(got["groups"]), f"{got['b3']['f1']:.3f}",
                          f"{got['ari']:.3f}", f"{got['seconds']:.2f}")  # fmt: skip
    out.print(table)


@eval_group.command("time")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=TIME_DATA,
    show_default=True,
    help="MEANTIME, English section: a folder holding corpus_*/*.xml (NAF/CAT XML with TIMEX3).",
)
@click.option(
    "--held-out",
    multiple=True,
    default=("corpus_gm",),
    show_default=True,
    help="Topic folders left out of tuning, reported apart (repeatable).",
)
@handles_errors
def time_expressions(data: Path, held_out: tuple[str, ...]) -> None:
    """Time expressions, TempEval-3 style: detection P/R/F1, value accuracy, value F1."""
    report = evaluate_time(data, held_out=held_out)
    if "skipped" in report:
        out.print(f"[yellow]skipped[/]: {escape(report['skipped'])}", highlight=False)
        return
    show_time_report(report)


def show_time_report(report: dict[str, Any]) -> None:
    table = Table(
        title=f"time expressions: {report['documents']} MEANTIME documents "
        f"from {escape(report['data'])}",
        title_justify="left",
    )
    for name in ("part", "gold", "P", "R", "F1", "strict F1", "value acc.", "value F1"):
        table.add_column(name, justify="left" if name == "part" else "right")
    rows = [
        ("dates and times", report),
        ("+ durations, sets", report["all_types"]),
        ("tuning folders", report["tuning_folders"]),
        ("held out", report["held_out"]),
        *((f"  {name.removeprefix('corpus_')}", f) for name, f in report["folders"].items()),
    ]
    for label, f in rows:
        table.add_row(
            escape(label),
            str(f["gold"]),
            f"{f['precision']:.3f}",
            f"{f['recall']:.3f}",
            f"{f['f1']:.3f}",
            f"{f['strict_f1']:.3f}",
            f"{f['value_accuracy']:.3f}",
            f"[bold]{f['value_f1']:.3f}[/]",
        )
    out.print(table)
    out.print(
        "relaxed span match (overlap, one to one); value = TIMEX3 value string at the "
        "expression's granularity; value F1 = F1 x value accuracy; each document's creation "
        "time is the anchor and is not scored; held out: "
        f"{', '.join(report['held_out']['folders'])}; {report['ms_per_document']} ms per document",
        highlight=False,
    )


@eval_group.command("events")
@click.option(
    "--plover",
    type=click.Path(file_okay=False, path_type=Path),
    default=EVENTS_PLOVER,
    show_default=True,
    help="PLOVER's gold records: a folder with gold_standard_records/*.txt (one JSON list).",
)
@click.option(
    "--location",
    type=click.Path(file_okay=False, path_type=Path),
    default=EVENTS_LOCATION,
    show_default=True,
    help="event_location: a folder with labeled_text.jsonl (one JSON array).",
)
@click.option(
    "--typing",
    "typings",
    type=click.Choice(EVENT_TYPINGS),
    multiple=True,
    default=EVENT_TYPINGS,
    show_default=True,
    help="Event typing to score on PLOVER (repeatable).",
)
@click.option("--dev", type=int, default=0, help="Also score N development event_location items.")
@click.option("--classifier-model", default="", help="An event-type model file to use instead.")
@config_options
@handles_errors
def events(
    plover: Path,
    location: Path,
    typings: tuple[str, ...],
    dev: int,
    classifier_model: str,
    config_path: str | None,
    overrides: tuple[str, ...],
) -> None:
    """PLOVER event type accuracy and macro-F1 per typing, actor codes; event-place accuracy."""
    load(config_path, overrides)  # checks the configuration before the long run
    report = evaluate_events(
        plover,
        location,
        typings=typings,
        dev=dev,
        overrides=overrides,
        classifier_model=classifier_model,
    )
    if "skipped" in report:
        out.print(f"[yellow]skipped[/]: {escape(report['skipped'])}", highlight=False)
        return
    show_event_report(report)


def show_event_report(report: dict[str, Any]) -> None:
    plover = report["plover"]
    if "skipped" in plover:
        out.print(f"[yellow]PLOVER skipped[/]: {escape(plover['skipped'])}", highlight=False)
    else:
        table = Table(
            title=f"event types on {plover['sentences']} PLOVER gold sentences",
            title_justify="left",
        )
        for name in ("typing", "accuracy", "macro-F1", "top event", "any event", "no event"):
            table.add_column(name, justify="left" if name == "typing" else "right")
        for typing in EVENT_TYPINGS:
            score = plover.get(typing)
            if score is None:
                continue
            if "skipped" in score:
                table.add_row(typing, "skipped", "", "", "", escape(score["skipped"]))
                continue
            table.add_row(
                typing,
                f"[bold]{score['accuracy']}[/]",
                str(score["macro_f1"]),
                str(score["top_event_accuracy"]),
                str(score["any_event_accuracy"]),
                str(score["no_event"]),
            )
        out.print(table)
        first = next((plover[t] for t in EVENT_TYPINGS if "actors" in plover.get(t, {})), None)
        if first is not None:
            for name, score in first["actors"].items():
                out.print(
                    f"{name}: {score['accuracy']} of {score['scored']} "
                    f"({score['skipped']} skipped: {score['skipped_by_reason']})",
                    highlight=False,
                )
    location = report["location"]
    if "skipped" in location:
        out.print(f"[yellow]event_location skipped[/]: {escape(location['skipped'])}")
        return
    for part in ("gold", "development"):
        if part in location:
            score = location[part]
            out.print(
                f"event place ({part}, {score['items']} items): [bold]{score['accuracy']}[/] "
                f"(with a place {score['accuracy_with_location']}, without "
                f"{score['accuracy_without_location']})",
                highlight=False,
            )
