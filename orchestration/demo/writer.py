"""Writing drops: each record goes to the drop that first knows it, in contract format."""

from __future__ import annotations

import bisect
import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from orchestration.contract import EXPORTS_BY_NAME


def format_value(value: object) -> str:
    """Contract formatting: dates ISO, timestamps ISO-8601, booleans true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{Decimal(str(round(value, 4))).normalize():f}"
    return str(value)


class DropWriter:
    """Routes rows to `<out>/<drop date>/<export>.csv` by the date each row became known."""

    def __init__(self, out: Path, drop_dates: Sequence[date], encodings: dict[str, str]) -> None:
        self.out = out
        self.drop_dates = list(drop_dates)
        self.encodings = encodings
        self._handles: dict[tuple[str, date], tuple[IO[str], csv.writer]] = {}
        self.rows_written: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def drop_for(self, known_on: date) -> date | None:
        """The first drop on or after `known_on` (None: after the last drop, not exported)."""
        index = bisect.bisect_left(self.drop_dates, known_on)
        return self.drop_dates[index] if index < len(self.drop_dates) else None

    def _writer(self, export: str, drop: date) -> csv.writer:
        if (export, drop) not in self._handles:
            folder = self.out / drop.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            handle = (folder / f"{export}.csv").open(
                "w", encoding=self.encodings.get(export, "utf-8"), newline=""
            )
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(EXPORTS_BY_NAME[export].column_names)
            self._handles[(export, drop)] = (handle, writer)
        return self._handles[(export, drop)][1]

    def write(self, export: str, drop: date, row: Sequence[object]) -> None:
        self._writer(export, drop).writerow([format_value(value) for value in row])
        self.rows_written[export][drop.isoformat()] += 1

    def write_raw_line(self, export: str, drop: date, line: str) -> None:
        """A deliberately malformed line (dirty data), written as is."""
        self._writer(export, drop)
        self._handles[(export, drop)][0].write(line + "\n")
        self.rows_written[export][drop.isoformat()] += 1

    def append(self, export: str, known_on: date, row: Sequence[object]) -> None:
        """An append-only record (usage, NPS, activities): in the drop that first knows it."""
        drop = self.drop_for(known_on)
        if drop is not None:
            self.write(export, drop, row)

    def versions(self, export: str, versions: Iterable[tuple[date, object, Sequence[object]]]):
        """Versioned records (known_on, key, row): per drop, the latest version of each key
        that changed since the previous drop (the first drop is a full snapshot)."""
        latest: dict[date, dict[object, tuple[date, Sequence[object]]]] = defaultdict(dict)
        for known_on, key, row in versions:
            drop = self.drop_for(known_on)
            if drop is None:
                continue
            current = latest[drop].get(key)
            if current is None or current[0] <= known_on:
                latest[drop][key] = (known_on, row)
        for drop in self.drop_dates:
            for _, row in sorted(latest[drop].values(), key=lambda item: str(item[1][0])):
                self.write(export, drop, row)

    def full_copy(self, export: str, rows: Iterable[tuple[date, Sequence[object]]]) -> None:
        """Reference data re-sent whole in every drop: rows known on or before each drop."""
        materialized = list(rows)
        for drop in self.drop_dates:
            for known_on, row in materialized:
                if known_on <= drop:
                    self.write(export, drop, row)

    def close(self) -> None:
        for handle, _ in self._handles.values():
            handle.close()
