"""The ``khabar`` command: thin wrappers over the library, and the only code that prints."""

from khabar.cli.app import main

__all__ = ["main"]
