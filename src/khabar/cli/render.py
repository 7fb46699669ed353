"""How the CLI shows things in a terminal: summaries, tables, an article with its evidence."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from khabar.bench import MemoryProfile, Result, StageCosts
from khabar.core.article import Article, Claim, Evidence
from khabar.fusion.bench import FusionSpeed
from khabar.reprocess import ReprocessSummary
from khabar.runner import RunSummary
from khabar.store.bench import WriteSpeed
from khabar.store.sqlite import ArticleRow, SkipRow

EVIDENCE_STYLE = "bold black on yellow"
SENTENCE_STYLES = ("", "grey70")
TIME_STYLE = "underline cyan"
PLACE_STYLE = "bold green"
ACTOR_STYLE = "bold magenta"
TRIGGER_STYLE = "bold white on red"
MAX_FAILED_SHOWN = 20


def summary(console: Console, s: RunSummary) -> None:
    table = Table(title=f"run {s.run_id} → {s.db}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("inputs read", str(s.inputs))
    table.add_row("articles stored", str(s.stored))
    table.add_row("duplicates linked", str(s.duplicates))
    table.add_row("already stored", str(s.unchanged))
    for (stage, reason), count in sorted(s.skipped.items()):
        table.add_row(f"skipped: {reason} [dim]({stage})[/]", str(count))
    table.add_row("failed", f"[red]{len(s.failed)}[/]" if s.failed else "0")
    table.add_row("fused events written", str(s.fused))
    rate = s.inputs / s.seconds if s.seconds else 0.0
    table.add_row("time", f"{s.seconds:.2f} s ({rate:.1f} inputs/s)")
    if s.interrupted:
        table.add_row("status", "[yellow]interrupted: run again to resume[/]")
    console.print(table)
    if s.failed:
        console.print("[bold red]Failed inputs[/] (listed with `khabar skips`):")
        for f in s.failed[:MAX_FAILED_SHOWN]:
            where = f"{f.uri}" + (f" ({f.locator})" if f.locator else "")
            console.print(f"  {escape(where)}: [red]{f.reason}[/] in {f.stage}: {escape(f.detail)}")
        if len(s.failed) > MAX_FAILED_SHOWN:
            console.print(f"  ... and {len(s.failed) - MAX_FAILED_SHOWN} more")


def reprocess_summary(console: Console, s: ReprocessSummary) -> None:
    table = Table(title=f"reprocess run {s.run_id}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("articles re-processed", str(s.articles))
    for name in ("created", "updated", "kept", "deleted"):
        table.add_row(f"events {name}", str(s.events.get(name, 0)))
    for (stage, reason), count in sorted(s.failed.items()):
        table.add_row(f"kept old analysis: {reason} [dim]({stage})[/]", f"[red]{count}[/]")
    table.add_row("time", f"{s.seconds:.2f} s")
    console.print(table)


def article_table(console: Console, rows: list[ArticleRow]) -> None:
    table = Table(title=f"{len(rows)} articles", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("id", no_wrap=True, min_width=16)  # never cut: it is what `show` takes
    table.add_column("published", no_wrap=True)
    table.add_column("site", max_width=12, overflow="ellipsis", no_wrap=True)
    table.add_column("title", overflow="fold", min_width=20, ratio=1)
    table.add_column("copies", justify="right", no_wrap=True)
    for r in rows:
        table.add_row(
            r.id,
            r.published or "",
            escape(r.site or ""),
            escape(r.title or ""),
            str(r.copies),
        )
    console.print(table)


def event_table(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(rows)} events", title_justify="left", box=box.SIMPLE_HEAD)
    for name in ("type", "status", "when", "where", "actors", "targets", "killed", "article"):
        table.add_column(name, overflow="fold")
    for r in rows:
        when = r["time_start"] or ""
        if r["time_end"] and r["time_end"] != r["time_start"]:
            when += f"..{r['time_end']}"
        killed = _toll(r["killed_low"], r["killed_best"], r["killed_high"])
        kind = r["type"] + (f"/{r['mode']}" if r["mode"] else "")
        status = r["status"] + (" (bg)" if r["mention_role"] == "background" else "")
        table.add_row(
            kind,
            status,
            when,
            escape(f"{r['place_name'] or ''} {r['country'] or ''}".strip()),
            escape("; ".join(a.split("|")[0] for a in r["actors"])),
            escape("; ".join(t.split("|")[0] for t in r["targets"])),
            killed,
            r["article_id"],
        )
    console.print(table)


def skip_table(console: Console, rows: list[SkipRow]) -> None:
    table = Table(title=f"{len(rows)} skipped inputs", title_justify="left")
    for name in ("input", "stage", "reason", "detail", "seen"):
        table.add_column(name, overflow="fold")
    for r in rows:
        where = r.uri + (f" ({r.locator})" if r.locator else "")
        style = "red" if r.severity == "error" else ""
        table.add_row(
            escape(where),
            r.stage,
            f"[{style}]{r.reason}[/]" if style else r.reason,
            escape(r.detail),
            str(r.times_seen),
        )
    console.print(table)


def article(console: Console, a: Article, *, raw_text: str | None) -> None:
    """Metadata, every claim with its evidence, then the text with the evidence highlighted."""
    console.print(f"[bold]{escape(a.title or '(no title)')}[/]  [dim]{a.id}[/]")
    published = a.published
    when = (
        f"{published.start} .. {published.end} ({published.granularity}, {published.method}, "
        f"confidence {published.confidence:.2f})"
        if published
        else "unknown"
    )
    for label, value in (
        ("url", a.url),
        ("site", a.site),
        ("authors", ", ".join(a.authors)),
        ("published", when),
        ("language", a.language),
        ("source", a.source.uri + (f" ({a.source.locator})" if a.source.locator else "")),
        ("fetched", a.fetched_at.isoformat()),
        ("sentences", str(len(a.sentences))),
    ):
        if value:
            console.print(f"  [bold]{label:<10}[/] {escape(value)}")
    claims(console, a.claims)
    findings(console, a)
    if raw_text is not None:
        console.rule("raw input (raw evidence highlighted)")
        console.print(
            highlighted(raw_text, [e for c in a.claims for e in c.evidence if e.kind == "raw"])
        )
    console.rule(
        "clean text: sentences shaded alternately; [black on yellow]claim evidence[/], "
        f"[{TIME_STYLE}]times[/], [{PLACE_STYLE}]places[/], [{ACTOR_STYLE}]actors[/], "
        f"[{TRIGGER_STYLE}]event triggers[/]"
    )
    shown = highlighted(
        a.text,
        [e for c in a.claims for e in c.evidence if e.kind == "text"],
        sentences=[(s.start, s.end) for s in a.sentences],
    )
    for style, spans in (
        (TIME_STYLE, [(t.start, t.end) for t in a.times]),
        (PLACE_STYLE, [(p.start, p.end) for p in a.places]),
        (ACTOR_STYLE, [(m.start, m.end) for actor in a.actors for m in actor.mentions]),
        (TRIGGER_STYLE, [(m.start, m.end) for e in a.events for m in [e.trigger, *e.mentions]]),
    ):
        for start, end in spans:
            shown.stylize(style, start, end)
    console.print(shown)


def findings(console: Console, a: Article) -> None:
    """What the understanding stages found: times, places, actors, each with its span."""
    if a.times:
        table = Table(title="times", title_justify="left")
        for name in ("text", "at", "value", "granularity", "method"):
            table.add_column(name, overflow="fold")
        for t in a.times:
            value = f"{t.value.start}..{t.value.end}" if t.value else "(no anchor)"
            granularity = t.value.granularity if t.value else ""
            table.add_row(escape(t.text), f"{t.start}", value, granularity, t.method)
        console.print(table)
    if a.places:
        table = Table(title="places", title_justify="left")
        for name in ("text", "at", "place", "country", "precision", "conf.", "method"):
            table.add_column(name, overflow="fold")
        for p in a.places:
            name = ", ".join(x for x in (p.name, p.admin1) if x)
            table.add_row(
                escape(p.text),
                f"{p.start}",
                escape(name),
                p.country or "",
                p.precision or "",
                f"{p.confidence:.2f}",
                p.method,
            )
        console.print(table)
    if a.events:
        table = Table(title="events", title_justify="left")
        for name in ("type", "status", "trigger", "actors", "targets", "where", "when", "killed"):
            table.add_column(name, overflow="fold")
        for e in a.events:
            kind = e.type + (f"/{e.mode}" if e.mode else "")
            status = e.status + (f" ({e.planned_type})" if e.planned_type else "")
            status += " (background)" if e.mention_role == "background" else ""
            when = f"{e.time.value.start}..{e.time.value.end}" if e.time else ""
            killed = _toll(e.killed.low, e.killed.best, e.killed.high) if e.killed else ""
            table.add_row(
                kind,
                status,
                escape(a.text[e.trigger.start : e.trigger.end]),
                escape("; ".join(p.canonical or p.text for p in e.actors)),
                escape("; ".join(p.canonical or p.text for p in e.targets)),
                escape(e.place.name or e.place.text if e.place else ""),
                when,
                killed,
            )
        console.print(table)
    if a.actors:
        table = Table(title="actors", title_justify="left")
        for name in ("actor", "country", "sector", "mentions", "method"):
            table.add_column(name, overflow="fold")
        for actor in a.actors:
            said = "; ".join(dict.fromkeys(a.text[m.start : m.end] for m in actor.mentions))
            table.add_row(
                escape(actor.canonical or actor.text),
                actor.country or "",
                actor.sector or "",
                escape(said),
                actor.method,
            )
        console.print(table)


def claims(console: Console, items: list[Claim]) -> None:
    if not items:
        return
    table = Table(title="claims", title_justify="left")
    for name in ("field", "value", "method", "conf.", "trusted", "kept", "evidence"):
        table.add_column(name, overflow="fold")
    for c in items:
        value = (
            c.value
            if isinstance(c.value, str)
            else (
                ", ".join(c.value)
                if isinstance(c.value, list)
                else f"{c.value.start}..{c.value.end} ({c.value.granularity})"
            )
        )
        kept = "yes" if c.accepted else f"[red]no[/] {escape(c.note or '')}"
        table.add_row(
            c.field,
            escape(value),
            c.method,
            f"{c.confidence:.2f}",
            "yes" if c.trusted else "[red]no[/]",
            kept,
            escape("; ".join(describe(e) for e in c.evidence)),
        )
    console.print(table)


def describe(e: Evidence) -> str:
    if e.kind == "meta":
        return f"meta {e.field} = {e.value!r}"
    quote = f" {e.value!r}" if e.value else ""
    return f"{e.kind} [{e.start}:{e.end}]{quote}"


def highlighted(
    text: str, evidence: list[Evidence], sentences: list[tuple[int, int]] | None = None
) -> Text:
    shown = Text(text)
    for i, (start, end) in enumerate(sentences or []):
        if SENTENCE_STYLES[i % 2]:
            shown.stylize(SENTENCE_STYLES[i % 2], start, end)
    for e in evidence:
        if e.start is not None and e.end is not None:
            shown.stylize(EVIDENCE_STYLE, e.start, e.end)
    return shown


def bench(console: Console, results: list[Result]) -> None:
    table = Table(title="throughput (median of passes)", title_justify="left")
    for name in ("what", "items", "seconds", "items/s", "steady/s", "per day", "MB", "worker MB"):
        table.add_column(name, justify="left" if name == "what" else "right")
    for r in results:
        table.add_row(
            r.name,
            str(r.items),
            f"{r.seconds:.1f}",
            f"{r.per_second:.1f}",
            f"{r.steady_per_second:.1f}" if r.steady_per_second else "",
            f"{r.per_day:,.0f}",
            f"{r.peak_rss_mb:.0f}",
            f"{r.worker_rss_mb:.0f}" if r.worker_rss_mb else "",
        )
    console.print(table)
    console.print(
        "items/s and per day: the whole pass, loading the models included; steady/s: over the "
        "second half of the inputs, once loaded; MB: the pass's own peak memory; worker MB: "
        "its largest worker's"
    )
    alone = next((r for r in results if r.what and r.what.kind == "trafilatura"), None)
    one = next(
        (r for r in results if r.what and r.what.kind == "khabar" and r.what.jobs == 1), None
    )
    for r in results:
        if r.what is None or r.what.kind != "khabar" or r.what.engine != "local":
            continue
        notes = []
        if one is not None and r is not one and r.what.profile == "default" and one.per_second:
            notes.append(
                f"{r.per_second / one.per_second:.2f}x the speed of 1 process"
                + (
                    f" ({r.steady_per_second / one.steady_per_second:.2f}x steady)"
                    if r.steady_per_second and one.steady_per_second
                    else ""
                )
            )
        if alone is not None and alone.per_second:
            notes.append(f"{r.per_second / alone.per_second:.2f}x trafilatura's throughput")
        if notes:
            console.print(f"{r.name}: {'; '.join(notes)}")


def memory_profile(console: Console, profile: MemoryProfile) -> None:
    """Memory at points of a long run, and its growth from the first half to the second."""
    table = Table(
        title=f"memory of khabar run over {profile.articles:,} articles, {profile.jobs} workers "
        f"({profile.seconds:.0f} s, {profile.articles / profile.seconds:.1f} articles/s)",
        title_justify="left",
    )
    for name in ("share of the run", "seconds", "main process MB", "largest worker MB"):
        table.add_column(name, justify="right")
    for share in (0.1, 0.25, 0.5, 0.75, 1.0):
        sample = profile.at(share)
        table.add_row(
            f"{share:.0%}",
            f"{sample.seconds:.0f}",
            f"{sample.main_mb:.0f}",
            f"{sample.worker_mb:.0f}",
        )
    console.print(table)
    main, worker = profile.growth_mb()
    console.print(
        f"growth from the first half to the second (medians): main process {main:+.0f} MB, "
        f"largest worker {worker:+.0f} MB"
    )


def write_speed(console: Console, passes: list[WriteSpeed]) -> None:
    """The store's bulk writes beside executemany of the same rows (median pass)."""
    middle = sorted(passes, key=lambda w: w.ratio)[len(passes) // 2]
    table = Table(
        title=f"store writes: {middle.articles:,} articles of 10 events, {middle.rows:,} rows "
        f"(median of {len(passes)} passes)",
        title_justify="left",
    )
    table.add_column("what")
    table.add_column("seconds", justify="right")
    table.add_column("rows/s", justify="right")
    table.add_row("khabar store (batches of 100 articles)", f"{middle.store_s:.2f}",
                  f"{middle.rows / middle.store_s:,.0f}")  # fmt: skip
    table.add_row("executemany, one transaction, same rows", f"{middle.executemany_s:.2f}",
                  f"{middle.rows / middle.executemany_s:,.0f}")  # fmt: skip
    table.add_row("[bold]ratio (store speed / executemany speed)[/]", "", f"{middle.ratio:.2f}")
    console.print(table)


def _toll(low: int | None, best: int | None, high: int | None) -> str:
    """A toll as a reader says it: the best figure, else the range ("hundreds": 200-999; "at
    least 12": 12+)."""
    if best is not None:
        return str(best)
    if high is None:
        return "" if low is None else f"{low}+"
    return str(high) if low == high else f"{low or 0}-{high}"


def fused_table(console: Console, rows: list[dict[str, Any]]) -> None:
    """Fused events: one row per real-world event, with how many reports and articles."""
    table = Table(title=f"{len(rows)} fused events", title_justify="left")
    for column in ("id", "type", "status", "date", "place", "killed", "reports", "articles"):
        table.add_column(column)
    for row in rows:
        killed = _toll(row["killed_low"], row["killed_best"], row["killed_high"])
        if row["casualty_conflict"]:
            killed += " [red](reports disagree)[/]"
        place = " ".join(str(v) for v in (row["place_name"], row["country"]) if v)
        table.add_row(row["id"], row["type"], row["status"] or "", row["time_start"] or "",
                      escape(place), killed, str(row["reports"]), str(row["articles"]))  # fmt: skip
    console.print(table)


def fusion_speed(console: Console, sizes: list[FusionSpeed]) -> None:
    """Fusion's time and memory as the number of events grows (near-linear is the goal)."""
    table = Table(
        title="fusion: synthetic events at a constant density (137 a day), each size in a "
        "fresh process",
        title_justify="left",
    )
    for column in ("events", "fused events", "pairs compared", "seconds", "µs/event", "peak MB"):
        table.add_column(column, justify="right")
    for size in sizes:
        table.add_row(
            f"{size.events:,}", f"{size.fused:,}", f"{size.comparisons:,}",
            f"{size.seconds:.2f}", f"{size.us_per_event:.0f}", f"{size.peak_rss_mb:.0f}",
        )  # fmt: skip
    console.print(table)


def stage_costs(console: Console, profiles: list[StageCosts]) -> None:
    """CPU per article and stage, a column per profile."""
    first = profiles[0]
    table = Table(
        title=f"CPU per article, by stage ({first.articles} articles, models loaded beforehand)",
        title_justify="left",
    )
    table.add_column("stage")
    for costs in profiles:
        table.add_column(f"{costs.profile} ms", justify="right")
    for name in first.stage_ms:
        table.add_row(name, *(f"{c.stage_ms.get(name, 0.0):.1f}" for c in profiles))
    table.add_row("[bold]all stages[/]", *(f"[bold]{c.total_ms:.1f}[/]" for c in profiles))
    table.add_row("event reports coded", *(f"{c.events:,}" for c in profiles))
    table.add_row(
        "[dim]plain Aho-Corasick scan of the same text (gazetteer names)[/]",
        *(f"[dim]{c.scan_ms:.2f}[/]" for c in profiles),
    )
    console.print(table)
    for costs in profiles:
        console.print(
            f"{costs.profile}: {costs.articles_per_day_on_2_cores:,.0f} articles a day on 2 cores "
            "at this cost (required of default: 250,000; steps and the store come on top, see "
            "the throughput table)"
        )
