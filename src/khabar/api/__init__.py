"""The REST API over the store (``khabar serve``)."""

from khabar.api.app import create_app

__all__ = ["create_app"]
