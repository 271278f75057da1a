"""Vectorised draws and exact rounding shared by the simulation."""

from __future__ import annotations

import numpy as np


def pick(roll: np.ndarray, weights) -> np.ndarray:
    """The index each uniform `roll` falls on in `weights` (one list, or one per row)."""
    bounds = np.cumsum(np.asarray(weights, dtype=float), axis=-1)[..., :-1]
    if bounds.ndim == 1:
        return np.searchsorted(bounds, roll, side="right")
    return np.count_nonzero(roll[:, None] >= bounds, axis=1)


def round_half_even(numerator: np.ndarray, denominator) -> np.ndarray:
    """numerator / denominator rounded to a whole number, ties to even (as Decimal does),
    in exact integer arithmetic."""
    whole, rest = np.divmod(numerator, denominator)
    twice = 2 * rest
    return whole + ((twice > denominator) | ((twice == denominator) & (whole % 2 == 1)))


def rank_within(groups: np.ndarray) -> np.ndarray:
    """1, 2, 3 ... within each run of equal values of sorted `groups`."""
    if groups.size == 0:
        return groups.copy()
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    run = np.repeat(starts, np.diff(np.r_[starts, groups.size]))
    return np.arange(groups.size) - run + 1
