"""The Customer Success team: reps, their teams and costs, and who owns which account when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from demo.catalog import TEAM_BY_SIZE, TEAM_WEIGHTS
from demo.draws import pick
from demo.texts import person_name
from demo.timeline import DAY_SECONDS, day_number

ACCOUNTS_PER_REP = 80
UNOWNED_SMB_SHARE = 0.08  # small accounts served without a named CSM
REASSIGN_SHARE = 0.06  # accounts handed to another CSM once, at a random time
TEAMS = tuple(TEAM_WEIGHTS)
SIZE_TEAM = np.array([TEAMS.index(team) for team in TEAM_BY_SIZE.values()])
NEVER = np.iinfo(np.int64).max
HANDOVER_HOUR, LAST_MOVE_HOUR = 10, 18
MAX_HANDOVERS = 4  # a planned move and the departures of the two leaving reps, with margin


@dataclass(frozen=True)
class Owners:
    """Owner changes of a cohort's accounts, ordered by account and time: from `since`
    (Tokyo seconds) the account is owned by rep `csm` (an index into the team, -1: nobody)."""

    account: np.ndarray
    since: np.ndarray
    csm: np.ndarray

    def at(self, account: np.ndarray, moment: np.ndarray) -> np.ndarray:
        """The owner of each account at each moment (its first owner before that)."""
        found = np.searchsorted(self.account, account, side="left")
        keys = (self.account << 34) + self.since  # Tokyo seconds stay below 2**34 (year 2514)
        latest = np.searchsorted(keys, (account << 34) + moment, side="right") - 1
        return self.csm[np.maximum(latest, found)]


@dataclass(frozen=True)
class CsTeam:
    """All reps; two of them leave (one before the first drop, one between drops)."""

    names: tuple[str, ...]
    team: np.ndarray  # index into TEAMS
    hourly_cost_tenths: np.ndarray  # hourly cost in tenths of a yen: 6500.5 yen is 65005
    left_on: np.ndarray  # the day a rep became inactive, NEVER for reps who stay
    known_since: int

    @classmethod
    def hire(cls, rng: np.random.Generator, accounts: int, start: date, drops: list[date]):
        """About one rep per 80 accounts, at least three."""
        count = max(3, round(accounts / ACCOUNTS_PER_REP))
        leaving = {count - 1: start + (drops[0] - start) / 2}
        if count > 3:
            leaving[count - 2] = drops[-1] - timedelta(days=3) if len(drops) > 1 else drops[-1]
        names, teams, costs, weights = [], [], [], list(TEAM_WEIGHTS.values())
        for i in range(count):
            teams.append(i if i < len(TEAMS) else int(pick(rng.random(1), weights)[0]))
            costs.append(int(rng.integers(80, 181)) * 500 + (5 if rng.random() < 0.2 else 0))
            names.append(person_name(rng))
        left = [day_number(leaving[i]) if i in leaving else NEVER for i in range(count)]
        known_since = day_number(start - timedelta(days=90))
        return cls(tuple(names), np.array(teams), np.array(costs), np.array(left), known_since)

    def pick(self, rng: np.random.Generator, size: np.ndarray, day: np.ndarray) -> np.ndarray:
        """An active rep of each account's team on `day` (any active rep if the team has none)."""
        chosen = np.empty(len(size), dtype=np.int64)
        roll = rng.random(len(size))
        team = SIZE_TEAM[size]
        leavers = np.sort(np.unique(self.left_on[self.left_on < NEVER]))
        period = np.searchsorted(leavers, day, side="right")  # how many reps have left
        for when in np.unique(period):
            active = np.flatnonzero(self.left_on > (leavers[when - 1] if when else -NEVER))
            for member in np.unique(team[period == when]):
                pool = active[self.team[active] == member]
                pool = pool if len(pool) else active
                rows = np.flatnonzero((period == when) & (team == member))
                chosen[rows] = pool[(roll[rows] * len(pool)).astype(np.int64)]
        return chosen

    def owners(self, rng: np.random.Generator, size: np.ndarray, created: np.ndarray, end: int):
        """Owner changes of each account: a first owner when created, a planned move for
        some, and a handover whenever the owner leaves (until `end`)."""
        count = len(size)
        unowned = (size == 0) & (rng.random(count) < UNOWNED_SMB_SHARE)
        owner = np.where(unowned, -1, self.pick(rng, size, created // DAY_SECONDS))
        last = (end * DAY_SECONDS + LAST_MOVE_HOUR * 3600 - created) * rng.random(count)
        reassigned = rng.random(count) < REASSIGN_SHARE
        planned = np.where(reassigned, created + last.astype(np.int64), NEVER)
        rows, since, now = np.arange(count), created, owner
        changes = [(rows, since, now)]
        limit = (end + 1) * DAY_SECONDS
        for _ in range(MAX_HANDOVERS):
            left = self.left_on[now]
            departure = np.where(left < NEVER, left * DAY_SECONDS + HANDOVER_HOUR * 3600, NEVER)
            upcoming = [np.where((m > since) & (m < limit), m, NEVER) for m in (planned, departure)]
            when = np.minimum(*upcoming)
            moves = (now >= 0) & (when < NEVER)
            if not moves.any():
                break
            rows, when, planned = rows[moves], when[moves], planned[moves]
            planned = np.where(when == planned, NEVER, planned)
            now = self.pick(rng, size[rows], when // DAY_SECONDS)
            since = when
            changes.append((rows, since, now))
        account, moment, csm = (np.concatenate(part) for part in zip(*changes, strict=True))
        order = np.lexsort((moment, account))
        return Owners(account[order], moment[order], csm[order])
