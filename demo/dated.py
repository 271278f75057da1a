"""Date and timestamp columns: days from 1970-01-01 and Tokyo wall-clock seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

import numpy as np

from demo.columns import ZERO, Column
from demo.timeline import DAY_SECONDS, FIRST_DAY, LAST_DAY, OFFSET, TOKYO_OFFSET_SECONDS
from demo.timeline import UTC as UTC_STYLE

JST = timezone(timedelta(hours=9))
EPOCH_MOMENT = datetime(1970, 1, 1)


@cache
def _iso_days() -> np.ndarray:
    """`YYYY-MM-DD` of every day from 1900 to 2199, 10 bytes a row (1.1 MB, made once)."""
    days = np.arange(FIRST_DAY, LAST_DAY + 1).astype("datetime64[D]")
    return np.datetime_as_string(days).astype("S10").view(np.uint8).reshape(-1, 10)


def _put_days(cells: np.ndarray, days: np.ndarray) -> None:
    cells[:, :10] = _iso_days()[days - FIRST_DAY]


@dataclass(frozen=True)
class Days(Column):
    """Dates as days from 1970-01-01, written `YYYY-MM-DD`."""

    days: np.ndarray
    null: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.days)

    def width(self, encoding: str) -> int:
        return 10

    def _render(self, cells: np.ndarray, encoding: str) -> None:
        _put_days(cells, self.days)

    def _values(self) -> list[object]:
        return self.days.astype("datetime64[D]").tolist()


@dataclass(frozen=True)
class Moments(Column):
    """Tokyo wall-clock seconds from 1970, written ISO 8601 in each row's style: local time,
    with `+09:00`, or converted to UTC with `Z` (demo.timeline)."""

    seconds: np.ndarray
    style: np.ndarray | int
    null: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.seconds)

    def _styles(self) -> np.ndarray:
        return np.broadcast_to(np.asarray(self.style), self.seconds.shape)

    def width(self, encoding: str) -> int:
        style = self._styles()
        return 19 + (6 if np.any(style == OFFSET) else 1 if np.any(style == UTC_STYLE) else 0)

    def _render(self, cells: np.ndarray, encoding: str) -> None:
        style = self._styles()
        shown = self.seconds - TOKYO_OFFSET_SECONDS * (style == UTC_STYLE)
        day, second = np.divmod(shown, DAY_SECONDS)
        _put_days(cells, day)
        cells[:, 10] = ord("T")
        cells[:, 13] = cells[:, 16] = ord(":")
        for start, part in ((11, second // 3600), (14, second // 60 % 60), (17, second % 60)):
            cells[:, start] = ZERO + part // 10
            cells[:, start + 1] = ZERO + part % 10
        if np.any(style == OFFSET):
            cells[style == OFFSET, 19:25] = np.frombuffer(b"+09:00", dtype=np.uint8)
        if np.any(style == UTC_STYLE):
            cells[style == UTC_STYLE, 19] = ord("Z")

    def _values(self) -> list[object]:
        moments = []
        for second, style in zip(self.seconds.tolist(), self._styles().tolist(), strict=True):
            local = EPOCH_MOMENT + timedelta(seconds=second)
            if style == OFFSET:
                local = local.replace(tzinfo=JST)
            elif style == UTC_STYLE:
                local = (local - timedelta(seconds=TOKYO_OFFSET_SECONDS)).replace(tzinfo=UTC)
            moments.append(local)
        return moments
