"""Benchmark: generate data at a scale, run every pipeline stage, print one table, write JSON.

    python -m benchmarks --scale demo|medium|large|xlarge|all|demo,medium,...
        [--months 36] [--workdir DIR] [--keep] [--no-incremental] [--generate-only]
        [--billing contract|stripe] [--stripe-files csv|parquet] [--usage contract|segment]
        [--load-only]

Not a test: it prints figures (wall time, rows, rows/s, peak memory of the process tree) so
they can be compared across commits (benchmarks/results/<scale>-<commit>.json). Several
scales run one after the other, and then a table shows how each stage's time and memory
grow from one scale to the next (benchmarks/results/scaling-<commit>.json).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import dagster as dg

from benchmarks.memory import PeakMemory
from benchmarks.report import (
    ScaleResult,
    StageFigure,
    print_scaling,
    print_slowest_steps,
    print_table,
    scaling_rows,
)
from benchmarks.stages import STAGES, Outcome, Stage, parse_dbt, reference_read_seconds, run_stage
from demo.config import BILLING_FORMATS, STRIPE_FILES
from orchestration.config import REPO_ROOT, Settings

SCALES = {"demo": 2_000, "medium": 20_000, "large": 100_000, "xlarge": 1_000_000}
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
# The usage formats add_daily_drop (benchmarks/data.py) can give a next day for.
BENCH_USAGE_FORMATS = ("contract", "segment")


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (dbt, workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(name: str, action: Callable[[], Outcome]) -> StageFigure:
    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        outcome = action()
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    figure = StageFigure(name, seconds, outcome.rows, memory.peak_bytes / 2**20, outcome.steps, cpu)
    print(
        f"  {name:<22} {seconds:8.1f} s {cpu:8.1f} cpu s {outcome.rows:>12,} rows "
        f"{figure.peak_mib:8.0f} MiB",
        flush=True,
    )
    return figure


def commit_id() -> str:
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    return completed.stdout.strip() or "unknown"


def scales_of(text: str) -> list[str]:
    """`all`, or scale names separated by commas, smallest first."""
    names = list(SCALES) if text == "all" else [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in SCALES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown scale {unknown}: use all or {', '.join(SCALES)}")
    return sorted(set(names), key=list(SCALES).index)


def run_scale(scale: str, args: argparse.Namespace) -> ScaleResult:
    """Generate the landing of one scale and time every stage on it."""
    from benchmarks.data import add_daily_drop, generate_landing

    workdir: Path = args.workdir / scale
    shutil.rmtree(workdir, ignore_errors=True)
    landing = workdir / "landing"
    # The user's other CSA_* settings (memory limit, engine) apply; every path is the run's own.
    settings = Settings.from_env(
        landing_dir=str(landing),
        warehouse_path=str(workdir / "warehouse.duckdb"),
        analytics_path=str(workdir / "analytics.duckdb"),
        parquet_dir=str(workdir / "parquet"),
    )
    accounts = SCALES[scale]
    billing = "contract" if args.billing == "contract" else f"stripe ({args.stripe_files})"
    print(
        f"Benchmark {scale}: {accounts:,} accounts, {args.months} months, billing {billing}, "
        f"usage {args.usage}",
        flush=True,
    )
    generated = measure(
        "generate",
        lambda: Outcome(
            generate_landing(
                landing, accounts, args.months, args.billing, args.stripe_files, args.usage
            )
        ),
    )
    figures, reference_seconds, reference_cpu = [generated], None, None
    if not args.generate_only:
        cpu_started = cpu_seconds()
        reference_seconds = reference_read_seconds(landing)
        reference_cpu = cpu_seconds() - cpu_started
        figures.append(measure("dbt parse", lambda: parse_dbt(settings)))
        stages = STAGES[:1] if args.load_only else STAGES
        figures += [measure(stage.name, lambda s=stage: run_stage(settings, s)) for stage in stages]
        if not (args.no_incremental or args.load_only):
            new_rows = add_daily_drop(landing)
            everything = Stage("incremental run", dg.AssetSelection.all, lambda _: new_rows)
            figures.append(measure("incremental run", lambda: run_stage(settings, everything)))
    print_table(figures, reference_seconds, reference_cpu)
    if args.load_only and not args.generate_only:
        print_slowest_steps(figures[-1], shown=len(figures[-1].steps))  # every table's load
    write_json(
        f"{scale}{result_suffix(args)}-{commit_id()}.json",
        {
            "scale": scale,
            "accounts": accounts,
            "months": args.months,
            "billing": args.billing,
            "stripe_files": args.stripe_files if args.billing == "stripe" else None,
            "usage": args.usage,
            "load_only": args.load_only,
            "reference_read_csv_seconds": reference_seconds,
            "reference_read_csv_cpu_seconds": reference_cpu,
            "stages": [asdict(f) | {"rows_per_second": f.rows_per_second} for f in figures],
        },
    )
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return ScaleResult(scale, accounts, generated.rows, figures)


def result_suffix(args: argparse.Namespace) -> str:
    """What the result's file name says besides scale and commit: the vendor formats and a
    run that stopped after the load (`large-stripe-csv-segment-load-<commit>.json`)."""
    parts = [] if args.billing == "contract" else ["stripe", args.stripe_files]
    parts += [] if args.usage == "contract" else [args.usage]
    parts += ["load"] if args.load_only else []
    return "".join(f"-{part}" for part in parts)


def write_json(name: str, content: object) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    output = RESULTS_DIR / name
    output.write_text(json.dumps(content, indent=2))
    print(f"\nwritten: {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=scales_of, default=["demo"], help="all, or a,b,...")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cs-analytics-bench"))
    parser.add_argument(
        "--keep", action="store_true", help="keep each scale's landing and warehouse"
    )
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--generate-only", action="store_true", help="time the generator alone")
    parser.add_argument(
        "--billing",
        choices=BILLING_FORMATS,
        default="contract",
        help="billing exports as contract files or as Stripe's tables (docs/sources.md)",
    )
    parser.add_argument("--stripe-files", choices=STRIPE_FILES, default="csv")
    parser.add_argument(
        "--usage",
        choices=BENCH_USAGE_FORMATS,
        default="contract",
        help="product usage as the contract file or as Segment's tracks (docs/sources.md)",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="stop after the load raw stage (no incremental)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DAGSTER_HOME", str(args.workdir / "dagster_home"))
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    results = [run_scale(scale, args) for scale in args.scale]
    if len(results) > 1:
        print_scaling(results)
        write_json(f"scaling-{commit_id()}.json", scaling_rows(results))


if __name__ == "__main__":
    main()
