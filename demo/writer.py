"""Writing drops: each version goes to the first drop on or after the day it was known.

Per record, a drop gets the latest version known on its date, so the first drop is a full
snapshot and each later drop holds only what changed since the previous one; reference
exports are re-sent whole. Files stay open for the run and are appended cohort by cohort,
so memory is bounded by one cohort.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from demo.config import GeneratorConfig
from demo.labels import Labels
from demo.tables import Table, Versions, csv_lines
from orchestration.contract import EXPORTS, EXPORTS_BY_NAME


@dataclass(frozen=True)
class Layout:
    """How one file deviates from the contract's column order and header spelling."""

    order: tuple[int, ...]  # contract column positions, in file order
    header: tuple[str, ...]
    extra: tuple[str, str] | None = None  # an unknown column: (name, value on every row)
    bom: bool = False

    def arrange(self, fields: list) -> list:
        arranged = [fields[position] for position in self.order]
        return [*arranged, self.extra[1]] if self.extra else arranged


class DropWriter:
    """The open files of one generation run: `<out>/<drop date>/<export>.csv`."""

    def __init__(self, config: GeneratorConfig, layouts: dict[tuple[str, int], Layout]) -> None:
        self.config, self.layouts = config, layouts
        self.drops = config.drop_dates()
        self.drop_days = config.calendar().drops
        self.rows_written: dict[str, dict[str, int]] = {
            export.name: dict.fromkeys((d.isoformat() for d in self.drops), 0) for export in EXPORTS
        }
        self._files: dict[tuple[str, int], BinaryIO] = {}
        for export in EXPORTS:
            for drop in range(len(self.drops)):
                self._files[(export.name, drop)] = self._start_file(export.name, drop)

    def _start_file(self, export: str, drop: int) -> BinaryIO:
        path = self.config.out / self.drops[drop].isoformat() / f"{export}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        layout = self.layouts.get((export, drop))
        header = list(layout.header) if layout else list(EXPORTS_BY_NAME[export].column_names)
        if layout and layout.extra:
            header.append(layout.extra[0])
        handle = path.open("wb")
        handle.write(self._line(header, export, bom=bool(layout and layout.bom)))
        return handle

    def _line(self, fields: list[str], export: str, bom: bool = False) -> bytes:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(fields)
        return (("\ufeff" if bom else "") + text.getvalue()).encode(self.config.encoding_of(export))

    def __enter__(self) -> DropWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._files.values():
            handle.close()

    def write(self, versions: Versions) -> None:
        """Per record, the latest version known at each drop that changed since the previous."""
        for drop, rows in versions.latest_per_drop(self.drop_days):
            self.write_rows(drop, rows)

    def write_snapshots(self, versions: Versions) -> None:
        """Reference data re-sent whole: every drop gets each record's latest version."""
        for drop, rows in versions.snapshot(self.drop_days):
            self.write_rows(drop, rows)

    def write_rows(self, drop: int, rows: Table) -> None:
        """Rows appended to one drop's file, in its layout."""
        if not len(rows):
            return
        export = rows.export
        columns = list(rows.columns.values())
        layout = self.layouts.get((export, drop))
        if layout:
            extra = (
                [Labels(np.zeros(len(rows), np.int64), (layout.extra[1],))] if layout.extra else []
            )
            columns = [columns[position] for position in layout.order] + extra
        self._files[(export, drop)].write(csv_lines(columns, self.config.encoding_of(export)))
        self.rows_written[export][self.drops[drop].isoformat()] += len(rows)

    def write_fields(self, export: str, drop: int, fields: list[str]) -> None:
        """One row given as text, in contract column order (rows that are deliberately
        unreadable, which no typed column can hold)."""
        layout = self.layouts.get((export, drop))
        self._files[(export, drop)].write(
            self._line(layout.arrange(fields) if layout else fields, export)
        )
        self.rows_written[export][self.drops[drop].isoformat()] += 1
