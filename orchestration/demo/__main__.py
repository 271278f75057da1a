"""Command line of the demo data generator: `python -m orchestration.demo --help`."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from orchestration.demo.config import GeneratorConfig
from orchestration.demo.world import generate, prepare_output


def parse_args(argv: list[str] | None = None) -> tuple[GeneratorConfig, bool]:
    parser = argparse.ArgumentParser(
        description="Write demo export drops in the raw export contract (raw-exports.md)."
    )
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--drops", type=int, default=4, help="weekly drops ending at --end-date")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--out", type=Path, default=Path("data/landing"))
    parser.add_argument("--replace", action="store_true", help="delete --out first")
    parser.add_argument("--no-dirty", action="store_true", help="no deliberately dirty rows")
    parser.add_argument("--cp932", default="", help="exports to write in Shift-JIS (cp932)")
    args = parser.parse_args(argv)
    config = GeneratorConfig(
        out=args.out,
        accounts=args.accounts,
        months=args.months,
        drops=args.drops,
        seed=args.seed,
        end_date=args.end_date,
        dirty=not args.no_dirty,
        cp932_files=tuple(name for name in args.cp932.split(",") if name),
    )
    return config, args.replace


def main(argv: list[str] | None = None) -> None:
    config, replace = parse_args(argv)
    prepare_output(config, replace)
    started = time.perf_counter()
    summary = generate(config)
    print(
        f"Wrote {len(summary.drops)} drops ({', '.join(summary.drops)}) to {config.out} "
        f"in {time.perf_counter() - started:.1f} s:"
    )
    for export, per_drop in sorted(summary.rows_written.items()):
        print(f"  {export:<24} {sum(per_drop.values()):>12,} rows")


if __name__ == "__main__":
    main()
