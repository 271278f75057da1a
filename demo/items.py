"""Subscription items of a cohort: logged as the simulation makes and ends them."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

FIELDS = ("account", "number", "subscription", "customer", "plan", "quantity", "unit_price")
FIELDS += ("discount", "started", "trial")


@dataclass(frozen=True)
class Items:
    """One row per item version, ordered by account and item number. `customer` is 0 for the
    account's first billing customer, 1 for its second; `unit_price` is in minor units,
    `discount` in tenths of a percent; `ended` is -1 while the item is in force."""

    account: np.ndarray
    number: np.ndarray
    subscription: np.ndarray
    customer: np.ndarray
    plan: np.ndarray
    quantity: np.ndarray
    unit_price: np.ndarray
    discount: np.ndarray
    started: np.ndarray
    trial: np.ndarray
    ended: np.ndarray

    def __len__(self) -> int:
        return len(self.account)

    def stop(self, end: int) -> np.ndarray:
        """The first day each item is no longer in force, `end` + 1 for running ones."""
        return np.where(self.ended < 0, end + 1, self.ended)

    def take(self, rows: np.ndarray) -> Items:
        return Items(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


class ItemLog:
    """Items in the order they are made; `end` records the day one stops."""

    def __init__(self) -> None:
        self._chunks: list[dict[str, np.ndarray]] = []
        self._ends: list[tuple[np.ndarray, np.ndarray]] = []
        self._count = 0

    def add(self, **columns: np.ndarray | int | bool) -> np.ndarray:
        """Items of the given accounts (one per entry of `account`); returns their records."""
        rows = len(columns["account"])  # type: ignore[arg-type]
        self._chunks.append({name: np.broadcast_to(columns[name], rows) for name in FIELDS})
        records = np.arange(self._count, self._count + rows)
        self._count += rows
        return records

    def end(self, records: np.ndarray, days: np.ndarray) -> None:
        self._ends.append((records, days))

    def items(self) -> Items:
        """Every item made, by account and item number."""
        columns = {
            name: np.concatenate([chunk[name] for chunk in self._chunks] or [np.empty(0, int)])
            for name in FIELDS
        }
        ended = np.full(self._count, -1)
        for records, days in self._ends:
            ended[records] = days
        order = np.lexsort((columns["number"], columns["account"]))
        return Items(**columns, ended=ended).take(order)
