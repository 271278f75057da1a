"""Typed columns of generated rows, rendered to CSV text a whole column at a time.

A column holds one contract column of many rows as numpy arrays: integers, decimals as
units with a scale, days, Tokyo moments with the style they are written in, codes into a
vocabulary, or text composed of such pieces. `render` writes a column into its slice of a
byte matrix with one row per CSV line and NUL bytes as padding (see `demo.tables`), so a file
costs a few numpy operations per column and character position instead of a Python call per
field. `values()` gives the same cells as Python objects (None for an empty cell).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Self

import numpy as np

NUL, MINUS, POINT, ZERO = 0, ord("-"), ord("."), ord("0")


def csv_field(text: str) -> str:
    """`text` as one CSV field: quoted when it holds a comma, a quote or a line break."""
    if any(mark in text for mark in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _put_number(cells: np.ndarray, magnitude: np.ndarray, negative, least: int) -> None:
    """Right-aligned digits of `magnitude` (at least `least` of them), `-` before negatives.
    Digits are computed a position at a time for all rows, in 32-bit arithmetic where the
    numbers fit and into contiguous rows that are transposed at the end: about twice as
    fast as 64-bit digits written straight into the strided cells."""
    width = cells.shape[1]
    small = magnitude.size == 0 or int(magnitude.max()) < 2**32
    value = magnitude.astype(np.uint32 if small else np.uint64)
    digits = np.empty((width, len(value)), dtype=np.uint8)
    for position in range(width - 1, -1, -1):
        higher = value // 10
        digits[position] = value - higher * 10 + ZERO
        if width - 1 - position >= least:
            digits[position] *= value > 0  # blank left of the first digit
        value = higher
    cells[:] = digits.T
    if np.any(negative):
        digits = np.count_nonzero(cells, axis=1)
        rows = np.flatnonzero(negative)
        cells[rows, width - 1 - digits[rows]] = MINUS


def _number_width(magnitude: np.ndarray, negative: np.ndarray, least: int) -> int:
    digits = len(str(int(magnitude.max()))) if magnitude.size else 1
    return max(digits, least) + bool(np.any(negative))


class Column(ABC):
    """One contract column of many rows; `null` marks empty cells."""

    null: np.ndarray | None

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def width(self, encoding: str) -> int:
        """Bytes of the widest cell."""

    @abstractmethod
    def _render(self, cells: np.ndarray, encoding: str) -> None: ...

    @abstractmethod
    def _values(self) -> list[object]: ...

    def render(self, cells: np.ndarray, encoding: str) -> None:
        """Write every cell into `cells` (rows x width, all NUL), left to right."""
        self._render(cells, encoding)
        if self.null is not None:
            cells[self.null] = NUL

    def values(self) -> list[object]:
        """The cells as Python values: int, Decimal, date, datetime, str, bool or None."""
        values = self._values()
        if self.null is None:
            return values
        return [None if empty else value for value, empty in zip(values, self.null, strict=True)]

    def take(self, rows: np.ndarray | slice) -> Self:
        """The column of the given rows (indices or a mask), in that order."""
        changes = {}
        for field in fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray) and value.ndim:
                changes[field.name] = value[rows]
        return replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class Integers(Column):
    """Whole numbers; `least` zero-pads to that many digits (ids like `si-000042-007`)."""

    numbers: np.ndarray
    least: int = 1
    null: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.numbers)

    def width(self, encoding: str) -> int:
        return _number_width(np.abs(self.numbers), self.numbers < 0, self.least)

    def _render(self, cells: np.ndarray, encoding: str) -> None:
        _put_number(cells, np.abs(self.numbers), self.numbers < 0, self.least)

    def _values(self) -> list[object]:
        return self.numbers.tolist()

    def strings(self) -> list[str]:
        return [f"{number:0{self.least}d}" for number in self.numbers.tolist()]


@dataclass(frozen=True)
class Decimals(Column):
    """Exact decimals: `units` / 10**`scale`, written with `scale` decimal places."""

    units: np.ndarray
    scale: np.ndarray | int
    null: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.units)

    def _parts(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        scale = np.broadcast_to(np.asarray(self.scale, dtype=np.int64), self.units.shape)
        whole, fraction = np.divmod(np.abs(self.units), 10**scale)
        return whole, fraction, scale, int(scale.max()) if scale.size else 0

    def width(self, encoding: str) -> int:
        whole, _, _, places = self._parts()
        return _number_width(whole, self.units < 0, 1) + (places + 1 if places else 0)

    def _render(self, cells: np.ndarray, encoding: str) -> None:
        whole, fraction, scale, places = self._parts()
        point = cells.shape[1] - places - 1 if places else cells.shape[1]
        _put_number(cells[:, :point], whole, self.units < 0, 1)
        if places:
            cells[:, point] = np.where(scale > 0, POINT, NUL)
            for place in range(places):
                digit = fraction // 10 ** np.maximum(scale - 1 - place, 0) % 10
                cells[:, point + 1 + place] = np.where(place < scale, ZERO + digit, NUL)

    @classmethod
    def tenths(cls, tenths: np.ndarray) -> Decimals:
        """Amounts in tenths, written without a decimal place when whole: 12.5, 10."""
        whole = tenths % 10 == 0
        return cls(np.where(whole, tenths // 10, tenths), np.where(whole, 0, 1))

    def _values(self) -> list[object]:
        scale = np.broadcast_to(np.asarray(self.scale), self.units.shape).tolist()
        return [Decimal(u).scaleb(-s) for u, s in zip(self.units.tolist(), scale, strict=True)]
