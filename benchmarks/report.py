"""What the benchmark prints: one table per scale, and how each stage grows across scales."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

PIPELINE_EXCLUDES = ("generate", "incremental run")  # not part of a full pipeline run
PIPELINE = "pipeline total"


@dataclass
class StageFigure:
    stage: str
    seconds: float
    rows: int
    peak_mib: float
    # Seconds per Dagster step of the stage's run, slowest first (empty outside Dagster).
    steps: dict[str, float] = field(default_factory=dict)
    # CPU seconds of the process and the children it waited for (dbt): on a shared machine
    # the wall time depends on the neighbours, the CPU time much less.
    cpu_seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class ScaleResult:
    """Every stage's figures at one scale; `input_rows` is what the generator wrote."""

    scale: str
    accounts: int
    input_rows: int
    figures: list[StageFigure]

    def by_stage(self) -> dict[str, tuple[float, float]]:
        """(seconds, peak MiB) per stage, with the pipeline's total when it ran."""
        stages = {f.stage: (f.seconds, f.peak_mib) for f in self.figures}
        pipeline = [f for f in self.figures if f.stage not in PIPELINE_EXCLUDES]
        if pipeline:
            total = sum(f.seconds for f in pipeline)
            stages[PIPELINE] = (total, max(f.peak_mib for f in pipeline))
        return stages


def growth_exponent(small: float, large: float, n_small: int, n_large: int) -> float | None:
    """How a cost grows with the input: log(large / small) / log(n_large / n_small), so 1.0
    is linear, 2.0 quadratic and 0 a fixed cost. None when either figure is not positive."""
    if small <= 0 or large <= 0 or n_small <= 0 or n_large == n_small:
        return None
    return math.log(large / small) / math.log(n_large / n_small)


def _multiple(value: float, reference: float | None) -> str:
    return f"{value / reference:7.1f}x" if reference else f"{'':8}"


def print_table(
    figures: list[StageFigure], reference_seconds: float | None, reference_cpu: float | None = None
) -> None:
    """Every stage, with its wall and CPU time as multiples of DuckDB's bare read of the
    input (`x read`, `cpu x`): the overhead targets are written in those multiples."""
    print(
        f"\n{'stage':<22} {'seconds':>9} {'x read':>8} {'cpu s':>8} {'cpu x':>8} {'rows':>13} "
        f"{'rows/s':>12} {'peak MiB':>9}"
    )
    for f in figures:
        print(
            f"{f.stage:<22} {f.seconds:9.1f} {_multiple(f.seconds, reference_seconds)} "
            f"{f.cpu_seconds:8.1f} {_multiple(f.cpu_seconds, reference_cpu)} {f.rows:13,} "
            f"{f.rows_per_second:12,.0f} {f.peak_mib:9.0f}"
        )
    pipeline = [f for f in figures if f.stage not in PIPELINE_EXCLUDES]
    if not pipeline or reference_seconds is None:
        return
    total = sum(f.seconds for f in pipeline)
    cpu = sum(f.cpu_seconds for f in pipeline)
    peak = max(f.peak_mib for f in pipeline)
    print(
        f"{PIPELINE:<22} {total:9.1f} {_multiple(total, reference_seconds)} {cpu:8.1f} "
        f"{_multiple(cpu, reference_cpu)} {'':13} {'':12} {peak:9.0f}"
    )
    print(f"{'duckdb read_csv only':<22} {reference_seconds:9.1f} {'':8} {reference_cpu or 0:8.1f}")
    print(f"overhead ratio (pipeline / read_csv): {total / reference_seconds:.1f}x")
    if reference_cpu:
        print(f"overhead ratio in CPU time: {cpu / reference_cpu:.1f}x")
    incremental = next((f for f in figures if f.stage == "incremental run"), None)
    if incremental:
        print(f"incremental run / full pipeline: {incremental.seconds / total * 100:.0f} %")
        print_slowest_steps(incremental)


def print_slowest_steps(figure: StageFigure, shown: int = 6) -> None:
    """Where a run's time goes: its slowest steps, and the rest together."""
    steps = list(figure.steps.items())
    parts = [f"{key} {seconds:.1f} s" for key, seconds in steps[:shown]]
    rest = steps[shown:]
    if rest:
        parts.append(f"{len(rest)} other steps {sum(seconds for _, seconds in rest):.1f} s")
    print(f"{figure.stage}, slowest steps: " + ", ".join(parts))


def scaling_rows(results: list[ScaleResult]) -> list[dict[str, object]]:
    """Per stage: seconds and peak MiB at each scale, and the growth exponent of both
    between consecutive scales (against the rows generated)."""
    stages = list(dict.fromkeys(stage for r in results for stage in r.by_stage()))
    rows = []
    for stage in stages:
        row: dict[str, object] = {"stage": stage}
        for result in results:
            row[result.scale] = result.by_stage().get(stage)
        for small, large in itertools.pairwise(results):
            a, b = small.by_stage().get(stage), large.by_stage().get(stage)
            pair = f"{small.scale}->{large.scale}"
            row[pair] = None
            if a and b:
                n = (small.input_rows, large.input_rows)
                row[pair] = (growth_exponent(a[0], b[0], *n), growth_exponent(a[1], b[1], *n))
        rows.append(row)
    return rows


def _exponent(value: float | None) -> str:
    return f"{value:5.2f}" if value is not None else "    -"


def print_scaling(results: list[ScaleResult]) -> None:
    """The scaling table: time and memory per scale, growth exponents between scales."""
    pairs = [f"{a.scale}->{b.scale}" for a, b in itertools.pairwise(results)]
    head = f"{'stage':<18}" + "".join(f"{r.scale:>19}" for r in results)
    print("\nScaling: seconds / peak MiB per scale; growth exponent of time / memory between")
    print("consecutive scales against the rows generated (1.0 linear, 0 fixed, 2.0 quadratic)")
    print(head + "".join(f"{pair:>22}" for pair in pairs))
    print(f"{'rows generated':<18}" + "".join(f"{r.input_rows:>19,}" for r in results))
    for row in scaling_rows(results):
        line = f"{row['stage']:<18}"
        for result in results:
            cell = row[result.scale]
            line += f"{cell[0]:>11.1f} {cell[1]:>7.0f}" if cell else f"{'-':>19}"
        for pair in pairs:
            cell = row[pair]
            line += f"{_exponent(cell[0]):>14} {_exponent(cell[1]):>7}" if cell else f"{'-':>22}"
        print(line)
