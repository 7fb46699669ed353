"""The store: where articles, their claims and evidence, runs and skips are kept."""

from khabar.store.sqlite import Store

__all__ = ["Store"]
