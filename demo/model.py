"""What the simulation produces: an account's profile, its subscription items, its life."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from demo.catalog import Plan
from demo.timeline import month_number

UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass
class Profile:
    """Who the account is: billing key, size, currency, sign-up day and monthly health (0-1)."""

    key: str
    size: str
    currency: str
    signup: date
    health: np.ndarray  # one value per simulated month, from `world_start`
    world_start: date

    def month_index(self, day: date) -> int:
        index = month_number(day) - month_number(self.world_start)
        return min(max(index, 0), len(self.health) - 1)

    def health_at(self, day: date) -> float:
        return float(self.health[self.month_index(day)])

    def health_on(self, ordinals: np.ndarray) -> np.ndarray:
        """Health on each day, given as `date.toordinal()` values."""
        months = (ordinals - UNIX_EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[M]")
        index = months.astype(np.int64) - (month_number(self.world_start) - 1970 * 12)
        return self.health[np.clip(index, 0, len(self.health) - 1)]


@dataclass
class Item:
    """One version of a subscription line (subscription_items.csv)."""

    item_id: str
    subscription_id: str
    customer_id: str
    plan: Plan
    quantity: int
    unit_price: Decimal
    discount_pct: Decimal
    started_on: date
    ended_on: date | None = None
    is_trial: bool = False

    def row(self, ended_on: date | None) -> tuple[object, ...]:
        """The subscription_items.csv row, with the end as known at the time."""
        return (
            self.item_id,
            self.subscription_id,
            self.customer_id,
            self.plan.plan_id,
            self.quantity,
            self.unit_price,
            self.discount_pct,
            self.started_on,
            ended_on,
            self.is_trial,
        )


@dataclass
class Life:
    """Everything billed to one account, and the days it cancelled or first paid."""

    items: list[Item] = field(default_factory=list)
    customers: dict[str, date] = field(default_factory=dict)  # customer_id -> created on
    churns: list[date] = field(default_factory=list)
    first_paid: date | None = None

    def spans(self, end: date) -> list[tuple[date, date]]:
        """Merged [start, end) periods with any item in force (trials too), up to `end`."""
        merged: list[tuple[date, date]] = []
        limit = end + timedelta(days=1)
        for item in sorted(self.items, key=lambda i: i.started_on):
            stop = item.ended_on or limit
            if merged and item.started_on <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
            else:
                merged.append((item.started_on, stop))
        return merged
