"""Events: PLOVER-coded event records from an article's sentences, times, places and actors."""
