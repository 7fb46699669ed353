import csv
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import ARTICLE_HTML, FRAME_ENV, SAMPLE, write
from khabar.cli import main
from khabar.core.config import Config
from khabar.fusion.update import fuse_stored


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner(env=FRAME_ENV)


@pytest.fixture
def filled(tmp_path: Path, cli: CliRunner) -> Path:
    db = tmp_path / "k.db"
    result = cli.invoke(main, ["run", str(SAMPLE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_run_prints_a_summary_and_exits_0(filled: Path, cli: CliRunner) -> None:
    result = cli.invoke(main, ["run", str(SAMPLE), "--db", str(filled)])
    assert result.exit_code == 0
    assert "already stored" in result.output and "37" in result.output


def test_run_exits_1_and_lists_failed_inputs(tmp_path: Path, cli: CliRunner) -> None:
    write(tmp_path / "in" / "ok.html", ARTICLE_HTML)
    write(tmp_path / "in" / "bad.jsonl", "{oops\n")
    result = cli.invoke(main, ["run", str(tmp_path / "in"), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert "Failed inputs" in result.output
    assert "bad.jsonl (line 1): invalid_json" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "does/not/exist"], "input 'does/not/exist' does not exist"),
        (["run", ".", "--set", "stages.clean.bogus=1"], "has no setting 'bogus'"),
        (
            ["run", ".", "--set", "pipeline.stages=['sentences', 'clean']"],
            "list 'sentences' after 'clean'",
        ),
        (["run", ".", "--config", "missing.toml"], "config file missing.toml does not exist"),
        (["articles", "--db", "missing.db"], "database missing.db does not exist"),
    ],
)
def test_usage_and_config_errors_exit_2_with_one_clear_line(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli.invoke(main, args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_run_writes_records_to_stdout(tmp_path: Path, cli: CliRunner) -> None:
    page = write(tmp_path / "p.html", ARTICLE_HTML)
    result = cli.invoke(main, ["run", str(page), "--db", str(tmp_path / "k.db"), "-o", "-"])
    assert result.exit_code == 0
    record = json.loads(result.stdout.splitlines()[0])
    assert record["title"] == "Talks resume in Doha"


def test_articles_lists_what_is_stored(filled: Path, cli: CliRunner) -> None:
    result = cli.invoke(
        main, ["articles", "--db", str(filled), "--format", "jsonl", "--limit", "100"]
    )
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 35
    assert {"id", "title", "published", "chars", "sentences", "copies"} <= set(rows[0])


def test_show_finds_an_article_by_its_input_id_and_highlights_evidence(
    filled: Path, cli: CliRunner
) -> None:
    result = cli.invoke(main, ["show", "wire-2025-0006", "--db", str(filled)])
    assert result.exit_code == 0
    assert "wire-2025-0001" in result.output  # a copy resolves to the article it duplicates
    assert "claims" in result.output and "input.jsonl" in result.output
    as_json = cli.invoke(main, ["show", "wire-2025-0001", "--db", str(filled), "--json"])
    assert json.loads(as_json.output)["id"] == "wire-2025-0001"
    missing = cli.invoke(main, ["show", "nope", "--db", str(filled)])
    assert missing.exit_code == 2 and "no article 'nope'" in missing.output


def test_show_raw_shows_the_raw_input(filled: Path, cli: CliRunner) -> None:
    ids = [
        json.loads(x)["id"]
        for x in cli.invoke(
            main, ["articles", "--db", str(filled), "--format", "jsonl"]
        ).output.splitlines()
    ]
    result = cli.invoke(main, ["show", ids[0], "--db", str(filled), "--raw"])
    assert "raw input" in result.output and "<html" in result.output.lower()


def test_export_jsonl_and_csv_are_complete(filled: Path, cli: CliRunner, tmp_path: Path) -> None:
    jsonl = cli.invoke(main, ["export", "--db", str(filled)])
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(records) == 35 and all(r["text"] for r in records)
    out = tmp_path / "a.csv"
    result = cli.invoke(main, ["export", "--db", str(filled), "--format", "csv", "-o", str(out)])
    assert "35 articles" in result.output and "sha256" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 35
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    # Events are real-world (fused) events unless the reports are asked for.
    fused = cli.invoke(main, ["export", "--db", str(filled), "--what", "events", "--format", "csv"])
    assert fused.stdout.splitlines()[0].startswith("id,type,status,time_start")
    assert "fused events exported" in fused.stderr
    reports = cli.invoke(
        main, ["export", "--db", str(filled), "--what", "events", "--format", "csv", "--reports"]
    )
    assert reports.stdout.splitlines()[0].startswith("id,article_id,type")
    # Each real-world event once: never more fused events than reports, none lost.
    assert 0 < len(fused.stdout.splitlines()) <= len(reports.stdout.splitlines())


def test_stages_lists_the_registry(cli: CliRunner) -> None:
    result = cli.invoke(main, ["stages"])
    for name in (
        "ingest.files.v1",
        "ingest.stdin.v1",
        "extract.main_text.v1",
        "nlp.sentences.v1",
        "dedup.exact.v1",
    ):
        assert name in result.output


def test_skips_and_runs(filled: Path, cli: CliRunner) -> None:
    skips = cli.invoke(main, ["skips", "--db", str(filled)])
    assert "too_short" in skips.output and "section_index.html" in skips.output
    runs = cli.invoke(main, ["runs", "--db", str(filled)])
    assert "finished" in runs.output


def test_demo_runs_the_whole_default_pipeline_into_a_fresh_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cli = CliRunner(env={"COLUMNS": "250"})  # the packaged default, every stage
    first = cli.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert "articles stored" in first.output and "35" in first.output
    with closing(sqlite3.connect(tmp_path / "khabar-demo.db")) as conn:
        records = [json.loads(r[0]) for r in conn.execute("SELECT record FROM articles")]
    assert sum(bool(r["places"]) for r in records) >= 30
    assert sum(bool(r["actors"]) for r in records) >= 30
    assert sum(bool(r["entities"]) for r in records) >= 30
    again = cli.invoke(main, ["demo"])
    assert again.exit_code == 0 and "already stored" in again.output
    assert (tmp_path / "khabar-demo.db").exists()


def test_demo_refuses_to_overwrite_a_file_that_is_not_its_database(
    tmp_path: Path, cli: CliRunner
) -> None:
    precious = write(tmp_path / "thesis.db", "my thesis")
    result = cli.invoke(main, ["demo", "--db", str(precious)])
    assert result.exit_code == 2 and "is not a khabar database" in result.output
    assert precious.read_text() == "my thesis"


def test_events_lists_filters_and_exports_stored_events(tmp_path: Path, cli: CliRunner) -> None:
    from helpers import article_with_events
    from khabar import Store

    db = tmp_path / "e.db"
    with Store.open(db) as store:
        store.add_article(article_with_events(), store.begin_run(["x"], {}))
        fuse_stored(store, Config.load(env={}))
    fused = cli.invoke(main, ["events", "--db", str(db)])
    assert fused.exit_code == 0 and "2 fused events" in fused.output
    table = cli.invoke(main, ["events", "--db", str(db), "--reports"])
    assert (
        table.exit_code == 0 and "2 events" in table.output and "ASSAULT/explosives" in table.output
    )
    contradiction = cli.invoke(main, ["events", "--db", str(db), "--reports", "--level", "fused"])
    assert contradiction.exit_code == 2 and "contradict" in contradiction.output
    only = cli.invoke(
        main, ["events", "--db", str(db), "--type", "AGREE", "--format", "json", "--reports"]
    )
    (record,) = [json.loads(line) for line in only.stdout.splitlines()]
    assert (record["id"], record["status"], record["article_id"]) == ("e2", "planned", "ev1")
    fused_only = cli.invoke(
        main, ["events", "--db", str(db), "--type", "AGREE", "--format", "json"]
    )
    (fused_record,) = [json.loads(line) for line in fused_only.stdout.splitlines()]
    assert fused_record["status"]["value"] == "planned"
    assert [r["event"] for r in fused_record["reports"]] == ["e2"]
    as_csv = cli.invoke(
        main,
        ["events", "--db", str(db), "--country", "PAK", "--format", "csv", "--level", "report"],
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(r["id"], r["killed_low"], r["place_name"]) for r in rows] == [("e1", "12", "Peshawar")]
    bad = cli.invoke(main, ["events", "--db", str(db), "--since", "last week"])
    assert bad.exit_code == 2
    words = cli.invoke(
        main,
        ["events", "--db", str(db), "--text", "ministers Doha", "--format", "json", "--reports"],
    )
    assert [json.loads(line)["id"] for line in words.stdout.splitlines()] == ["e1", "e2"]
    no_box = cli.invoke(main, ["events", "--db", str(db), "--bbox", "0,95,10,96"])
    assert no_box.exit_code == 2 and "south 95.0 is outside" in no_box.output


def test_run_since_skips_unchanged_files_from_the_command_line(
    tmp_path: Path, cli: CliRunner
) -> None:
    import os

    from helpers import story

    corpus, db = tmp_path / "in", tmp_path / "k.db"
    for n in range(2):
        os.utime(write(corpus / f"s{n}.txt", f"Story {n}\n\n" + story(n)), (1_600_000_000,) * 2)
    first = cli.invoke(main, ["run", str(corpus), "--db", str(db), "-o", "-"])
    assert first.exit_code == 0 and len(first.stdout.splitlines()) == 2
    write(corpus / "s2.txt", "Story 2\n\n" + story(2))
    again = cli.invoke(main, ["run", str(corpus), "--db", str(db), "--since", "last", "-o", "-"])
    assert again.exit_code == 0
    # The two old files are settled unread; only the new one is read, stored and written out.
    records = [json.loads(line) for line in again.stdout.splitlines()]
    assert [r["source"]["uri"].rsplit("/", 1)[-1] for r in records if r.get("text")] == ["s2.txt"]
    dated = cli.invoke(main, ["run", str(corpus), "--db", str(db), "--since", "2021-01-01"])
    assert dated.exit_code == 0 and "already stored" in dated.output
    bad = cli.invoke(main, ["run", str(corpus), "--db", str(db), "--since", "yesterday"])
    assert bad.exit_code == 2 and "--since 'yesterday'" in bad.output


def test_a_fused_toll_without_a_best_figure_shows_its_range() -> None:
    from khabar.cli.render import _toll

    assert _toll(200, None, 999) == "200-999"  # "hundreds"
    assert _toll(12, None, None) == "12+"  # "at least 12"
    assert _toll(3, 3, 3) == "3"
    assert _toll(None, None, None) == ""
