"""The demo company, cohort by cohort: what every export knew, as versions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from demo import billing, crm, helpdesk
from demo.activities import activities
from demo.cohort import Cohort, unmapped_cohort
from demo.config import GeneratorConfig
from demo.invoices import invoices
from demo.life import simulate_life
from demo.presence import presence
from demo.reference import SNAPSHOT_EXPORTS, fx_versions, plan_versions, rep_versions
from demo.reps import CsTeam
from demo.tables import Versions
from demo.usage import usage

# Accounts simulated together. Output depends on it (each cohort has its own random stream),
# so it is fixed; 5,000 accounts over 36 months keep the largest arrays near 50 MB.
COHORT_ACCOUNTS = 5000
ACCOUNTS_PER_UNMAPPED = 400  # billing customers created without a CRM account


@dataclass(frozen=True)
class Batch:
    """Versions of every export one cohort (or the reference data) produced; `accounts`
    counts its CRM accounts."""

    accounts: int
    versions: dict[str, Versions]


def cohort_versions(
    rng: np.random.Generator, cohort: Cohort, accounts: crm.CrmAccounts | None
) -> dict[str, Versions]:
    """Everything a cohort did; billing only for customers without a CRM account."""
    life = simulate_life(rng, cohort)
    versions = {
        "billing_customers": billing.customers(rng, cohort, life),
        "subscription_items": billing.item_versions(cohort, life.items),
        "invoices": invoices(rng, cohort, life.items),
    }
    if accounts is None:
        return versions
    cells = presence(life, len(cohort), cohort.calendar.end)
    return versions | {
        "accounts": crm.account_versions(rng, cohort, accounts),
        "onboarding_milestones": crm.milestones(rng, cohort, life),
        "cs_activities": activities(rng, cohort, accounts, life.items, cells),
        "nps_responses": helpdesk.nps(rng, cohort, life, cells),
        "support_tickets": helpdesk.tickets(rng, cohort, cells),
        "product_usage_daily": usage(rng, cohort, life, cells),
    }


@dataclass(frozen=True)
class CohortTask:
    """One cohort to simulate: accounts `first` .. `first + count - 1` of the CRM (`crm`
    True) or of the billing customers nobody linked to it; `number` picks its random stream."""

    crm: bool
    number: int
    first: int
    count: int


def cohort_tasks(config: GeneratorConfig) -> list[CohortTask]:
    """The CRM accounts in cohorts of COHORT_ACCOUNTS, then the unmapped customers."""
    unmapped = max(2, config.accounts // ACCOUNTS_PER_UNMAPPED)
    return [
        CohortTask(crm, number, first, min(COHORT_ACCOUNTS, total + 1 - first))
        for crm, total in ((True, config.accounts), (False, unmapped))
        for number, first in enumerate(range(1, total + 1, COHORT_ACCOUNTS))
    ]


def _rng(config: GeneratorConfig, *stream: int) -> np.random.Generator:
    """An independent random stream per purpose and cohort, fixed by the seed."""
    return np.random.default_rng([config.seed, *stream])


def hire_team(config: GeneratorConfig) -> CsTeam:
    """The CS team every cohort's accounts are assigned to."""
    return CsTeam.hire(_rng(config, 0), config.accounts, config.start_date, config.drop_dates())


def reference_batch(config: GeneratorConfig, team: CsTeam) -> Batch:
    """The price book, the CS reps and the exchange rates."""
    calendar = config.calendar()
    reference = (plan_versions(team.known_since), rep_versions(team))
    reference += (fx_versions(_rng(config, 3), calendar),)
    return Batch(0, dict(zip(SNAPSHOT_EXPORTS, reference, strict=True)))


def cohort_batch(config: GeneratorConfig, team: CsTeam, task: CohortTask) -> Batch:
    """Everything one cohort did: the same task gives the same rows, in any process."""
    calendar = config.calendar()
    if not task.crm:
        rng = _rng(config, 2, task.number)
        cohort = unmapped_cohort(rng, task.first, task.count, calendar)
        return Batch(0, cohort_versions(rng, cohort, None))
    rng = _rng(config, 1, task.number)
    cohort, accounts = crm.draw_cohort(rng, task.first, task.count, team, calendar)
    return Batch(task.count, cohort_versions(rng, cohort, accounts))


def simulate(config: GeneratorConfig) -> Iterator[Batch]:
    """The demo company as versions of every export: the reference data, then cohort by
    cohort (what `generate` writes as contract drops, and what a converter to another
    export format reads)."""
    team = hire_team(config)
    yield reference_batch(config, team)
    for task in cohort_tasks(config):
        yield cohort_batch(config, team, task)
