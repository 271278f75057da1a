"""Freshness: per export, a warning when its latest drop is older than its allowance.

Dagster's `FreshnessPolicy` (1.12+, which supersedes `build_last_update_freshness_checks`)
measures the time since an asset's last materialization. A raw asset materializes every night,
drop or no drop, so a policy would stay green while an export stopped arriving. The
`freshness` check measures the data instead: the date of the export's latest loaded drop
(`raw._loads`), counted from the start of that day in the reporting time zone, against
`CSA_FRESHNESS_DAYS` (or the export's own allowance in `CSA_FRESHNESS_DAYS_BY_EXPORT`). It
never blocks (severity WARN); the `late_export_alert` sensors post a run's late exports to
`CSA_ALERT_WEBHOOK_URL`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from orchestration.assets.raw import raw_asset_key
from orchestration.config import Settings
from orchestration.contract import EXPORTS, ExportFile
from orchestration.resources import WarehouseResource

CHECK_NAME = "freshness"


def latest_drop(connection, export_name: str) -> date | None:
    """The drop date of the export's latest loaded file; None before its first load."""
    try:
        (latest,) = connection.execute(
            "select max(drop_date) from raw._loads where export = ?", [export_name]
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse no raw asset has written to yet
        return None
    return latest


def _days(span: timedelta) -> str:
    return f"{span.total_seconds() / 86400:.1f} days"


def freshness_result(
    export: ExportFile, latest: date | None, allowance: timedelta, now: datetime, timezone: str
) -> dg.AssetCheckResult:
    """Passes while the latest drop is at most `allowance` old at `now` (or the export was
    never delivered); else a warning."""
    if latest is None:  # a landing may hold any subset of the exports (raw-exports.md)
        return dg.AssetCheckResult(
            passed=True,
            description=f"{export.file_name}: never delivered; its freshness counts from its "
            "first drop",
            metadata={"latest_drop": None, "allowance_days": allowance / timedelta(days=1)},
        )
    start = datetime.combine(latest, time(), ZoneInfo(timezone))
    age = now - start
    late = age > allowance
    state = "late: no newer drop has arrived" if late else "fresh"
    return dg.AssetCheckResult(
        passed=not late,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{export.file_name}: latest drop {latest} is {_days(age)} old, allowance "
        f"{_days(allowance)}: {state}",
        metadata={
            "latest_drop": latest.isoformat(),
            "latest_drop_start": dg.MetadataValue.timestamp(start),
            "age_days": round(age / timedelta(days=1), 2),
            "allowance_days": allowance / timedelta(days=1),
        },
    )


def build_freshness_check(export: ExportFile) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=raw_asset_key(export),
        name=CHECK_NAME,
        blocking=False,
        pool="duckdb",
        description=f"Warns when the latest drop of {export.file_name} is older than its "
        "allowance (CSA_FRESHNESS_DAYS, CSA_FRESHNESS_DAYS_BY_EXPORT); never blocks.",
    )
    def _freshness(settings: Settings, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.session(read_only=True) as connection:
            latest = latest_drop(connection, export.name)
        return freshness_result(
            export,
            latest,
            settings.freshness_allowance(export.name),
            datetime.now(UTC),
            settings.reporting_timezone,
        )

    return _freshness


freshness_checks = [build_freshness_check(export) for export in EXPORTS]
