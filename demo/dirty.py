"""Deliberately dirty exports, only of kinds the pipeline handles without stopping.

Header names in odd case with spaces, columns in another order, an unknown extra column and
a byte-order mark are all accepted by the loader (raw-exports.md); a few unreadable rows (an
impossible date, a non-numeric count, an unparseable timestamp) go to quarantine. Nothing here
breaks a blocking business rule: no unknown references, no duplicate keys, no bad amounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from orchestration.contract import EXPORTS_BY_NAME

if TYPE_CHECKING:
    from demo.writer import DropFiles


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


def _later(drops: int, wanted: int) -> int:
    """Drop `wanted` (0-based), or the last one when there are fewer drops."""
    return min(wanted, drops - 1)


def _standard(export: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    names = EXPORTS_BY_NAME[export].column_names
    return tuple(range(len(names))), names


def _odd_case(name: str, position: int) -> str:
    spellings = (f" {name.title()}", f"{name.upper()} ", f"  {name}", name.title())
    return spellings[position % len(spellings)]


def dirty_layouts(drops: int, encodings: dict[str, str]) -> dict[tuple[str, int], Layout]:
    """Which file of which drop is written with which deviation from the contract layout."""
    layouts = {}
    order, names = _standard("support_tickets")
    odd = tuple(_odd_case(name, position) for position, name in enumerate(names))
    layouts[("support_tickets", _later(drops, 1))] = Layout(order, odd)
    order, names = _standard("nps_responses")
    layouts[("nps_responses", _later(drops, 2))] = Layout(order[::-1], names[::-1])
    order, names = _standard("accounts")
    layouts[("accounts", _later(drops, 3))] = Layout(order, names, extra=("segment", "direct"))
    if encodings.get("cs_activities", "utf-8") == "utf-8":
        order, names = _standard("cs_activities")
        layouts[("cs_activities", _later(drops, 1))] = Layout(order, names, bom=True)
    return layouts


def write_unreadable_rows(files: DropFiles, account_id: str, created: date) -> None:
    """Rows the loader quarantines; `account_id` exists and had no usage before `created`."""
    drops = files.config.drop_dates()
    last = len(drops) - 1
    year = drops[last].year
    before = (created - timedelta(days=1)).isoformat()
    usage = (
        (account_id, f"{year}-02-30", "3", "5", "12"),  # no such day
        (account_id, before, "n/a", "2", "4"),  # not an integer
    )
    for row in usage:
        files.append_fields("product_usage_daily", last, list(row))
    drop = _later(len(drops), 1)
    opened = drops[drop].strftime("%d/%m/%Y 10:00")  # not ISO 8601
    ticket = ("tk-unreadable-0001", account_id, "email", "normal", "billing", opened, "", "", "")
    files.append_fields("support_tickets", drop, list(ticket))
