import csv
import hashlib
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from export.support import hostile_article, peshawar_article, store_of
from helpers import FRAME_ENV
from khabar.cli import main


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner(env=FRAME_ENV)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return store_of(tmp_path / "k.db", [peshawar_article(), hostile_article()])


def test_a_file_export_says_what_it_wrote_and_writes_a_manifest(
    db: Path, cli: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "events.acled.csv"
    args = ["export", "--db", str(db), "--what", "events", "--format", "acled", "-o", str(path)]
    result = cli.invoke(main, args)
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert f"2 ACLED events → {path} (sha256 {digest})" in result.stdout
    assert "left out 1 event (1 without an ACLED event type)" in result.stdout
    manifest = json.loads((tmp_path / "events.acled.csv.manifest.json").read_text())
    assert (manifest["rows"], manifest["sha256"]) == (2, digest)
    first = path.read_bytes()
    assert cli.invoke(main, args).exit_code == 0
    assert path.read_bytes() == first


def test_stdout_gets_the_data_and_no_manifest(db: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(
        main, ["export", "--db", str(db), "--what", "events", "--format", "geojson"]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["features"]) == 2
    assert "2 fused events exported; left out 1 event (1 without coordinates)" in result.stderr
    reports = cli.invoke(
        main, ["export", "--db", str(db), "--what", "events", "--format", "geojson", "--reports"]
    )
    assert "2 events exported; left out 1 event (1 without coordinates)" in reports.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.db"]


def test_event_filters_narrow_the_export(db: Path, cli: CliRunner) -> None:
    args = ["export", "--db", str(db), "--what", "events", "--format", "csv"]
    result = cli.invoke(main, [*args, "--type", "AGREE", "--reports"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["status"]) for r in rows] == [("e2", "planned")]
    fused = cli.invoke(main, [*args, "--type", "AGREE"])
    rows = list(csv.DictReader(io.StringIO(fused.stdout)))
    assert [(r["type"], r["status"], r["reports"]) for r in rows] == [("AGREE", "planned", "1")]
    since = cli.invoke(main, [*args, "--since", "2024-05-11", "--level", "report"])
    assert [r["id"] for r in csv.DictReader(io.StringIO(since.stdout))] == ["e1"]


def test_parquet_to_a_file_reads_back(db: Path, cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    result = cli.invoke(main, ["export", "--db", str(db), "--format", "parquet", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(path).column("id").to_pylist() == ["ev1", "hostile"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "parquet"], "parquet is a binary file format: give a file with -o"),
        (["--format", "geojson"], "--format geojson does not apply to articles"),
        (["--format", "acled", "-o", "x.csv"], "--format acled does not apply to articles"),
        (["--country", "PAK"], "the event filters (countries) do not apply to articles"),
        (["--what", "events", "-o", "no/such/dir/x.csv"], "cannot write no/such/dir/x.csv"),
    ],
)
def test_exports_that_cannot_be_made_exit_2_with_one_clear_line(
    db: Path,
    cli: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli.invoke(main, ["export", "--db", str(db), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.db"]


def test_help_says_stdout_gets_no_manifest(cli: CliRunner) -> None:
    help_text = " ".join(cli.invoke(main, ["export", "--help"]).output.split())
    assert "- for stdout (no manifest, and not for parquet)" in help_text
