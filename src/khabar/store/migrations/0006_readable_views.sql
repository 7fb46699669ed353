-- Views with readable names, for people who browse the store with datasette or any SQL tool
-- (`datasette khabar.db`). They only read the tables; khabar never writes through them.

-- One row per event: what, who, where, when, how many, and the sentence that says so.
CREATE VIEW event_list AS
SELECT
    e.id                 AS event_id,
    e.type               AS plover_type,
    e.mode               AS mode,
    e.status             AS status,
    e.mention_role       AS mention,
    substr(e.time_start, 1, 10) AS date_from,
    substr(e.time_end, 1, 10)   AS date_to,
    e.time_granularity   AS date_precision,
    e.place_name         AS place,
    e.admin1             AS admin1,
    e.country            AS country,
    e.lat                AS latitude,
    e.lon                AS longitude,
    (SELECT group_concat(name, '; ') FROM event_actors x
      WHERE x.event_id = e.id AND x.role = 'actor')  AS actors,
    (SELECT group_concat(name, '; ') FROM event_actors x
      WHERE x.event_id = e.id AND x.role = 'target') AS targets,
    e.killed_best        AS killed,
    e.injured_best       AS injured,
    e.acled_event_type   AS acled_event_type,
    e.acled_sub_event_type AS acled_sub_event_type,
    round(e.confidence, 3) AS confidence,
    e.sentence           AS sentence,
    a.title              AS article_title,
    coalesce(a.canonical_url, a.url) AS article_url,
    a.site               AS site,
    substr(a.published_start, 1, 10) AS published,
    e.article_id         AS article_id
FROM events e
JOIN articles a ON a.id = e.article_id;

-- One row per stored article, with how many copies and events it has.
CREATE VIEW article_list AS
SELECT
    a.id                 AS article_id,
    a.title              AS title,
    a.site               AS site,
    coalesce(a.canonical_url, a.url) AS url,
    substr(a.published_start, 1, 10) AS published,
    a.published_granularity AS published_precision,
    a.language           AS language,
    length(a.text)       AS characters,
    (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events,
    (SELECT count(*) - 1 FROM article_inputs i WHERE i.article_id = a.id) AS copies,
    a.fetched_at         AS fetched_at,
    a.created_at         AS stored_at
FROM articles a;

-- Every copy of an article that was found and linked instead of stored again.
CREATE VIEW duplicate_list AS
SELECT
    i.article_id AS article_id,
    a.title      AS title,
    i.uri        AS copy_from,
    i.locator    AS locator,
    i.url        AS copy_url,
    i.relation   AS relation,
    i.method     AS how_recognised,
    i.fetched_at AS fetched_at
FROM article_inputs i
JOIN articles a ON a.id = i.article_id
WHERE i.relation != 'original';

-- Why each claim about an article was made, accepted or rejected, with its evidence.
CREATE VIEW claim_list AS
SELECT
    c.article_id AS article_id,
    c.field      AS field,
    c.value      AS value,
    c.method     AS method,
    round(c.confidence, 3) AS confidence,
    CASE WHEN c.accepted THEN 'accepted' ELSE 'rejected' END AS verdict,
    CASE WHEN c.trusted THEN 'yes' ELSE 'no' END AS trusted,
    c.note       AS note,
    (SELECT group_concat(v.kind || coalesce(':' || v.start || '-' || v."end", '')
                         || coalesce(' ' || v.field, ''), '; ')
       FROM evidence v WHERE v.claim_id = c.id) AS evidence
FROM claims c;

-- Events per month and type, for a first chart.
CREATE VIEW events_by_month AS
SELECT substr(time_start, 1, 7) AS month, type AS plover_type, count(*) AS events,
       sum(coalesce(killed_best, 0)) AS killed
FROM events
WHERE time_start IS NOT NULL
GROUP BY month, plover_type;

-- Inputs that produced no article, and why.
CREATE VIEW skip_list AS
SELECT uri, locator, stage, reason, severity, detail, times_seen, last_run_id FROM skips;
