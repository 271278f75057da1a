"""Stripe's tables as Sigma and Stripe Data Pipeline name them (docs/sources.md, Stripe).

Only the columns the conversions read are listed; a file may hold any others (Stripe's tables
have dozens). Which export owns a table: its load reads it and accounts for every record.
Names and types follow Stripe's public Sigma schema listing (docs/sources.md, sources).
"""

from __future__ import annotations

from orchestration.sources.vendor import Kind, VendorColumn, VendorTable

TEXT, INT, DEC, BOOL, TS, JSON = (
    Kind.TEXT,
    Kind.INTEGER,
    Kind.DECIMAL,
    Kind.BOOLEAN,
    Kind.UTC_TIMESTAMP,
    Kind.JSON,
)


def _column(name: str, kind: Kind = TEXT, *aliases: str) -> VendorColumn:
    return VendorColumn(name, kind, required=True, aliases=aliases)


def _optional(name: str, kind: Kind = TEXT, *aliases: str) -> VendorColumn:
    return VendorColumn(name, kind, required=False, aliases=aliases)


TABLES: tuple[VendorTable, ...] = (
    VendorTable(
        "customers",
        "billing_customers",
        ("id",),
        (
            _column("id"),
            _optional("email"),
            _column("currency"),
            _column("created", TS),
            _optional("deleted", BOOL),
        ),
    ),
    VendorTable(
        "customers_metadata",
        "billing_customers",
        ("customer_id", "key"),
        (_column("customer_id"), _column("key"), _column("value")),
    ),
    VendorTable("products", "plans", ("id",), (_column("id"), _column("name"))),
    VendorTable(
        "prices",
        "plans",
        ("id",),
        (
            _column("id"),
            _column("product_id"),
            _column("currency"),
            _optional("unit_amount", INT),
            _optional("unit_amount_decimal", DEC),
            _optional("billing_scheme"),
            _optional("type"),
            _optional("recurring_interval"),
            _optional("recurring_interval_count", INT),
            _optional("recurring_usage_type"),
            _optional("nickname"),
        ),
    ),
    VendorTable(
        "prices_metadata",
        "plans",
        ("price_id", "key"),
        (_column("price_id"), _column("key"), _column("value")),
    ),
    VendorTable(  # Stripe's legacy plan objects: every plan is also a price with the same id
        "plans",
        "plans",
        ("id",),
        (
            _column("id"),
            _column("product_id"),
            _column("currency"),
            _optional("amount", INT),
            _optional("unit_amount_decimal", DEC, "amount_decimal"),
            _optional("billing_scheme"),
            _column("interval"),
            _optional("interval_count", INT),
            _optional("usage_type"),
            _optional("nickname"),
        ),
    ),
    VendorTable(
        "subscriptions",
        "subscription_items",
        ("id",),
        (
            _column("id"),
            _column("customer_id"),
            _column("status"),
            _optional("trial_start", TS),
            _optional("trial_end", TS),
            _optional("cancel_at", TS),
            _optional("ended_at", TS),
        ),
    ),
    VendorTable(
        "subscription_items",
        "subscription_items",
        ("id",),
        (
            _column("id"),
            _column("subscription_id", TEXT, "subscription"),
            _column("quantity", INT),
            _column("created", TS),
            _column("price_id", TEXT, "plan_id"),
        ),
    ),
    VendorTable(
        "subscription_item_change_events",
        "subscription_items",
        ("subscription_item_id", "event_timestamp", "event_type"),
        (
            _column("subscription_item_id"),
            _column("event_timestamp", TS),
            _column("event_type"),
            _column("subscription_id"),
            _optional("customer_id"),
            _column("price_id"),
            _column("quantity_change", INT),
        ),
    ),
    VendorTable(
        "coupons",
        "subscription_items",
        ("id",),
        (
            _column("id"),
            _optional("percent_off", DEC),
            _optional("amount_off", INT),
            _optional("currency"),
            _column("duration"),
            _optional("duration_in_months", INT),
        ),
    ),
    VendorTable(
        "discounts",
        "subscription_items",
        ("id",),
        (
            _column("id"),
            _column("coupon_id"),
            _optional("customer_id"),
            _optional("subscription_id"),
            _optional("subscription_item_id"),
            _column("start", TS, "created"),
            _optional("end", TS),
        ),
    ),
    VendorTable(
        "invoices",
        "invoices",
        ("id",),
        (
            _column("id"),
            _column("customer_id"),
            _column("status"),
            _column("date", TS, "created"),
            _optional("due_date", TS),
            _column("currency"),
            _column("total", INT),
            _optional("status_transitions_paid_at", TS),
            _optional("status_transitions_voided_at", TS),
            _optional("status_transitions_marked_uncollectible_at", TS),
            _optional("status_transitions_finalized_at", TS),
            _optional("batch_timestamp", TS),
        ),
    ),
    VendorTable(
        "exchange_rates_from_usd",
        "fx_rates",
        ("date",),
        (
            _column("date", TS),
            _optional("sell_currency"),
            _column("buy_currency_exchange_rates", JSON),
        ),
    ),
)
