"""Writing drops: every record goes to the drops whose export date first knows each state.

A record is given as versions (known_on, key, row): the first drop on or after `known_on`
gets the latest version known on its date, so the first drop is a full snapshot and each
later drop holds only what changed since the previous one. Rows are buffered per file and
appended by `flush`, so memory stays bounded by one batch of accounts.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from demo.config import GeneratorConfig
from orchestration.contract import EXPORTS, EXPORTS_BY_NAME

Version = tuple[date, str, Sequence[object]]


def format_value(value: object) -> str:
    """Contract formatting: ISO dates and timestamps (UTC written with Z), `true`/`false`,
    plain decimals, and an empty field for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is UTC:
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"no contract format for {type(value).__name__}: {value!r}")


@dataclass(frozen=True)
class Layout:
    """How one file deviates from the contract's column order and header spelling."""

    order: tuple[int, ...]  # contract column positions, in file order
    header: tuple[str, ...]
    extra: tuple[str, str] | None = None  # an unknown column: (name, value on every row)
    bom: bool = False

    def arrange(self, fields: list[str]) -> list[str]:
        arranged = [fields[position] for position in self.order]
        return [*arranged, self.extra[1]] if self.extra else arranged


class DropWriter:
    """The open drops of one generation run: `<out>/<drop date>/<export>.csv`."""

    def __init__(self, config: GeneratorConfig, layouts: dict[tuple[str, int], Layout]) -> None:
        self.config = config
        self.drops = config.drop_dates()
        self.layouts = layouts
        self.rows_written: dict[str, dict[str, int]] = {
            export.name: dict.fromkeys((d.isoformat() for d in self.drops), 0) for export in EXPORTS
        }
        self._buffers: dict[tuple[str, int], io.StringIO] = defaultdict(io.StringIO)
        self._csv: dict[tuple[str, int], csv.writer] = {}
        for export in EXPORTS:
            for drop in range(len(self.drops)):
                self._start_file(export.name, drop)

    def _path(self, export: str, drop: int):
        return self.config.out / self.drops[drop].isoformat() / f"{export}.csv"

    def _start_file(self, export: str, drop: int) -> None:
        path = self._path(export, drop)
        path.parent.mkdir(parents=True, exist_ok=True)
        layout = self.layouts.get((export, drop))
        header = list(layout.header) if layout else list(EXPORTS_BY_NAME[export].column_names)
        if layout and layout.extra:
            header.append(layout.extra[0])
        with path.open("w", encoding=self.config.encoding_of(export), newline="") as handle:
            if layout and layout.bom:
                handle.write("\ufeff")
            csv.writer(handle, lineterminator="\n").writerow(header)

    def drop_of(self, known_on: date) -> int | None:
        """The first drop on or after `known_on`; None if it is after the last drop."""
        index = bisect.bisect_left(self.drops, known_on)
        return index if index < len(self.drops) else None

    def write_row(self, export: str, drop: int, row: Sequence[object]) -> None:
        """One row, values in contract column order."""
        key = (export, drop)
        if key not in self._csv:
            self._csv[key] = csv.writer(self._buffers[key], lineterminator="\n")
        fields = [format_value(value) for value in row]
        layout = self.layouts.get(key)
        self._csv[key].writerow(layout.arrange(fields) if layout else fields)
        self.rows_written[export][self.drops[drop].isoformat()] += 1

    def write_text(self, export: str, drop: int, text: str, rows: int) -> None:
        """Lines already formatted in contract column order (the usage fast path)."""
        if (export, drop) in self.layouts:
            raise ValueError(f"{export} of drop {drop} has a custom layout; use write_row")
        self._buffers[(export, drop)].write(text)
        self.rows_written[export][self.drops[drop].isoformat()] += rows

    def write_versions(self, export: str, versions: Iterable[Version]) -> None:
        """Per key, the latest version known at each drop that changed since the previous."""
        latest: dict[str, dict[int, Sequence[object]]] = {}
        for known_on, key, row in sorted(versions, key=lambda version: version[0]):
            drop = self.drop_of(known_on)
            if drop is not None:
                latest.setdefault(key, {})[drop] = row
        for per_drop in latest.values():
            for drop, row in per_drop.items():
                self.write_row(export, drop, row)

    def write_snapshots(self, export: str, versions: list[Version]) -> None:
        """Reference data re-sent whole: every drop gets each key's latest version."""
        for drop, drop_date in enumerate(self.drops):
            latest: dict[str, Sequence[object]] = {}
            for known_on, key, row in sorted(versions, key=lambda version: version[0]):
                if known_on <= drop_date:
                    latest[key] = row
            for row in latest.values():
                self.write_row(export, drop, row)

    def flush(self) -> None:
        """Append the buffered rows to their files and empty the buffers."""
        for (export, drop), buffer in self._buffers.items():
            if buffer.tell():
                path = self._path(export, drop)
                with path.open("a", encoding=self.config.encoding_of(export), newline="") as f:
                    f.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
