-- `khabar load`: the Parquet shards already imported, each in the transaction that wrote its
-- rows, so that loading a folder again skips them and a killed load resumes with the next one.
CREATE TABLE loaded_shards (
    name      TEXT PRIMARY KEY,   -- the shard's file name (unique: a run token and a number)
    rows      INTEGER NOT NULL,
    run_id    INTEGER,
    loaded_at TEXT    NOT NULL
);
