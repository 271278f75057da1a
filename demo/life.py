"""The subscription history of a cohort: monthly steps from each account's first paid day,
every account of the cohort at once (one numpy operation per rule and month)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import pricing
from demo.catalog import (
    PLAN_CURRENCY,
    PLAN_PERIOD,
    PLAN_PRODUCT,
    PRIMARY_PRODUCT_WEIGHTS,
    plan_codes,
)
from demo.cohort import Cohort
from demo.draws import pick
from demo.items import Items
from demo.subscriptions import EXTRA, PRIMARY, Subscriptions
from demo.timeline import add_months, day_keys

SEAT_CHANGE, TIER_CHANGE, PRICE_CHANGE = 0.05, 0.015, 0.04
SECOND_CUSTOMER_SHARE = 0.25  # cross-sells billed to a second billing customer
MAX_CHURNS = 3
OTHER_PRODUCTS = np.array([[1, 2], [0, 2], [0, 1]])  # what each primary product cross-sells


@dataclass(frozen=True)
class Life:
    """Everything billed to a cohort: its items, the day each billing customer was created
    (accounts x 2, -1 for none), the first paid day (-1: never paid) and every
    cancellation as (account, day), ordered by account and day."""

    items: Items
    customers: np.ndarray
    first_paid: np.ndarray
    churn_account: np.ndarray
    churn_day: np.ndarray

    def next_churn(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The first cancellation of each account after each day, -1 for none."""
        keys = day_keys(self.churn_account, self.churn_day)
        after = np.searchsorted(keys, day_keys(account, day), side="right")
        accounts, days = np.r_[self.churn_account, -1], np.r_[self.churn_day, -1]
        return np.where(accounts[after] == account, days[after], -1)


