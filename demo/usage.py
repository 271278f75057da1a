"""product_usage_daily rows of one account, vectorized: usage dominates the row count."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from demo.model import Life, Profile

RAMP_DAYS = 45  # new users take about six weeks to adopt the product
DECLINE_DAYS = 75  # usage falls over the 2-3 months before a cancellation
MONTH_END_DAYS = 5  # invoicing peaks while the books close


class UsageRenderer:
    """Turns an account's life into CSV text per drop, via calendar lookups shared by all."""

    def __init__(self, start: date, end: date, drop_dates: list[date]) -> None:
        self.first = (start - timedelta(days=40)).toordinal()
        days = [date.fromordinal(o) for o in range(self.first, end.toordinal() + 1)]
        self.text = [day.isoformat() for day in days]
        self.weekday = np.array([day.weekday() < 5 for day in days])
        closing = timedelta(days=MONTH_END_DAYS)
        self.month_end = np.array([day.month != (day + closing).month for day in days])
        self.drops = np.array([day.toordinal() for day in drop_dates])
        self.end = end

    def seats(self, life: Life) -> tuple[np.ndarray, np.ndarray]:
        """(ordinals, seats) of every day with items in force (trials count)."""
        first, last = life.items[0].started_on.toordinal(), self.end.toordinal()
        delta = np.zeros(last - first + 2, dtype=np.int64)
        for item in life.items:
            stop = (item.ended_on or self.end + timedelta(days=1)).toordinal()
            delta[item.started_on.toordinal() - first] += item.quantity
            delta[stop - first] -= item.quantity
        seats = np.cumsum(delta[:-1])
        used = np.flatnonzero(seats > 0)
        return used + first, seats[used]

    def factors(self, life: Life, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ramp, decline): adoption after each start, falling usage before each churn."""
        starts = np.array([start.toordinal() for start, _ in life.spans(self.end)])
        age = days - starts[np.searchsorted(starts, days, side="right") - 1]
        ramp = np.minimum(1.0, 0.35 + 0.65 * age / RAMP_DAYS)
        decline = np.ones(days.size)
        for churn in life.churns:
            left = churn.toordinal() - days
            window = (left > 0) & (left <= DECLINE_DAYS)
            decline[window] = np.minimum(decline[window], 0.15 + 0.85 * left[window] / DECLINE_DAYS)
        return ramp, decline

    def render(
        self, rng: np.random.Generator, account_id: str, profile: Profile, life: Life
    ) -> list[tuple[int, str, int]]:
        """(drop index, CSV lines, row count) per drop: one row per day with usage."""
        if not life.items:
            return []
        days, seats = self.seats(life)
        health = profile.health_on(days)
        ramp, decline = self.factors(life, days)
        lookup = days - self.first
        weekday = self.weekday[lookup]
        day_chance = np.where(weekday, 0.7 + 0.28 * health, 0.03 + 0.12 * health)
        active = rng.random(days.size) < day_chance * (0.3 + 0.7 * decline)
        user_chance = np.clip((0.15 + 0.8 * health) * ramp * decline, 0.01, 0.98)
        users = rng.binomial(seats, user_chance)
        keep = active & (users > 0)
        days, users, health, lookup = days[keep], users[keep], health[keep], lookup[keep]
        logins = users + rng.poisson(users * (0.2 + 0.8 * health))
        intensity = (1.5 + 6 * health) * np.where(self.month_end[lookup], 1.8, 1.0)
        events = rng.poisson(users * intensity)
        bounds = np.searchsorted(days, self.drops, side="right")
        text = self.text
        lines = [
            f"{account_id},{text[day]},{n_users},{n_logins},{n_events}\n"
            for day, n_users, n_logins, n_events in zip(
                lookup.tolist(), users.tolist(), logins.tolist(), events.tolist(), strict=True
            )
        ]
        out, begin = [], 0
        for drop, stop in enumerate(bounds.tolist()):
            if stop > begin:
                out.append((drop, "".join(lines[begin:stop]), stop - begin))
            begin = stop
        return out
