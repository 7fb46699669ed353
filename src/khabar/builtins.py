"""The parts that ship with khabar. Importing this module registers them."""

from khabar.actors import stage as actors
from khabar.dedup import exact, near
from khabar.events import stage as events
from khabar.extract import published, stage
from khabar.geo import stage as places
from khabar.ingest import feeds, files, stdin, urls, warc
from khabar.nlp import entities, language, sentences
from khabar.time import stage as times

__all__ = [
    "actors",
    "entities",
    "events",
    "exact",
    "feeds",
    "files",
    "language",
    "near",
    "places",
    "published",
    "sentences",
    "stage",
    "stdin",
    "times",
    "urls",
    "warc",
]
