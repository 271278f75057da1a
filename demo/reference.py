"""Reference exports re-sent whole in every drop: the price book, CS reps and USD/JPY rates."""

from __future__ import annotations

import numpy as np

from demo.catalog import (
    CURRENCIES,
    CURRENCY_EXPONENT,
    PLAN_CURRENCY,
    PLAN_IDS,
    PLAN_LIST,
    PLAN_PERIOD,
    PLAN_PRICE,
    PLAN_PRODUCT,
    PLAN_TIER,
    PRODUCT_NAMES,
)
from demo.columns import Decimals, Integers
from demo.config import Calendar
from demo.dated import Days
from demo.labels import Flags, Labels, text
from demo.reps import NEVER, TEAMS, CsTeam
from demo.tables import Table, Versions
from demo.timeline import is_weekday

RATE_CENTER, RATE_LOW, RATE_HIGH = 150.0, 140.5, 159.5
RATE_PLACES = 4
FX_LEAD_DAYS = 7  # rates start a week before the simulated period
SNAPSHOT_EXPORTS = ("plans", "cs_reps", "fx_rates")


def plan_versions(since: int) -> Versions:
    """The price book, unchanged over the simulation."""
    plans = np.arange(len(PLAN_LIST))
    columns = {
        "plan_id": Labels(plans, PLAN_IDS),
        "product": Labels(PLAN_PRODUCT, PRODUCT_NAMES),
        "plan_name": Labels(plans, tuple(plan.plan_name for plan in PLAN_LIST)),
        "tier": Integers(PLAN_TIER),
        "billing_period_months": Integers(PLAN_PERIOD),
        "currency": Labels(PLAN_CURRENCY, CURRENCIES),
        "list_price": Decimals(PLAN_PRICE, CURRENCY_EXPONENT[PLAN_CURRENCY]),
    }
    return Versions(np.full(len(plans), since), plans, Table("plans", columns))


def rep_versions(team: CsTeam) -> Versions:
    """cs_reps.csv: every rep active from the start, inactive from the day one leaves."""
    reps = np.arange(len(team.names))
    leavers = np.flatnonzero(team.left_on < NEVER)
    rep = np.r_[reps, leavers]
    columns = {
        "csm_id": text("csm-", Integers(rep + 1, least=4)),
        "name": Labels(rep, team.names),
        "team": Labels(team.team[rep], TEAMS),
        "hourly_cost": Decimals.tenths(team.hourly_cost_tenths[rep]),
        "active": Flags(np.r_[np.ones(len(reps), np.int64), np.zeros(len(leavers), np.int64)]),
    }
    known_on = np.r_[np.full(len(reps), team.known_since), team.left_on[leavers]]
    return Versions(known_on, rep, Table("cs_reps", columns))


def fx_versions(rng: np.random.Generator, calendar: Calendar) -> Versions:
    """USD -> JPY on every business day from a week before the start to the end: a random
    walk pulled towards 150 and kept within 140-160."""
    days = np.arange(calendar.start - FX_LEAD_DAYS, calendar.end + 1)
    days = days[is_weekday(days)]
    rates, rate = [], RATE_CENTER + rng.normal(0, 3)
    for _ in days:
        rates.append(round(rate * 10**RATE_PLACES))
        rate += 0.05 * (RATE_CENTER - rate) + rng.normal(0, 0.6)
        rate = min(max(rate, RATE_LOW), RATE_HIGH)
    count = len(days)
    columns = {
        "rate_date": Days(days),
        "from_currency": Labels(np.ones(count, np.int64), CURRENCIES),
        "to_currency": Labels(np.zeros(count, np.int64), CURRENCIES),
        "rate": Decimals(np.array(rates, dtype=np.int64), RATE_PLACES),
    }
    return Versions(days, days, Table("fx_rates", columns))
