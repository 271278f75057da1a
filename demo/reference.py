"""Reference exports re-sent whole in every drop: the price book, CS reps and USD/JPY rates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from demo.catalog import PLANS
from demo.writer import Version

RATE_CENTER, RATE_LOW, RATE_HIGH = 150.0, 140.5, 159.5


def plan_versions(since: date) -> list[Version]:
    """The price book, unchanged over the simulation."""
    return [(since, plan.plan_id, plan.row()) for plan in PLANS.values()]


def fx_versions(rng: np.random.Generator, start: date, end: date) -> list[Version]:
    """USD -> JPY on every business day from a week before `start` to `end`: a random walk
    pulled towards 150 and kept within 140-160."""
    versions = []
    rate = RATE_CENTER + rng.normal(0, 3)
    day = start - timedelta(days=7)
    while day <= end:
        if day.weekday() < 5:
            row = (day, "USD", "JPY", Decimal(f"{rate:.4f}"))
            versions.append((day, day.isoformat(), row))
            rate += 0.05 * (RATE_CENTER - rate) + rng.normal(0, 0.6)
            rate = min(max(rate, RATE_LOW), RATE_HIGH)
        day += timedelta(days=1)
    return versions
