-- Where each article's places lie, by the site it comes from (its host): one row for the
-- article itself (key ''), one per country ('PAK') and per first-level area ('PAK/Sindh') it
-- names. A site's profile is the count of its articles per key; the places stage reads it as
-- context, so a local paper's "Dublin" is its own county's (docs/places.md, "A site's home").
CREATE TABLE site_places (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    site       TEXT NOT NULL,
    key        TEXT NOT NULL,
    PRIMARY KEY (article_id, key)
);
CREATE INDEX site_places_site ON site_places (site, key);
