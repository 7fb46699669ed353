"""The JSON Schema of the article record, generated from the Article model.

The committed copy in ``khabar/schema/`` is what users and other tools read; a test fails when
the model and the copy drift apart (regenerate with ``khabar schema --write``).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from khabar.core.article import RECORD_VERSION, Article

SCHEMA_FILE = f"schema/article-record.v{RECORD_VERSION}.json"


def record_schema() -> dict[str, Any]:
    schema = Article.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://khabar.dev/schema/article-record.v{RECORD_VERSION}.json",
        **schema,
        "title": f"khabar article record, version {RECORD_VERSION}",
        "description": (
            "One article and everything khabar found in it. Offsets (start, end) are character "
            "offsets into `text` (or into the decoded raw input, for evidence of kind 'raw'); "
            "dates are ISO 8601. See docs/record.md."
        ),
    }


def packaged_schema_text() -> str:
    return resources.files("khabar").joinpath(SCHEMA_FILE).read_text("utf-8")
