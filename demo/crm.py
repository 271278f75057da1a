"""CRM of a cohort: the companies, who owned them when, and their onboarding milestones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import catalog, texts
from demo.cohort import Cohort
from demo.columns import Integers
from demo.config import Calendar
from demo.dated import Moments
from demo.draws import pick
from demo.labels import Labels, text
from demo.life import Life
from demo.reps import CsTeam, Owners
from demo.tables import Table, Versions
from demo.timeline import DAY_SECONDS, office_seconds, styles

USD_SHARE = 0.15
INSTALLED_BASE_SHARE = 0.12
MILESTONE_GAPS = ((2, 10), (4, 18), (4, 21))  # days from one milestone to the next
COUNTRIES = ("JP", *catalog.FOREIGN_COUNTRIES)


@dataclass(frozen=True)
class CrmAccounts:
    """The CRM side of a cohort, one entry per account: codes into COMPANY_NAMES,
    INDUSTRIES and COUNTRIES, the creation moment (Tokyo seconds), its written style,
    and the owner changes."""

    name: np.ndarray
    industry: np.ndarray
    country: np.ndarray
    created: np.ndarray
    created_style: np.ndarray
    owners: Owners


def health_paths(rng: np.random.Generator, count: int, months: int) -> np.ndarray:
    """Monthly health 0-1: mean-reverting around each account's own level, rare shocks."""
    level = rng.beta(4, 2, count)
    shocks = rng.normal(0, 0.06, (count, months)) - (rng.random((count, months)) < 0.02) * 0.3
    path = np.empty((count, months))
    value = level
    for month in range(months):
        value = value + 0.15 * (level - value) + shocks[:, month]
        path[:, month] = value
    return np.clip(path, 0.05, 0.98)


def signup_days(rng: np.random.Generator, count: int, calendar: Calendar) -> np.ndarray:
    """When in the simulated period each account signs up: an installed base in the first
    weeks, then growing numbers of new sign-ups."""
    installed = rng.random(count) < INSTALLED_BASE_SHARE
    fraction = np.where(installed, rng.uniform(0, 0.05, count), rng.random(count) ** 0.7)
    length = max(calendar.end - calendar.start - 2, 0)
    return calendar.start + (fraction * length).astype(np.int64)


def draw_cohort(
    rng: np.random.Generator, first: int, count: int, team: CsTeam, calendar: Calendar
) -> tuple[Cohort, CrmAccounts]:
    """Accounts `first` .. `first + count - 1`: companies that sign up between the start
    and the end date, more of them in later months; foreign ones pay in USD."""
    size = pick(rng.random(count), catalog.COMPANY_SIZE_WEIGHTS)
    foreign = rng.random(count) < USD_SHARE
    abroad = 1 + pick(rng.random(count), catalog.FOREIGN_COUNTRY_WEIGHTS)
    signup = signup_days(rng, count, calendar)
    created = office_seconds(rng, signup - rng.integers(0, 21, count))
    health = health_paths(rng, count, calendar.months)
    key = (Integers(np.arange(first, first + count), least=6),)
    cohort = Cohort(key, size, foreign.astype(np.int64), signup, health, calendar)
    crm = CrmAccounts(
        name=texts.company_names(rng, ~foreign),
        industry=rng.integers(len(catalog.INDUSTRIES), size=count),
        country=np.where(foreign, abroad, 0),
        created=created,
        created_style=styles(rng.random(count)),
        owners=team.owners(rng, size, created, calendar.end),
    )
    return cohort, crm


def account_versions(rng: np.random.Generator, cohort: Cohort, crm: CrmAccounts) -> Versions:
    """accounts.csv: one version per owner change; `updated_at` is the change."""
    owners = crm.owners
    account = owners.account
    columns = {
        "account_id": cohort.account_id(account),
        "account_name": Labels(crm.name[account], texts.COMPANY_NAMES),
        "industry": Labels(crm.industry[account], catalog.INDUSTRIES),
        "company_size": Labels(cohort.size[account], catalog.COMPANY_SIZES),
        "country": Labels(crm.country[account], COUNTRIES),
        "csm_id": text("csm-", Integers(owners.csm + 1, least=4), null=owners.csm < 0),
        "created_at": Moments(crm.created[account], crm.created_style[account]),
        "updated_at": Moments(owners.since, styles(rng.random(len(account)))),
    }
    return Versions(owners.since // DAY_SECONDS, account, Table("accounts", columns))


def milestones(rng: np.random.Generator, cohort: Cohort, life: Life) -> Versions:
    """kickoff, setup, training, go_live after the first paid day: some slow, some stall,
    none after a cancellation."""
    paid = np.flatnonzero(life.first_paid >= 0)
    count, first_paid = len(paid), life.first_paid[paid]
    pace = np.where(rng.random(count) < 0.78, 1.0, rng.uniform(2.0, 3.5, count))
    reached = np.where(rng.random(count) < 0.92, 4, rng.integers(1, 4, count))
    churn = life.next_churn(paid, first_paid)
    stop = np.where(churn >= 0, churn, cohort.calendar.end + 1)
    days = [first_paid + rng.integers(0, 6, count)]
    for low, high in MILESTONE_GAPS:
        gap = np.rint(rng.integers(low, high + 1, count) * pace).astype(np.int64)
        days.append(days[-1] + gap)
    day = np.stack(days, axis=1)
    reached_row, milestone = np.nonzero((np.arange(4) < reached[:, None]) & (day < stop[:, None]))
    account, day = paid[reached_row], day[reached_row, milestone]
    completed = office_seconds(rng, day)
    columns = {
        "account_id": cohort.account_id(account),
        "milestone": Labels(milestone, catalog.MILESTONES),
        "completed_at": Moments(completed, styles(rng.random(len(day)))),
    }
    return Versions(day, None, Table("onboarding_milestones", columns))
