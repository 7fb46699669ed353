"""Cleaning: raw HTML or scraped text in, the article's clean text and metadata claims out."""
