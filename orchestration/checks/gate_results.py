"""The `quality_gate` check results of one raw table: findings, counts and failing rules.

`failed_rules` metadata lists every failing rule with a one-line `summary`: the run report
(`quality/run_checks`, orchestration/checks/run_report.py) prints each of them.
"""

from __future__ import annotations

from datetime import datetime

import dagster as dg

from orchestration.assets.raw import raw_asset_key
from orchestration.contract import ExportFile
from quality.rules import Severity
from quality.validate import RuleResult

GATE_NAME = "quality_gate"


def gate_key(export: ExportFile) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(raw_asset_key(export), GATE_NAME)


def _result(export: ExportFile, **fields) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(asset_key=raw_asset_key(export), check_name=GATE_NAME, **fields)


def gate_result(
    export: ExportFile, results: list[RuleResult], rows: int, since: datetime | None
) -> dg.AssetCheckResult:
    """Errors fail the gate (blocking); warnings alone pass it with the findings reported.
    `rows` were validated: every row, or those loaded after the last pass (`since`)."""
    failed = [result for result in results if not result.passed]
    errors = [result for result in failed if result.severity is Severity.ERROR]
    lines = [result.summary(export.name) for result in failed] or ["all rules passed"]
    return _result(
        export,
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
                        "summary": r.summary(export.name),
                    }
                    for r in failed
                ]
            ),
        },
    )


def unchanged_result(export: ExportFile, since: datetime) -> dg.AssetCheckResult:
    """Nothing was loaded into the table since its last pass: that pass stands."""
    return _result(
        export,
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


def not_evaluated_result(export: ExportFile, error: Exception) -> dg.AssetCheckResult:
    """A gate that raised fails (blocking) with the error; the other gates still run."""
    summary = f"ERROR: raw.{export.name}: the quality gate could not be evaluated: {error}"
    return _result(
        export,
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR,
        description=summary[:2000],
        metadata={
            "errors": 1,
            "warnings": 0,
            "failed_rules": dg.MetadataValue.json([{"summary": summary[:2000]}]),
        },
    )
