"""The Customer Success team: reps, their teams and costs, and who owns which account when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np

from demo.catalog import TEAM_BY_SIZE, TEAM_WEIGHTS
from demo.texts import person_name

ACCOUNTS_PER_REP = 80
UNOWNED_SMB_SHARE = 0.08  # small accounts served without a named CSM
REASSIGN_SHARE = 0.06  # accounts handed to another CSM once, at a random time


@dataclass(frozen=True)
class Rep:
    """One Customer Success manager; `left_on` is the day the rep became inactive."""

    csm_id: str
    name: str
    team: str
    hourly_cost: Decimal
    left_on: date | None

    def active_on(self, day: date) -> bool:
        return self.left_on is None or day < self.left_on


@dataclass(frozen=True)
class CsTeam:
    """All reps; two of them leave (one before the first drop, one between drops)."""

    reps: tuple[Rep, ...]
    known_since: date
    _pools: dict[tuple[str, tuple[bool, ...]], list[str]] = field(default_factory=dict)

    @classmethod
    def hire(cls, rng: np.random.Generator, accounts: int, start: date, drops: list[date]):
        """About one rep per 80 accounts, at least three."""
        count = max(3, round(accounts / ACCOUNTS_PER_REP))
        teams, weights = zip(*TEAM_WEIGHTS.items(), strict=True)
        leaving = {count - 1: start + (drops[0] - start) / 2}
        if count > 3:
            leaving[count - 2] = drops[-1] - timedelta(days=3) if len(drops) > 1 else drops[-1]
        reps = []
        for i in range(count):
            team = teams[i % len(teams)] if i < len(teams) else str(rng.choice(teams, p=weights))
            cost = Decimal(int(rng.integers(80, 181)) * 50)
            if rng.random() < 0.2:
                cost += Decimal("0.5")
            reps.append(Rep(f"csm-{i + 1:04d}", person_name(rng), team, cost, leaving.get(i)))
        return cls(tuple(reps), start - timedelta(days=90))

    def pick(self, rng: np.random.Generator, size: str, day: date) -> str:
        """An active rep of the account's team on `day` (any active rep if the team has none)."""
        team = TEAM_BY_SIZE[size]
        key = (team, tuple(rep.active_on(day) for rep in self.reps if rep.left_on))
        if key not in self._pools:
            active = [rep for rep in self.reps if rep.active_on(day)]
            chosen = [rep for rep in active if rep.team == team] or active
            self._pools[key] = [rep.csm_id for rep in chosen]
        pool = self._pools[key]
        return pool[int(rng.integers(len(pool)))]

    def history(
        self, rng: np.random.Generator, size: str, created: datetime, end: date
    ) -> list[tuple[datetime, str | None]]:
        """Owner changes of one account: (since, csm_id); a leaving rep hands accounts over."""
        if size == "smb" and rng.random() < UNOWNED_SMB_SHARE:
            return [(created, None)]
        owner = self.pick(rng, size, created.date())
        changes = [(created, owner)]
        move = created + (datetime.combine(end, time(18)) - created) * rng.random()
        planned = move.replace(microsecond=0) if rng.random() < REASSIGN_SHARE else None
        while True:
            left_on = self.by_id(owner).left_on
            departure = datetime.combine(left_on, time(10)) if left_on else None
            upcoming = [
                moment
                for moment in (planned, departure)
                if moment and changes[-1][0] < moment and moment.date() <= end
            ]
            if not upcoming:
                return changes
            when = min(upcoming)
            planned = None if when == planned else planned
            owner = self.pick(rng, size, when.date())
            changes.append((when, owner))

    def by_id(self, csm_id: str) -> Rep:
        return self.reps[int(csm_id.removeprefix("csm-")) - 1]

    def versions(self) -> list[tuple[date, str, tuple[object, ...]]]:
        """cs_reps.csv as versions (known on, key, row): active, then inactive once left."""
        rows = []
        for rep in self.reps:
            row = (rep.csm_id, rep.name, rep.team, rep.hourly_cost, True)
            rows.append((self.known_since, rep.csm_id, row))
            if rep.left_on is not None:
                rows.append((rep.left_on, rep.csm_id, (*row[:4], False)))
        return rows
