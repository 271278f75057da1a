"""The demo's billing exports rewritten as Stripe's own tables (`--billing-format stripe`).

After the contract drops are written, each drop's billing files (billing_customers, plans,
subscription_items, invoices, fx_rates) are read into DuckDB and written as the Stripe
tables of docs/sources.md into `<drop>/stripe/` (CSV as Sigma downloads them, or Parquet as
Stripe Data Pipeline delivers them), then removed; `sources.yml` names the prices_metadata
key of the plans' tier. The pipeline's Stripe conversion turns them back into the same
contract rows, so every mart is the same as from the contract drops of the same seed
(tests/test_stripe_demo.py).

How the company is expressed in Stripe's terms (everything in SQL, never row by row):
- a customer's `account_id` is its `customers_metadata` key `account_id` (unmapped customers
  have none); amounts are integers in the currency's minor unit (yen, cents); timestamps UTC;
- a plan is a price of a product (`recurring_interval` month, or year for 12 months) with
  its tier in `prices_metadata`; a negotiated unit price is a price of its own
  (`<plan_id>-at-<minor units>`) of the same product, tier and period;
- each contract item (one version: a price, a quantity, a discount, a trial flag) is a
  subscription item of its own subscription (`sub_<item_id>`), `created` on its first day;
  it ends with its subscription (`canceled`, `ended_at`); a trial item's subscription is
  `trialing` or has `trial_start`..`trial_end`; a discount is a `forever` coupon on the item,
  for about half of the items whose discount is a whole number of minor units of their amount
  `amount_off`, else `percent_off`. Quantity and price changes are the contract's successive
  items (no subscription_item_change_events: versions come from the items across drops);
- an invoice keeps its status; every 40th finalized invoice also has a `draft` successor
  that the pipeline skips; `exchange_rates_from_usd` holds each day's JPY per USD.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.stripe.currencies import create_currency_table
from orchestration.sql import identifier

BILLING_EXPORTS = ("billing_customers", "plans", "subscription_items", "invoices", "fx_rates")
FORMATS = ("csv", "parquet")
SOURCE_ZONE = "Asia/Tokyo"  # the demo's local time: timestamps without offset, and days
DRAFT_EVERY = 40  # one finalized invoice in this many gets a draft successor

# Contract day -> its first instant in the demo's time zone (a UTC instant in Stripe).
_MIDNIGHT = "timezone('Asia/Tokyo', cast({} as timestamp))"

# Prices: every plan, and every negotiated unit price any drop's items use.
_PRICES = """
create or replace temp table s_prices as
with plans as (select * from c_plans),
used as (
    select distinct items.plan_id, items.unit_price from all_items as items
),
negotiated as (
    select plans.*, used.unit_price as price
    from used inner join plans on plans.plan_id = used.plan_id
    where used.unit_price <> plans.list_price
)
select plan_id as id, plan_id, product, plan_name, tier, billing_period_months, currency,
    list_price as price
from plans
union all
select plan_id || '-at-' || cast(cast(price * scale as bigint) as varchar), plan_id, product,
    plan_name, tier, billing_period_months, currency, price
from negotiated inner join currencies on code = currency
"""

TABLES = {
    "customers": """
        select customer_id as id, 'customer' as object, email, lower(currency) as currency,
            created_at as created
        from c_billing_customers""",
    "customers_metadata": """
        select customer_id, 'account_id' as key, account_id as value
        from c_billing_customers where account_id is not null""",
    "products": """
        select distinct 'prod_' || product as id, product as name from s_prices order by id""",
    "prices": """
        select prices.id, 'price' as object, 'prod_' || product as product_id,
            lower(currency) as currency, cast(price * scale as bigint) as unit_amount,
            'per_unit' as billing_scheme, 'recurring' as type,
            case when billing_period_months = 12 then 'year' else 'month' end
                as recurring_interval,
            case when billing_period_months = 12 then 1 else billing_period_months end
                as recurring_interval_count,
            'licensed' as recurring_usage_type, plan_name as nickname
        from s_prices as prices inner join currencies on code = currency""",
    "prices_metadata": """
        select id as price_id, 'tier' as key, cast(tier as varchar) as value from s_prices""",
    "subscriptions": """
        select 'sub_' || item_id as id, customer_id,
            case when ended_on is not null then 'canceled'
                 when is_trial then 'trialing' else 'active' end as status,
            case when is_trial then {started} end as trial_start,
            case when is_trial then {ended} end as trial_end,
            {ended} as ended_at,
            {started} as created
        from s_items""",
    "subscription_items": """
        select item_id as id, 'subscription_item' as object, 'sub_' || item_id as subscription_id,
            quantity, {started} as created, price_id
        from s_items""",
    "coupons": """
        select distinct coupon_id as id, percent_off, amount_off, coupon_currency as currency,
            'forever' as duration
        from s_discounts order by id""",
    "discounts": """
        select 'di_' || item_id as id, coupon_id, customer_id,
            'sub_' || item_id as subscription_id, item_id as subscription_item_id,
            {started} as start, cast(null as timestamptz) as "end"
        from s_discounts""",
    "invoices": """
        select invoice_id as id, customer_id, status, {issued} as date, {due} as due_date,
            lower(currency) as currency, cast(total * scale as bigint) as total,
            paid_at as status_transitions_paid_at, updated_at as batch_timestamp
        from c_invoices inner join currencies on code = currency
        union all
        select invoice_id || '-draft', customer_id, 'draft', {issued}, {due},
            lower(currency), cast(total * scale as bigint), null, updated_at
        from c_invoices inner join currencies on code = currency
        where status <> 'void' and hash(invoice_id) % {draft_every} = 0""",
    "exchange_rates_from_usd": """
        select cast(rate_date as timestamp) as date, 'usd' as sell_currency,
            json_object(lower(to_currency), rate, 'usd', 1) as buy_currency_exchange_rates
        from c_fx_rates where from_currency = 'USD'""",
}

_ITEMS = """
create or replace temp table s_items as
select items.*, coalesce(prices.id, items.plan_id) as price_id
from c_subscription_items as items
left join s_prices as prices
    on prices.plan_id = items.plan_id and prices.price = items.unit_price
    and prices.id <> prices.plan_id
