"""Running a raw table's great-expectations suite inside DuckDB.

GX's SQL datasource over DuckDB returns empty metrics out of the box: GX reads each query's
rows after it has closed the connection (GX issue 11579), and DuckDB's cursor is gone by
then. `buffer_sql_results()` makes the execution engine buffer the rows (SQLAlchemy's
`freeze()`) before the connection closes; tests prove that a bad row fails its expectation.
Validation runs as SQL in the database: no table is pulled into pandas.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.execution_engine.sqlalchemy_execution_engine import (
    SqlAlchemyExecutionEngine,
)
from sqlalchemy.pool import NullPool

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sql import literal, qualified
from quality.rules import Rule, Severity, rules_for

EXAMPLES = 5


def _buffered_execute_query(self: SqlAlchemyExecutionEngine, query: Any) -> Any:
    with self.get_connection() as connection:
        return self._execute_query_with_recovery(connection, query).freeze()()


def buffer_sql_results() -> None:
    """Idempotent: make GX's SQL engine keep query results after closing the connection."""
    SqlAlchemyExecutionEngine.execute_query = _buffered_execute_query


@dataclass(frozen=True)
class RuleResult:
    rule: str
    column: str
    severity: Severity
    passed: bool
    failing_rows: int | None
    examples: list[Any] = field(default_factory=list)

    def summary(self, table: str) -> str:
        rows = "" if self.failing_rows is None else f" for {self.failing_rows} row(s)"
        examples = f"; e.g. {self.examples[:3]}" if self.examples else ""
        return (
            f"{self.severity.upper()}: raw.{table}.{self.column}: "
            f"'{self.rule}' failed{rows}{examples}"
        )


def _rule_query(rule: Rule, whole_table: bool) -> str:
    if whole_table and rule.whole_table_query:
        return rule.whole_table_query
    if rule.query:
        return rule.query
    return (
        f"select _drop_date, _source_file, _source_line, {rule.column} "
        f"from {{batch}} where {rule.condition} order by _drop_date, _source_line"
    )


def _meta(rule: str, column: str, severity: Severity) -> dict[str, str]:
    return {"rule": rule, "column": column, "severity": severity.value}


def build_suite(table: str, reporting_currency: str, whole_table: bool) -> gx.ExpectationSuite:
    """The suite of one raw table (its batch is the whole table, or the rows loaded since the
    last pass); each expectation carries its rule, column and severity."""
    export = EXPORTS_BY_NAME[table]
    key = list(export.primary_key)
    error = Severity.ERROR
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=list(export.column_names),
            exact_match=False,
            meta=_meta("required columns are present", "*", error),
        ),
        *(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=_meta(f"primary key {column} is not null", column, error)
            )
            for column in key
        ),
        *(
            gxe.UnexpectedRowsExpectation(
                unexpected_rows_query=_rule_query(rule, whole_table),
                description=rule.name,
                meta=_meta(rule.name, rule.column, rule.severity),
            )
            for rule in rules_for(table, reporting_currency)
        ),
    ]
    suite = gx.ExpectationSuite(name=f"raw.{table}")
    for expectation in expectations:
        suite.add_expectation(expectation)
    return suite


def suite_fingerprint(table: str, reporting_currency: str) -> str:
    """Changes whenever the suite of raw.<table> would: its columns, key or any rule."""
    export = EXPORTS_BY_NAME[table]
    content = [
        list(export.column_names),
        list(export.primary_key),
        [astuple(rule) for rule in rules_for(table, reporting_currency)],
    ]
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:16]


def batch_query(table: str, since: datetime | None) -> str:
    """The rows a gate validates: all of raw.<table>, or those loaded after `since`."""
    # GX runs the batch as SQL text (a query asset takes no parameters).
    query = f"select * from {qualified('raw', table)}"
    if since is None:
        return query
    return f"{query} where _loaded_at > timestamptz {literal(since.isoformat())}"


def _examples(result: dict) -> list[Any]:
    details = result.get("details") or {}
    if details.get("unexpected_rows"):
        return [dict(row) for row in details["unexpected_rows"][:EXAMPLES]]
    if details.get("mismatched"):
        return [f"missing columns: {details['mismatched'].get('missing')}"]
    return list(result.get("partial_unexpected_list") or [])[:EXAMPLES]


def _error_message(exception_info: dict | None) -> str | None:
    """GX nests exception info per metric; any raised exception means the rule did not run."""
    if not exception_info:
        return None
    infos = [exception_info, *(v for v in exception_info.values() if isinstance(v, dict))]
    raised = [info for info in infos if info.get("raised_exception")]
    return raised[0].get("exception_message") if raised else None


def validate_table(
    warehouse: Path, table: str, reporting_currency: str, since: datetime | None = None
) -> list[RuleResult]:
    """Validate raw.<table> in the warehouse (only rows loaded after `since`, if given); one
    result per rule, in suite order."""
    buffer_sql_results()
    context = gx.get_context(mode="ephemeral")
    # GX draws a "Calculating Metrics" bar per table on the run's console; the results say more.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_sql(
        "warehouse",
        connection_string=f"duckdb:///{warehouse}",
        # No pooling: every connection really closes, so the file is free for the next step.
        kwargs={"poolclass": NullPool},
    )
    # A query asset, not a table asset: GX's column reflection ignores the schema name.
    batch = source.add_query_asset(table, query=batch_query(table, since))
    suite = build_suite(table, reporting_currency, whole_table=since is None)
    definition = gx.ValidationDefinition(
        name=f"validate raw.{table}",
        data=batch.add_batch_definition_whole_table("whole table"),
        suite=context.suites.add(suite),
    )
    outcome = context.validation_definitions.add(definition).run(
        result_format={"result_format": "COMPLETE", "partial_unexpected_count": EXAMPLES}
    )
    results = []
    for result in outcome.results:
        meta = result.expectation_config.meta
        rule, column, severity = meta["rule"], meta["column"], Severity(meta["severity"])
        details = result.result or {}
        count = details.get("unexpected_count")
        if count is None and "observed_value" in details:
            count = details["observed_value"]
        error = _error_message(result.exception_info)
        if error:
            raise RuntimeError(f"raw.{table}: '{rule}' could not be evaluated: {error}")
        results.append(
            RuleResult(
                rule,
                column,
                severity,
                bool(result.success),
                count if isinstance(count, int) else None,
                _examples(details),
            )
        )
    return results
