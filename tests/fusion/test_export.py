from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from fusion.test_update import articles, store_all
from khabar.cli import main
from khabar.fusion.update import update_fusion
from khabar.store import Store


def test_fused_events_export_as_rows_records_and_features(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    with Store.open(db) as store:
        store_all(store, articles(25, seed=9))
        update_fusion(store)
        store.commit()
        fused = store.conn.execute("SELECT count(*), sum(reports) FROM fused_events").fetchone()
    cli = CliRunner()
    for fmt in ("csv", "jsonl", "geojson", "parquet"):
        done = cli.invoke(main, ["export", "--db", db, "--what", "fused", "--format", fmt,
                                 "-o", str(tmp_path / f"fused.{fmt}")])  # fmt: skip
        assert done.exit_code == 0, done.output
    with (tmp_path / "fused.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == fused[0] and sum(int(r["reports"]) for r in rows) == fused[1]
    records = [json.loads(line) for line in (tmp_path / "fused.jsonl").read_text().splitlines()]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    assert all({e["event"] for e in r["reports"]} >= set(r["type"]["from"]) for r in records)
    features = json.loads((tmp_path / "fused.geojson").read_text())["features"]
    assert features and all(f["geometry"]["coordinates"] for f in features)
    manifest = json.loads((tmp_path / "fused.csv.manifest.json").read_text())
    assert manifest["what"] == "fused" and manifest["rows"] == fused[0]
    pak = cli.invoke(main, ["export", "--db", db, "--what", "fused", "--format", "csv",
                            "--country", "PAK"])  # fmt: skip
    assert pak.exit_code == 0 and 0 < len(pak.output.splitlines()) - 1 < len(rows)
    # ACLED rows of real-world events: one per fused event that ACLED would code, with its
    # reconciled death toll, and every site that reported it as its source.
    acled = cli.invoke(main, ["export", "--db", db, "--format", "acled", "--what", "events"])
    assert acled.exit_code == 0, acled.output
    coded = list(csv.DictReader(io.StringIO(acled.stdout)))
    by_id = {r["id"]: r for r in rows}
    assert coded and len(coded) <= len(rows)
    for row in coded:
        fused_row = by_id[row["event_id_cnty"]]
        assert row["fatalities"] == (fused_row["killed_best"] or "0")
        assert len([s for s in row["source"].split("; ") if s]) == int(fused_row["sites"])
