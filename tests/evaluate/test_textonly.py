"""The text-only benchmark evaluation (khabar.evaluate.textonly).

The benchmark and its two scripts are not part of the project; these tests build a two-page
stand-in (with stand-in scripts) in a temporary folder, and run on the real benchmark only when
the project's shared evaluation folder is there.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from khabar.evaluate.textonly import (
    BenchmarkMissing,
    evaluate_textonly,
    headline_agrees,
    load_text_pages,
    page_title,
)

REAL_DATA = Path(__file__).resolve().parents[3] / "shared/eval/article_extraction_benchmark"

FAKE_MAKE_TEXTONLY = """
import re
def page_text(html):
    html = re.sub(r"<title>.*?</title>", "", html)  # a browser does not show the head
    return "\\n".join(s.strip() for s in re.sub(r"<[^>]+>", "\\n", html).split("\\n") if s.strip())
"""
FAKE_SCORE = """
import re
def tp_fp_fn(true, pred):
    t, p = set(re.findall(r"\\w+", true)), set(re.findall(r"\\w+", pred))
    s = len(t | p) or 1
    return len(t & p) / s, len(p - t) / s, len(t - p) / s
def prf(rows):
    p = sum(r[0] / ((r[0] + r[1]) or 1) for r in rows) / len(rows)
    r = sum(r[0] / ((r[0] + r[2]) or 1) for r in rows) / len(rows)
    return {"precision": p, "recall": r, "f1": 2 * p * r / ((p + r) or 1)}
"""
BODY = (
    "The city council voted on Monday to close the old bridge to heavy lorries after engineers "
    "found cracks in two of its supports, the mayor said.",
    "Repairs are expected to take at least six months and will cost about four million, "
    "according to a report presented to the council.",
)


def fake_benchmark(root: Path) -> Path:
    data = root / "bench"
    (data / "html").mkdir(parents=True)
    (root / "tools").mkdir()
    (root / "tools" / "make_textonly.py").write_text(FAKE_MAKE_TEXTONLY, "utf-8")
    (root / "tools" / "score_extraction.py").write_text(FAKE_SCORE, "utf-8")
    truth = {}
    for page_id in ("a1", "b2"):
        html = (
            "<title>Bridge closed to lorries | Riverside Post</title>"
            "<nav><a>Home</a><a>News</a><a>Sport</a></nav><h1>Bridge closed to lorries</h1>"
            + "".join(f"<p>{paragraph}</p>" for paragraph in BODY)
            + "<footer>© 2024 Riverside Post. All rights reserved.</footer>"
        )
        with gzip.open(data / "html" / f"{page_id}.html.gz", "wt", encoding="utf-8") as handle:
            handle.write(html)
        truth[page_id] = {"articleBody": "\n".join(BODY), "url": f"https://example.org/{page_id}"}
    (data / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    return data


def test_scores_the_cleaner_and_the_keep_everything_baseline(tmp_path: Path) -> None:
    report = evaluate_textonly(fake_benchmark(tmp_path))
    assert report["pages"] == 2
    assert report["khabar"]["f1"] == 1.0
    assert report["keep_everything"]["precision"] < 1.0
    assert report["keep_everything"]["recall"] == 1.0
    assert report["seconds"] >= 0.0
    assert report["pages_with_title"] == 2
    assert report["headline_agrees"] == 2  # the <h1> line, which the <title> repeats


def test_pages_are_read_in_id_order_with_their_gold_body(tmp_path: Path) -> None:
    pages = load_text_pages(fake_benchmark(tmp_path))
    assert [page.id for page in pages] == ["a1", "b2"]
    assert pages[0].text.splitlines()[0] == "Home"
    assert pages[0].body == "\n".join(BODY)


def test_a_missing_benchmark_is_a_skip_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(BenchmarkMissing, match="no benchmark at"):
        evaluate_textonly(tmp_path / "nowhere")
    assert issubclass(BenchmarkMissing, FileNotFoundError)


def test_missing_tools_are_a_skip_too(tmp_path: Path) -> None:
    data = fake_benchmark(tmp_path)
    (tmp_path / "tools" / "make_textonly.py").unlink()
    with pytest.raises(BenchmarkMissing, match=r"make_textonly\.py"):
        evaluate_textonly(data)


@pytest.mark.slow
@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="the shared evaluation data is not here")
def test_the_shipped_model_on_the_real_benchmark_does_not_regress() -> None:
    """A regression guard: the model was trained on these pages, so this is not its quality.

    Its honest figure is the cross-validated F1 recorded in the model file.
    """
    report = evaluate_textonly(REAL_DATA)
    assert report["khabar"]["f1"] >= 0.92
    assert report["keep_everything"]["f1"] < 0.7


def test_the_page_title_is_the_proxy_for_the_headline() -> None:
    og = '<meta property="og:title" content="Bridge closed &amp; lorries diverted">'
    assert page_title(f"<head>{og}<title>Riverside Post</title></head>") == (
        "Bridge closed & lorries diverted"
    )
    assert page_title("<title>\n Bridge closed\n</title>") == "Bridge closed"
    assert page_title("<p>no title</p>") == ""
    quoted = """<meta property="og:title" content="Rudolph's role in the fight">"""
    assert page_title(quoted) == "Rudolph's role in the fight"  # an apostrophe inside
    site = "Bridge closed to lorries after cracks found | Riverside Post"
    assert headline_agrees("Bridge closed to lorries after cracks found", site)
    assert not headline_agrees("Close extra sharing options", site)
    assert not headline_agrees("Bridge", site)  # too little of the title
    assert not headline_agrees("", site)
