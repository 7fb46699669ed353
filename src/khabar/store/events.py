"""Reading events from the store: the names the CLI and exports import (see ``query``)."""

from khabar.store.query import EVENT_COLUMNS, EventFilter, event_record, query_events

__all__ = ["EVENT_COLUMNS", "EventFilter", "event_record", "query_events"]
