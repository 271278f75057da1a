"""Text columns: codes into a vocabulary, true/false flags, and text built from pieces."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from demo.columns import Column, Integers, csv_field


@cache
def _vocabulary_cells(vocabulary: tuple[str | None, ...], encoding: str) -> np.ndarray:
    """Each entry as CSV field bytes in `encoding`, one NUL-padded row per entry."""
    encoded = [csv_field(entry or "").encode(encoding) for entry in vocabulary]
    width = max((len(entry) for entry in encoded), default=0)
    cells = np.zeros((len(encoded), width), dtype=np.uint8)
    for row, entry in enumerate(encoded):
        cells[row, : len(entry)] = np.frombuffer(entry, dtype=np.uint8)
    return cells


@dataclass(frozen=True)
class Labels(Column):
    """Text from a fixed vocabulary: `codes` index `vocabulary` (an entry None is empty)."""

    codes: np.ndarray
    vocabulary: tuple[str | None, ...]
    null: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.codes)

    def width(self, encoding: str) -> int:
        return _vocabulary_cells(self.vocabulary, encoding).shape[1]

    def _render(self, cells: np.ndarray, encoding: str) -> None:
        cells[:] = _vocabulary_cells(self.vocabulary, encoding)[self.codes]

    def _values(self) -> list[object]:
        return [self.vocabulary[code] for code in self.codes.tolist()]

    def strings(self) -> list[str]:
        return [self.vocabulary[code] or "" for code in self.codes.tolist()]


BOOLEANS = ("false", "true")


@dataclass(frozen=True)
class Flags(Labels):
    """Booleans, written `true`/`false`."""

    vocabulary: tuple[str | None, ...] = BOOLEANS

    def _values(self) -> list[object]:
        return self.codes.astype(bool).tolist()


@dataclass(frozen=True)
class Constant:
    """The same text on every row: a piece of a `Text`."""

    text: str

    def width(self, encoding: str) -> int:
        return len(self.text.encode(encoding))

    def render(self, cells: np.ndarray, encoding: str) -> None:
        cells[:] = np.frombuffer(self.text.encode(encoding), dtype=np.uint8)

    def take(self, rows: np.ndarray | slice) -> Constant:
        return self


Piece = Constant | Integers | Labels


@dataclass(frozen=True)
class Text(Column):
    """Text made of pieces, e.g. `act-` + a zero-padded account key + `-` + a number. Pieces
    never need CSV quoting: only whole `Labels` columns carry commas or line breaks."""

    pieces: tuple[Piece, ...]
    null: np.ndarray | None = None

    def __post_init__(self) -> None:
        for piece in self.pieces:
            if isinstance(piece, Labels) and any(
                csv_field(entry or "") != (entry or "") for entry in piece.vocabulary
            ):
                raise ValueError(f"a piece of text would need CSV quoting: {piece.vocabulary}")

    def __len__(self) -> int:
        return next(len(piece) for piece in self.pieces if not isinstance(piece, Constant))

    def take(self, rows: np.ndarray | slice) -> Text:
        null = None if self.null is None else self.null[rows]
        return Text(tuple(piece.take(rows) for piece in self.pieces), null)

    def width(self, encoding: str) -> int:
        return sum(piece.width(encoding) for piece in self.pieces)

    def _render(self, cells: np.ndarray, encoding: str) -> None:
        start = 0
        for piece in self.pieces:
            width = piece.width(encoding)
            piece.render(cells[:, start : start + width], encoding)
            start += width

    def _values(self) -> list[object]:
        rows = len(self)
        parts = [
            [piece.text] * rows if isinstance(piece, Constant) else piece.strings()
            for piece in self.pieces
        ]
        return ["".join(row) for row in zip(*parts, strict=True)]


def text(*pieces: Piece | str, null: np.ndarray | None = None) -> Text:
    """A `Text` column; plain strings are constant pieces."""
    parts = tuple(Constant(piece) if isinstance(piece, str) else piece for piece in pieces)
    return Text(parts, null)
