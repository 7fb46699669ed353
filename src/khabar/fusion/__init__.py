"""Counting events, not articles: reports of one real-world event fused into one fused event
(:mod:`khabar.fusion.engine`), each field saying which reports it came from
(:mod:`khabar.fusion.record`)."""

from khabar.fusion.engine import Fuser, Settings, fuse
from khabar.fusion.record import fused_record
from khabar.fusion.reports import Report

__all__ = ["Fuser", "Report", "Settings", "fuse", "fused_record"]
