from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from khabar.cli import main
from khabar.evaluate.fusion import ecbplus_report, stress_report
from khabar.fusion.bench import fusion_speed


def test_the_stress_is_exactly_its_real_events_when_fused_from_the_facts() -> None:
    report = stress_report(copies=50, negatives=50)
    assert report["expected_groups"] == 51
    assert report["engine"]["groups"] == 51 and report["engine"]["b3"]["f1"] == 1.0


def test_without_ecbplus_the_evaluation_says_so_and_still_runs_the_stress(tmp_path: Path) -> None:
    assert "skipped" in ecbplus_report(tmp_path / "absent")
    result = CliRunner().invoke(main, ["eval", "fusion", "--data", str(tmp_path / "absent")])
    assert result.exit_code == 0, result.output
    assert "ECB+ skipped" in result.output and "shared/eval/ecbplus" in result.output
    assert "501" in result.output


def test_fusion_speed_reports_each_size() -> None:
    (small,) = fusion_speed((2000,))
    assert small.events == 2000 and 0 < small.fused <= 2000
    assert small.comparisons > 0 and small.seconds > 0 and small.peak_rss_mb > 10