class Simulation:
    """Churn at renewals, seat, plan and price changes, cross-sell, and reactivation months
    after a churn; a trial first for some."""

    def __init__(self, rng: np.random.Generator, cohort: Cohort) -> None:
        self.rng, self.cohort, self.end = rng, cohort, cohort.calendar.end
        self.subs = Subscriptions(rng, cohort)
        count = len(cohort)
        self.churn_count = np.zeros(count, dtype=np.int64)
        self.churned_step = np.zeros(count, dtype=np.int64)
        self.churns: list[tuple[np.ndarray, np.ndarray]] = []

    def run(self) -> Life:
        rng, cohort, count = self.rng, self.cohort, len(self.cohort)
        everyone = np.arange(count)
        product = pick(rng.random(count), PRIMARY_PRODUCT_WEIGHTS)
        plan = pricing.first_plan(rng, product, cohort.size, cohort.currency)
        seats = pricing.seats(rng, cohort.size)
        anchor = self.subs.trials(plan, seats, self.end)
        paying = np.flatnonzero(anchor >= 0)
        self.subs.subscribe(paying, PRIMARY, plan[paying], seats[paying], anchor[paying], 0, 0)
        for step in range(1, cohort.calendar.months + 1):
            day = add_months(anchor, step)
            alive = (anchor >= 0) & (day <= self.end)
            if not alive.any():
                break
            health = cohort.health_on(everyone, day)
            was_open = self.subs.open[:, PRIMARY].copy()
            self.month(np.flatnonzero(alive & was_open), day, step, health)
            self.maybe_return(np.flatnonzero(alive & ~was_open), day, step, health, product)
        none = [np.empty(0, dtype=np.int64)]
        account = np.concatenate([rows for rows, _ in self.churns] or none)
        day = np.concatenate([days for _, days in self.churns] or none)
        order = np.lexsort((day, account))
        subs = self.subs
        return Life(subs.log.items(), subs.customers, subs.first_paid, account[order], day[order])

    def month(self, rows: np.ndarray, day: np.ndarray, step: int, health: np.ndarray) -> None:
        """One month of the accounts with an open primary subscription."""
        rng, subs = self.rng, self.subs
        day, health, roll = day[rows], health[rows], rng.random((len(rows), 4))
        plan = subs.of("plan", rows, PRIMARY)
        renews = (step - subs.of("first_step", rows, PRIMARY)) % PLAN_PERIOD[plan] == 0
        churn = renews & (roll[:, 0] < pricing.churn_chance(health, PLAN_PERIOD[plan]))
        self.churn(rows[churn], day[churn], step)
        stay = ~churn
        rows, day, health, roll, plan, renews = (
            a[stay] for a in (rows, day, health, roll, plan, renews)
        )
        quantity = subs.of("quantity", rows, PRIMARY)
        price, discount = subs.of("unit_price", rows, PRIMARY), subs.of("discount", rows, PRIMARY)
        seat = roll[:, 1] < SEAT_CHANGE
        tier = ~seat & (roll[:, 1] < SEAT_CHANGE + TIER_CHANGE)
        repriced = ~seat & ~tier & (roll[:, 1] < SEAT_CHANGE + TIER_CHANGE + PRICE_CHANGE) & renews
        new_plan = np.where(tier, pricing.tier_move(rng, plan, health), plan)
        raised, cleared = pricing.price_change(price, discount, plan)
        subs.change(
            rows, PRIMARY, day, plan=new_plan,
            quantity=np.where(seat, pricing.new_seats(rng, quantity, health), quantity),
            unit_price=np.where(tier, pricing.rescale(price, plan, new_plan),
                                np.where(repriced, raised, price)),
            discount=np.where(repriced, cleared, discount),
        )  # fmt: skip
        extra_plan = subs.of("plan", rows, EXTRA)
        extra_renews = (step - subs.of("first_step", rows, EXTRA)) % PLAN_PERIOD[extra_plan] == 0
        ends = subs.open[rows, EXTRA] & extra_renews & (roll[:, 2] < 0.04 + 0.1 * (1 - health))
        subs.close(rows[ends], EXTRA, day[ends])
        sells = ~subs.open[rows, EXTRA] & (roll[:, 3] < np.where(health > 0.55, 0.012, 0.003))
        self.cross_sell(rows[sells], day[sells], step)

    def churn(self, rows: np.ndarray, day: np.ndarray, step: int) -> None:
        for slot in (PRIMARY, EXTRA):
            self.subs.close(rows, slot, day)
        self.churn_count[rows] += 1
        self.churned_step[rows] = step
        self.churns.append((rows, day))

    def cross_sell(self, rows: np.ndarray, day: np.ndarray, step: int) -> None:
        """Another product line, on the primary's billing period or monthly, on fewer seats."""
        rng, subs, count = self.rng, self.subs, len(rows)
        primary = subs.of("plan", rows, PRIMARY)
        product = OTHER_PRODUCTS[PLAN_PRODUCT[primary], (rng.random(count) >= 0.5).astype(int)]
        period = np.where(rng.random(count) < 0.6, PLAN_PERIOD[primary], 1)
        tier = np.where(rng.random(count) < 0.8, 1, 2)
        plan = plan_codes(product, tier, period, PLAN_CURRENCY[primary])
        share = rng.uniform(0.2, 0.9, count)
        seats = np.maximum(1, np.rint(subs.of("quantity", rows, PRIMARY) * share)).astype(int)
        customer = (rng.random(count) < SECOND_CUSTOMER_SHARE).astype(np.int64)
        subs.subscribe(rows, EXTRA, plan, seats, day, step, customer)

    def maybe_return(self, rows, day, step: int, health, product) -> None:
        """Some churned accounts come back months later with a new subscription, healthier."""
        rng, cohort = self.rng, self.cohort
        waited = (step - self.churned_step[rows] >= 3) & (self.churn_count[rows] < MAX_CHURNS)
        back = waited & (rng.random(len(rows)) < 0.02 + 0.02 * health[rows])
        rows = rows[back]
        plan = pricing.first_plan(rng, product[rows], cohort.size[rows], cohort.currency[rows])
        seats = pricing.seats(rng, cohort.size[rows])
        self.subs.subscribe(rows, PRIMARY, plan, seats, day[rows], step, 0)
        later = np.arange(cohort.calendar.months) >= cohort.calendar.month_index(day[rows])[:, None]
        lifted = np.clip(cohort.health[rows] + 0.2, 0.05, 0.98)
        cohort.health[rows] = np.where(later, lifted, cohort.health[rows])


def simulate_life(rng: np.random.Generator, cohort: Cohort) -> Life:
    """The billing life of every account of a cohort from its sign-up to the end date."""
    return Simulation(rng, cohort).run()