"""

# A discount that is a whole number of minor units of the item's amount is an amount_off
# coupon (integer arithmetic: the percentage in thousandths of the amount in minor units).
_DISCOUNTS = """
create or replace temp table s_discounts as
with amounts as (
    select items.*, plans_currency.currency,
        cast(items.discount_pct * 10 as bigint) * items.quantity
            * cast(items.unit_price * currencies.scale as bigint) as thousandths
    from s_items as items
    inner join plans_currency using (plan_id)
    inner join currencies on currencies.code = plans_currency.currency
    where items.discount_pct > 0
),
coupons as (
    select *, case when thousandths % 1000 = 0 and hash(item_id) % 2 = 0
        then thousandths // 1000 end as amount_minor
    from amounts
)
select item_id, customer_id, started_on,
    case when amount_minor is not null
        then 'off-' || lower(currency) || '-' || cast(amount_minor as varchar)
        else 'pct-' || cast(discount_pct as varchar) end as coupon_id,
    case when amount_minor is null then discount_pct end as percent_off,
    amount_minor as amount_off,
    case when amount_minor is not null then lower(currency) end as coupon_currency
from coupons
"""


def _read_contract(connection, drop: Path, export: str) -> None:
    """The drop's contract file of `export` as the temporary table `c_<export>`."""
    columns = {c.name: c.type.value for c in EXPORTS_BY_NAME[export].columns}
    connection.execute(
        f"create or replace temp table {identifier('c_' + export)} as select * from "
        "read_csv(?, header = true, auto_detect = false, columns = ?, delim = ',', "
        "quote = '\"', escape = '\"')",
        [str(drop / f"{export}.csv"), columns],
    )


def _table_sql(name: str) -> str:
    return TABLES[name].format(
        started=_MIDNIGHT.format("started_on"),
        ended=_MIDNIGHT.format("ended_on"),
        issued=_MIDNIGHT.format("issued_on"),
        due=_MIDNIGHT.format("due_on"),
        draft_every=DRAFT_EVERY,
    )


def write_stripe_billing(out: Path, drops: list[str], file_format: str = "csv") -> None:
    """Replace every drop's billing files in `out` by Stripe tables in `<drop>/stripe/`."""
    if file_format not in FORMATS:
        raise ValueError(f"Stripe tables are written as {' or '.join(FORMATS)}, not {file_format}")
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = ?", [SOURCE_ZONE])
        create_currency_table(connection)
        connection.execute(
            "create temp table currencies as select code, "
            "cast(round(1 / minor) as bigint) as scale from csa_currencies"
        )
        connection.execute(
            "create temp table all_items as select plan_id, unit_price from read_csv(?, "
            "header = true, auto_detect = false, columns = ?, delim = ',', quote = '\"', "
            "escape = '\"')",
            [
                [str(out / drop / "subscription_items.csv") for drop in drops],
                {c.name: c.type.value for c in EXPORTS_BY_NAME["subscription_items"].columns},
            ],
        )
        for drop in drops:
            _write_drop(connection, out / drop, file_format)
    _configure(out)


def _configure(out: Path) -> None:
    """sources.yml gets the `stripe` entry naming the tier's prices_metadata key."""
    path = out / "sources.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    config = config or {"version": 1}
    config.setdefault("sources", {})["stripe"] = {"tier_key": "tier"}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _write_drop(connection, drop: Path, file_format: str) -> None:
    for export in BILLING_EXPORTS:
        _read_contract(connection, drop, export)
    connection.execute(_PRICES)
    connection.execute(
        "create or replace temp table plans_currency as "
        "select distinct plan_id, currency from s_prices"
    )
    connection.execute(_ITEMS)
    connection.execute(_DISCOUNTS)
    folder = drop / "stripe"
    folder.mkdir(exist_ok=True)
    # Stripe's timestamps are UTC: CSV text such as `2024-01-31 15:00:00+00`.
    connection.execute("set TimeZone = 'UTC'")
    for name in TABLES:
        connection.execute(
            f"copy ({_table_sql(name)}) to ? (format {file_format})",
            [str(folder / f"{name}.{file_format}")],
        )
    connection.execute("set TimeZone = ?", [SOURCE_ZONE])
    for export in BILLING_EXPORTS:
        (drop / f"{export}.csv").unlink()
