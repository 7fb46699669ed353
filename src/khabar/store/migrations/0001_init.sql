-- khabar store, schema version 1.
-- Timestamps are ISO 8601 strings in UTC; JSON columns hold the documented record shapes.

CREATE TABLE runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at     TEXT    NOT NULL,
    finished_at    TEXT,
    status         TEXT    NOT NULL CHECK (status IN ('running', 'finished', 'interrupted', 'failed')),
    khabar_version TEXT    NOT NULL,
    host           TEXT    NOT NULL,
    pid            INTEGER NOT NULL,
    inputs         TEXT    NOT NULL,  -- JSON list of the inputs as given
    config         TEXT    NOT NULL,  -- JSON of the merged configuration
    counts         TEXT               -- JSON of the run summary, when it ended
);

-- Every input's bytes, once, addressed by their sha256 (zlib-compressed).
CREATE TABLE raw_inputs (
    sha256      TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    media_type  TEXT    NOT NULL,
    encoding    TEXT,
    compression TEXT    NOT NULL CHECK (compression IN ('zlib')),
    data        BLOB    NOT NULL
);

CREATE TABLE articles (
    id                    TEXT PRIMARY KEY,
    raw_sha256            TEXT NOT NULL REFERENCES raw_inputs (sha256),
    content_hash          TEXT NOT NULL,
    url                   TEXT,
    canonical_url         TEXT,
    title                 TEXT,
    site                  TEXT,
    language              TEXT,
    published_start       TEXT,
    published_end         TEXT,
    published_granularity TEXT,
    fetched_at            TEXT NOT NULL,
    text                  TEXT NOT NULL,
    record                TEXT NOT NULL,  -- the article record without text and claims (JSON)
    record_version        INTEGER NOT NULL,
    khabar_version        TEXT NOT NULL,
    run_id                INTEGER NOT NULL REFERENCES runs (id),
    created_at            TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles (content_hash);
CREATE INDEX articles_canonical_url ON articles (canonical_url);
CREATE INDEX articles_published ON articles (published_start);

-- Each input that led to an article: the one it was made from, and every copy found later.
CREATE TABLE article_inputs (
    raw_sha256 TEXT NOT NULL REFERENCES raw_inputs (sha256),
    uri        TEXT NOT NULL,
    locator    TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL,
    input_id   TEXT,
    url        TEXT,
    article_id TEXT NOT NULL REFERENCES articles (id),
    relation   TEXT NOT NULL CHECK (relation IN ('original', 'same_input', 'duplicate')),
    fetched_at TEXT NOT NULL,
    run_id     INTEGER NOT NULL REFERENCES runs (id),
    PRIMARY KEY (raw_sha256, uri, locator)
);
CREATE INDEX article_inputs_article ON article_inputs (article_id);
CREATE INDEX article_inputs_input_id ON article_inputs (input_id);

CREATE TABLE claims (
    id         INTEGER PRIMARY KEY,
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    field      TEXT    NOT NULL,
    value      TEXT    NOT NULL,  -- JSON
    method     TEXT    NOT NULL,
    confidence REAL    NOT NULL,
    trusted    INTEGER NOT NULL,
    accepted   INTEGER NOT NULL,
    note       TEXT,
    UNIQUE (article_id, seq)
);
CREATE INDEX claims_field ON claims (field, accepted);

CREATE TABLE evidence (
    claim_id INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('text', 'raw', 'meta')),
    start    INTEGER,
    "end"    INTEGER,
    field    TEXT,
    value    TEXT,
    PRIMARY KEY (claim_id, seq)
);

-- Inputs that produced no article, with the reason; seen again, they are counted, not repeated.
CREATE TABLE skips (
    id           INTEGER PRIMARY KEY,
    uri          TEXT    NOT NULL,
    locator      TEXT    NOT NULL DEFAULT '',
    raw_sha256   TEXT    NOT NULL DEFAULT '',
    input_id     TEXT,
    stage        TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    severity     TEXT    NOT NULL CHECK (severity IN ('skip', 'error')),
    detail       TEXT    NOT NULL,
    first_run_id INTEGER NOT NULL REFERENCES runs (id),
    last_run_id  INTEGER NOT NULL REFERENCES runs (id),
    times_seen   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (uri, locator, raw_sha256, stage, reason)
);
CREATE INDEX skips_last_run ON skips (last_run_id);
