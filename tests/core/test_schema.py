import json

from khabar.core.schema import packaged_schema_text, record_schema


def test_the_packaged_schema_matches_the_model() -> None:
    """If this fails, the record changed: regenerate with `khabar schema -o src/khabar/schema/...`
    and, if a field was renamed or removed, bump RECORD_VERSION."""
    assert json.loads(packaged_schema_text()) == record_schema()


def test_the_schema_names_the_documented_fields() -> None:
    properties = record_schema()["properties"]
    for field in (
        "id",
        "url",
        "source",
        "fetched_at",
        "title",
        "authors",
        "site",
        "language",
        "published",
        "text",
        "sentences",
        "claims",
        "entities",
        "times",
        "places",
        "actors",
        "events",
        "duplicate_of",
        "skipped",
        "record_version",
    ):
        assert field in properties
    assert "raw" not in properties and "raw_text" not in properties
