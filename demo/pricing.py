"""Commercial choices: which plan a customer buys, how many seats, at what negotiated price."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from demo.catalog import (
    PERIOD_WEIGHTS_BY_SIZE,
    PERIODS,
    SEATS_BY_SIZE,
    Plan,
    plan_for,
    tiers_of,
)
from demo.model import Item

BASE_TIER = {"smb": 1, "mid": 2, "enterprise": 3}
LIST_PRICE_SHARE = {"smb": 0.85, "mid": 0.7, "enterprise": 0.45}
NO_DISCOUNT_SHARE = {"smb": 0.7, "mid": 0.55, "enterprise": 0.35}
DISCOUNTS = tuple(Decimal(value) for value in ("5", "10", "12.5", "15", "20", "25", "30"))
CENT = Decimal("0.01")


def first_plan(rng: np.random.Generator, product: str, size: str, currency: str) -> Plan:
    """A plan that fits the company: bigger companies buy higher tiers and longer periods."""
    tier = BASE_TIER[size]
    if rng.random() < 0.3:
        tier += int(rng.choice([-1, 1]))
    tier = min(max(tier, 1), tiers_of(product))
    period = PERIODS[int(rng.choice(len(PERIODS), p=PERIOD_WEIGHTS_BY_SIZE[size]))]
    return plan_for(product, tier, period, currency)


def seats(rng: np.random.Generator, size: str) -> int:
    """Licensed seats, skewed towards the small end of the company size's range."""
    low, high = SEATS_BY_SIZE[size]
    return low + int((high - low) * rng.beta(1.2, 3.0))


def _rounded(amount: Decimal, currency: str) -> Decimal:
    if currency == "JPY":
        return (amount / 10).quantize(Decimal(1)) * 10
    return amount.quantize(CENT)


def negotiate(rng: np.random.Generator, plan: Plan, size: str) -> tuple[Decimal, Decimal]:
    """(unit_price, discount_pct): list price or a negotiated one, and a 0-30 % discount."""
    price = plan.list_price
    if rng.random() > LIST_PRICE_SHARE[size]:
        factor = Decimal(str(round(rng.uniform(0.8, 0.97), 3)))
        price = _rounded(price * factor, plan.currency)
    discount = Decimal(0)
    if rng.random() > NO_DISCOUNT_SHARE[size]:
        discount = DISCOUNTS[int(rng.integers(len(DISCOUNTS)))]
    return price, discount


def churn_chance(health: float, period_months: int) -> float:
    """Chance to cancel at a renewal: a monthly hazard that grows as health falls."""
    monthly = 0.004 + 0.07 * (1 - health) ** 2
    return 1 - (1 - monthly) ** period_months


def new_seats(rng: np.random.Generator, quantity: int, health: float) -> int:
    """Healthy accounts add seats, struggling ones remove some (never below one)."""
    step = max(1, round(quantity * rng.uniform(0.05, 0.3)))
    grows = rng.random() < 0.25 + 0.6 * health
    return quantity + step if grows else max(1, quantity - step)


def tier_move(rng: np.random.Generator, plan: Plan, health: float) -> Plan | None:
    """An upgrade when healthy, a downgrade when struggling, else None."""
    if health >= 0.55 and plan.tier < tiers_of(plan.product) and rng.random() < health:
        tier = plan.tier + 1
    elif health < 0.55 and plan.tier > 1 and rng.random() < 1 - health:
        tier = plan.tier - 1
    else:
        return None
    return plan_for(plan.product, tier, plan.billing_period_months, plan.currency)


def rescale(item: Item, plan: Plan) -> Decimal:
    """The negotiated price carried over to another plan: same ratio to the list price."""
    ratio = item.unit_price / item.plan.list_price
    return _rounded(plan.list_price * ratio, plan.currency)


def price_change(item: Item) -> dict[str, Decimal]:
    """At a renewal: an introductory discount ends, or the price rises 5 %."""
    if item.discount_pct > 0:
        return {"discount_pct": Decimal(0)}
    return {"unit_price": _rounded(item.unit_price * Decimal("1.05"), item.plan.currency)}
