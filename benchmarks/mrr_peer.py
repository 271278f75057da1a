"""MRR side by side: the project's two MRR models against the dbt-labs mrr-playbook's method.

    python -m benchmarks.mrr_peer WAREHOUSE [--repeat 3]

On a warehouse the pipeline has built, this times in one DuckDB process (a copy of the
warehouse's inputs in memory, so both read the same tables the same way):

- ours: the compiled SQL of the models from `int_account_product_mrr_monthly` to
  `account_mrr_monthly` (change
  points: a row only where an item starts or ends, a running sum, the months in between filled
  by a join to the month spine), as dbt compiled them for the latest build;
- the peer: the mrr-playbook's method, a month spine joined to every subscription period by
  date range, then `lag()` and its change categories (new, upgrade, downgrade, churn,
  reactivation), on the same items (no product lines, no FX, no flags).

Prints the best of `--repeat` runs of each, seconds and rows.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from orchestration.config import DBT_PROJECT_DIR
from orchestration.sql import identifier

INPUTS = (
    ("intermediate", "int_subscription_items"),
    ("intermediate", "int_revenue_months"),
    ("intermediate", "int_as_of_date"),
    ("intermediate", "int_fx_rates_monthly"),
)
# The chain from items to the published mart, each model reading the one before it.
OURS = (
    ("intermediate", "revenue", "int_account_product_mrr_monthly"),
    ("intermediate", "revenue", "int_account_product_movements"),
    ("intermediate", "revenue", "int_account_mrr_movements"),
    ("marts", "revenue", "account_mrr_monthly"),
)

PEER = """
with subscription_periods as (
    select account_id as customer_id, started_on as start_date, ended_on as end_date,
           item_mrr as monthly_amount
    from intermediate.int_subscription_items
    where item_mrr > 0
      and started_on <= (select as_of_date from intermediate.int_as_of_date)
),
months as (
    select month as date_month from intermediate.int_revenue_months
),
customers as (
    select customer_id,
           date_trunc('month', min(start_date)) as date_month_start,
           date_trunc('month', max(coalesce(end_date, date '9999-12-31'))) as date_month_end
    from subscription_periods
    group by customer_id
),
customer_months as (
    select customers.customer_id, months.date_month
    from customers
    inner join months
        on months.date_month >= customers.date_month_start
        and months.date_month < customers.date_month_end
),
joined as (
    select customer_months.date_month, customer_months.customer_id,
           coalesce(subscription_periods.monthly_amount, 0) as mrr
    from customer_months
    left join subscription_periods
        on customer_months.customer_id = subscription_periods.customer_id
        and customer_months.date_month >= subscription_periods.start_date
        and (customer_months.date_month < subscription_periods.end_date
             or subscription_periods.end_date is null)
),
customer_revenue_by_month as (
    select date_month, customer_id, sum(mrr) as mrr, sum(mrr) > 0 as is_active
    from joined
    group by date_month, customer_id
),
customer_churn_month as (
    select date_month + interval 1 month as date_month, customer_id,
           0::decimal(38, 8) as mrr, false as is_active
    from customer_revenue_by_month
    where is_active
    qualify date_month = max(date_month) over (partition by customer_id)
),
unioned as (
    select * from customer_revenue_by_month
    union all
    select * from customer_churn_month
),
mrr_with_changes as (
    select *,
        coalesce(lag(is_active) over (partition by customer_id order by date_month), false)
            as previous_month_is_active,
        coalesce(lag(mrr) over (partition by customer_id order by date_month), 0)
            as previous_month_mrr,
        min(case when is_active then date_month end) over (partition by customer_id)
            as first_active_month
    from unioned
)
select *, mrr - previous_month_mrr as mrr_change,
    case
        when is_active and date_month = first_active_month then 'new'
        when is_active and not previous_month_is_active then 'reactivation'
        when not is_active and previous_month_is_active then 'churn'
        when mrr > previous_month_mrr then 'upgrade'
        when mrr < previous_month_mrr then 'downgrade'
    end as change_category
from mrr_with_changes
"""


def compiled_sql(folder: str, name: str) -> str:
    """The newest compiled SQL dbt wrote for a model (any dbt step's target folder)."""
    target = Path(DBT_PROJECT_DIR) / "target"
    candidates = sorted(
        target.glob(f"*/compiled/cs_analytics/models/{folder}/{name}.sql"),
        key=lambda path: path.stat().st_mtime,
    )
    if not candidates:
        raise SystemExit(f"no compiled SQL of {name} under {target}: build the marts first")
    return candidates[-1].read_text()


def best_of(connection, sql: str, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        (rows,) = connection.execute(f"select count(*) from ({sql})").fetchone()
        times.append(time.perf_counter() - started)
    return min(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    connection = duckdb.connect()
    connection.execute("attach ? as source (read_only)", [str(args.warehouse)])
    # dbt's compiled SQL names the warehouse's catalog (its file name): an in-memory one of
    # that name holds the copies.
    catalog = identifier(args.warehouse.stem)
    connection.execute(f"attach ':memory:' as {catalog}")
    for schema in ("intermediate", "marts"):
        connection.execute(f"create schema {catalog}.{schema}")
    for schema, table in INPUTS:
        connection.execute(
            f"create table {catalog}.{schema}.{table} as select * from source.{schema}.{table}"
        )
    connection.execute(f"use {catalog}")
    total = 0.0
    for schema, folder, name in OURS:
        sql = compiled_sql(f"{schema}/{folder}", name)
        seconds, rows = best_of(connection, sql, args.repeat)
        # The next model reads this one: build it once, as dbt does.
        connection.execute(f"create or replace table {schema}.{name} as {sql}")
        total += seconds
        print(f"ours  {name:<34} {seconds:6.2f} s {rows:>12,} rows")
    print(f"ours  {'all ' + str(len(OURS)) + ' models':<34} {total:6.2f} s")
    seconds, rows = best_of(connection, PEER, args.repeat)
    print(f"peer  {'mrr-playbook method':<34} {seconds:6.2f} s {rows:>12,} rows")


if __name__ == "__main__":
    main()
