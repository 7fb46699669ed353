import csv
import hashlib
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from khabar import Store
from khabar.export import (
    ACLED_COLUMNS,
    ARTICLE_COLUMNS,
    EVENT_COLUMNS,
    FORMATS_OF,
    Export,
    ExportError,
    manifest_path,
    write_export,
)
from khabar.export.records import EVENT_TYPES
from khabar.store.events import EVENT_COLUMNS as STORE_EVENT_COLUMNS
from khabar.store.events import EventFilter

from .support import HOSTILE, hostile_article, peshawar_article, store_of

ALL = [(what, fmt) for what, formats in FORMATS_OF.items() for fmt in formats]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return store_of(tmp_path / "k.db", [peshawar_article(), hostile_article()])


def export(db: Path, path: Path, what: str, fmt: str, **wanted: object) -> dict[str, object]:
    with Store.open(db, readonly=True) as store:
        return write_export(Export(store, what, fmt, EventFilter(**wanted)), path)  # type: ignore[arg-type]


@pytest.mark.parametrize(("what", "fmt"), ALL)
def test_two_exports_of_the_same_store_are_byte_identical_with_their_manifests(
    db: Path, tmp_path: Path, what: str, fmt: str
) -> None:
    first, second = tmp_path / "one" / f"x.{fmt}", tmp_path / "two" / f"x.{fmt}"
    first.parent.mkdir()
    second.parent.mkdir()
    export(db, first, what, fmt)
    export(db, second, what, fmt)
    assert first.read_bytes() == second.read_bytes()
    assert manifest_path(first).read_bytes() == manifest_path(second).read_bytes()


