"""A cohort: accounts simulated together, one array entry per account."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.columns import Integers
from demo.config import Calendar
from demo.labels import Constant, Piece, Text, text


@dataclass(frozen=True)
class Cohort:
    """What billing and the product see of each account: how its key is written (`000042`,
    or `u0001` for a billing customer nobody linked to the CRM), company size and currency
    codes, sign-up day, and monthly health 0-1 (accounts x months; a reactivation lifts it).
    """

    key: tuple[Piece, ...]
    size: np.ndarray
    currency: np.ndarray
    signup: np.ndarray
    health: np.ndarray
    calendar: Calendar
    mapped: bool = True

    def __len__(self) -> int:
        return len(self.size)

    def key_of(self, accounts: np.ndarray) -> tuple[Piece, ...]:
        """The key pieces of the given accounts (indices into the cohort)."""
        return tuple(piece.take(accounts) for piece in self.key)

    def account_id(self, accounts: np.ndarray) -> Text:
        """`acc-<key>` of the given accounts."""
        return text("acc-", *self.key_of(accounts))

    def health_on(self, accounts: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Health of each account on each day (both arrays of the same length)."""
        return self.health[accounts, self.calendar.month_index(days)]


def unmapped_cohort(rng: np.random.Generator, first: int, count: int, calendar: Calendar) -> Cohort:
    """Billing customers nobody linked to a CRM account (`u0001` ...): small JPY companies
    of steady health that sign up any time."""
    signup = calendar.start + ((calendar.end - calendar.start) * rng.random(count)).astype(int)
    key = (Constant("u"), Integers(np.arange(first, first + count), least=4))
    zeros = np.zeros(count, dtype=np.int64)  # smb, JPY
    health = np.full((count, calendar.months), 0.8)
    return Cohort(key, zeros, zeros, signup, health, calendar, mapped=False)
