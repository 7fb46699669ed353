import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli.evaluate import eval_group

BODY = (
    "Rescue teams pulled eleven survivors from the collapsed apartment block on Sunday, the "
    "civil defence agency said, and the search for at least twenty missing residents continued "
    "through the night under floodlights, with cranes brought in from the port."
)


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner(env={"COLUMNS": "200"})


def test_eval_extraction_prints_both_systems_side_by_side(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "html").mkdir()
    page = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{BODY}</p></article></body>"
    with gzip.open(tmp_path / "html" / "p1.html.gz", "wt", encoding="utf-8") as handle:
        handle.write(page + "</html>")
    truth = {"p1": {"articleBody": BODY, "url": "https://example.org/p1"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    result = cli.invoke(eval_group, ["extraction", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1 pages" in result.output
    khabar = next(line for line in result.output.splitlines() if "khabar" in line)
    alone = next(line for line in result.output.splitlines() if "trafilatura alone" in line)
    assert "1.0000" in khabar and "1.00x" in alone


def test_eval_extraction_without_the_data_is_skipped_and_exits_0(
    tmp_path: Path, cli: CliRunner
) -> None:
    result = cli.invoke(eval_group, ["extraction", "--data", str(tmp_path / "absent")])
    assert result.exit_code == 0
    assert "skipped" in result.output and "absent" in result.output


def test_the_default_data_folder_is_relative_to_the_current_directory(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli.invoke(eval_group, ["extraction"])
    assert result.exit_code == 0
    assert "../shared/eval/article_extraction_benchmark" in result.output


FAKE_MAKE_TEXTONLY = """
import re
def page_text(html):
    return "\\n".join(s.strip() for s in re.sub(r"<[^>]+>", "\\n", html).split("\\n") if s.strip())
"""
FAKE_SCORE = """
def tp_fp_fn(true, pred):
    return (1.0, 0.0, 0.0) if true in pred else (0.0, 0.5, 0.5)
def prf(rows):
    p = sum(r[0] for r in rows) / len(rows)
    return {"precision": p, "recall": p, "f1": p}
"""


def test_eval_extraction_plain_text_scores_the_line_cleaner_beside_keeping_every_line(
    tmp_path: Path, cli: CliRunner
) -> None:
    data = tmp_path / "bench"
    (data / "html").mkdir(parents=True)
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "make_textonly.py").write_text(FAKE_MAKE_TEXTONLY, encoding="utf-8")
    (tmp_path / "tools" / "score_extraction.py").write_text(FAKE_SCORE, encoding="utf-8")
    page = f"<nav>Home</nav><h1>Survivors pulled from the rubble</h1><p>{BODY}</p><p>- Advertisement -</p>"
    with gzip.open(data / "html" / "p1.html.gz", "wt", encoding="utf-8") as handle:
        handle.write(page)
    truth = {"p1": {"articleBody": BODY, "url": "https://example.org/p1"}}
    (data / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    result = cli.invoke(eval_group, ["extraction", "--plain-text", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "1 pages" in result.output
    assert "khabar line cleaner" in result.output and "keep every line" in result.output
    assert "cross-validated F1" in result.output


def test_eval_extraction_plain_text_without_the_tools_is_skipped(
    tmp_path: Path, cli: CliRunner
) -> None:
    result = cli.invoke(
        eval_group, ["extraction", "--plain-text", "--data", str(tmp_path / "absent")]
    )
    assert result.exit_code == 0
    assert "skipped" in result.output and "absent" in result.output
