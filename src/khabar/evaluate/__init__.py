"""Measuring khabar against public gold data (``khabar eval``)."""
