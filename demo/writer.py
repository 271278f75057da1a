"""Writing drops: each version goes to the first drop on or after the day it was known.

Per record, a drop gets the latest version known on its date, so the first drop is a full
snapshot and each later drop holds only what changed since the previous one; reference
exports are re-sent whole. `DropRenderer` turns a batch into the bytes to append to each
file (in any process); `DropFiles` holds the files open and appends them in order.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np

from demo.config import GeneratorConfig
from demo.dirty import Layout, dirty_layouts
from demo.labels import Labels
from demo.reference import SNAPSHOT_EXPORTS
from demo.tables import Table, csv_lines
from demo.world import Batch
from orchestration.contract import EXPORTS

FileKey = tuple[str, int]  # (export, drop index)


@dataclass
class Rendered:
    """CSV bytes to append per file, their rows, and the CRM accounts they came from. A
    worker process spills the bytes to a file and hands over its name and the byte ranges:
    pickling them through a pipe copied every byte four times (about 40 % of what the
    workers cost beyond one process, measured at 30,000 accounts)."""

    accounts: int = 0
    text: dict[FileKey, bytes] = field(default_factory=dict)
    rows: dict[FileKey, int] = field(default_factory=dict)
    first_account: tuple[str, int] | None = None  # (account_id, day created) of a cohort's first
    spilled: Path | None = None
    ranges: dict[FileKey, tuple[int, int]] = field(default_factory=dict)  # (offset, length)

    def spill(self, path: Path) -> Rendered:
        """The same, with the bytes moved to `path`."""
        ranges, offset = {}, 0
        with path.open("wb") as handle:
            for key, text in self.text.items():
                handle.write(text)
                ranges[key], offset = (offset, len(text)), offset + len(text)
        return replace(self, text={}, spilled=path, ranges=ranges)


def csv_text(fields: list[str], encoding: str, bom: bool = False) -> bytes:
    """One CSV line of text fields (headers, deliberately unreadable rows)."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(fields)
    return (("\ufeff" if bom else "") + line.getvalue()).encode(encoding)


class DropRenderer:
    """A batch's versions as the CSV lines each drop's file gets, in its layout."""

    def __init__(self, config: GeneratorConfig) -> None:
        self.config = config
        self.drop_days = config.calendar().drops
        encodings = {name: config.encoding_of(name) for name in config.cp932_files}
        self.layouts = dirty_layouts(len(self.drop_days), encodings) if config.dirty else {}

    def render(self, batch: Batch) -> Rendered:
        rendered = Rendered(batch.accounts)
        for export, versions in batch.versions.items():
            per_drop = (
                versions.snapshot(self.drop_days)
                if export in SNAPSHOT_EXPORTS
                else versions.latest_per_drop(self.drop_days)
            )
            for drop, rows in per_drop:
                if len(rows):
                    rendered.text[(export, drop)] = self.lines(drop, rows)
                    rendered.rows[(export, drop)] = len(rows)
        if "accounts" in batch.versions and batch.versions["accounts"].known_on.size:
            accounts = batch.versions["accounts"]
            [account_id] = accounts.table.columns["account_id"].take(np.arange(1)).values()
            rendered.first_account = (str(account_id), int(accounts.known_on[0]))
        return rendered

    def lines(self, drop: int, rows: Table) -> bytes:
        """The rows as CSV lines of one drop's file."""
        columns = list(rows.columns.values())
        layout = self.layouts.get((rows.export, drop))
        if layout:
            columns = [columns[position] for position in layout.order]
            if layout.extra:
                columns.append(Labels(np.zeros(len(rows), np.int64), (layout.extra[1],)))
        return csv_lines(columns, self.config.encoding_of(rows.export))


def _copy_range(source: BinaryIO, target: BinaryIO, offset: int, length: int) -> None:
    """Append `length` bytes of `source` from `offset` to `target`, inside the kernel."""
    target.flush()
    while length:
        copied = os.copy_file_range(source.fileno(), target.fileno(), length, offset)
        if not copied:
            raise OSError(f"{source.name} ends before byte {offset + length}")
        offset, length = offset + copied, length - copied


class DropFiles:
    """The open files of one generation run, `<out>/<drop date>/<export>.csv`, headers
    written."""

    def __init__(self, config: GeneratorConfig, layouts: dict[FileKey, Layout]) -> None:
        self.config, self.layouts = config, layouts
        self.drops = [day.isoformat() for day in config.drop_dates()]
        self.rows_written = {e.name: dict.fromkeys(self.drops, 0) for e in EXPORTS}
        self._files: dict[FileKey, BinaryIO] = {}
        for export in EXPORTS:
            for drop, day in enumerate(self.drops):
                path = config.out / day / export.file_name
                path.parent.mkdir(parents=True, exist_ok=True)
                layout = layouts.get((export.name, drop))
                header = list(layout.header if layout else export.column_names)
                if layout and layout.extra:
                    header.append(layout.extra[0])
                handle = self._files[(export.name, drop)] = path.open("wb")
                encoding = config.encoding_of(export.name)
                handle.write(csv_text(header, encoding, bom=bool(layout and layout.bom)))

    def __enter__(self) -> DropFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._files.values():
            handle.close()

    def append(self, rendered: Rendered) -> None:
        for (export, drop), text in rendered.text.items():
            self._files[(export, drop)].write(text)
        if rendered.spilled:
            with rendered.spilled.open("rb") as source:
                for key, (offset, length) in rendered.ranges.items():
                    _copy_range(source, self._files[key], offset, length)
            rendered.spilled.unlink()
        for (export, drop), rows in rendered.rows.items():
            self.rows_written[export][self.drops[drop]] += rows

    def append_fields(self, export: str, drop: int, fields: list[str]) -> None:
        """One row given as text in contract column order (deliberately unreadable rows,
        which no typed column can hold)."""
        layout = self.layouts.get((export, drop))
        arranged = layout.arrange(fields) if layout else fields
        self._files[(export, drop)].write(csv_text(arranged, self.config.encoding_of(export)))
        self.rows_written[export][self.drops[drop]] += 1
