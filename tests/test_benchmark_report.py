"""The benchmark's scaling table: growth exponents between scales, from the figures given."""

from __future__ import annotations

import argparse

import pytest

from benchmarks.report import PIPELINE, ScaleResult, StageFigure, growth_exponent, scaling_rows
from benchmarks.run import result_suffix, scales_of


def test_growth_exponent_is_one_for_linear_two_for_quadratic_zero_for_fixed() -> None:
    assert growth_exponent(2.0, 20.0, 1_000, 10_000) == pytest.approx(1.0)
    assert growth_exponent(2.0, 200.0, 1_000, 10_000) == pytest.approx(2.0)
    assert growth_exponent(3.0, 3.0, 1_000, 10_000) == pytest.approx(0.0)
    assert growth_exponent(0.0, 3.0, 1_000, 10_000) is None
    assert growth_exponent(1.0, 3.0, 1_000, 1_000) is None


def result(scale: str, rows: int, stages: dict[str, tuple[float, float]]) -> ScaleResult:
    figures = [StageFigure(name, seconds, rows, mib) for name, (seconds, mib) in stages.items()]
    return ScaleResult(scale, rows // 300, rows, figures)


def test_scaling_rows_compare_consecutive_scales_per_stage_and_for_the_pipeline() -> None:
    results = [
        result("demo", 1_000, {"generate": (1.0, 100), "load raw": (2.0, 50), "marts": (4.0, 80)}),
        result("medium", 10_000, {"generate": (10.0, 100), "load raw": (200.0, 500)}),
        result("large", 50_000, {"generate": (50.0, 500), "load raw": (1000.0, 2500)}),
    ]
    rows = {row["stage"]: row for row in scaling_rows(results)}
    generate = rows["generate"]
    assert generate["demo"] == (1.0, 100) and generate["large"] == (50.0, 500)
    assert generate["demo->medium"] == pytest.approx((1.0, 0.0))
    assert generate["medium->large"] == pytest.approx((1.0, 1.0))
    assert rows["load raw"]["demo->medium"] == pytest.approx((2.0, 1.0))
    # A stage missing at a scale has no figure there and no exponent next to it.
    assert rows["marts"]["medium"] is None and rows["marts"]["demo->medium"] is None
    # The pipeline total leaves the generator out: load raw and marts at demo.
    assert rows[PIPELINE]["demo"] == (6.0, 80)
    assert rows[PIPELINE]["medium->large"] == pytest.approx((1.0, 1.0))


def test_scales_are_named_or_all_and_run_smallest_first() -> None:
    assert scales_of("all") == ["demo", "medium", "large", "xlarge"]
    assert scales_of("xlarge,demo") == ["demo", "xlarge"]
    with pytest.raises(argparse.ArgumentTypeError, match="huge"):
        scales_of("demo,huge")


def test_result_names_say_the_vendor_formats_and_a_run_stopped_after_the_load() -> None:
    def args(**given: object) -> argparse.Namespace:
        defaults = {"billing": "contract", "stripe_files": "csv", "usage": "contract"}
        return argparse.Namespace(**(defaults | {"load_only": False} | given))

    assert result_suffix(args()) == ""
    assert result_suffix(args(billing="stripe", stripe_files="parquet")) == "-stripe-parquet"
    assert result_suffix(args(usage="segment", load_only=True)) == "-segment-load"
    assert result_suffix(args(load_only=True)) == "-load"
