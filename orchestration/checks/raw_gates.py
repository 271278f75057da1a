"""Blocking checks on the raw assets, built by factories from the contract: the
great-expectations `quality_gate` and the load `reconciliation`."""

from pathlib import Path

import dagster as dg

from orchestration.assets.raw import raw_asset_key
from orchestration.checks import reconciliation
from orchestration.config import Settings
from orchestration.contract import EXPORTS, EXPORTS_BY_NAME, ExportFile
from orchestration.loading.drops import scan_landing
from orchestration.resources import WarehouseResource
from quality.rules import Severity, rules_for
from quality.validate import RuleResult, validate_table

GATE_NAME = "quality_gate"


def gate_result(table: str, results: list[RuleResult]) -> dg.AssetCheckResult:
    """Errors fail the gate (blocking); warnings alone pass it with the findings reported."""
    failed = [result for result in results if not result.passed]
    errors = [result for result in failed if result.severity is Severity.ERROR]
    lines = [result.summary(table) for result in failed] or ["all rules passed"]
    return dg.AssetCheckResult(
        passed=not errors,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        description="; ".join(lines)[:2000],
        metadata={
            "rules_checked": len(results),
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


def build_raw_gate(export: ExportFile) -> dg.AssetChecksDefinition:
    depends_on = sorted(
        {table for rule in rules_for(export.name, "JPY") for table in rule.depends_on}
        - {export.name}
    )

    @dg.asset_check(
        asset=raw_asset_key(export),
        name=GATE_NAME,
        blocking=True,
        pool="duckdb",
        additional_deps=[raw_asset_key(EXPORTS_BY_NAME[table]) for table in depends_on],
        description=f"great-expectations suite on raw.{export.name}: keys, allowed values, "
        "ranges, date logic, references, FX coverage (errors block, warnings report).",
    )
    def _gate(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        currency = Settings.from_env().reporting_currency
        results = validate_table(Path(warehouse.warehouse_path), export.name, currency)
        return gate_result(export.name, results)

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
        landing = Path(warehouse.landing_dir)
        with warehouse.session(read_only=True) as connection:
            balances = reconciliation.file_balances(connection, export, landing)
        ignored = scan_landing(landing).ignored_folders
        return reconciliation.reconciliation_result(export, balances, ignored)

    return _reconcile


raw_gates = [
    build(export) for export in EXPORTS for build in (build_raw_gate, build_reconciliation)
]
