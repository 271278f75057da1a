"""cs_activities of a cohort: CS touches while an account uses the product, by its owner."""

from __future__ import annotations

import numpy as np

from demo import catalog
from demo.catalog import PLAN_PERIOD
from demo.cohort import Cohort
from demo.columns import Integers
from demo.crm import CrmAccounts
from demo.dated import Moments
from demo.draws import pick, rank_within
from demo.items import Items
from demo.labels import Labels, text
from demo.presence import Presence
from demo.tables import Table, Versions
from demo.timeline import add_months, month_number, office_seconds, styles

ACTIVITIES_PER_MONTH = np.array([0.6, 1.5, 3.5])  # by company size
ONBOARDING_DAYS = 90
RENEWAL_WINDOW_DAYS = 60
STEP_DAYS = 30  # activities are planned in 30-day steps through each span in force
STAGES = tuple(catalog.STAGE_ACTIVITY_WEIGHTS)  # onboarding, adoption, renewal, expansion
STAGE_WEIGHTS = np.array(list(catalog.STAGE_ACTIVITY_WEIGHTS.values()))
MINUTES = np.array(list(catalog.ACTIVITY_MINUTES.values()))  # (low, high) by activity type
ONBOARDING, ADOPTION, RENEWAL, EXPANSION = range(4)


def renewal_near(items: Items, account: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether each account renews an item of six months or more within 60 days of `day`."""
    long = items.take(np.flatnonzero((PLAN_PERIOD[items.plan] >= 6) & ~items.trial))
    many = np.bincount(long.account, minlength=int(account.max(initial=0)) + 1)[account]
    pair = np.repeat(np.arange(len(account)), many)
    item = long.take(np.searchsorted(long.account, account)[pair] + rank_within(pair) - 1)
    on, period = day[pair], PLAN_PERIOD[item.plan]
    in_force = (item.started <= on) & ((item.ended < 0) | (item.ended > on))
    periods = (month_number(on) - month_number(item.started)) // period
    renewal = add_months(item.started, periods * period)
    renewal = np.where(renewal <= on, add_months(item.started, (periods + 1) * period), renewal)
    near = in_force & (renewal - on <= RENEWAL_WINDOW_DAYS)
    return np.bincount(pair[near], minlength=len(account)) > 0


def stages(rng, items: Items, account, day, span_first, health) -> np.ndarray:
    """Onboarding in a span's first 90 days, renewal work before renewals, else expansion
    work for some healthy accounts, else adoption."""
    expansion = np.where((health >= 0.7) & (rng.random(len(day)) < 0.4), EXPANSION, ADOPTION)
    stage = np.where(renewal_near(items, account, day), RENEWAL, expansion)
    return np.where(day - span_first < ONBOARDING_DAYS, ONBOARDING, stage)


def activities(rng, cohort: Cohort, crm: CrmAccounts, items: Items, cells: Presence) -> Versions:
    """More touches for bigger and struggling accounts, onboarding work first."""
    steps = -(-(cells.span_stop - cells.span_first) // STEP_DAYS)
    span = np.repeat(np.arange(len(steps)), steps)
    account, first = cells.span_account[span], cells.span_first[span]
    step_day = first + STEP_DAYS * (rank_within(span) - 1)
    health = cohort.health_on(account, step_day)
    stage = stages(rng, items, account, step_day, first, health)
    boost = np.where(stage == ONBOARDING, 1.8, np.where(health < 0.4, 1.6, 1.0))
    expected = ACTIVITIES_PER_MONTH[cohort.size[account]] * boost
    planned = np.repeat(np.arange(len(span)), rng.poisson(expected))
    day = step_day[planned] + rng.integers(0, STEP_DAYS, len(planned))
    when = office_seconds(rng, day)
    owner = crm.owners.at(account[planned], when)
    kind = pick(rng.random(len(planned)), STAGE_WEIGHTS[stage[planned]])
    low, high = MINUTES[kind, 0], MINUTES[kind, 1]
    minutes = rng.integers(low, high + 1) // 5 * 5
    style = styles(rng.random(len(planned)))
    done = (day < cells.span_stop[span[planned]]) & (day <= cohort.calendar.end) & (owner >= 0)
    planned, day, when, owner, kind, minutes, style = (
        values[done] for values in (planned, day, when, owner, kind, minutes, style)
    )
    who = account[planned]
    columns = {
        "activity_id": text("act-", *cohort.key_of(who), "-", Integers(rank_within(who), least=4)),
        "account_id": cohort.account_id(who),
        "csm_id": text("csm-", Integers(owner + 1, least=4)),
        "activity_type": Labels(kind, catalog.ACTIVITY_TYPES),
        "lifecycle_stage": Labels(stage[planned], STAGES),
        "occurred_at": Moments(when, style),
        "duration_minutes": Integers(minutes),
    }
    return Versions(day, None, Table("cs_activities", columns))
