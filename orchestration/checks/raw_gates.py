"""Blocking checks on the raw assets, built by factories from the contract: the
great-expectations `quality_gate` and the load `reconciliation`."""

from datetime import datetime

import dagster as dg

from orchestration.assets.raw import raw_asset_key
from orchestration.checks import gate_passes, reconciliation
from orchestration.config import Settings
from orchestration.contract import EXPORTS, EXPORTS_BY_NAME, ExportFile
from orchestration.resources import WarehouseResource
from orchestration.sql import qualified
from quality.rules import Severity, rules_for
from quality.validate import RuleResult, batch_query, suite_fingerprint, validate_table

GATE_NAME = "quality_gate"


def gate_result(
    table: str, results: list[RuleResult], rows: int, since: datetime | None
) -> dg.AssetCheckResult:
    """Errors fail the gate (blocking); warnings alone pass it with the findings reported.
    `rows` were validated: every row, or those loaded after the last pass (`since`)."""
    failed = [result for result in results if not result.passed]
    errors = [result for result in failed if result.severity is Severity.ERROR]
    lines = [result.summary(table) for result in failed] or ["all rules passed"]
    return dg.AssetCheckResult(
        passed=not errors,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        description="; ".join(lines)[:2000],
        metadata={
            "rules_checked": len(results),
            "rows_validated": rows,
            "validated": "every row"
            if since is None
            else f"rows loaded after the last pass ({since.isoformat()})",
            "errors": len(errors),
            "warnings": len(failed) - len(errors),
            "findings": dg.MetadataValue.md("\n".join(f"- {line}" for line in lines)),
            "failed_rules": dg.MetadataValue.json(
                [
                    {
                        "rule": r.rule,
                        "column": r.column,
                        "severity": r.severity.value,
                        "failing_rows": r.failing_rows,
                        "examples": [str(e) for e in r.examples],
                    }
                    for r in failed
                ]
            ),
        },
    )


def unchanged_result(since: datetime) -> dg.AssetCheckResult:
    """Nothing was loaded into the table since its last pass: that pass stands."""
    return dg.AssetCheckResult(
        passed=True,
        description=f"nothing loaded since the last pass ({since.isoformat()}); it stands",
        metadata={
            "rules_checked": 0,
            "rows_validated": 0,
            "validated": f"nothing loaded since the last pass ({since.isoformat()})",
            "errors": 0,
            "warnings": 0,
        },
    )


def build_raw_gate(export: ExportFile) -> dg.AssetChecksDefinition:
    rules = rules_for(export.name)
    depends_on = sorted({table for rule in rules for table in rule.depends_on} - {export.name})
    reads_other_tables_in_full = any(rule.reads_other_tables_in_full for rule in rules)

    @dg.asset_check(
        asset=raw_asset_key(export),
        name=GATE_NAME,
        blocking=True,
        pool="duckdb",
        additional_deps=[raw_asset_key(EXPORTS_BY_NAME[table]) for table in depends_on],
        description=f"great-expectations suite on raw.{export.name} (the rows loaded since its "
        "last pass): keys, allowed values, ranges, date logic, references, FX coverage "
        "(errors block, warnings report).",
    )
    def _gate(settings: Settings, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        table = export.name
        currency = settings.reporting_currency
        suite = suite_fingerprint(table, currency)
        with warehouse.session(read_only=True) as connection:
            since = gate_passes.last_pass(connection, table, suite)
            through = gate_passes.latest_load(connection, table)
            if since is not None and through == since and not reads_other_tables_in_full:
                return unchanged_result(since)
            (rows,) = connection.execute(
                f"select count(*) from ({batch_query(table, since)})"
            ).fetchone()
            delivered = all(
                connection.execute(
                    f"select exists (select 1 from {qualified('raw', other)})"
                ).fetchone()[0]
                for other in depends_on
            )
        results = validate_table(settings.warehouse_file, table, currency, since)
        result = gate_result(table, results, rows, since)
        if result.passed and delivered and through is not None and through != since:
            with warehouse.session() as connection:
                gate_passes.record_pass(connection, table, suite, through)
        return result

    return _gate


def build_reconciliation(export: ExportFile) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=raw_asset_key(export),
        name=reconciliation.CHECK_NAME,
        blocking=True,
        pool="duckdb",
        description=f"Nothing lost: every {export.file_name} in the landing folder was loaded, "
        "and per drop rows read = rows loaded + rows quarantined.",
    )
    def _reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with warehouse.session(read_only=True) as connection:
            return reconciliation.reconcile(connection, export, warehouse.settings.landing_folder)

    return _reconcile


raw_gates = [
    build(export) for export in EXPORTS for build in (build_raw_gate, build_reconciliation)
]
