-- `khabar watch`: what is known of each watched source between polls, so that a stopped watch
-- resumes where it was. `key` is the source's URL, or the absolute path of a local list file.
CREATE TABLE watch_sources (
    key           TEXT PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('feed', 'urls')),
    etag          TEXT,               -- the last response's ETag, sent back as If-None-Match
    last_modified TEXT,               -- its Last-Modified, sent back as If-Modified-Since
    body_sha256   TEXT,               -- the last body processed: the same bytes are not read again
    last_poll_at  TEXT,
    next_due_at   TEXT,
    last_status   TEXT,               -- new | not_modified | unchanged | failed
    failures      INTEGER NOT NULL DEFAULT 0,  -- consecutive failed polls (back-off grows with them)
    last_error    TEXT,               -- the reason and detail of the last failure
    last_run_id   INTEGER             -- the last run that polled it, when one was recorded
);
