"""Thousands of events, exported whole and streamed."""

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from khabar import Store
from khabar.export import Export, write_export
from khabar.export import stream as export_stream

from .support import generated_articles, store_of

ARTICLES, EACH = 1000, 5  # 5,000 events; coordinates on 2,500; an ACLED type on 3,000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "k.db"
    return store_of(path, generated_articles(ARTICLES, EACH))


def test_every_event_is_exported_in_every_format(big: Path, tmp_path: Path) -> None:
    expected = {"csv": 5000, "jsonl": 5000, "parquet": 5000, "geojson": 2500, "acled": 3000}
    with Store.open(big, readonly=True) as store:
        for fmt, rows in expected.items():
            manifest = write_export(Export(store, "events", fmt), tmp_path / f"e.{fmt}")  # type: ignore[arg-type]
            assert manifest["rows"] == rows, fmt
    lines = (tmp_path / "e.csv").read_text().splitlines()
    assert len(list(csv.DictReader(io.StringIO("\n".join(lines))))) == 5000
    assert len((tmp_path / "e.jsonl").read_text().splitlines()) == 5000
    assert len(json.loads((tmp_path / "e.geojson").read_text())["features"]) == 2500
    assert pq.read_metadata(tmp_path / "e.parquet").num_rows == 5000
    acled = json.loads((tmp_path / "e.acled.manifest.json").read_text())
    assert acled["skipped"] == {"no_acled_type": 2000}


def test_exports_stream_in_chunks_and_parquet_in_row_groups(
    big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(export_stream._BATCH_ROWS, "events", 1000)
    with Store.open(big, readonly=True) as store:
        export = Export(store, "events", "parquet")
        chunks = export.chunks()
        first = next(chunks)
        # The first row group is out before the rest is read: memory holds one batch.
        assert first and export.tally.rows == 1000
        (tmp_path / "e.parquet").write_bytes(first + b"".join(chunks))
        csv_chunks = sum(1 for _ in Export(store, "events", "csv").chunks())
    assert pq.read_metadata(tmp_path / "e.parquet").num_row_groups == 5
    assert csv_chunks > 5
