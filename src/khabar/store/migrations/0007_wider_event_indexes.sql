-- Facets and counts under a date, confidence or main-report filter read indexes only: the facet
-- index carries those columns too, and the time indexes carry the event id the counts join on.
DROP INDEX events_facets;
CREATE INDEX events_facets ON events (
    type, status, country, site, mode, time_start, time_end, confidence, mention_role
);
DROP INDEX events_time_end;
CREATE INDEX events_time_end ON events (time_end, id);
DROP INDEX events_time;
CREATE INDEX events_time ON events (time_start, id);
