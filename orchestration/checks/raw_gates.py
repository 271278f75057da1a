"""Blocking checks on the raw assets, built from the contract: the `quality_gate` of every
raw table (its rules of quality/rules.py, one scan of the table in DuckDB: quality/validate.py),
and the load `reconciliation` of each.

Every gate of a run evaluates, whatever another gate found. The gates are one
`@multi_asset_check` step over all raw assets: it runs after every raw load of the run (so the
tables a rule references are loaded first), evaluates each table's suite and then fails if any
error-level gate failed, which skips everything downstream of the raw layer (dbt, publication).
Per-table checks with `additional_deps` on the tables their rules reference would wait for
those tables' blocking checks, and a failure there would skip them ("Dependencies for step ...
failed"): the first failing gate would hide the others. A step that checks an asset is not
held by that asset's other blocking checks, so the reconciliations do not hold the gates back.
A reconciliation reads only its own table's bookkeeping, so it stays a check of its own.
"""

import dagster as dg

from orchestration.assets.raw import raw_asset_key
from orchestration.checks import gate_passes, reconciliation
from orchestration.checks.gate_results import (
    GATE_NAME,
    gate_key,
    gate_result,
    not_evaluated_result,
    unchanged_result,
)
from orchestration.config import Settings
from orchestration.contract import EXPORTS, ExportFile
from orchestration.resources import WarehouseResource
from orchestration.sources.configuration import load_sources
from orchestration.sql import qualified
from quality.rules import rules_for
from quality.validate import suite_fingerprint, validate_table


def evaluate_gate(
    export: ExportFile, settings: Settings, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """The quality gate of raw.<export>: its rules on the rows loaded since its last pass."""
    table = export.name
    rules = rules_for(table)
    depends_on = sorted({other for rule in rules for other in rule.depends_on} - {table})
    reads_other_tables_in_full = any(rule.reads_other_tables_in_full for rule in rules)
    currency = settings.reporting_currency
    suite = suite_fingerprint(table, currency)
    with warehouse.session(read_only=True) as connection:
        since = gate_passes.last_pass(connection, table, suite)
        through = gate_passes.latest_load(connection, table)
        if since is not None and through == since and not reads_other_tables_in_full:
            return unchanged_result(export, since)
        delivered = all(
            connection.execute(
                f"select exists (select 1 from {qualified('raw', other)})"
            ).fetchone()[0]
            for other in depends_on
        )
        validation = validate_table(connection, table, currency, since)
    result = gate_result(export, validation.results, validation.rows, since)
    if result.passed and delivered and through is not None and through != since:
        with warehouse.session() as connection:
            gate_passes.record_pass(connection, table, suite, through)
    return result


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            GATE_NAME,
            asset=raw_asset_key(export),
            blocking=True,
            description=f"The quality rules of raw.{export.name} (the rows loaded since "
            "its last pass): keys, allowed values, ranges, date logic, references, FX coverage "
            "(errors block, warnings report).",
        )
        for export in EXPORTS
    ],
    name="raw_quality_gates",
    can_subset=True,
    pool="duckdb",
    description="The quality gate of every raw table, in one step after every raw load: all "
    "of them evaluate and report; any error blocks everything downstream of raw.",
)
def raw_quality_gates(
    context: dg.AssetCheckExecutionContext, settings: Settings, warehouse: WarehouseResource
):
    """Evaluates the selected raw tables' gates one by one; errors block downstream."""
    selected = [e for e in EXPORTS if gate_key(e) in context.selected_asset_check_keys]
    for number, export in enumerate(selected, start=1):
        context.log.debug(f"quality gate {number}/{len(selected)}: raw.{export.name}")
        try:
            yield evaluate_gate(export, settings, warehouse)
        except Exception as error:  # this gate's failure; the others still run
            yield not_evaluated_result(export, error)


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
            settings = warehouse.settings
            sources = load_sources(settings.sources_path)
            return reconciliation.reconcile(connection, export, settings.landing_folder, sources)

    return _reconcile


raw_gates = [raw_quality_gates, *(build_reconciliation(export) for export in EXPORTS)]
