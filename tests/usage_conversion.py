"""Converting one vendor folder to product_usage_daily, as the loader would, for the usage
vendors' fixture tests (Segment, Amplitude)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.conversion import FileLedger, convert
from orchestration.sources.discovery import scan_vendor_folder
from orchestration.sources.vendor import SourceOptions, Vendor


def convert_usage(
    vendor: Vendor, folder: Path, options: SourceOptions
) -> tuple[list, list, list[FileLedger]]:
    """Convert the folder as the drop of 2026-11-30 (reporting in Asia/Tokyo, a session in
    UTC); (rows, ledger, file ledgers)."""
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        ledgers = convert(
            connection,
            scan_vendor_folder(vendor, folder),
            EXPORTS_BY_NAME["product_usage_daily"],
            options,
            date(2026, 11, 30),
            reporting_timezone="Asia/Tokyo",
            reporting_currency="JPY",
        )
        rows = connection.execute(
            "select account_id, usage_date, active_users, logins, key_feature_events, "
            "_source_file, _source_line from csa_vendor_rows order by all"
        ).fetchall()
        ledger = connection.execute(
            "select source_file, line, outcome, columns, reason from csa_ledger order by all"
        ).fetchall()
    return rows, ledger, ledgers
