-- Sources ask whether a URL is already stored before fetching it again.
CREATE INDEX article_inputs_url ON article_inputs (url);
