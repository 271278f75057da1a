"""Running a raw table's rules inside DuckDB: one scan of the batch for all of them.

The batch is the table, or the rows loaded since the gate's last pass. One aggregate query
counts, in a single pass over the batch, the rows that break each rule written as a condition
(`count(*) filter (where ...)`), the key columns' nulls and the batch's size; each rule written
as a whole query (unique keys, FX coverage, the load's bookkeeping) is counted by its own
query; example rows are read only for the rules that failed. Nothing is pulled into Python
but counts and at most five example rows per failing rule.

Until issue 22 the rules ran as great-expectations suites (one ephemeral context, one query per
expectation, about 0.6 s of set-up per table): 12.5 s for the twelve gates at the `medium`
benchmark scale, against 0.8 s for DuckDB to read every input file once
(docs/benchmarks.md). The rules, their severities and the results are the same.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sql import qualified
from quality.rules import Rule, Severity, rules_for

EXAMPLES = 5
# The batch's lower bound, bound as a parameter (SET VARIABLE) so no value enters SQL text.
SINCE_VARIABLE = "csa_gate_since"


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
    """The rows a gate validates: all of raw.<table>, or those loaded after `since` (the
    variable SINCE_VARIABLE, set by `validate_table`)."""
    query = f"select * from {qualified('raw', table)}"
    if since is None:
        return query
    return f"{query} where _loaded_at > getvariable('{SINCE_VARIABLE}')"


@dataclass(frozen=True)
class Check:
    """One rule of the table as SQL: a condition on the batch's rows, or a whole query."""

    rule: str
    column: str
    severity: Severity
    condition: str | None  # counted in the one scan of the batch
    query: str  # the failing rows, with drop, file and line where the rule reads the batch
    screen: str | None = None  # aggregate in the one scan: 0 means the rule passes


def _checks(table: str, reporting_currency: str, whole_table: bool) -> list[Check]:
    export = EXPORTS_BY_NAME[table]
    keys = [
        Check(
            f"primary key {column} is not null",
            column,
            Severity.ERROR,
            f"{column} is null",
            _rule_query(Rule("", column, f"{column} is null"), whole_table),
        )
        for column in export.primary_key
    ]
    rules = [
        Check(
            rule.name,
            rule.column,
            rule.severity,
            None if rule.query else rule.condition,
            _rule_query(rule, whole_table),
            rule.whole_table_screen if whole_table else None,
        )
        for rule in rules_for(table, reporting_currency)
    ]
    return keys + rules


def _rows(cursor) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _missing_columns(connection, table: str) -> list[str]:
    present = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = ?",
            [table],
        ).fetchall()
    }
    return [name for name in EXPORTS_BY_NAME[table].column_names if name not in present]


@dataclass(frozen=True)
class Validation:
    rows: int  # rows in the batch
    results: list[RuleResult]


def validate_table(
    connection, table: str, reporting_currency: str, since: datetime | None = None
) -> Validation:
    """Validate raw.<table> (only rows loaded after `since`, if given) on an open connection;
    one result per rule, in suite order: required columns, key nulls, then the table's rules."""
    missing = _missing_columns(connection, table)
    columns = RuleResult(
        "required columns are present",
        "*",
        Severity.ERROR,
        not missing,
        None,
        [f"missing columns: {missing}"] if missing else [],
    )
    if missing:  # the rules would name columns that are not there
        return Validation(0, [columns])
    if since is not None:
        connection.execute(f"set variable {SINCE_VARIABLE} = ?::timestamptz", [since])
    batch = f"({batch_query(table, since)})"
    checks = _checks(table, reporting_currency, whole_table=since is None)
    scanned = {
        check: f"count(*) filter (where {check.condition})" if check.condition else check.screen
        for check in checks
        if check.condition or check.screen
    }
    try:
        rows, *found = connection.execute(
            f"select count(*), {', '.join(scanned.values())} from {batch}"
        ).fetchone()
        by_check = dict(zip(scanned, found, strict=True))
        results = [columns]
        for check in checks:
            query = check.query.replace("{batch}", batch)
            count = by_check.get(check)
            if count is None or (check.screen and count):
                (count,) = connection.execute(f"select count(*) from ({query})").fetchone()
            examples = (
                _rows(connection.execute(f"select * from ({query}) limit {EXAMPLES}"))
                if count
                else []
            )
            results.append(
                RuleResult(check.rule, check.column, check.severity, not count, count, examples)
            )
    except duckdb.Error as error:
        raise RuntimeError(f"raw.{table}: its rules could not be evaluated: {error}") from error
    return Validation(rows, results)
