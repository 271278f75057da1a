"""The raw export contract (../shared/spec/raw-exports.md) as data.

Every loader, generator, quality suite and dbt source is derived from this one table, so a
column added to an export is added here once (then `make dbt-sources` regenerates the dbt
sources, orchestration/dbt_contract.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnType(StrEnum):
    """Logical column types of the contract, with the DuckDB type each is loaded as."""

    TEXT = "VARCHAR"
    TIMESTAMP = "TIMESTAMPTZ"
    DATE = "DATE"
    DECIMAL = "DECIMAL(18,4)"
    RATE = "DECIMAL(18,8)"
    INTEGER = "BIGINT"
    BOOLEAN = "BOOLEAN"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool = True
    personal_data: bool = False


@dataclass(frozen=True)
class ExportFile:
    """One CSV export of a source system: `<name>.csv` in every drop."""

    name: str
    source: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Attributes the KPIs are segmented by (owner, size, team...): besides the latest version
    # in `raw.<name>`, every version a drop delivered is kept in `raw.<name>__versions`, so
    # the marts can ask what an account looked like on any day (metrics.md, Segments).
    keeps_versions: bool = False

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def versions_table(self) -> str:
        return f"{self.name}__versions"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


T, TS, D, DEC, INT, BOOL = (
    ColumnType.TEXT,
    ColumnType.TIMESTAMP,
    ColumnType.DATE,
    ColumnType.DECIMAL,
    ColumnType.INTEGER,
    ColumnType.BOOLEAN,
)


def _key(name: str, type_: ColumnType = T) -> Column:
    return Column(name, type_, nullable=False)


def _pii(name: str) -> Column:
    return Column(name, T, personal_data=True)


EXPORTS: tuple[ExportFile, ...] = (
    ExportFile(
        "accounts",
        "crm",
        "The customer companies that Customer Success manages.",
        ("account_id",),
        (
            _key("account_id"),
            Column("account_name", T),
            Column("industry", T),
            Column("company_size", T),
            Column("country", T),
            Column("csm_id", T),
            Column("created_at", TS),
            Column("updated_at", TS),
        ),
        keeps_versions=True,
    ),
    ExportFile(
        "cs_reps",
        "crm",
        "Customer Success managers.",
        ("csm_id",),
        (
            _key("csm_id"),
            _pii("name"),
            Column("team", T),
            Column("hourly_cost", DEC),
            Column("active", BOOL),
        ),
        keeps_versions=True,
    ),
    ExportFile(
        "onboarding_milestones",
        "crm",
        "Onboarding progress: one row per account and milestone reached.",
        ("account_id", "milestone"),
        (
            _key("account_id"),
            _key("milestone"),
            Column("completed_at", TS),
        ),
    ),
    ExportFile(
        "cs_activities",
        "crm",
        "Time Customer Success spends on accounts.",
        ("activity_id",),
        (
            _key("activity_id"),
            Column("account_id", T),
            Column("csm_id", T),
            Column("activity_type", T),
            Column("lifecycle_stage", T),
            Column("occurred_at", TS),
            Column("duration_minutes", INT),
        ),
    ),
    ExportFile(
        "nps_responses",
        "survey",
        "NPS survey answers (0-10) with free-text comments.",
        ("response_id",),
        (
            _key("response_id"),
            Column("account_id", T),
            _pii("contact_email"),
            Column("responded_at", TS),
            Column("score", INT),
            Column("comment", T),
        ),
    ),
    ExportFile(
        "support_tickets",
        "helpdesk",
        "Help desk tickets.",
        ("ticket_id",),
        (
            _key("ticket_id"),
            Column("account_id", T),
            Column("channel", T),
            Column("priority", T),
            Column("category", T),
            Column("created_at", TS),
            Column("first_response_at", TS),
            Column("resolved_at", TS),
            Column("updated_at", TS),
        ),
    ),
    ExportFile(
        "product_usage_daily",
        "product",
        "Product analytics: one row per account and day with usage.",
        ("account_id", "usage_date"),
        (
            _key("account_id"),
            _key("usage_date", D),
            Column("active_users", INT),
            Column("logins", INT),
            Column("key_feature_events", INT),
        ),
    ),
    ExportFile(
        "billing_customers",
        "billing",
        "The billing system's customers, mapped to CRM accounts.",
        ("customer_id",),
        (
            _key("customer_id"),
            Column("account_id", T),
            Column("currency", T),
            _pii("email"),
            Column("created_at", TS),
        ),
    ),
    ExportFile(
        "plans",
        "billing",
        "The price book.",
        ("plan_id",),
        (
            _key("plan_id"),
            Column("product", T),
            Column("plan_name", T),
            Column("tier", INT),
            Column("billing_period_months", INT),
            Column("currency", T),
            Column("list_price", DEC),
        ),
    ),
    ExportFile(
        "subscription_items",
        "billing",
        "What each billing customer pays for, one row per version of a subscription line.",
        ("item_id",),
        (
            _key("item_id"),
            Column("subscription_id", T),
            Column("customer_id", T),
            Column("plan_id", T),
            Column("quantity", INT),
            Column("unit_price", DEC),
            Column("discount_pct", DEC),
            Column("started_on", D),
            Column("ended_on", D),
            Column("is_trial", BOOL),
        ),
    ),
    ExportFile(
        "invoices",
        "billing",
        "What was billed and paid.",
        ("invoice_id",),
        (
            _key("invoice_id"),
            Column("customer_id", T),
            Column("issued_on", D),
            Column("due_on", D),
            Column("currency", T),
            Column("total", DEC),
            Column("status", T),
            Column("paid_at", TS),
            Column("updated_at", TS),
        ),
    ),
    ExportFile(
        "fx_rates",
        "billing",
        "Exchange rates: 1 unit of from_currency = rate units of to_currency.",
        ("rate_date", "from_currency", "to_currency"),
        (
            _key("rate_date", D),
            _key("from_currency"),
            _key("to_currency"),
            Column("rate", ColumnType.RATE),
        ),
    ),
)

EXPORTS_BY_NAME: dict[str, ExportFile] = {export.name: export for export in EXPORTS}
# Every table the raw loads write for the dbt sources: the exports and their version histories.
RAW_TABLES: tuple[str, ...] = (
    *(export.name for export in EXPORTS),
    *(export.versions_table for export in EXPORTS if export.keeps_versions),
)
