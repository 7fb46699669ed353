"""The parts that ship with khabar. Importing this module registers them."""

from khabar.dedup import exact, near
from khabar.extract import published, stage
from khabar.ingest import feeds, files, stdin, urls, warc
from khabar.nlp import language, sentences

__all__ = [
    "exact",
    "feeds",
    "files",
    "language",
    "near",
    "published",
    "sentences",
    "stage",
    "stdin",
    "urls",
    "warc",
]
