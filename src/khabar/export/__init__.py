"""Exports of stored articles and events: CSV, JSON Lines, Parquet, GeoJSON and ACLED-style CSV,
streamed and complete, each file with a manifest (docs/exports.md)."""

from khabar.export.acled import ACLED_COLUMNS
from khabar.export.manifest import manifest_path, write_export
from khabar.export.records import ARTICLE_COLUMNS, EVENT_COLUMNS
from khabar.export.stream import FORMATS, FORMATS_OF, Export, ExportError, Format, exported
from khabar.export.writers import neutralise

__all__ = [
    "ACLED_COLUMNS",
    "ARTICLE_COLUMNS",
    "EVENT_COLUMNS",
    "FORMATS",
    "FORMATS_OF",
    "Export",
    "ExportError",
    "Format",
    "exported",
    "manifest_path",
    "neutralise",
    "write_export",
]
