"""Where a cohort's items are in force, day by day: the shared base of usage, tickets, NPS
surveys and CS activities, which all happen only while an account has an item (trials too).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.draws import rank_within
from demo.life import Life
from demo.timeline import DAY_BITS, day_keys


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
    """Seats in force per account and day, from the days seats change: between two changes
    of an account its seats stay the same, so only the runs with seats are expanded to days
    (arrays of the cells' size; a dense accounts x days matrix was three times as large)."""
    items = life.items
    keys = np.r_[day_keys(items.account, items.started), day_keys(items.account, items.stop(end))]
    changes, which = np.unique(keys, return_inverse=True)
    amounts = np.r_[items.quantity, -items.quantity]
    # Every item's seats come off again (at the latest the day after `end`), so a running
    # sum over all accounts is each account's own: zero between its last change and the next.
    held = np.cumsum(np.bincount(which, amounts, minlength=len(changes)).astype(np.int64))
    change_account, change_day = changes >> DAY_BITS, changes & ((1 << DAY_BITS) - 1)
    run = np.flatnonzero(held[:-1] > 0)  # a run ends at its account's next change
    length = change_day[run + 1] - change_day[run]
    cell_run = np.repeat(np.arange(len(run)), length)
    account = change_account[run][cell_run]
    day = change_day[run][cell_run] + rank_within(cell_run) - 1
    starts = np.r_[True, (account[1:] != account[:-1]) | (day[1:] != day[:-1] + 1)]
    span = np.cumsum(starts) - 1
    first_cells = np.flatnonzero(starts)
    last_cells = np.r_[first_cells[1:] - 1, len(day) - 1] if len(day) else first_cells
    return Presence(
        account=account,
        day=day,
        keys=day_keys(account, day),
        seats=held[run][cell_run],
        span_start=day[first_cells][span],
        span_account=account[first_cells],
        span_first=day[first_cells],
        span_stop=day[last_cells] + 1,
        offsets=np.searchsorted(account, np.arange(accounts + 1)),
    )
