-- Fused events: the reports (rows of `events`) of one real-world event, fused by
-- khabar.fusion. `record` holds every field with the reports it came from.
CREATE TABLE fused_events (
    id                TEXT PRIMARY KEY,
    type              TEXT    NOT NULL,
    status            TEXT,
    time_start        TEXT,
    time_end          TEXT,
    place_name        TEXT,
    country           TEXT,
    lat               REAL,
    lon               REAL,
    geo_precision     TEXT,
    killed_low        INTEGER,
    killed_best       INTEGER,
    killed_high       INTEGER,
    injured_low       INTEGER,
    injured_best      INTEGER,
    injured_high      INTEGER,
    casualty_conflict INTEGER NOT NULL DEFAULT 0,
    reports           INTEGER NOT NULL,
    articles          INTEGER NOT NULL,
    sites             INTEGER NOT NULL,
    record            TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX fused_events_time ON fused_events (time_start, id);
CREATE INDEX fused_events_type ON fused_events (type, country);

-- Which fused event each report is in. Not a foreign key: re-processing replaces reports, and
-- fusion then catches up (a report with no row here is not fused yet).
CREATE TABLE fused_members (
    event_id TEXT PRIMARY KEY,
    fused_id TEXT NOT NULL
);
CREATE INDEX fused_members_fused ON fused_members (fused_id);

-- A user's decisions, kept whatever is re-processed: reports that must be one event
-- ('merge'), or two reports that must not be ('split').
CREATE TABLE fusion_decisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    events     TEXT NOT NULL,  -- JSON list of event ids
    note       TEXT,
    created_at TEXT NOT NULL
);

-- Fusion looks for a report's possible partners by type and time, and by type and place.
CREATE INDEX events_fusion_place ON events (type, place_name);
