-- The facet index no longer leads with `type`: a page filtered by type must read
-- (type, id) in id order, and a planner without statistics took the facet index instead and
-- sorted every match.
DROP INDEX events_facets;
CREATE INDEX events_facets ON events (
    status, type, country, site, mode, time_start, time_end, confidence, mention_role
);
