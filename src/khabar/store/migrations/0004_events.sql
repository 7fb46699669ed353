-- Events coded in each stored article, one row per event, with the columns queries filter on.
-- The full event record (evidence spans included) is in `record` (JSON).
CREATE TABLE events (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    type             TEXT NOT NULL,
    mode             TEXT,
    status           TEXT NOT NULL,
    planned_type     TEXT,
    mention_role     TEXT NOT NULL,
    confidence       REAL NOT NULL,
    time_start       TEXT,
    time_end         TEXT,
    time_granularity TEXT,
    place_name       TEXT,
    country          TEXT,
    admin1           TEXT,
    lat              REAL,
    lon              REAL,
    geo_precision    TEXT,
    actors           TEXT NOT NULL,  -- JSON list of "canonical|country|sector"
    targets          TEXT NOT NULL,
    killed_low       INTEGER,
    killed_best      INTEGER,
    killed_high      INTEGER,
    injured_low      INTEGER,
    injured_best     INTEGER,
    injured_high     INTEGER,
    acled_event_type TEXT,
    acled_sub_event_type TEXT,
    cameo            TEXT,
    sentence         TEXT NOT NULL,
    record           TEXT NOT NULL,
    method           TEXT NOT NULL
);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX events_type ON events (type, status);
CREATE INDEX events_country ON events (country);
CREATE INDEX events_time ON events (time_start);
