"""CRM exports of one account: the account with its owner history, onboarding, CS activities."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from demo import catalog, texts
from demo.model import Life, Profile
from demo.reps import CsTeam
from demo.timeline import add_months, office_time, styled
from demo.writer import Version

USD_SHARE = 0.15
INSTALLED_BASE_SHARE = 0.12
ACTIVITIES_PER_MONTH = {"smb": 0.6, "mid": 1.5, "enterprise": 3.5}
ONBOARDING_DAYS = 90
RENEWAL_WINDOW_DAYS = 60
MILESTONE_GAPS = ((2, 10), (4, 18), (4, 21))  # days from one milestone to the next


@dataclass
class Account:
    """A CRM account with its hidden profile and who owned it when."""

    account_id: str
    name: str
    industry: str
    country: str
    created: datetime
    profile: Profile
    owners: list[tuple[datetime, str | None]]

    def owner_at(self, moment: datetime) -> str | None:
        index = bisect.bisect_right([since for since, _ in self.owners], moment) - 1
        return self.owners[max(index, 0)][1]

    def versions(self, rng: np.random.Generator) -> list[Version]:
        """One accounts.csv version per owner change; `updated_at` is the change."""
        head = (self.account_id, self.name, self.industry, self.profile.size, self.country)
        created = styled(self.created, rng.random())
        return [
            (since.date(), self.account_id, (*head, csm_id, created, styled(since, rng.random())))
            for since, csm_id in self.owners
        ]


def health_path(rng: np.random.Generator, months: int) -> np.ndarray:
    """Monthly health 0-1: mean-reverting around the account's own level, with rare shocks."""
    level = rng.beta(4, 2)
    shocks = rng.normal(0, 0.06, months) - (rng.random(months) < 0.02) * 0.3
    path = np.empty(months)
    value = level
    for month in range(months):
        value += 0.15 * (level - value) + shocks[month]
        path[month] = value
    return np.clip(path, 0.05, 0.98)


def _signup_fraction(rng: np.random.Generator) -> float:
    """When in the simulated period an account signs up (0-1): an installed base in the
    first weeks, then growing numbers of new sign-ups."""
    if rng.random() < INSTALLED_BASE_SHARE:
        return float(rng.uniform(0, 0.05))
    return float(rng.random() ** 0.7)


def draw_account(
    rng: np.random.Generator, index: int, team: CsTeam, start: date, end: date, months: int
) -> Account:
    """A company that signs up between `start` and `end`, more of them in later months."""
    size = catalog.COMPANY_SIZES[int(rng.choice(3, p=catalog.COMPANY_SIZE_WEIGHTS))]
    foreign = rng.random() < USD_SHARE
    country = "JP"
    if foreign:
        countries, weights = catalog.FOREIGN_COUNTRIES, catalog.FOREIGN_COUNTRY_WEIGHTS
        country = countries[int(rng.choice(len(countries), p=weights))]
    signup = start + timedelta(days=int(_signup_fraction(rng) * max((end - start).days - 2, 0)))
    created = office_time(rng, signup - timedelta(days=int(rng.integers(0, 21))))
    key, currency = f"{index:06d}", "USD" if foreign else "JPY"
    profile = Profile(key, size, currency, signup, health_path(rng, months), start)
    return Account(
        f"acc-{key}",
        texts.company_name(rng, japanese=not foreign),
        catalog.INDUSTRIES[int(rng.integers(len(catalog.INDUSTRIES)))],
        country,
        created,
        profile,
        team.history(rng, size, created, end),
    )


def milestones(rng: np.random.Generator, account: Account, life: Life, end: date) -> list[Version]:
    """kickoff, setup, training, go_live after the first paid day; some slow, some stall,
    none after a cancellation."""
    if life.first_paid is None:
        return []
    pace = 1.0 if rng.random() < 0.78 else float(rng.uniform(2.0, 3.5))
    reached = 4 if rng.random() < 0.92 else int(rng.integers(1, 4))
    stop = min([day for day in life.churns if day > life.first_paid] + [end + timedelta(days=1)])
    day = life.first_paid + timedelta(days=int(rng.integers(0, 6)))
    versions = []
    for number, milestone in enumerate(catalog.MILESTONES[:reached]):
        if day >= stop:
            break
        row = (account.account_id, milestone, styled(office_time(rng, day), rng.random()))
        versions.append((day, f"{account.account_id}/{milestone}", row))
        if number < len(MILESTONE_GAPS):
            low, high = MILESTONE_GAPS[number]
            day += timedelta(days=round(int(rng.integers(low, high + 1)) * pace))
    return versions


def _stage(rng: np.random.Generator, life: Life, span_start: date, day: date, health: float):
    if (day - span_start).days < ONBOARDING_DAYS:
        return "onboarding"
    for item in life.items:
        period = item.plan.billing_period_months
        if item.is_trial or period < 6 or item.started_on > day:
            continue
        if item.ended_on is not None and item.ended_on <= day:
            continue
        renewal = item.started_on
        while renewal <= day:
            renewal = add_months(renewal, period)
        if (renewal - day).days <= RENEWAL_WINDOW_DAYS:
            return "renewal"
    return "expansion" if health >= 0.7 and rng.random() < 0.4 else "adoption"


def activities(rng: np.random.Generator, account: Account, life: Life, end: date) -> list[Version]:
    """CS touches while the account uses the product, by its owner at the time: more for
    bigger and struggling accounts, onboarding work first, renewal work before renewals."""
    versions, count = [], 0
    base = ACTIVITIES_PER_MONTH[account.profile.size]
    for span_start, span_stop in life.spans(end):
        month = span_start
        while month < span_stop:
            health = account.profile.health_at(month)
            stage = _stage(rng, life, span_start, month, health)
            boost = 1.8 if stage == "onboarding" else 1.6 if health < 0.4 else 1.0
            for _ in range(int(rng.poisson(base * boost))):
                day = month + timedelta(days=int(rng.integers(0, 30)))
                when = office_time(rng, day)
                owner = account.owner_at(when)
                if day >= span_stop or day > end or owner is None:
                    continue
                count += 1
                kind = catalog.ACTIVITY_TYPES[
                    int(rng.choice(6, p=catalog.STAGE_ACTIVITY_WEIGHTS[stage]))
                ]
                low, high = catalog.ACTIVITY_MINUTES[kind]
                minutes = int(rng.integers(low, high + 1)) // 5 * 5
                activity_id = f"act-{account.profile.key}-{count:04d}"
                row = (activity_id, account.account_id, owner, kind, stage)
                versions.append((day, activity_id, (*row, styled(when, rng.random()), minutes)))
            month += timedelta(days=30)
    return versions
