"""product_usage_daily of a cohort: one row per account and day with usage, by far the
largest export (about 27 M of the 31 M rows at 100,000 accounts)."""

from __future__ import annotations

import numpy as np

from demo.cohort import Cohort
from demo.columns import Integers
from demo.dated import Days
from demo.draws import rank_within
from demo.life import Life
from demo.presence import Presence
from demo.tables import Table, Versions
from demo.timeline import is_weekday, month_number

RAMP_DAYS = 45  # new users take about six weeks to adopt the product
DECLINE_DAYS = 75  # usage falls over the 2-3 months before a cancellation
MONTH_END_DAYS = 5  # invoicing peaks while the books close


def declines(life: Life, cells: Presence) -> np.ndarray:
    """Per cell, how far usage has fallen ahead of a cancellation: from 1 (more than 75
    days before, or none coming) down to 0.15 on its eve. Only the cells of the 75-day
    windows are touched (a search per cancellation, not one per cell)."""
    decline = np.ones(len(cells.day))
    first = cells.find(life.churn_account, life.churn_day - DECLINE_DAYS)
    window = cells.find(life.churn_account, life.churn_day) - first
    churn = np.repeat(np.arange(len(first)), window)
    cell = first[churn] + rank_within(churn) - 1
    left = life.churn_day[churn] - cells.day[cell]
    np.minimum.at(decline, cell, 0.15 + 0.85 * left / DECLINE_DAYS)
    return decline


def usage(rng: np.random.Generator, cohort: Cohort, life: Life, cells: Presence) -> Versions:
    """Active users, logins and key feature events on the days an account uses the
    product: adoption ramps up after each start, usage falls before each cancellation."""
    day, health = cells.day, cohort.health_on(cells.account, cells.day)
    ramp = np.minimum(1.0, 0.35 + 0.65 * (day - cells.span_start) / RAMP_DAYS)
    decline = declines(life, cells)
    weekday = is_weekday(day)
    day_chance = np.where(weekday, 0.7 + 0.28 * health, 0.03 + 0.12 * health)
    active = np.flatnonzero(rng.random(len(day)) < day_chance * (0.3 + 0.7 * decline))
    health, ramp, decline = health[active], ramp[active], decline[active]
    user_chance = np.clip((0.15 + 0.8 * health) * ramp * decline, 0.01, 0.98)
    users = rng.binomial(cells.seats[active], user_chance)
    used = users > 0
    rows, users, health = active[used], users[used], health[used]
    day = cells.day[rows]
    logins = users + rng.poisson(users * (0.2 + 0.8 * health))
    closing = month_number(day) != month_number(day + MONTH_END_DAYS)
    events = rng.poisson(users * (1.5 + 6 * health) * np.where(closing, 1.8, 1.0))
    columns = {
        "account_id": cohort.account_id(cells.account[rows]),
        "usage_date": Days(day),
        "active_users": Integers(users),
        "logins": Integers(logins),
        "key_feature_events": Integers(events),
    }
    return Versions(day, None, Table("product_usage_daily", columns))
