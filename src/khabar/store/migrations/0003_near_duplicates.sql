-- Near-duplicate detection: each article's MinHash signature and its LSH band keys.
CREATE TABLE minhashes (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    signature  BLOB NOT NULL  -- uint32 little-endian values
);
CREATE TABLE minhash_bands (
    band_key   INTEGER NOT NULL,
    article_id TEXT    NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
-- How a copy was recognised: same_input, same_text, same_url, near_text:<similarity>.
ALTER TABLE article_inputs ADD COLUMN method TEXT;
