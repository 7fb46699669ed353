"""The line cleaner on the text-only variant of the Scrapinghub article-extraction benchmark.

Each benchmark page (``html/<id>.html.gz``) is turned into the full-page plain text a scraper
keeps, boilerplate included, by the evaluation's own ``tools/make_textonly.py``; khabar's
``clean_scraped_text`` then has to recover the article body from it. The score is the
benchmark's (``tools/score_extraction.py``): 4-token shingles, per-page normalisation,
precision and recall averaged over pages, F1 of the two averages. Keeping every line is the
baseline. The headline the cleaner finds is compared with the HTML page's own title (its
og:title, else <title>): no gold headline ships with the benchmark, and an editor's page title
may differ from the headline on the page, so the agreement is a floor, not an accuracy. Both
tools are read from the ``tools`` folder beside the benchmark folder
(``../shared/eval/tools`` in the project layout); nothing of them is copied here.

Run: ``python -m khabar.evaluate.textonly [BENCHMARK_DIR]``.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import sys
import time
from dataclasses import dataclass
from html import unescape
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from khabar.extract.line_model import MODEL_FILE, LineModel
from khabar.extract.lines import clean_scraped_text

DEFAULT_DATA = Path("../shared/eval/article_extraction_benchmark")
GROUND_TRUTH = "ground-truth.json"
TOOLS = ("make_textonly", "score_extraction")


class BenchmarkMissing(FileNotFoundError):
    """The benchmark or its tools are not where they were looked for: the evaluation is skipped."""


@dataclass(frozen=True)
class TextPage:
    """One benchmark page as scraped text, with its gold article body."""

    id: str
    text: str
    body: str
    page_title: str = ""  # the HTML page's own title (og:title, else <title>): a proxy headline


def tool(data_dir: Path, name: str) -> ModuleType:
    """One of the evaluation's scripts, imported from the ``tools`` folder beside ``data_dir``."""
    path = data_dir.resolve().parent / "tools" / f"{name}.py"
    if not path.is_file():
        raise BenchmarkMissing(f"no {name}.py at {path}: the text-only evaluation needs it")
    spec = importlib.util.spec_from_file_location(f"_khabar_eval_{name}", path)
    if spec is None or spec.loader is None:
        raise BenchmarkMissing(f"{path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_text_pages(data_dir: Path, limit: int | None = None) -> list[TextPage]:
    """Every benchmark page (the first ``limit``) turned into full-page text, in id order."""
    truth_path, html_dir = data_dir / GROUND_TRUTH, data_dir / "html"
    if not truth_path.is_file() or not html_dir.is_dir():
        raise BenchmarkMissing(
            f"no benchmark at {data_dir}: expected {GROUND_TRUTH} and html/*.html.gz there "
            "(the Scrapinghub article-extraction benchmark)"
        )
    make_textonly = tool(data_dir, "make_textonly")
    with truth_path.open(encoding="utf-8") as handle:
        truth = json.load(handle)
    pages = []
    for page_id in sorted(truth)[:limit]:
        with gzip.open(html_dir / f"{page_id}.html.gz", "rb") as handle:
            html = handle.read().decode("utf8", "replace")
        body = str(truth[page_id].get("articleBody") or "")
        pages.append(TextPage(page_id, make_textonly.page_text(html), body, page_title(html)))
    return pages


def score_texts(data_dir: Path, pages: list[TextPage], texts: list[str]) -> dict[str, float]:
    """The benchmark's precision, recall and F1 of ``texts`` (one per page, in order)."""
    scorer = tool(data_dir, "score_extraction")
    rows = [scorer.tp_fp_fn(page.body, text) for page, text in zip(pages, texts, strict=True)]
    return {key: round(value, 4) for key, value in scorer.prf(rows).items()}


def evaluate_textonly(
    data_dir: Path = DEFAULT_DATA, model: LineModel | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Precision, recall and F1 of the line cleaner and of keeping everything, with timings.

    The bundled model was trained on these very pages, so its score here flatters it; the
    report carries the model's cross-validated F1 (pages held out), its honest figure.
    Raises ``BenchmarkMissing`` (a ``FileNotFoundError``) when the benchmark or its tools are
    absent, so that callers can skip.
    """
    pages = load_text_pages(data_dir, limit)
    started = time.perf_counter()
    results = [clean_scraped_text(page.text, model=model) for page in pages]
    seconds = time.perf_counter() - started
    cleaned = [result.text for result in results]
    headlines = [
        page.text[result.title[0] : result.title[1]] if result.title else ""
        for page, result in zip(pages, results, strict=True)
    ]
    titled = [(page, h) for page, h in zip(pages, headlines, strict=True) if page.page_title]
    return {
        "pages": len(pages),
        "khabar": score_texts(data_dir, pages, cleaned),
        "headline_agrees": sum(headline_agrees(h, page.page_title) for page, h in titled),
        "pages_with_title": len(titled),
        "keep_everything": score_texts(data_dir, pages, [page.text for page in pages]),
        "seconds": round(seconds, 3),
        "ms_per_page": round(1000 * seconds / max(1, len(pages)), 2),
        "cross_validated_f1": None if model else bundled_cross_validated_f1(),
    }


_OG_TITLE = re.compile(
    r"<meta[^>]+property=[\"']og:title[\"'][^>]+content=(?:\"([^\"]*)\"|'([^']*)')",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TOPIC_WORD = re.compile(r"[^\W\d_]{3,}")


def page_title(html: str) -> str:
    """The page's own title: its og:title, else its <title> (entities decoded)."""
    og = _OG_TITLE.search(html)
    if og is not None:
        return unescape(" ".join((og.group(1) or og.group(2) or "").split()))
    found = _TITLE.search(html)
    return unescape(" ".join(found.group(1).split())) if found else ""


def headline_agrees(headline: str, title: str) -> bool:
    """Whether the headline the cleaner found is the page's title: at least 0.8 of its words
    are the title's, and they cover at least half of the title's first 12 (a site's name after
    the title, "| The Beachbody Blog", does not count against it)."""
    mine = {w.lower() for w in _TOPIC_WORD.findall(headline)}
    theirs = {w.lower() for w in _TOPIC_WORD.findall(title)}
    if not mine or not theirs:
        return False
    shared = len(mine & theirs)
    return shared >= 0.8 * len(mine) and shared >= 0.5 * min(len(theirs), 12)


def bundled_cross_validated_f1() -> float | None:
    """The held-out F1 that training recorded in the bundled model's file."""
    text = resources.files("khabar").joinpath(MODEL_FILE).read_text("utf-8")
    value = json.loads(text).get("cross_validated", {}).get("f1")
    return float(value) if value is not None else None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else DEFAULT_DATA
    try:
        report = evaluate_textonly(data_dir)
    except BenchmarkMissing as missing:
        sys.stderr.write(f"skipped: {missing}\n")
        return 0
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
