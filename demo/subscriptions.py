"""What each account of a cohort pays for right now: a primary subscription and at most one
cross-sold extra, each the item version in force; changes go to the item log."""

from __future__ import annotations

import numpy as np

from demo import pricing
from demo.catalog import PLAN_PRICE
from demo.cohort import Cohort
from demo.items import ItemLog

PRIMARY, EXTRA = 0, 1
TRIAL_SHARE = 0.35
VALUE_FIELDS = ("plan", "quantity", "unit_price", "discount", "subscription", "customer")
SLOT_FIELDS = (*VALUE_FIELDS, "first_step", "record")


class Subscriptions:
    """Per account and slot (primary, extra): whether it is open and the version in force;
    `first_step` is the monthly step it started on (billing periods count from there)."""

    def __init__(self, rng: np.random.Generator, cohort: Cohort) -> None:
        self.rng, self.cohort, self.log = rng, cohort, ItemLog()
        count = len(cohort)
        self.open = np.zeros((count, 2), dtype=bool)
        self.slots = {name: np.zeros((count, 2), dtype=np.int64) for name in SLOT_FIELDS}
        self.items_made = np.zeros(count, dtype=np.int64)
        self.subscriptions_made = np.zeros(count, dtype=np.int64)
        self.first_paid = np.full(count, -1)
        self.customers = np.full((count, 2), -1)  # day each billing customer was created

    def of(self, name: str, rows: np.ndarray, slot: int) -> np.ndarray:
        return self.slots[name][rows, slot]

    def meet(self, rows: np.ndarray, customer: np.ndarray | int, day: np.ndarray) -> None:
        """The billing customer of each row exists from `day` on, if not already."""
        customer = np.broadcast_to(customer, rows.shape)
        unknown = self.customers[rows, customer] < 0
        self.customers[rows[unknown], customer[unknown]] = day[unknown]

    def subscribe(self, rows, slot: int, plan, seats, day, step: int, customer) -> None:
        """A new subscription of each row at a negotiated price, from `day`."""
        self.subscriptions_made[rows] += 1
        price, discount = pricing.negotiate(self.rng, plan, self.cohort.size[rows])
        customer = np.broadcast_to(customer, rows.shape)
        values = {"plan": plan, "quantity": seats, "unit_price": price, "discount": discount}
        values |= {"subscription": self.subscriptions_made[rows], "customer": customer}
        self._start(rows, slot, day, values)
        self.slots["first_step"][rows, slot] = step
        self.open[rows, slot] = True
        self.first_paid[rows] = np.where(self.first_paid[rows] < 0, day, self.first_paid[rows])
        self.meet(rows, customer, day)

    def _start(self, rows, slot: int, day, values: dict[str, np.ndarray]) -> None:
        self.items_made[rows] += 1
        number = self.items_made[rows]
        record = self.log.add(account=rows, number=number, started=day, trial=False, **values)
        for name, value in values.items():
            self.slots[name][rows, slot] = value
        self.slots["record"][rows, slot] = record

    def change(self, rows, slot: int, day, **changes: np.ndarray) -> None:
        """End the version in force and start the changed one the same day, where any of
        the `changes` (plan, quantity, unit_price, discount) differs from it."""
        differs = np.zeros(len(rows), dtype=bool)
        for name, value in changes.items():
            differs |= self.of(name, rows, slot) != value
        rows, day = rows[differs], day[differs]
        values = {name: self.of(name, rows, slot) for name in VALUE_FIELDS}
        values |= {name: value[differs] for name, value in changes.items()}
        self.log.end(self.of("record", rows, slot), day)
        self._start(rows, slot, day, values)

    def close(self, rows: np.ndarray, slot: int, day: np.ndarray) -> None:
        """The open subscription of each row in `slot` ends on `day`."""
        rows_open = self.open[rows, slot]
        rows, day = rows[rows_open], day[rows_open]
        self.log.end(self.of("record", rows, slot), day)
        self.open[rows, slot] = False

    def trials(self, plan: np.ndarray, seats: np.ndarray, end: int) -> np.ndarray:
        """A 14- or 30-day trial for some; returns the first paid day (-1: the trial did not
        convert, or has not ended yet)."""
        rng, cohort, count = self.rng, self.cohort, len(self.cohort)
        signup = cohort.signup
        trial = rng.random(count) < TRIAL_SHARE
        stop = signup + np.where(rng.random(count) < 0.5, 14, 30)
        converts = rng.random(count) < 0.55 + 0.35 * cohort.health_on(np.arange(count), signup)
        rows = np.flatnonzero(trial)
        self.meet(rows, 0, signup[rows])
        self.items_made[rows] = 1
        records = self.log.add(
            account=rows, number=1, subscription=1, customer=0, plan=plan[rows],
            quantity=np.minimum(seats[rows], 10), unit_price=PLAN_PRICE[plan[rows]],
            discount=0, started=signup[rows], trial=True,
        )  # fmt: skip
        ended = stop[rows] <= end
        self.log.end(records[ended], stop[rows][ended])
        converted = np.where((stop <= end) & converts, stop, -1)
        return np.where(trial, converted, signup)