@pytest.mark.parametrize(("what", "fmt"), ALL)
def test_the_manifest_describes_the_file(db: Path, tmp_path: Path, what: str, fmt: str) -> None:
    path = tmp_path / f"x.{fmt}"
    returned = export(db, path, what, fmt)
    manifest = json.loads((tmp_path / f"x.{fmt}.manifest.json").read_text())
    assert manifest == returned
    data = path.read_bytes()
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["bytes"] == len(data)
    assert (manifest["file"], manifest["what"], manifest["format"]) == (path.name, what, fmt)
    if what == "fused" and fmt != "acled":
        with Store.open(db, readonly=True) as store:
            placed = " WHERE lat IS NOT NULL" if fmt == "geojson" else ""
            expected = store.conn.execute(f"SELECT count(*) FROM fused_events{placed}").fetchone()
        assert manifest["rows"] == expected[0] > 0
    else:  # ACLED: the two events that happened, whether fused or reported
        expected_rows = {"articles": 2, "events": 3, "fused": 3, "geojson": 2, "acled": 2}
        assert manifest["rows"] == expected_rows.get(fmt, expected_rows[what])
    assert manifest["khabar_version"]
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_events_csv_has_the_store_columns_and_neutralises_formulas(
    db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    export(db, path, "events", "csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert [r["id"] for r in rows] == ["e1", "e2", "h1"]
    hostile = rows[2]
    assert hostile["sentence"].startswith("'" + HOSTILE[0])
    assert hostile["place_name"] == "'" + HOSTILE[2]
    assert hostile["actors"] == "'" + HOSTILE[3] + "||UAF"
    assert hostile["lon"] == "-70.25"  # a number is not text and stays a number
    for row in rows:
        for name, cell in row.items():
            if name not in {"lat", "lon"}:
                assert not cell.startswith(("=", "+", "-", "@")), (name, cell)


def test_articles_csv_neutralises_the_site(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    export(db, path, "articles", "csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert tuple(rows[0]) == ARTICLE_COLUMNS
    assert [(r["id"], r["site"]) for r in rows] == [("ev1", "Frontier Post"), ("hostile", "'+1+1")]
    assert rows[1]["text"].startswith("'=HYPERLINK")


def test_jsonl_carries_full_records(db: Path, tmp_path: Path) -> None:
    export(db, tmp_path / "a.jsonl", "articles", "jsonl")
    export(db, tmp_path / "e.jsonl", "events", "jsonl")
    articles = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    events = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert [a["id"] for a in articles] == ["ev1", "hostile"]
    assert [len(a["events"]) for a in articles] == [2, 1]
    assert [(e["id"], e["article_id"]) for e in events] == [
        ("e1", "ev1"),
        ("e2", "ev1"),
        ("h1", "hostile"),
    ]
    (evidence,) = events[0]["killed"]["evidence"]
    assert (evidence["kind"], evidence["start"], evidence["end"]) == ("text", 14, 16)
    assert events[0]["acled"]["event_type"] == "Explosions/Remote violence"


def test_parquet_reads_back_with_its_types_and_rows(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    manifest = export(db, path, "events", "parquet")
    table = pq.read_table(path)
    assert table.num_rows == manifest["rows"] == 3
    assert table.column_names == list(EVENT_COLUMNS)
    types = {field.name: str(field.type) for field in table.schema}
    assert types["time_start"] == "date32[day]"
    assert types["killed_best"] == "int64"
    assert types["lat"] == "double"
    assert types["actors"].startswith("list<") and types["actors"].endswith(": string>")
    rows = table.to_pylist()
    assert rows[0]["killed_best"] == 12 and str(rows[0]["time_start"]) == "2024-05-13"
    assert rows[2]["actors"] == [HOSTILE[3] + "||UAF"]  # Parquet is not a spreadsheet: as is
    assert table.schema.metadata[b"khabar.what"] == b"events"
    assert manifest["columns"][8] == {"name": "time_start", "type": "date"}


def test_articles_parquet_has_typed_dates_and_lists(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "articles.parquet"
    export(db, path, "articles", "parquet")
    table = pq.read_table(path)
    assert table.column_names == list(ARTICLE_COLUMNS)
    assert str(table.schema.field("fetched_at").type) == "timestamp[us, tz=UTC]"
    assert table.column("site").to_pylist() == ["Frontier Post", "+1+1"]


def test_every_store_event_column_has_a_declared_type() -> None:
    missing = [c for c in STORE_EVENT_COLUMNS if c not in EVENT_TYPES]
    assert missing == [], f"declare the export type of {missing} in khabar/export/records.py"


def test_geojson_is_a_feature_collection_of_located_events_in_lon_lat_order(
    db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "events.geojson"
    manifest = export(db, path, "events", "geojson")
    collection = json.loads(path.read_text())
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["id"] for f in features] == ["e1", "h1"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [71.5785, 34.008]}
    assert features[1]["geometry"]["coordinates"] == [-70.25, -1.5]
    assert features[0]["properties"]["place_name"] == "Peshawar"
    assert list(features[0]["properties"]) == list(EVENT_COLUMNS)
    assert manifest["skipped"] == {"no_coordinates": 1}


def test_an_empty_geojson_is_still_valid(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "none.geojson"
    manifest = export(db, path, "events", "geojson", types=("PROTEST",))
    assert json.loads(path.read_text()) == {"type": "FeatureCollection", "features": []}
    assert manifest["rows"] == 0 and manifest["filters"] == {"types": ["PROTEST"]}


def test_filters_narrow_events_and_are_recorded(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "pak.csv"
    manifest = export(db, path, "events", "csv", countries=("PAK",))
    assert manifest["rows"] == 1 and manifest["filters"] == {"countries": ["PAK"]}


@pytest.mark.parametrize("fmt", ["geojson", "acled"])
def test_event_only_formats_refuse_articles(db: Path, fmt: str) -> None:
    with Store.open(db, readonly=True) as store, pytest.raises(ExportError, match="for events"):
        Export(store, "articles", fmt)  # type: ignore[arg-type]


def test_event_filters_refuse_articles(db: Path) -> None:
    with Store.open(db, readonly=True) as store, pytest.raises(ExportError, match="types"):
        Export(store, "articles", "csv", EventFilter(types=("ASSAULT",)))


def test_a_failed_export_leaves_no_file(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "missing" / "x.csv"
    with pytest.raises(ExportError, match=r"missing/x\.csv"):
        export(db, path, "events", "csv")
    assert not path.parent.exists()


def test_an_export_interrupted_midway_leaves_the_old_file_and_no_part(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("the previous export\n")

    def broken(self: Export) -> object:
        yield b"id,article_id\n"
        raise RuntimeError("disk gone")

    monkeypatch.setattr(Export, "chunks", broken)
    with pytest.raises(RuntimeError):
        export(db, path, "events", "csv")
    assert path.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.db", "x.csv"]


def test_acled_columns_are_acleds(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    export(db, path, "events", "acled")
    header = path.read_text().splitlines()[0]
    assert header == ",".join(ACLED_COLUMNS)
    assert header.startswith("event_id_cnty,event_date,year,time_precision,disorder_type")
    assert header.endswith("notes,fatalities,tags,timestamp")
