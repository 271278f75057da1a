"""Where a cohort's items are in force, day by day: the shared base of usage, tickets, NPS
surveys and CS activities, which all happen only while an account has an item (trials too).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.life import Life
from demo.timeline import day_keys


@dataclass(frozen=True)
class Presence:
    """Cells (account, day) with seats in force, ordered by account and day (`keys`: their
    day_keys), each with the first day of its span (a run of days in force); spans as
    (account, first day, day after the last); `offsets[a]` is the first cell of account a."""

    account: np.ndarray
    day: np.ndarray
    keys: np.ndarray
    seats: np.ndarray
    span_start: np.ndarray
    span_account: np.ndarray
    span_first: np.ndarray
    span_stop: np.ndarray
    offsets: np.ndarray

    def find(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The first cell of each account on or after each day (the next account's first
        cell, or the number of cells, when there is none)."""
        return np.searchsorted(self.keys, day_keys(account, day))

    def contains(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Whether each (account, day) has an item in force."""
        wanted = day_keys(account, day)
        return np.r_[self.keys, -1][np.searchsorted(self.keys, wanted)] == wanted


def presence(life: Life, accounts: int, end: int) -> Presence:
    """Seats in force per account and day, from a dense accounts x days matrix of seat
    changes (a cohort of 5,000 accounts over 36 months is 5.6 M cells)."""
    items = life.items
    first = int(items.started.min()) if len(items) else end
    width = end - first + 2
    changes = np.concatenate([items.account * width + items.started - first,
                              items.account * width + items.stop(end) - first])  # fmt: skip
    amounts = np.concatenate([items.quantity, -items.quantity])
    delta = np.bincount(changes, amounts, minlength=accounts * width).astype(np.int64)
    seats = np.cumsum(delta.reshape(accounts, width)[:, :-1], axis=1)
    account, column = np.nonzero(seats > 0)
    day = column + first
    starts = np.r_[True, (account[1:] != account[:-1]) | (day[1:] != day[:-1] + 1)]
    span = np.cumsum(starts) - 1
    first_cells = np.flatnonzero(starts)
    last_cells = np.r_[first_cells[1:] - 1, len(day) - 1] if len(day) else first_cells
    return Presence(
        account=account,
        day=day,
        keys=day_keys(account, day),
        seats=seats[account, column],
        span_start=day[first_cells][span],
        span_account=account[first_cells],
        span_first=day[first_cells],
        span_stop=day[last_cells] + 1,
        offsets=np.searchsorted(account, np.arange(accounts + 1)),
    )
