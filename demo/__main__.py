"""Command line of the demo data generator: `python -m demo --help`."""

from __future__ import annotations

import argparse
import re
import shutil
import time
from datetime import date
from pathlib import Path

from demo.config import (
    BILLING_FORMATS,
    CRM_FORMATS,
    HELPDESK_FORMATS,
    STRIPE_FILES,
    SURVEY_FORMATS,
    USAGE_FORMATS,
    GeneratorConfig,
)
from demo.landing import generate

DROP_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_args(argv: list[str] | None = None) -> tuple[GeneratorConfig, bool]:
    """The generator settings and whether to replace an existing output folder."""
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Write demo export drops in the raw export contract (raw-exports.md).",
    )
    parser.add_argument("--accounts", type=int, default=2000, help="CRM accounts (2000)")
    parser.add_argument("--months", type=int, default=36, help="months simulated (36)")
    parser.add_argument("--drops", type=int, default=4, help="weekly drops ending at --end-date")
    parser.add_argument("--seed", type=int, default=42, help="same seed, same bytes (42)")
    parser.add_argument(
        "--end-date", type=date.fromisoformat, default=date(2026, 10, 31), help="last drop"
    )
    parser.add_argument("--out", type=Path, default=Path("data/landing"), help="landing folder")
    parser.add_argument("--replace", action="store_true", help="delete --out first")
    parser.add_argument("--no-dirty", action="store_true", help="no deliberately dirty rows")
    parser.add_argument(
        "--cp932", default="", metavar="FILE[,FILE]", help="exports to write in Shift-JIS"
    )
    parser.add_argument(
        "--crm-format",
        choices=CRM_FORMATS,
        default="contract",
        help="CRM exports (and support tickets, unless --helpdesk-format zendesk) as contract "
        "files, or as Salesforce's Data Export in <drop>/salesforce/",
    )
    parser.add_argument(
        "--helpdesk-format",
        choices=HELPDESK_FORMATS,
        default="contract",
        help="support tickets as a contract file, or as Zendesk's export in <drop>/zendesk/",
    )
    parser.add_argument(
        "--survey-format",
        choices=SURVEY_FORMATS,
        default="contract",
        help="NPS answers as a contract file, or as Delighted's API JSON in <drop>/delighted/",
    )
    parser.add_argument(
        "--billing-format",
        choices=BILLING_FORMATS,
        default="contract",
        help="billing exports as contract files, or as Stripe's tables in <drop>/stripe/",
    )
    parser.add_argument(
        "--stripe-files", choices=STRIPE_FILES, default="csv", help="Stripe tables as (csv)"
    )
    parser.add_argument(
        "--usage-format",
        choices=USAGE_FORMATS,
        default="contract",
        help="product usage as a contract file, as Segment's tracks in <drop>/segment/ or as "
        "Amplitude's export NDJSON in <drop>/amplitude/",
    )
    args = parser.parse_args(argv)
    try:
        config = GeneratorConfig(
            out=args.out,
            accounts=args.accounts,
            months=args.months,
            drops=args.drops,
            seed=args.seed,
            end_date=args.end_date,
            dirty=not args.no_dirty,
            cp932_files=tuple(name.strip() for name in args.cp932.split(",") if name.strip()),
            progress=True,
            crm_format=args.crm_format,
            helpdesk_format=args.helpdesk_format,
            survey_format=args.survey_format,
            billing_format=args.billing_format,
            stripe_files=args.stripe_files,
            usage_format=args.usage_format,
        )
    except ValueError as error:
        parser.error(str(error))
    return config, args.replace


def prepare_output(out: Path, replace: bool) -> None:
    """Make sure `out` is empty: delete it with `replace`, but only if it holds nothing
    except drop folders and sources.yml (so a mistyped --out never deletes anything else)."""
    if not out.exists() or not any(out.iterdir()):
        return
    if not replace:
        raise SystemExit(f"{out} is not empty; pass --replace to delete it first")
    strangers = [
        p.name
        for p in out.iterdir()
        if not (p.is_dir() and DROP_FOLDER.match(p.name)) and p.name != "sources.yml"
    ]
    if strangers:
        raise SystemExit(
            f"refusing to delete {out}: it holds more than export drops ({', '.join(strangers)})"
        )
    shutil.rmtree(out)


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m demo` and the `cs-analytics-demo` script."""
    config, replace = parse_args(argv)
    prepare_output(config.out, replace)
    started = time.perf_counter()
    summary = generate(config)
    seconds = time.perf_counter() - started
    print(
        f"Wrote {len(summary.drops)} drops ({summary.drops[0]} .. {summary.drops[-1]}), "
        f"{summary.total_rows():,} rows, to {config.out.resolve()} in {seconds:.1f} s"
    )
    print(summary.table())


if __name__ == "__main__":
    main()
