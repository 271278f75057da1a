"""Benchmark: generate data at a scale, run every pipeline stage, print one table, write JSON.

    python -m benchmarks.run --scale demo|medium|large [--workdir DIR] [--keep]

Not a test: it prints figures (wall time, rows, rows/s, peak memory of the process tree) so
they can be compared across commits (benchmarks/results/<scale>-<commit>.json).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import dagster as dg

from benchmarks.memory import PeakMemory
from benchmarks.stages import STAGES, Stage, reference_read_seconds
from orchestration.config import REPO_ROOT, Settings

SCALES = {"demo": 2_000, "medium": 20_000, "large": 100_000}
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"


@dataclass
class StageFigure:
    stage: str
    seconds: float
    rows: int
    peak_mib: float
    # Seconds per Dagster step of the stage's run, slowest first (empty outside Dagster).
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Outcome:
    rows: int
    steps: dict[str, float] = field(default_factory=dict)


def measure(name: str, action: Callable[[], Outcome]) -> StageFigure:
    with PeakMemory() as memory:
        started = time.perf_counter()
        outcome = action()
        seconds = time.perf_counter() - started
    figure = StageFigure(name, seconds, outcome.rows, memory.peak_bytes / 2**20, outcome.steps)
    print(
        f"  {name:<22} {seconds:8.1f} s {outcome.rows:>12,} rows {figure.peak_mib:8.0f} MiB",
        flush=True,
    )
    return figure


def step_seconds(result: dg.ExecuteInProcessResult) -> dict[str, float]:
    """Seconds per step of a Dagster run, slowest first."""
    durations = {
        event.step_key: event.event_specific_data.duration_ms / 1000
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.STEP_SUCCESS
    }
    return dict(sorted(durations.items(), key=lambda item: item[1], reverse=True))


def run_stage(settings: Settings, stage: Stage) -> Outcome:
    from orchestration.runner import materialize

    result = materialize(settings, stage.selection(), raise_on_error=False)
    if not result.success:
        raise SystemExit(f"stage {stage.name} failed; see the Dagster log above")
    return Outcome(stage.rows(settings), step_seconds(result))


def parse_dbt(settings: Settings) -> Outcome:
    """`dbt parse` with this run's settings, as a deployment does once (make dbt-parse): the
    dbt steps then reuse the parse instead of re-parsing for a changed warehouse path."""
    from orchestration.prepare import prepare_dbt

    prepare_dbt(settings)
    return Outcome(0)


def print_table(figures: list[StageFigure], reference_seconds: float) -> None:
    print(f"\n{'stage':<22} {'seconds':>9} {'rows':>13} {'rows/s':>12} {'peak MiB':>9}")
    for f in figures:
        print(
            f"{f.stage:<22} {f.seconds:9.1f} {f.rows:13,} {f.rows_per_second:12,.0f} "
            f"{f.peak_mib:9.0f}"
        )
    pipeline = [f for f in figures if f.stage not in ("generate", "incremental run")]
    total = sum(f.seconds for f in pipeline)
    peak = max(f.peak_mib for f in pipeline)
    print(f"{'pipeline total':<22} {total:9.1f} {'':13} {'':12} {peak:9.0f}")
    print(f"{'duckdb read_csv only':<22} {reference_seconds:9.1f}")
    print(f"overhead ratio (pipeline / read_csv): {total / reference_seconds:.1f}x")
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


def commit_id() -> str:
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    return completed.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="demo")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cs-analytics-bench"))
    parser.add_argument("--no-incremental", action="store_true")
    args = parser.parse_args()

    from benchmarks.data import add_daily_drop, generate_landing

    workdir: Path = args.workdir / args.scale
    shutil.rmtree(workdir, ignore_errors=True)
    landing = workdir / "landing"
    os.environ.setdefault("DAGSTER_HOME", str(workdir / "dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    # The user's other CSA_* settings (memory limit, engine) apply; every path is the run's own.
    settings = Settings.from_env(
        landing_dir=str(landing),
        warehouse_path=str(workdir / "warehouse.duckdb"),
        analytics_path=str(workdir / "analytics.duckdb"),
        parquet_dir=str(workdir / "parquet"),
    )
    print(f"Benchmark {args.scale}: {SCALES[args.scale]:,} accounts, {args.months} months")

    accounts = SCALES[args.scale]
    figures = [
        measure("generate", lambda: Outcome(generate_landing(landing, accounts, args.months)))
    ]
    reference_seconds = reference_read_seconds(landing)
    figures.append(measure("dbt parse", lambda: parse_dbt(settings)))
    figures += [measure(stage.name, lambda s=stage: run_stage(settings, s)) for stage in STAGES]
    if not args.no_incremental:
        new_rows = add_daily_drop(landing)
        everything = Stage("incremental run", dg.AssetSelection.all, lambda _: new_rows)
        figures.append(measure("incremental run", lambda: run_stage(settings, everything)))
    print_table(figures, reference_seconds)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    output = RESULTS_DIR / f"{args.scale}-{commit_id()}.json"
    output.write_text(
        json.dumps(
            {
                "scale": args.scale,
                "accounts": SCALES[args.scale],
                "months": args.months,
                "reference_read_csv_seconds": reference_seconds,
                "stages": [asdict(f) | {"rows_per_second": f.rows_per_second} for f in figures],
            },
            indent=2,
        )
    )
    print(f"\nwritten: {output}")


if __name__ == "__main__":
    main()
