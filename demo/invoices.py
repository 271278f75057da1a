"""invoices.csv of a cohort: one invoice per billing period of every paid item, credit
notes for the unused part of items that end mid-period, then paid, late, void or written off.
"""

from __future__ import annotations

import numpy as np

from demo.billing import customer_id
from demo.catalog import CURRENCIES, CURRENCY_EXPONENT, PLAN_CURRENCY, PLAN_PERIOD
from demo.cohort import Cohort
from demo.columns import Decimals, Integers
from demo.dated import Days, Moments
from demo.draws import rank_within, round_half_even
from demo.items import Items
from demo.labels import Labels, text
from demo.tables import Table, Versions
from demo.timeline import DAY_SECONDS, add_months, month_end, month_number, office_seconds, styles

TAX_PERCENT = np.array([110, 100])  # consumption tax on domestic (JPY) sales
CREDIT_NOTE_SHARE = 0.7  # items ended mid-period that get the unused part credited
VOID_SHARE = 0.008
STATUSES = ("open", "paid", "void", "uncollectible")
OPEN, PAID, VOID, UNCOLLECTIBLE = range(4)
NOON, TWO_HOURS = 12 * 3600, 2 * 3600


def billing_periods(items: Items, end: int) -> tuple[np.ndarray, np.ndarray]:
    """(item, period number) of every billing period that starts before the item stops."""
    period, stop = PLAN_PERIOD[items.plan], items.stop(end)
    candidates = (month_number(stop) - month_number(items.started)) // period + 2
    item = np.repeat(np.arange(len(items)), candidates)
    number = rank_within(item) - 1
    starts = add_months(items.started[item], number * period[item]) < stop[item]
    return item[starts], number[starts]


def settle(rng: np.random.Generator, health: np.ndarray, issued_at: np.ndarray):
    """(status, moment) each invoice ends in; status OPEN: it stays open, past due."""
    count = len(health)
    outcome = rng.random(count)
    unpaid = VOID_SHARE + 0.004 + 0.05 * (1 - health) ** 2
    late = rng.random(count) < 0.04 + 0.25 * (1 - health)
    days = np.where(late, rng.integers(35, 95, count), rng.integers(1, 30, count))
    status = np.where(outcome < VOID_SHARE, VOID, np.where(outcome < unpaid, UNCOLLECTIBLE, PAID))
    status = np.where((status == UNCOLLECTIBLE) & (rng.random(count) < 0.4), OPEN, status)
    after = np.choose(status, [0, days * DAY_SECONDS + TWO_HOURS,
                               rng.integers(1, 4, count) * DAY_SECONDS,
                               rng.integers(100, 150, count) * DAY_SECONDS])  # fmt: skip
    return status, issued_at + after


def invoices(rng: np.random.Generator, cohort: Cohort, all_items: Items) -> Versions:
    """Invoices issued open, then settled as the account's health suggests; credit notes
    are applied (paid) at once."""
    end = cohort.calendar.end
    items = all_items.take(np.flatnonzero(~all_items.trial))
    period, currency = PLAN_PERIOD[items.plan], PLAN_CURRENCY[items.plan]
    net = items.quantity * items.unit_price * (1000 - items.discount) * TAX_PERCENT[currency]
    total = round_half_even(net, 1000 * 100)
    item, number = billing_periods(items, end)
    periods = np.bincount(item, minlength=len(items))
    next_start = add_months(items.started, periods * period)
    last_start = add_months(items.started, (periods - 1) * period)
    mid_period = (items.ended >= 0) & (next_start > items.ended)
    noted = np.flatnonzero(mid_period & (rng.random(len(items)) < CREDIT_NOTE_SHARE))
    unused = next_start[noted] - items.ended[noted]
    credit = -round_half_even(total[noted] * unused, (next_start - last_start)[noted])
    # Each item's invoices in order, its credit note after them.
    regular = (item, number, add_months(items.started[item], number * period[item]), total[item])
    notes = (noted, periods[noted], items.ended[noted], credit)
    order = np.lexsort((np.r_[number, periods[noted]], np.r_[item, noted]))
    item, number, issued, amount = (np.r_[a, b][order] for a, b in zip(regular, notes, strict=True))
    is_credit = order >= len(regular[0])
    count, account, money = len(item), items.account[item], currency[item]
    style = styles(rng.random(count))
    issued_at = np.where(is_credit, issued * DAY_SECONDS + NOON, office_seconds(rng, issued))
    status, settled = settle(rng, cohort.health_on(account, issued), issued_at)
    invoice, state = np.nonzero(np.stack([np.ones(count, bool), ~is_credit & (status != OPEN)], 1))
    shown = np.where(state == 0, np.where(is_credit, PAID, OPEN)[invoice], status[invoice])
    updated = np.where(state == 0, issued_at[invoice], settled[invoice])
    due = np.where(money == 0, month_end(add_months(issued, 1)), issued + 30)
    who = account[invoice]
    columns = {
        "invoice_id": text(
            "in-", *cohort.key_of(who), "-", Integers(rank_within(account)[invoice], least=4)
        ),
        "customer_id": customer_id(cohort, who, items.customer[item][invoice]),
        "issued_on": Days(issued[invoice]),
        "due_on": Days(due[invoice]),
        "currency": Labels(money[invoice], CURRENCIES),
        "total": Decimals(amount[invoice], CURRENCY_EXPONENT[money[invoice]]),
        "status": Labels(shown, STATUSES),
        "paid_at": Moments(updated, style[invoice], null=shown != PAID),
        "updated_at": Moments(updated, style[invoice]),
    }
    return Versions(updated // DAY_SECONDS, invoice, Table("invoices", columns))
