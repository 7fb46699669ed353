-- Incremental sync, re-processing and search.
--
-- Events carry when they were first stored and last changed (ISO 8601 UTC with microseconds, so
-- that `/changes?since=` can resume from the last row it saw), the run and khabar version that
-- last wrote them, and their article's site for source filters. Events that a re-processing run
-- no longer finds move to `deleted_events` with when and why; they are never silently dropped.
-- The full event records move to a table of their own: the events table keeps only the narrow
-- columns queries filter and count on, so a scan over many events reads little.
CREATE TABLE event_records (
    id     TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    record TEXT NOT NULL  -- the event record, every evidence span included (JSON)
) WITHOUT ROWID;
INSERT INTO event_records (id, record) SELECT id, record FROM events;
ALTER TABLE events DROP COLUMN record;

ALTER TABLE events ADD COLUMN site TEXT;
ALTER TABLE events ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN run_id INTEGER;
ALTER TABLE events ADD COLUMN khabar_version TEXT;
UPDATE events SET
    site = (SELECT a.site FROM articles a WHERE a.id = events.article_id),
    created_at = coalesce((SELECT a.created_at FROM articles a WHERE a.id = events.article_id), ''),
    updated_at = coalesce((SELECT a.created_at FROM articles a WHERE a.id = events.article_id), ''),
    run_id = (SELECT a.run_id FROM articles a WHERE a.id = events.article_id),
    khabar_version = (SELECT a.khabar_version FROM articles a WHERE a.id = events.article_id);
CREATE INDEX events_updated ON events (updated_at, id);
-- Pages are ordered by id: with id in the index, a filter on type or country reads its first
-- page straight off the index, and a box reads only index entries before the rows it shows.
DROP INDEX events_country;
CREATE INDEX events_country_id ON events (country, id);
CREATE INDEX events_type_id ON events (type, id);
CREATE INDEX events_place ON events (lat, lon, id);
-- Facets count these together in one pass over the index, never over the rows.
CREATE INDEX events_facets ON events (type, status, country, site, mode);

-- Each event's actors and targets, one row each, for counts and facets by actor.
CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('actor', 'target')),
    seq      INTEGER NOT NULL,
    name     TEXT NOT NULL,  -- the canonical name, or the text when there is none
    country  TEXT,
    sector   TEXT,
    PRIMARY KEY (event_id, role, seq)
) WITHOUT ROWID;
-- Counts by actor and the actor filter read this index alone (it carries event_id, the key).
CREATE INDEX event_actors_name ON event_actors (name, role);
CREATE INDEX event_actors_code ON event_actors (country, sector);
INSERT INTO event_actors (event_id, role, seq, name, country, sector)
SELECT e.id, r.role, j.key,
       substr(j.value, 1, instr(j.value, '|') - 1),
       nullif(substr(j.value, instr(j.value, '|') + 1,
                     instr(substr(j.value, instr(j.value, '|') + 1), '|') - 1), ''),
       nullif(substr(substr(j.value, instr(j.value, '|') + 1),
                     instr(substr(j.value, instr(j.value, '|') + 1), '|') + 1), '')
FROM events e
JOIN (SELECT 'actor' AS role UNION ALL SELECT 'target') r
JOIN json_each(CASE r.role WHEN 'actor' THEN e.actors ELSE e.targets END) j;
CREATE INDEX events_site ON events (site);
CREATE INDEX events_time_end ON events (time_end);

CREATE TABLE deleted_events (
    id         TEXT NOT NULL,
    article_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    reason     TEXT NOT NULL,
    run_id     INTEGER,
    record     TEXT NOT NULL,  -- the event as it was when it was deleted (JSON)
    PRIMARY KEY (id, deleted_at)
);
CREATE INDEX deleted_events_at ON deleted_events (deleted_at, id);

ALTER TABLE articles ADD COLUMN updated_at TEXT;

-- Full-text search over article titles and text; kept in step with `articles` by triggers.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content = 'articles', content_rowid = 'rowid', tokenize = 'unicode61'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
