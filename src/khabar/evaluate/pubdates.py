"""Publication dates on the benchmark pages whose address carries the day, beside htmldate.

No gold publication dates ship with the article-extraction benchmark, but some of its pages'
addresses carry a day (``/2019/11/18/``), which news sites set when they publish. Those pages
are scored with the address withheld from khabar (it would read the date straight off it):

- **HTML**: the page as fetched; khabar's accepted date beside htmldate's guess
  (``original_date=True``, the publication rather than the last change), each right when it is
  the address's day;
- **scraped text**: the same page turned into full-page text (``tools/make_textonly.py``), the
  shape of already-scraped corpora, where only the text can date it: right when khabar's date
  is the day, or a window that contains it; wrong otherwise; and how many pages got only an
  untrusted window (a month the text implies, whose year it does not fix), and how many of
  those have the right month. htmldate reads the same text as one paragraph per line, beside
  it.

The address's day is a proxy, not a gold label (a site may put the day of a later update in
it); the count of such pages is small (44 of 181).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from khabar.core.article import Article, TimeValue
from khabar.evaluate.textonly import BenchmarkMissing, tool

URL_DAY = re.compile(r"/((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?:/|[-_]|\.html?|$)")
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)  # after every page's day: a fetch time bounds nothing


def dated_pages(data_dir: Path) -> list[tuple[str, str, date]]:
    """``(id, html, day)`` for each benchmark page whose address carries a valid day."""
    truth_path = data_dir / "ground-truth.json"
    if not truth_path.is_file():
        raise BenchmarkMissing(f"no benchmark at {data_dir}: expected ground-truth.json there")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        found = URL_DAY.search(str(truth[page_id].get("url") or ""))
        if found is None:
            continue
        try:
            day = date(*map(int, found.groups()))
        except ValueError:
            continue
        with gzip.open(data_dir / "html" / f"{page_id}.html.gz", "rb") as handle:
            pages.append((page_id, handle.read().decode("utf8", "replace"), day))
    return pages


def evaluate_pubdates(data_dir: Path) -> dict[str, Any]:
    """Right, wrong and missing publication dates for HTML and scraped text, with htmldate."""
    import htmldate  # noqa: PLC0415 - a dependency of the clean stage; only this needs it here

    import khabar  # noqa: PLC0415 - the package's front door; imported late to avoid a cycle

    pages = dated_pages(data_dir)
    make_textonly = tool(data_dir, "make_textonly")
    pipeline = khabar.load_pipeline(overrides=['pipeline.stages=["clean", "published"]'])
    html: Counter[str] = Counter()
    text: Counter[str] = Counter()
    peer: Counter[str] = Counter()
    text_peer: Counter[str] = Counter()
    started = time.perf_counter()
    for page_id, page, day in pages:
        html[_verdict(_article(pipeline, page, "text/html", page_id), day)] += 1
        peer[_htmldate_verdict(htmldate, page, day)] += 1
        scraped = make_textonly.page_text(page)
        text_peer[_htmldate_verdict(htmldate, _as_paragraphs(scraped), day)] += 1
        article = _article(pipeline, scraped, "text/plain", page_id)
        text[_verdict(article, day)] += 1
        window = _untrusted_window(article)
        if window is not None:
            text["untrusted window"] += 1
            text["untrusted window, right month"] += day.month in _months(window)
    return {
        "pages": len(pages),
        "html": dict(html),
        "htmldate": dict(peer),
        "text": dict(text),
        "htmldate_text": dict(text_peer),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _htmldate_verdict(htmldate: Any, page: str, day: date) -> str:
    guess = htmldate.find_date(page, original_date=True, outputformat="%Y-%m-%d")
    return "right" if guess == day.isoformat() else "wrong" if guess else "none"


def _as_paragraphs(text: str) -> str:
    """Scraped text as the HTML htmldate reads: one paragraph per line."""
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>{lines}</body></html>"


def _article(pipeline: Any, raw: str, media_type: str, page_id: str) -> Article | None:
    article = Article.from_text(raw, media_type=media_type, id=page_id)  # type: ignore[arg-type]
    article.fetched_at = FETCHED
    outcome = pipeline.process(article)
    return outcome if isinstance(outcome, Article) else None


def _verdict(article: Article | None, day: date) -> str:
    claim = article.accepted("published") if article else None
    if claim is None or not isinstance(claim.value, TimeValue):
        return "none"
    value = claim.value
    if not value.start <= day <= value.end:
        return "wrong"
    return "right" if value.start == value.end else "right (a window)"


def _months(value: TimeValue) -> set[int]:
    first = value.start.year * 12 + value.start.month - 1
    last = value.end.year * 12 + value.end.month - 1
    return {m % 12 + 1 for m in range(first, last + 1)}


def _untrusted_window(article: Article | None) -> TimeValue | None:
    if article is None or article.accepted("published") is not None:
        return None
    for claim in article.candidates("published"):
        if claim.method == "text.relative" and isinstance(claim.value, TimeValue):
            return claim.value
    return None
