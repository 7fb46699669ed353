"""Page metadata (title, site, canonical URL, authors, date) with trafilatura's own readers.

The same steps as ``trafilatura.extract_metadata``, less the categories, tags and licence, which
khabar does not claim and which cost a third of that function's time.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document

log = logging.getLogger(__name__)

_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


def page_metadata(tree: HtmlElement, url: str | None, date_params: dict[str, Any]) -> Document:
    """The page's metadata; ``url`` is where the page came from, when known."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single word is a handle or a site name, not an author (trafilatura)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:  # noqa: BLE001 -- a broken JSON-LD reader must not cost the page
        log.debug("JSON-LD metadata unreadable (%s): %s", url, exc)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.date = find_date(tree, **{**date_params, "url": meta.url})
    meta.sitename = _site_name(meta.sitename or extract_sitename(tree), meta.url)
    meta.clean_and_trim()
    return meta


def _site_name(found: str | None, url: str | None) -> str | None:
    """The site's name as trafilatura normalises it: no leading @, capitalised, or the host."""
    name = (found or "").lstrip("@")
    if name:
        return name if "." in name or name[0].isupper() else name.title()
    match = _SITE_FROM_URL.match(url or "")
    return match[1] if match else None
