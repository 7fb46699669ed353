"""Steps over many articles that find copies of the same article."""
