"""Nothing lost: per export file and drop, every row read was loaded or quarantined.

The `reconciliation` check of each raw asset compares the landing folder with the load
bookkeeping (raw._loads, raw._quarantine):
- every drop folder holding the file has a load record (a file never loaded is lost data);
- rows read = rows loaded + rows quarantined, and raw._quarantine holds that many rows;
- folders whose name is not a drop date are never read: reported as a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.contract import ExportFile
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
    on_disk = {
        str(drop.drop_date)
        for drop in scan_landing(landing_dir).drops
        if (drop.path / export.file_name).is_file()
    }
    balances = [FileBalance(day, *recorded[day]) for day in sorted(recorded)]
    balances += [
        FileBalance(day, export.file_name, None, None, None, 0)
        for day in sorted(on_disk - recorded.keys())
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


def reconciliation_result(
    export: ExportFile, balances: list[FileBalance], ignored_folders: tuple[str, ...]
) -> dg.AssetCheckResult:
    """Fails (blocking) on any unbalanced or unloaded file; ignored folders only warn."""
    problems = [
        f"{export.file_name} drop {b.drop_date}: {b.problem}" for b in balances if b.problem
    ]
    warnings = [
        f"landing folder {name!r} ignored: not named YYYY-MM-DD" for name in ignored_folders
    ]
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
            "ignored_folders": dg.MetadataValue.json(list(ignored_folders)),
            "balances": dg.MetadataValue.md(_table(balances)),
        },
    )
