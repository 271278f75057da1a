"""Revenue marts on generated demo data equal a naive day-by-day recomputation from raw rows.

The oracle below re-derives metrics.md directly: for every account and month it checks each
raw item on the measurement day (month end, or the as-of date) and converts with the latest
rate on or before that day. No numbers are copied from the marts.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from demo import GeneratorConfig, generate
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

AS_OF = date(2026, 10, 20)  # mid-month, before the last two drops: later items must not count
MONEY = Decimal("0.01")
RATE = Decimal("0.000001")
MOVEMENTS = {
    "new": "new_mrr",
    "reactivation": "reactivation_mrr",
    "expansion": "expansion_mrr",
    "contraction": "contraction_mrr",
    "churn": "churned_mrr",
}


@dataclass(frozen=True)
class Item:
    account_id: str
    product: str
    currency: str
    mrr: Decimal
    started_on: date
    ended_on: date | None

    def in_force(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


def item(account, customer, product, currency, quantity, price, discount, period, start, end):
    """An item from a raw row: item_mrr per metrics.md, unmapped customers as their own account."""
    mrr = quantity * price * (1 - discount / 100) / period
    return Item(account or f"unmapped:{customer}", product, currency, mrr, start, end)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> Iterator[PipelineRun]:
    landing = tmp_path_factory.mktemp("demo_landing")
    generate(GeneratorConfig(out=landing, accounts=80, months=15, dirty=False, seed=33))
    yield run_pipeline(
        landing,
        tmp_path_factory.mktemp("demo_work"),
        as_of_date=AS_OF.isoformat(),
    )


class Oracle:
    """metrics.md computed the slow, obvious way from raw rows."""

    def __init__(self, run: PipelineRun) -> None:
        self.items = [
            item(*row)
            for row in run.query(
                """
                select c.account_id, i.customer_id, p.product, p.currency, i.quantity,
                    i.unit_price, i.discount_pct, p.billing_period_months, i.started_on, i.ended_on
                from raw.subscription_items as i
                join raw.plans as p using (plan_id)
                left join raw.billing_customers as c using (customer_id)
                where not i.is_trial and i.started_on <= ?
                """,
                [AS_OF],
            )
        ]
        self.rates = sorted(run.query("select rate_date, from_currency, rate from raw.fx_rates"))
        first = min(item.started_on for item in self.items)
        index = range(first.year * 12 + first.month - 1, AS_OF.year * 12 + AS_OF.month)
        self.months = [date(i // 12, i % 12 + 1, 1) for i in index]

    def day(self, month: date) -> date:
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return min(last, AS_OF)

    def rate(self, currency: str, day: date) -> Decimal:
        if currency == "JPY":
            return Decimal(1)
        return [r for d, c, r in self.rates if c == currency and d <= day][-1]

    def by_product(self, account: str, items_on: date, rates_of: date) -> dict[str, Decimal]:
        """Account MRR per product line of the items in force on `items_on`, at `rates_of`."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for item in self.items:
            if item.account_id == account and item.in_force(items_on):
                totals[item.product] += item.mrr * self.rate(item.currency, rates_of)
        return totals

    def account_rows(self) -> dict[tuple[str, date], dict]:
        rows = {}
        for account in sorted({item.account_id for item in self.items}):
            had_mrr, previous = False, Decimal(0)
            for i, month in enumerate(self.months):
                day = self.day(month)
                cur_p = self.by_product(account, day, day)
                prev_p = self.by_product(account, self.day(self.months[i - 1]), day) if i else {}
                cur, prev_cc = sum(cur_p.values(), Decimal(0)), sum(prev_p.values(), Decimal(0))
                if cur > 0 or had_mrr:
                    rows[(account, month)] = {
                        "mrr": cur,
                        "previous_mrr": previous,
                        "fx_adjustment": prev_cc - previous,
                        "movement_type": movement(prev_cc, cur, had_mrr),
                        "has_upsell": any(0 < v < cur_p.get(p, 0) for p, v in prev_p.items()),
                        "has_cross_sell": prev_cc > 0
                        and any(v > 0 and not prev_p.get(p) for p, v in cur_p.items()),
                        "has_downgrade": cur > 0
                        and any(cur_p.get(p, 0) < v for p, v in prev_p.items()),
                        "amount": abs(cur - prev_cc),  # positive; equals cur or prev_cc at 0
                    }
                had_mrr, previous = had_mrr or cur > 0, cur
        return rows


def movement(prev_cc: Decimal, cur: Decimal, had_mrr: bool) -> str:
    if prev_cc == 0 and cur > 0:
        return "reactivation" if had_mrr else "new"
    if prev_cc > 0 and cur == 0:
        return "churn"
    if prev_cc > 0 and cur != prev_cc:
        return "expansion" if cur > prev_cc else "contraction"
    return "unchanged"


@pytest.fixture(scope="module")
def oracle(demo_run: PipelineRun) -> Oracle:
    assert demo_run.result.success
    return Oracle(demo_run)


def test_account_mrr_monthly_equals_day_by_day_recomputation(demo_run, oracle) -> None:
    expected = oracle.account_rows()
    actual = {
        (r["account_id"], r["month"]): r
        for r in demo_run.query_dicts("select * from marts.account_mrr_monthly")
    }
    assert set(actual) == set(expected)
    types = {row["movement_type"] for row in expected.values()}
    assert set(MOVEMENTS) | {"unchanged"} == types, "the fixture lacks a movement type"
    assert any(row["fx_adjustment"] != 0 for row in expected.values()), "no FX move in fixture"
    for key, want in expected.items():
        got = actual[key]
        for column in ("mrr", "previous_mrr", "fx_adjustment"):
            assert abs(got[column] - want[column]) <= MONEY, (key, column)
        for column in ("movement_type", "has_upsell", "has_cross_sell", "has_downgrade"):
            assert got[column] == want[column], (key, column)
        for kind, column in MOVEMENTS.items():
            wanted = want["amount"] if want["movement_type"] == kind else 0
            assert abs(got[column] - wanted) <= MONEY, (key, column)


def test_monthly_bridge_balances_exactly_and_nrr_12m_waits_twelve_months(demo_run, oracle) -> None:
    expected = oracle.account_rows()
    months = {r["month"]: r for r in demo_run.query_dicts("select * from marts.mrr_monthly")}
    kpis = {r["month"]: r for r in demo_run.query_dicts("select * from marts.kpi_monthly")}
    assert sorted(months) == sorted(kpis) == oracle.months
    for i, month in enumerate(oracle.months):
        row = months[month]
        assert row["starting_mrr"] + row["fx_adjustment"] + row["net_new_mrr"] == row["mrr"]
        rows = [r for (_, m), r in expected.items() if m == month]
        assert abs(row["mrr"] - sum(r["mrr"] for r in rows)) <= MONEY
        assert row["customers"] == sum(r["mrr"] > 0 for r in rows)
        if i < 12:
            assert kpis[month]["nrr_12m_pct"] is None
            continue
        base = [a for (a, m), r in expected.items() if m == oracle.months[i - 12] and r["mrr"] > 0]
        day, then = oracle.day(month), oracle.day(oracle.months[i - 12])
        now = sum((expected.get((a, month), {"mrr": 0})["mrr"] for a in base), Decimal(0))
        before = sum(sum(oracle.by_product(a, then, day).values(), Decimal(0)) for a in base)
        assert abs(kpis[month]["nrr_12m_pct"] - now / before * 100) <= RATE
