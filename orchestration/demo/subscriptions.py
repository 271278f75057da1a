"""The billing life of one account: items with trials, seat and plan changes, churn, comebacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from orchestration.demo.catalog import CROSS_SELL_PLANS, PLANS, UPGRADE

PLAN_BY_ID = {plan[0]: plan for plan in PLANS}


@dataclass
class Item:
    item_id: str
    subscription_id: str
    customer_id: str
    plan_id: str
    quantity: int
    unit_price: float
    discount_pct: float
    started_on: date
    ended_on: date | None
    is_trial: bool = False

    def row(self, as_known: bool = False) -> tuple:
        """The contract row; `as_known` hides the end (the version before cancellation)."""
        return (
            self.item_id,
            self.subscription_id,
            self.customer_id,
            self.plan_id,
            self.quantity,
            self.unit_price,
            self.discount_pct,
            self.started_on,
            None if as_known else self.ended_on,
            self.is_trial,
        )


@dataclass
class Life:
    """What happened to one account: its items and its paid intervals (for usage)."""

    items: list[Item] = field(default_factory=list)
    paid_intervals: list[tuple[date, date, int]] = field(default_factory=list)  # start, end, seats
    churn_dates: list[date] = field(default_factory=list)


def _month_steps(start: date, end: date) -> list[date]:
    days, current = [], start
    while current < end:
        days.append(current)
        current += timedelta(days=30)
    return days


def simulate_life(
    rng: np.random.Generator,
    account_index: int,
    customer_id: str,
    plan_id: str,
    seats: int,
    start: date,
    end: date,
    churn_hazard: float,
) -> Life:
    """Monthly steps from `start` to `end`: seat changes, upgrades, cross-sell, churn, return."""
    life, counter = Life(), 0

    def new_item(plan: str, quantity: int, begin: date, trial: bool = False) -> Item:
        nonlocal counter
        counter += 1
        list_price = PLAN_BY_ID[plan][6]
        negotiated = float(round(list_price * rng.choice([1.0, 1.0, 0.95, 0.9]), 2))
        discount = float(rng.choice([0, 0, 0, 5, 10, 20]))
        item = Item(
            f"it-{account_index}-{counter}",
            f"sub-{account_index}-{plan}",
            customer_id,
            plan,
            quantity,
            negotiated,
            discount,
            begin,
            None,
            trial,
        )
        life.items.append(item)
        return item

    if rng.random() < 0.3:  # a 14-day trial first; one in six never converts
        trial = new_item(plan_id, seats, start - timedelta(days=14), trial=True)
        trial.discount_pct, trial.ended_on = 0.0, start
        if rng.random() < 1 / 6:
            return life
    active = [new_item(plan_id, seats, start)]
    paid_from, current_seats = start, seats
    for day in _month_steps(start + timedelta(days=30), end):
        if not active:
            if rng.random() < 0.06:  # reactivation
                active = [new_item(plan_id, max(1, current_seats // 2), day)]
                paid_from = day
            continue
        roll = rng.random()
        if roll < churn_hazard:
            for item in active:
                item.ended_on = day
            life.paid_intervals.append((paid_from, day, current_seats))
            life.churn_dates.append(day)
            active = []
        elif roll < churn_hazard + 0.05:  # seat change: end the row, start a new one same day
            old = active[0]
            old.ended_on = day
            current_seats = max(1, old.quantity + int(rng.integers(-3, 6)))
            successor = new_item(old.plan_id, current_seats, day)
            successor.unit_price, successor.discount_pct = old.unit_price, old.discount_pct
            active[0] = successor
        elif roll < churn_hazard + 0.06 and active[0].plan_id in UPGRADE:
            old = active[0]
            old.ended_on = day
            active[0] = new_item(UPGRADE[old.plan_id], old.quantity, day)
        elif roll < churn_hazard + 0.075 and len(active) == 1:
            currency = PLAN_BY_ID[plan_id][5]
            extra = str(rng.choice(CROSS_SELL_PLANS[currency]))
            active.append(new_item(extra, max(1, current_seats // 2), day))
    if active:
        life.paid_intervals.append((paid_from, end, current_seats))
    for item in life.items:
        if item.ended_on is not None and item.ended_on > end:
            item.ended_on = None
    return life
