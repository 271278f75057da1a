"""Nothing lost: per export file and drop, every row read was loaded or quarantined.

The `reconciliation` check of each raw asset compares the landing folder with the load
bookkeeping (raw._loads, raw._quarantine):
- every drop folder holding the file has a load record (a file never loaded is lost data);
- rows read = rows loaded + rows quarantined, and raw._quarantine holds that many rows;
- every entry of the landing folder that no asset reads (a folder not named like a drop, a file
  that is no export's, a vendor folder) is named in a warning (loading/discovery.py decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.contract import ExportFile
from orchestration.loading.discovery import Unread, export_files, not_read
from orchestration.loading.drops import scan_landing

CHECK_NAME = "reconciliation"


@dataclass(frozen=True)
class FileBalance:
    drop_date: str
    source_file: str
    rows_read: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    in_quarantine_table: int

    @property
    def problem(self) -> str | None:
        if self.rows_read is None:
            return "in the landing folder but never loaded"
        if self.rows_read != self.rows_loaded + self.rows_quarantined:
            return (
                f"read {self.rows_read} <> loaded {self.rows_loaded} + quarantined "
                f"{self.rows_quarantined}"
            )
        if self.rows_quarantined != self.in_quarantine_table:
            return (
                f"{self.rows_quarantined} quarantined but raw._quarantine holds "
                f"{self.in_quarantine_table}"
            )
        return None


def file_balances(connection, export: ExportFile, landing_dir: Path) -> list[FileBalance]:
    """One balance per drop that holds the export's file or has a load record of it."""
    recorded = {
        str(row[0]): row[1:]
        for row in connection.execute(
            """
            select loads.drop_date, loads.source_file, loads.rows_read, loads.rows_loaded,
                   loads.rows_quarantined,
                   (select count(*) from raw._quarantine as q
                    where q.export = loads.export and q.drop_date = loads.drop_date)
            from raw._loads as loads
            where loads.export = ?
            """,
            [export.name],
        ).fetchall()
    }
    on_disk = {  # drop date -> the file feeding the export (the first of a conflicting pair)
        str(drop.drop_date): files[0].name
        for drop in scan_landing(landing_dir).drops
        if (files := export_files(drop, export))
    }
    balances = [FileBalance(day, *recorded[day]) for day in sorted(recorded)]
    balances += [
        FileBalance(day, on_disk[day], None, None, None, 0)
        for day in sorted(on_disk.keys() - recorded.keys())
    ]
    return sorted(balances, key=lambda balance: balance.drop_date)


def _table(balances: list[FileBalance]) -> str:
    lines = ["| drop | file | read | loaded | quarantined | status |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {b.drop_date} | {b.source_file} | {b.rows_read} | {b.rows_loaded} | "
        f"{b.rows_quarantined} | {b.problem or 'balanced'} |"
        for b in balances
    ]
    return "\n".join(lines)


def reconcile(connection, export: ExportFile, landing_dir: Path) -> dg.AssetCheckResult:
    """The reconciliation check of one export against the landing folder."""
    balances = file_balances(connection, export, landing_dir)
    return reconciliation_result(export, balances, not_read(landing_dir, scan_landing(landing_dir)))


def reconciliation_result(
    export: ExportFile, balances: list[FileBalance], unread: list[Unread]
) -> dg.AssetCheckResult:
    """Fails (blocking) on any unbalanced or unloaded file; what is not read only warns."""
    problems = [f"{b.source_file} drop {b.drop_date}: {b.problem}" for b in balances if b.problem]
    warnings = [entry.line for entry in unread]
    lines = problems + warnings or [
        f"{len(balances)} drop(s) of {export.file_name}: every row read was loaded or quarantined"
    ]
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR if problems else dg.AssetCheckSeverity.WARN,
        description="; ".join(lines)[:2000],
        metadata={
            "drops": len(balances),
            "rows_read": sum(b.rows_read or 0 for b in balances),
            "rows_loaded": sum(b.rows_loaded or 0 for b in balances),
            "rows_quarantined": sum(b.rows_quarantined or 0 for b in balances),
            "errors": len(problems),
            "warnings": len(warnings),
            "not_read": dg.MetadataValue.json(
                [{"path": entry.path, "reason": entry.reason} for entry in unread]
            ),
            "balances": dg.MetadataValue.md(_table(balances)),
        },
    )
