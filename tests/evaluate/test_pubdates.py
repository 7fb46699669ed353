"""Publication dates on benchmark pages whose address carries the day (khabar.evaluate.pubdates).

A stand-in benchmark of three pages is built in a temporary folder, with the text-only script
of ``test_textonly``: one page dated in its metadata, one dated only by a byline line, and one
whose address has no day (not scored).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from khabar.evaluate.pubdates import dated_pages, evaluate_pubdates
from khabar.evaluate.textonly import BenchmarkMissing

from .test_textonly import BODY, FAKE_MAKE_TEXTONLY

MORE = (
    "Hauliers said the detour would add forty minutes to each trip between the port and the "
    "industrial estate, and asked the council to reopen one lane at night.",
    "The council said it would consider the request at its next meeting, once the engineers "
    "have finished their survey of the remaining supports.",
)
PAGES = {
    "meta": (
        "https://example.org/2024/03/05/bridge-closed",
        '<html><head><meta property="article:published_time" content="2024-03-05T09:00:00+01:00">'
        "</head><body>{body}</body></html>",
    ),
    "byline": (
        "https://example.org/news/2024-03-04/bridge",
        "<html><body><h1>Bridge closed to lorries</h1>"
        '<p class="byline">Published: <time datetime="2024-03-04">4 March 2024</time></p>'
        "{body}</body></html>",
    ),
    "undated": ("https://example.org/news/bridge", "<html><body>{body}</body></html>"),
}


def benchmark(root: Path) -> Path:
    data = root / "bench"
    (data / "html").mkdir(parents=True)
    (root / "tools").mkdir()
    (root / "tools" / "make_textonly.py").write_text(FAKE_MAKE_TEXTONLY, "utf-8")
    body = "".join(f"<p>{paragraph}</p>" for paragraph in (*BODY, *MORE))
    truth = {}
    for page_id, (url, html) in PAGES.items():
        with gzip.open(data / "html" / f"{page_id}.html.gz", "wt", encoding="utf-8") as handle:
            handle.write(html.format(body=body))
        truth[page_id] = {"articleBody": "\n".join(BODY), "url": url}
    (data / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    return data


def test_only_pages_whose_address_carries_a_day_are_scored(tmp_path: Path) -> None:
    pages = dated_pages(benchmark(tmp_path))
    assert [(page_id, str(day)) for page_id, _, day in pages] == [
        ("byline", "2024-03-04"),
        ("meta", "2024-03-05"),
    ]


def test_dates_are_scored_against_the_addresss_day_with_the_address_withheld(
    tmp_path: Path,
) -> None:
    report = evaluate_pubdates(benchmark(tmp_path))
    assert report["pages"] == 2
    assert report["html"] == {"right": 2}  # the metadata, and the byline's <time>
    assert sum(report["htmldate"].values()) == 2
    assert report["text"]["right"] == 1  # the byline line; the meta page's text has no date
    assert report["text"]["none"] == 1
    assert sum(report["htmldate_text"].values()) == 2  # htmldate on the same text, beside it


def test_a_missing_benchmark_is_a_skip(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkMissing):
        evaluate_pubdates(tmp_path)
