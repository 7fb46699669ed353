"""Where the stages run, beside the default (this process, or worker processes: ``parallel``).

- ``khabar.engines.ray``: Ray actors, each holding one loaded pipeline (an optional extra);
- ``khabar.engines.shards``: outcomes written to Parquet shards, imported later by ``load``.

Whatever the engine, one writer in one process stores what the stages produced, in input order.
"""
