"""Rows of one export as typed columns, the versions a source system knew, and CSV lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from demo.columns import Column
from orchestration.contract import EXPORTS_BY_NAME

COMMA, NEWLINE = ord(","), ord("\n")
# Rows rendered at a time: byte matrices of a few MB, which the allocator reuses, instead of
# one per file and cohort of up to 60 MB, each freshly mapped (and zeroed) by the kernel.
CHUNK_ROWS = 100_000


def csv_lines(columns: Sequence[Column], encoding: str) -> bytes:
    """The rows as CSV lines, CHUNK_ROWS at a time (see `_chunk_lines`)."""
    rows = len(columns[0])
    if rows <= CHUNK_ROWS:
        return _chunk_lines(columns, encoding)
    chunks = (
        _chunk_lines(
            [column.take(slice(start, start + CHUNK_ROWS)) for column in columns], encoding
        )
        for start in range(0, rows, CHUNK_ROWS)
    )
    return b"".join(chunks)


def _chunk_lines(columns: Sequence[Column], encoding: str) -> bytes:
    """Every column rendered into its slice of one NUL-padded byte matrix with a comma after
    it, the last comma replaced by a line break, then the padding dropped (no CSV field
    contains a NUL)."""
    rows = len(columns[0])
    widths = [column.width(encoding) for column in columns]
    cells = np.zeros((rows, sum(widths) + len(widths)), dtype=np.uint8)
    start = 0
    for column, width in zip(columns, widths, strict=True):
        column.render(cells[:, start : start + width], encoding)
        start += width
        cells[:, start] = COMMA
        start += 1
    cells[:, -1] = NEWLINE
    flat = cells.reshape(-1)
    return flat[flat != 0].tobytes()


@dataclass(frozen=True)
class Table:
    """Rows of one export: its contract columns, by name."""

    export: str
    columns: dict[str, Column]

    def __post_init__(self) -> None:
        expected = EXPORTS_BY_NAME[self.export].column_names
        if tuple(self.columns) != expected:
            raise ValueError(f"{self.export}: columns {tuple(self.columns)}, not {expected}")
        lengths = {name: len(column) for name, column in self.columns.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"{self.export}: columns of different lengths {lengths}")

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))

    def take(self, rows: np.ndarray) -> Table:
        """The given rows (indices or a mask), in that order."""
        return Table(self.export, {name: c.take(rows) for name, c in self.columns.items()})

    def rows(self) -> list[tuple[object, ...]]:
        """Python values in contract column order (slow: for converters and tests)."""
        return list(zip(*(column.values() for column in self.columns.values()), strict=True))


@dataclass(frozen=True)
class Versions:
    """States of records as their source system knew them: row i of `table` is the state
    of record `keys[i]` from day `known_on[i]` (days from 1970-01-01) until a later one.
    `keys` None: every row is a record of its own (product usage, one row per day)."""

    known_on: np.ndarray
    keys: np.ndarray | None
    table: Table

    def __post_init__(self) -> None:
        keys = len(self.keys) if self.keys is not None else len(self.known_on)
        if not len(self.known_on) == keys == len(self.table):
            raise ValueError(f"{self.table.export}: versions of different lengths")

    def latest_per_drop(self, drop_days: np.ndarray) -> list[tuple[int, Table]]:
        """(drop index, rows) per drop: each record's latest version known on the drop's day,
        where that version is newer than the previous drop's; rows keep their order here."""
        drop = np.searchsorted(drop_days, self.known_on, side="left")
        if self.keys is None:
            chosen = np.flatnonzero(drop < len(drop_days))
        else:
            order = np.lexsort((np.arange(len(drop)), self.known_on, drop, self.keys))
            key, dropped = self.keys[order], drop[order]
            last = np.ones(len(order), dtype=bool)
            last[:-1] = (key[1:] != key[:-1]) | (dropped[1:] != dropped[:-1])
            chosen = np.sort(order[last & (dropped < len(drop_days))])
        return [
            (index, self.table.take(chosen[drop[chosen] == index]))
            for index in range(len(drop_days))
        ]

    def snapshot(self, drop_days: np.ndarray) -> list[tuple[int, Table]]:
        """(drop index, rows) per drop: every record's latest version known on its day
        (reference data that each drop re-sends whole)."""
        snapshots = []
        for index, day in enumerate(drop_days.tolist()):
            known = self.known_on <= day
            keys = None if self.keys is None else self.keys[known]
            latest = Versions(self.known_on[known], keys, self.table.take(known))
            [(_, rows)] = latest.latest_per_drop(np.array([day]))
            snapshots.append((index, rows))
        return snapshots
