"""Commercial choices, one array entry per account: which plan, how many seats, at what
negotiated price. Prices are minor units of the plan's currency (yen, cents); discounts are
tenths of a percent (125 = 12.5 %), so every amount stays exact."""

from __future__ import annotations

import numpy as np

from demo.catalog import (
    PERIOD_WEIGHTS_BY_SIZE,
    PERIODS,
    PLAN_CURRENCY,
    PLAN_PERIOD,
    PLAN_PRICE,
    PLAN_PRODUCT,
    PLAN_TIER,
    SEATS_BY_SIZE,
    TIERS,
    plan_codes,
)
from demo.draws import pick, round_half_even

BASE_TIER = np.array([1, 2, 3])  # by company size: smb, mid, enterprise
LIST_PRICE_SHARE = np.array([0.85, 0.7, 0.45])
NO_DISCOUNT_SHARE = np.array([0.7, 0.55, 0.35])
DISCOUNTS = np.array([50, 100, 125, 150, 200, 250, 300])  # tenths of a percent
SEAT_LOW, SEAT_HIGH = (np.array([SEATS_BY_SIZE[s][i] for s in SEATS_BY_SIZE]) for i in (0, 1))
PERIOD_WEIGHTS = np.array(list(PERIOD_WEIGHTS_BY_SIZE.values()))
JPY = 0


def rounded(numerator: np.ndarray, denominator, currency: np.ndarray) -> np.ndarray:
    """An amount in minor units rounded as prices are: to 10 yen, or to the cent."""
    yen = round_half_even(numerator, denominator * 10) * 10
    return np.where(currency == JPY, yen, round_half_even(numerator, denominator))


def first_plan(rng: np.random.Generator, product, size, currency) -> np.ndarray:
    """A plan that fits the company: bigger companies buy higher tiers and longer periods."""
    count = len(product)
    shift = np.where(rng.random(count) < 0.3, np.where(rng.random(count) < 0.5, -1, 1), 0)
    tier = np.clip(BASE_TIER[size] + shift, 1, TIERS[product])
    period = np.array(PERIODS)[pick(rng.random(count), PERIOD_WEIGHTS[size])]
    return plan_codes(product, tier, period, currency)


def seats(rng: np.random.Generator, size: np.ndarray) -> np.ndarray:
    """Licensed seats, skewed towards the small end of the company size's range."""
    spread = (SEAT_HIGH[size] - SEAT_LOW[size]) * rng.beta(1.2, 3.0, len(size))
    return SEAT_LOW[size] + spread.astype(np.int64)


def negotiate(rng: np.random.Generator, plan, size) -> tuple[np.ndarray, np.ndarray]:
    """(unit price, discount): list price or 80-97 % of it, and 0 or 5-30 % off."""
    count = len(plan)
    price, currency = PLAN_PRICE[plan], PLAN_CURRENCY[plan]
    per_mille = np.rint(rng.uniform(0.8, 0.97, count) * 1000).astype(np.int64)
    negotiated = rng.random(count) > LIST_PRICE_SHARE[size]
    price = np.where(negotiated, rounded(price * per_mille, 1000, currency), price)
    discounted = rng.random(count) > NO_DISCOUNT_SHARE[size]
    discount = np.where(discounted, DISCOUNTS[rng.integers(len(DISCOUNTS), size=count)], 0)
    return price, discount


def churn_chance(health: np.ndarray, period: np.ndarray) -> np.ndarray:
    """Chance to cancel at a renewal: a monthly hazard that grows as health falls."""
    monthly = 0.004 + 0.07 * (1 - health) ** 2
    return 1 - (1 - monthly) ** period


def new_seats(rng: np.random.Generator, quantity, health) -> np.ndarray:
    """Healthy accounts add seats, struggling ones remove some (never below one)."""
    count = len(quantity)
    step = np.maximum(1, np.rint(quantity * rng.uniform(0.05, 0.3, count))).astype(np.int64)
    grows = rng.random(count) < 0.25 + 0.6 * health
    return np.where(grows, quantity + step, np.maximum(1, quantity - step))


def tier_move(rng: np.random.Generator, plan, health) -> np.ndarray:
    """An upgrade when healthy, a downgrade when struggling, else the same plan."""
    tier, product, roll = PLAN_TIER[plan], PLAN_PRODUCT[plan], rng.random(len(plan))
    up = (health >= 0.55) & (tier < TIERS[product]) & (roll < health)
    down = (health < 0.55) & (tier > 1) & (roll < 1 - health)
    return plan_codes(product, tier + up - down, PLAN_PERIOD[plan], PLAN_CURRENCY[plan])


def rescale(price, old_plan, new_plan) -> np.ndarray:
    """The negotiated price carried over to another plan: same ratio to the list price."""
    return rounded(PLAN_PRICE[new_plan] * price, PLAN_PRICE[old_plan], PLAN_CURRENCY[new_plan])


def price_change(price, discount, plan) -> tuple[np.ndarray, np.ndarray]:
    """At a renewal: an introductory discount ends, or else the price rises 5 %."""
    raised = rounded(price * 105, 100, PLAN_CURRENCY[plan])
    return np.where(discount > 0, price, raised), np.zeros_like(discount)
