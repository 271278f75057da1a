"""The raw data-quality rules, as data: one list per raw table, reviewed like code.

Each rule is a SQL condition that selects the offending rows of `raw.<table>`; the rows come
back with their drop, file and line, so a failure names file, row and column. Severity is
explicit: `error` blocks everything downstream, `warning` is reported and does not block.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from orchestration.contract import EXPORTS_BY_NAME, ColumnType


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    name: str
    column: str
    condition: str  # selects the rows that break the rule
    severity: Severity = Severity.ERROR
    depends_on: tuple[str, ...] = ()  # other raw tables the rule reads
    query: str | None = None  # a whole query instead of a condition on the table itself
    # Reads other tables in full (not only this table's rows), so its gate runs on every run,
    # even when this table received no load since its last pass.
    reads_other_tables_in_full: bool = False
    # An equivalent, cheaper query for when the batch is the whole table (the first run).
    whole_table_query: str | None = None
    # An aggregate over the whole table that is 0 whenever the rule passes, computed in the
    # gate's one scan of the table: the query then runs only when it is not 0.
    whole_table_screen: str | None = None


def one_of(column: str, values: tuple[str, ...]) -> Rule:
    listed = ", ".join(f"'{value}'" for value in values)
    return Rule(
        f"{column} is one of {', '.join(values)}",
        column,
        f"{column} is not null and {column} not in ({listed})",
    )


def at_least(column: str, minimum: int) -> Rule:
    return Rule(f"{column} >= {minimum}", column, f"{column} < {minimum}")


def between(column: str, low: int, high: int) -> Rule:
    return Rule(
        f"{column} between {low} and {high}", column, f"{column} < {low} or {column} > {high}"
    )


def not_before(column: str, earlier: str) -> Rule:
    return Rule(f"{column} is not before {earlier}", column, f"{column} < {earlier}")


def references(column: str, table: str, key: str, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(
        f"{column} exists in {table}.{key}",
        column,
        # Checked once the referenced export has been delivered at all: a landing folder may
        # hold any subset of the exports (the worked example has no cs_reps.csv).
        f"{column} is not null and {column} not in (select {key} from raw.{table}) "
        f"and exists (select 1 from raw.{table})",
        severity,
        (table,),
    )


def currency_code(column: str) -> Rule:
    return Rule(
        f"{column} is an ISO 4217 code",
        column,
        f"not regexp_full_match(coalesce({column}, ''), '[A-Z][A-Z][A-Z]')",
    )


def required(column: str) -> Rule:
    return Rule(f"{column} is present", column, f"{column} is null")


TABLE_RULES: dict[str, tuple[Rule, ...]] = {
    "accounts": (
        one_of("company_size", ("smb", "mid", "enterprise")),
        Rule(
            "country is ISO 3166-1 alpha-2",
            "country",
            "country is not null and not regexp_full_match(country, '[A-Z][A-Z]')",
            Severity.WARNING,
        ),
        references("csm_id", "cs_reps", "csm_id"),
    ),
    "cs_reps": (at_least("hourly_cost", 0), required("hourly_cost")),
    "onboarding_milestones": (
        one_of("milestone", ("kickoff", "setup", "training", "go_live")),
        references("account_id", "accounts", "account_id"),
    ),
    "cs_activities": (
        one_of("activity_type", ("meeting", "call", "email", "visit", "webinar", "chat")),
        one_of("lifecycle_stage", ("onboarding", "adoption", "renewal", "expansion")),
        at_least("duration_minutes", 0),
        references("account_id", "accounts", "account_id"),
        references("csm_id", "cs_reps", "csm_id"),
    ),
    "nps_responses": (
        between("score", 0, 10),
        required("score"),
        references("account_id", "accounts", "account_id"),
    ),
    "support_tickets": (
        one_of("channel", ("email", "phone", "chat", "line", "web")),
        one_of("priority", ("low", "normal", "high", "urgent")),
        not_before("resolved_at", "created_at"),
        not_before("first_response_at", "created_at"),
        references("account_id", "accounts", "account_id"),
    ),
    "product_usage_daily": (
        at_least("active_users", 0),
        at_least("logins", 0),
        at_least("key_feature_events", 0),
        references("account_id", "accounts", "account_id"),
    ),
    "billing_customers": (
        currency_code("currency"),
        Rule(
            "account_id is mapped (unmapped customers count as their own account)",
            "account_id",
            "account_id is null",
            Severity.WARNING,
        ),
        references("account_id", "accounts", "account_id"),
    ),
    "plans": (
        one_of("billing_period_months", ("1", "3", "6", "12")),
        at_least("list_price", 0),
        currency_code("currency"),
    ),
    "subscription_items": (
        at_least("quantity", 1),
        required("quantity"),
        between("discount_pct", 0, 100),
        at_least("unit_price", 0),
        required("started_on"),
        not_before("ended_on", "started_on"),
        references("customer_id", "billing_customers", "customer_id"),
        references("plan_id", "plans", "plan_id"),
    ),
    "invoices": (
        one_of("status", ("open", "paid", "void", "uncollectible")),
        not_before("due_on", "issued_on"),
        currency_code("currency"),
        references("customer_id", "billing_customers", "customer_id"),
    ),
    "fx_rates": (
        Rule("rate > 0", "rate", "rate is null or rate <= 0"),
        currency_code("from_currency"),
        currency_code("to_currency"),
    ),
}

# Date columns that may legitimately lie after the export date.
_FUTURE_ALLOWED = {"due_on", "ended_on"}


def future_dated(table: str) -> tuple[Rule, ...]:
    """Warn about dates after the export's own drop date (they stay out of the marts)."""
    columns = [
        c.name
        for c in EXPORTS_BY_NAME[table].columns
        if c.type in (ColumnType.DATE, ColumnType.TIMESTAMP) and c.name not in _FUTURE_ALLOWED
    ]
    return tuple(
        Rule(
            f"{name} is not after the drop date",
            name,
            f"cast({name} as date) > _drop_date + interval 1 day",
            Severity.WARNING,
        )
        for name in columns
    )


