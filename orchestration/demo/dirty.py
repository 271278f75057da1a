"""A few dirty rows of the kinds the pipeline handles without stopping (raw-exports.md)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path


def _rewrite(path: Path, transform) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(transform(rows))


def _odd_header(rows: list[list[str]]) -> list[list[str]]:
    rows[0] = [f" {name.title()}" if name == "account_id" else name.upper() for name in rows[0]]
    return rows


def _reordered(rows: list[list[str]]) -> list[list[str]]:
    return [list(reversed(row)) for row in rows]


def _extra_column(rows: list[list[str]]) -> list[list[str]]:
    return [[*rows[0], "segment"]] + [[*row, "demo"] for row in rows[1:]]


def make_dirty(out: Path, drops: list[date]) -> None:
    """Odd header case and spacing, reordered columns, an extra column, unreadable rows."""
    last = out / drops[-1].isoformat()
    second = out / drops[1].isoformat()
    for folder, name, transform in (
        (second, "support_tickets.csv", _odd_header),
        (second, "nps_responses.csv", _reordered),
        (last, "accounts.csv", _extra_column),
    ):
        if (folder / name).is_file():
            _rewrite(folder / name, transform)
    usage = last / "product_usage_daily.csv"
    if usage.is_file():
        with usage.open("a", encoding="utf-8", newline="") as handle:
            # Quarantined by the loader: an impossible date and a non-numeric count.
            handle.write("acc-000001,2026-02-30,1,1,1\n")
            handle.write("acc-000002,2026-10-01,one,1,1\n")
