"""Stripe's tables -> the contract's billing exports, one conversion per export.

Each is SQL over the tables read into DuckDB (sql/*.sql, rules documented there and in
docs/sources.md); these functions only set the scene: the currency table, the reporting-zone
day macro and the options as bound parameters.
"""

from __future__ import annotations

from orchestration.sources.conversion import Conversion, ConversionContext, define_reporting_day
from orchestration.sources.statements import run_script, sql_file
from orchestration.sources.stripe.currencies import create_currency_table
from orchestration.sql import identifier

PACKAGE = "orchestration.sources.stripe"


def _prepare(context: ConversionContext) -> None:
    create_currency_table(context.connection, context.options.currency_exponents)
    # Stripe's timestamps are UTC; days are counted in the reporting time zone.
    define_reporting_day(context.connection, context.reporting_timezone)


def _script(context: ConversionContext, *names: str, **params: object) -> None:
    for name in names:
        run_script(context.connection, sql_file(PACKAGE, name), **(_base(context) | params))


def _base(context: ConversionContext) -> dict[str, object]:
    return {
        "drop_date": context.drop_date,
        "reporting_currency": context.reporting_currency,
    }


def billing_customers(context: ConversionContext) -> None:
    _prepare(context)
    _script(context, "customers", account_key=context.options.account_id_key)


def plans(context: ConversionContext) -> None:
    _prepare(context)
    _script(context, "price_book", "plans", tier_key=context.options.tier_key or "")


def subscription_items(context: ConversionContext) -> None:
    _prepare(context)
    _script(
        context, "price_book", "items_inputs", "items_segments", "items_versions", "items_ledger"
    )


def invoices(context: ConversionContext) -> None:
    _prepare(context)
    _script(context, "invoices")


def fx_rates(context: ConversionContext) -> None:
    _prepare(context)
    given = context.given
    context.connection.execute(
        "create or replace temp table csa_given_fx as select rate_date, from_currency, "
        "to_currency, rate, _source_file || ' record ' || _source_line as source from "
        + (identifier(given) if given else "csa_vendor_rows limit 0")
    )
    _script(context, "fx")


PRICE_TABLES = ("prices", "plans")
CONVERSIONS = {
    "billing_customers": Conversion(("customers", "customers_metadata"), billing_customers),
    "plans": Conversion((*PRICE_TABLES, "products", "prices_metadata"), plans),
    "subscription_items": Conversion(
        (
            *PRICE_TABLES,
            "subscriptions",
            "subscription_items",
            "subscription_item_change_events",
            "coupons",
            "discounts",
        ),
        subscription_items,
    ),
    "invoices": Conversion(("invoices",), invoices),
    "fx_rates": Conversion(("exchange_rates_from_usd",), fx_rates, takes_given=True),
}
