"""Exports of stored articles and events: JSON Lines records and flat CSV."""

from khabar.export.records import ARTICLE_COLUMNS, EVENT_COLUMNS, export

__all__ = ["ARTICLE_COLUMNS", "EVENT_COLUMNS", "export"]