# Stands for the configured reporting currency in a rule's query until the suite is built.
REPORTING_CURRENCY = "{reporting_currency}"


def fx_coverage() -> Rule:
    """Every currency and month that MRR needs has a rate on or before the month's end.

    Reads the whole of raw.fx_rates, not the gate's batch: a later drop date asks for the rates
    of a later month, so this is checked in full on every run (the tables are small)."""
    reporting_currency = REPORTING_CURRENCY
    as_of = "(select max(drop_date) from raw._loads)"
    query = f"""
        with needed as (
            select distinct plans.currency, cast(month as date) as month
            from raw.subscription_items as items
            join raw.plans as plans on items.plan_id = plans.plan_id
            cross join generate_series(
                date_trunc('month', items.started_on),
                date_trunc('month', least(coalesce(items.ended_on - 1, {as_of}), {as_of})),
                interval 1 month
            ) as months(month)
            where not coalesce(items.is_trial, false)
              and plans.currency <> '{reporting_currency}'
              and items.started_on <= {as_of}
        )
        select needed.currency, needed.month,
               'no ' || needed.currency || ' -> {reporting_currency} rate on or before '
               || cast(last_day(needed.month) as varchar) as problem
        from needed
        where not exists (
            select 1 from raw.fx_rates as fx
            where fx.rate_date <= last_day(needed.month)
              and ((fx.from_currency = needed.currency and fx.to_currency = '{reporting_currency}')
                or (fx.to_currency = needed.currency and fx.from_currency = '{reporting_currency}'))
        )
        order by 1, 2"""
    return Rule(
        f"a rate to {reporting_currency} exists for every currency and month with MRR",
        "rate",
        "",
        Severity.ERROR,
        ("subscription_items", "plans"),
        query,
        reads_other_tables_in_full=True,
    )


def unique_key(table: str) -> Rule:
    """No two rows share a primary key. Every key in the batch is counted over the whole
    table, so a new row that duplicates an old one fails even when only new rows are
    validated; both versions are listed."""
    key = EXPORTS_BY_NAME[table].primary_key
    columns = ", ".join(key)
    matches_batch_key = " and ".join(f"batch_keys.{c} = versions.{c}" for c in key)
    listed = f"""
        select _drop_date, _source_file, _source_line, {columns}
        from raw.{table}
        inner join duplicated_keys using ({columns})
        order by {columns}, _drop_date, _source_line"""
    # A semi-join, so DuckDB reads only the versions of the batch's keys instead of grouping
    # the whole table first.
    query = f"""
        with batch_keys as (
            select distinct {columns} from {{batch}}
        ),
        duplicated_keys as (
            select {columns}
            from raw.{table} as versions
            where exists (select 1 from batch_keys where {matches_batch_key})
            group by {columns}
            having count(*) > 1
        ){listed}"""
    whole_table_query = f"""
        with duplicated_keys as (
            select {columns}
            from {{batch}}
            group by {columns}
            having count(*) > 1
        ){listed}"""
    return Rule(
        "primary key is unique",
        ",".join(key),
        "",
        Severity.ERROR,
        (),
        query,
        whole_table_query=whole_table_query,
        # Two rows of one key have one hash, so no repeated hash means no repeated key (a
        # collision of two keys only sends the gate to the query); hashes group much faster
        # than the key's strings (usage at `medium`: 5.3 million rows).
        whole_table_screen=f"count(*) - count(distinct hash({columns}))",
    )


def quarantined(table: str) -> Rule:
    query = f"""
        select drop_date, source_file, line, columns, reason
        from raw._quarantine
        where export = '{table}'
        order by drop_date, line"""
    return Rule("no row was quarantined", "*", "", Severity.WARNING, (), query)


def extra_columns(table: str) -> Rule:
    query = f"""
        select drop_date, source_file, extra_columns
        from raw._loads
        where export = '{table}' and len(extra_columns) > 0"""
    return Rule(
        "no unknown columns (kept in raw, ignored downstream)", "*", "", Severity.WARNING, (), query
    )


def _in_currency(rule: Rule, reporting_currency: str) -> Rule:
    def fill(text: str | None) -> str | None:
        return text and text.replace(REPORTING_CURRENCY, reporting_currency)

    return replace(
        rule,
        name=fill(rule.name),
        query=fill(rule.query),
        whole_table_query=fill(rule.whole_table_query),
    )


def rules_for(table: str, reporting_currency: str = REPORTING_CURRENCY) -> tuple[Rule, ...]:
    """The rules of raw.<table> for a reporting currency (an ISO 4217 code, validated by
    Settings). Without one, the placeholder stays: the tables a rule reads are the same for
    every currency, so the gates' dependencies are built from that."""
    extra = (fx_coverage(),) if table == "fx_rates" else ()
    bookkeeping = (quarantined(table), extra_columns(table))
    rules = (
        unique_key(table),
        *TABLE_RULES.get(table, ()),
        *future_dated(table),
        *extra,
        *bookkeeping,
    )
    return tuple(_in_currency(rule, reporting_currency) for rule in rules)
