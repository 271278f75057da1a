"""The subscription history of one account: what it pays for, and when that changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from demo import pricing
from demo.catalog import PRIMARY_PRODUCT_WEIGHTS, PRIMARY_PRODUCTS, Plan, plan_for
from demo.model import Item, Life, Profile
from demo.timeline import add_months

TRIAL_SHARE = 0.35
SEAT_CHANGE, TIER_CHANGE, PRICE_CHANGE = 0.05, 0.015, 0.04
SECOND_CUSTOMER_SHARE = 0.25  # cross-sells billed to a second billing customer
MAX_CHURNS = 3


@dataclass
class Subscription:
    item: Item  # the version in force
    first_step: int  # the monthly step it started on: billing periods count from there


class Simulation:
    """Monthly steps from the first paid day: churn at renewals, seat and plan changes,
    price changes, cross-sell, and reactivation months after a churn."""

    def __init__(self, rng: np.random.Generator, profile: Profile, end: date) -> None:
        self.rng, self.profile, self.end = rng, profile, end
        self.life = Life()
        self.open: list[Subscription] = []
        self.items_made = self.subscriptions_made = self.churned_step = 0

    def run(self) -> Life:
        """Simulate from sign-up to the end date."""
        rng, profile = self.rng, self.profile
        product = PRIMARY_PRODUCTS[int(rng.choice(3, p=PRIMARY_PRODUCT_WEIGHTS))]
        plan = pricing.first_plan(rng, product, profile.size, profile.currency)
        seats = pricing.seats(rng, profile.size)
        anchor = self.trial(plan, seats) if rng.random() < TRIAL_SHARE else profile.signup
        if anchor is None:
            return self.life
        self.subscribe(plan, seats, anchor, 0, self.customer(0, anchor))
        step = 1
        while (day := add_months(anchor, step)) <= self.end:
            health = profile.health_at(day)
            if self.open:
                self.month(day, step, health)
            elif step - self.churned_step >= 3 and len(self.life.churns) < MAX_CHURNS:
                self.maybe_return(day, step, health, product)
            step += 1
        return self.life

    def customer(self, number: int, day: date) -> str:
        customer_id = f"cus-{self.profile.key}" + (f"-{number + 1}" if number else "")
        self.life.customers.setdefault(customer_id, day)
        return customer_id

    def new_item(self, subscription_id: str, customer_id: str, plan: Plan, **values) -> Item:
        self.items_made += 1
        item_id = f"si-{self.profile.key}-{self.items_made:03d}"
        item = Item(item_id, subscription_id, customer_id, plan, **values)
        self.life.items.append(item)
        return item

    def trial(self, plan: Plan, seats: int) -> date | None:
        """A 14- or 30-day trial; returns the day it converts, None if it does not (yet)."""
        start = self.profile.signup
        stop = start + timedelta(days=int(self.rng.choice([14, 30])))
        trial = self.new_item(
            f"sub-{self.profile.key}-01",
            self.customer(0, start),
            plan,
            quantity=min(seats, 10),
            unit_price=plan.list_price,
            discount_pct=Decimal(0),
            started_on=start,
            is_trial=True,
        )
        if stop > self.end:
            return None
        trial.ended_on = stop
        converts = self.rng.random() < 0.55 + 0.35 * self.profile.health_at(start)
        return stop if converts else None

    def subscribe(self, plan: Plan, seats: int, day: date, step: int, customer_id: str) -> None:
        self.subscriptions_made += 1
        subscription_id = f"sub-{self.profile.key}-{self.subscriptions_made:02d}"
        price, discount = pricing.negotiate(self.rng, plan, self.profile.size)
        item = self.new_item(
            subscription_id,
            customer_id,
            plan,
            quantity=seats,
            unit_price=price,
            discount_pct=discount,
            started_on=day,
        )
        self.open.append(Subscription(item, step))
        self.life.first_paid = self.life.first_paid or day

    def renews(self, subscription: Subscription, step: int) -> bool:
        return (step - subscription.first_step) % subscription.item.plan.billing_period_months == 0

    def month(self, day: date, step: int, health: float) -> None:
        primary, rng = self.open[0], self.rng
        period = primary.item.plan.billing_period_months
        if self.renews(primary, step) and rng.random() < pricing.churn_chance(health, period):
            self.churn(day, step)
            return
        roll = rng.random()
        if roll < SEAT_CHANGE:
            seats = pricing.new_seats(rng, primary.item.quantity, health)
            self.change(primary, day, quantity=seats)
        elif roll < SEAT_CHANGE + TIER_CHANGE:
            plan = pricing.tier_move(rng, primary.item.plan, health)
            if plan is not None:
                self.change(primary, day, plan=plan, unit_price=pricing.rescale(primary.item, plan))
        elif roll < SEAT_CHANGE + TIER_CHANGE + PRICE_CHANGE and self.renews(primary, step):
            self.change(primary, day, **pricing.price_change(primary.item))
        for extra in self.open[1:]:
            if self.renews(extra, step) and rng.random() < 0.04 + 0.1 * (1 - health):
                extra.item.ended_on = day
                self.open.remove(extra)
        if len(self.open) == 1 and rng.random() < (0.012 if health > 0.55 else 0.003):
            self.cross_sell(day, step)

    def change(self, subscription: Subscription, day: date, **values) -> None:
        """End the version in force and start the changed one the same day."""
        if all(getattr(subscription.item, name) == value for name, value in values.items()):
            return
        old = subscription.item
        old.ended_on = day
        self.items_made += 1
        item_id = f"si-{self.profile.key}-{self.items_made:03d}"
        subscription.item = replace(old, item_id=item_id, started_on=day, ended_on=None, **values)
        self.life.items.append(subscription.item)

    def churn(self, day: date, step: int) -> None:
        for subscription in self.open:
            subscription.item.ended_on = day
        self.open = []
        self.life.churns.append(day)
        self.churned_step = step

    def cross_sell(self, day: date, step: int) -> None:
        primary = self.open[0].item
        owned = {primary.plan.product}
        product = str(self.rng.choice([p for p in PRIMARY_PRODUCTS if p not in owned]))
        period = primary.plan.billing_period_months if self.rng.random() < 0.6 else 1
        tier = 1 if self.rng.random() < 0.8 else 2
        plan = plan_for(product, tier, period, self.profile.currency)
        seats = max(1, round(primary.quantity * self.rng.uniform(0.2, 0.9)))
        number = 1 if self.rng.random() < SECOND_CUSTOMER_SHARE else 0
        self.subscribe(plan, seats, day, step, self.customer(number, day))

    def maybe_return(self, day: date, step: int, health: float, product: str) -> None:
        """Some churned accounts come back months later with a new subscription."""
        if self.rng.random() >= 0.02 + 0.02 * health:
            return
        plan = pricing.first_plan(self.rng, product, self.profile.size, self.profile.currency)
        seats = pricing.seats(self.rng, self.profile.size)
        self.subscribe(plan, seats, day, step, self.customer(0, day))
        month = self.profile.month_index(day)
        self.profile.health[month:] = np.clip(self.profile.health[month:] + 0.2, 0.05, 0.98)


def simulate_life(rng: np.random.Generator, profile: Profile, end: date) -> Life:
    """The billing life of one account from its sign-up to `end`."""
    return Simulation(rng, profile, end).run()
