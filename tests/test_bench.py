from __future__ import annotations

import io

from rich.console import Console

from khabar.bench import (
    Measure,
    MemoryProfile,
    MemorySample,
    Pass,
    Result,
    StageCosts,
    passes,
    steady_rate,
)
from khabar.cli import render


def test_the_benchmark_times_one_process_the_workers_and_the_fast_profile_beside_trafilatura() -> (
    None
):
    lines = passes(2)
    assert [(p.kind, p.profile, p.jobs, p.engine) for p in lines] == [
        ("trafilatura", "default", 1, "local"),
        ("khabar", "default", 1, "local"),
        ("khabar", "default", 2, "local"),
        ("khabar", "fast", 2, "local"),
    ]
    # On one core there is no second worker line; Ray adds its own.
    assert [p.jobs for p in passes(1) if p.kind == "khabar"] == [1, 1]
    assert passes(2, "ray")[-1].engine == "ray"


def test_the_figures_are_medians_and_the_ratios_compare_like_with_like() -> None:
    def result(line: Pass, *seconds: float) -> Result:
        return Result(line.name, [Measure(100, s, 300.0, 700.0) for s in seconds], line)

    alone, one, two, fast = passes(2)
    results = [
        result(alone, 4.0, 5.0, 6.0),
        result(one, 20.0, 21.0, 40.0),
        result(two, 11.0, 12.0, 13.0),
        result(fast, 8.0, 8.0, 9.0),
    ]
    assert results[1].seconds == 21.0 and results[1].per_day == 86_400 * 100 / 21.0
    console = Console(file=io.StringIO(), width=200)
    render.bench(console, results)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"{21 / 12:.2f}x the speed of 1 process" in text
    assert f"{(100 / 8) / (100 / 5):.2f}x trafilatura's throughput" in text
    assert "700" in text  # the largest worker's peak memory


def test_memory_growth_compares_the_second_half_with_the_first_after_loading() -> None:
    loading = [MemorySample(float(s), 100.0 + 20 * s, 50.0 * s) for s in range(10)]
    flat = [MemorySample(float(s), 300.0, 700.0) for s in range(10, 100)]
    profile = MemoryProfile(1000, 2, 100.0, loading + flat)
    assert profile.growth_mb() == (0.0, 0.0)  # loading the models is not growth
    leaking = [MemorySample(float(s), 300.0 + s, 700.0) for s in range(10, 100)]
    main, worker = MemoryProfile(1000, 2, 100.0, loading + leaking).growth_mb()
    assert main > 30 and worker == 0.0
    assert profile.at(0.5).seconds == 50.0 and profile.at(1.0).seconds == 99.0


def test_stage_costs_are_shown_per_profile_with_the_reports_each_coded() -> None:
    default = StageCosts(181, {"clean": 20.0, "entities": 90.0}, 0.9, "default", 1174)
    fast = StageCosts(181, {"clean": 20.0, "entities": 27.0}, 0.9, "fast", 1184)
    console = Console(file=io.StringIO(), width=200)
    render.stage_costs(console, [default, fast])
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "default ms" in text and "fast ms" in text and "1,174" in text and "1,184" in text
    assert f"{2 * 86_400_000 / 47:,.0f} articles a day" in text  # fast: 47 ms an article


def test_the_steady_rate_is_the_batches_own_rate_however_the_half_falls() -> None:
    even = [0.1 * i for i in range(100)]  # one article every 0.1 s
    assert abs(steady_rate(even) - 10.0) < 1e-9
    for offset in range(8):  # batches of 8, each done 0.8 s after the one before
        bunched = [0.8 * ((i + offset) // 8) + 0.001 * i for i in range(100)]
        assert 9.5 < steady_rate(bunched) < 10.5
    assert steady_rate([1.0]) == 0.0
