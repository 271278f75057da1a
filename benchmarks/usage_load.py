"""The usage load from a product-analytics vendor against the contract file, at one size.

    python -m benchmarks.usage_load --scale large [--usage segment|amplitude] [--months 36]

A vendor's export has one record per event, the contract file one row per account and day,
and the demo's account-day has about 144 events: the same company's Segment tracks at `large`
are 3.7 billion, not the contract file's 26.7 million rows. So the comparison is at equal
input rows: the contract landing of the scale, and a smaller company of the same months in
the vendor's format, its accounts chosen so that its events about equal the contract file's
rows. Each landing's `raw/product_usage_daily` asset alone is materialized through Dagster into
a fresh warehouse (the asset `make run` runs), contract, vendor, contract again, one after the
other; the table gives rows, wall and CPU seconds, and the vendor's multiple of each contract
run. Not a test: it prints figures and writes
benchmarks/results/usage-<vendor>-<scale>-<commit>.json.
"""

from __future__ import annotations

import argparse
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg
import duckdb

from benchmarks.data import generate_landing
from benchmarks.run import SCALES, commit_id, cpu_seconds, write_json
from orchestration.config import Settings

USAGE_KEY = dg.AssetKey(["raw", "product_usage_daily"])
VENDORS = ("segment", "amplitude")


@dataclass(frozen=True)
class UsageLoad:
    landing: str  # contract, or the vendor
    accounts: int
    rows_read: int  # records the loader read: usage rows, or the vendor's events
    seconds: float
    cpu_seconds: float


def events_per_usage_row(landing: Path) -> float:
    """The vendor events one contract usage row becomes (demo/usage_events.py: a row's logins
    and key feature events, each one event)."""
    files = sorted(str(path) for path in landing.glob("*/product_usage_daily.csv"))
    with duckdb.connect() as connection:
        rows, events = connection.execute(
            "select count(*), sum(coalesce(try_cast(logins as bigint), 0) "
            "+ coalesce(try_cast(key_feature_events as bigint), 0)) "
            "from read_csv(?, header = true, all_varchar = true)",
            [files],
        ).fetchone()
    return events / rows


def load_usage(workdir: Path, name: str, accounts: int) -> UsageLoad:
    """Materialize raw/product_usage_daily from `workdir`/landing into a fresh warehouse."""
    from orchestration.runner import materialize

    warehouse = workdir / "warehouse.duckdb"
    for stale in (warehouse, warehouse.with_name(warehouse.name + ".wal")):
        stale.unlink(missing_ok=True)
    settings = Settings.from_env(
        landing_dir=str(workdir / "landing"),
        warehouse_path=str(warehouse),
        analytics_path=str(workdir / "analytics.duckdb"),
        parquet_dir=str(workdir / "parquet"),
    )
    started, cpu_started = time.perf_counter(), cpu_seconds()
    result = materialize(
        settings, dg.AssetSelection.assets(USAGE_KEY).without_checks(), raise_on_error=False
    )
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    if not result.success:
        raise SystemExit(f"the {name} usage load failed; see the Dagster log above")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        (rows,) = connection.execute(
            "select sum(rows_read) from raw._loads where export = ?", ["product_usage_daily"]
        ).fetchone()
    figure = UsageLoad(name, accounts, int(rows), seconds, cpu)
    print(f"  {name:<10} {rows:>14,} read {seconds:8.1f} s {cpu:8.1f} cpu s", flush=True)
    return figure


def compare(workdir: Path, accounts: int, months: int, vendor: str) -> list[UsageLoad]:
    """Contract, vendor, contract: the vendor's company sized to the contract file's rows."""
    contract_dir, vendor_dir = workdir / "contract", workdir / vendor
    for folder in (contract_dir, vendor_dir):
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Generating the contract landing: {accounts:,} accounts, {months} months", flush=True)
    generate_landing(contract_dir / "landing", accounts, months)
    vendor_accounts = max(1, round(accounts / events_per_usage_row(contract_dir / "landing")))
    print(f"Generating the {vendor} landing: {vendor_accounts:,} accounts", flush=True)
    generate_landing(vendor_dir / "landing", vendor_accounts, months, usage=vendor)
    print("Loading product_usage_daily, one landing after the other", flush=True)
    import orchestration.definitions  # noqa: F401  (loaded before the first timing, not in it)

    return [
        load_usage(contract_dir, "contract", accounts),
        load_usage(vendor_dir, vendor, vendor_accounts),
        load_usage(contract_dir, "contract", accounts),
    ]


def print_comparison(loads: list[UsageLoad]) -> None:
    first, vendor, second = loads
    print(f"\n{'landing':<10} {'accounts':>9} {'rows read':>14} {'wall s':>9} {'cpu s':>9}")
    for load in loads:
        print(
            f"{load.landing:<10} {load.accounts:>9,} {load.rows_read:>14,} "
            f"{load.seconds:9.1f} {load.cpu_seconds:9.1f}"
        )
    for contract in (first, second):
        print(
            f"{vendor.landing} / contract: {vendor.seconds / contract.seconds:.2f}x wall, "
            f"{vendor.cpu_seconds / contract.cpu_seconds:.2f}x CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="large")
    parser.add_argument("--usage", choices=VENDORS, default="segment")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cs-analytics-bench-usage"))
    parser.add_argument("--keep", action="store_true", help="keep both landings and warehouses")
    args = parser.parse_args()
    loads = compare(args.workdir, SCALES[args.scale], args.months, args.usage)
    print_comparison(loads)
    write_json(
        f"usage-{args.usage}-{args.scale}-{commit_id()}.json",
        {"scale": args.scale, "months": args.months, "loads": [asdict(load) for load in loads]},
    )
    if not args.keep:
        shutil.rmtree(args.workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
