"""Nothing lost: per file and drop, every row read was loaded, quarantined or skipped.

The `reconciliation` check of each raw asset compares the landing folder with the load
bookkeeping (raw._loads, raw._quarantine, raw._skipped):
- every file of a drop that feeds the export (its contract file, or the vendor tables the
  export owns, `stripe/invoices.csv`) has a load record (a file never loaded is lost data);
- rows read = rows loaded + rows quarantined + rows skipped (a vendor mapping rule, e.g. a
  draft invoice), and raw._quarantine and raw._skipped hold that many rows of the file;
- every entry of the landing folder that no asset reads (a folder not named like a drop, a file
  that is no export's, a vendor folder no source reads) is named in a warning
  (loading/discovery.py decides), and so is every warning of a vendor conversion.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from orchestration.contract import ExportFile
from orchestration.loading.discovery import Unread, export_sources, not_read
from orchestration.loading.drops import scan_landing
from orchestration.sources.configuration import DEFAULT_SOURCES, SourcesConfig

CHECK_NAME = "reconciliation"


@dataclass(frozen=True)
class FileBalance:
    drop_date: str
    source_file: str
    rows_read: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    in_quarantine_table: int
    rows_skipped: int | None = 0
    in_skipped_table: int = 0

    @property
    def problem(self) -> str | None:
        if self.rows_read is None:
            return "in the landing folder but never loaded"
        if self.rows_read != self.rows_loaded + self.rows_quarantined + self.rows_skipped:
            skipped = f" + skipped {self.rows_skipped}" if self.rows_skipped else ""
            return (
                f"read {self.rows_read} <> loaded {self.rows_loaded} + quarantined "
                f"{self.rows_quarantined}{skipped}"
            )
        if self.rows_quarantined != self.in_quarantine_table:
            return (
                f"{self.rows_quarantined} quarantined but raw._quarantine holds "
                f"{self.in_quarantine_table}"
            )
        if self.rows_skipped != self.in_skipped_table:
            return f"{self.rows_skipped} skipped but raw._skipped holds {self.in_skipped_table}"
        return None


def file_balances(
    connection, export: ExportFile, landing_dir: Path, sources: SourcesConfig = DEFAULT_SOURCES
) -> list[FileBalance]:
    """One balance per drop and file that feeds the export or has a load record of it."""
    recorded = {
        (str(row[0]), row[1]): row
        for row in connection.execute(
            """
            select loads.drop_date, loads.source_file, loads.rows_read, loads.rows_loaded,
                   loads.rows_quarantined,
                   (select count(*) from raw._quarantine as q
                    where q.export = loads.export and q.drop_date = loads.drop_date
                      and q.source_file = loads.source_file),
                   loads.rows_skipped,
                   (select count(*) from raw._skipped as s
                    where s.export = loads.export and s.drop_date = loads.drop_date
                      and s.source_file = loads.source_file)
            from raw._loads as loads
            where loads.export = ?
            """,
            [export.name],
        ).fetchall()
    }
    on_disk = {  # (drop date, file) feeding the export
        (str(drop.drop_date), name)
        for drop in scan_landing(landing_dir).drops
        for name in export_sources(drop, export, sources).source_files(export.name)
    }
    balances = [
        FileBalance(day, name, *row[2:6], row[6] or 0, row[7])
        for (day, name), row in recorded.items()
    ]
    balances += [
        FileBalance(day, name, None, None, None, 0) for day, name in on_disk - recorded.keys()
    ]
    return sorted(balances, key=lambda balance: (balance.drop_date, balance.source_file))


def _table(balances: list[FileBalance]) -> str:
    lines = [
        "| drop | file | read | loaded | quarantined | skipped | status |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {b.drop_date} | {b.source_file} | {b.rows_read} | {b.rows_loaded} | "
        f"{b.rows_quarantined} | {b.rows_skipped} | {b.problem or 'balanced'} |"
        for b in balances
    ]
    return "\n".join(lines)


def source_warnings(connection, export: ExportFile) -> list[str]:
    """The vendor conversions' warnings on this export's files, with drop, file and record."""
    return [
        f"{source_file} drop {day} record {line}: {message}"
        for day, source_file, line, message in connection.execute(
            """select drop_date, source_file, line, message from raw._warnings
            where export = ? order by drop_date, source_file, line""",
            [export.name],
        ).fetchall()
    ]


def reconcile(
    connection, export: ExportFile, landing_dir: Path, sources: SourcesConfig = DEFAULT_SOURCES
) -> dg.AssetCheckResult:
    """The reconciliation check of one export against the landing folder."""
    balances = file_balances(connection, export, landing_dir, sources)
    unread = not_read(landing_dir, scan_landing(landing_dir), sources)
    return reconciliation_result(export, balances, unread, source_warnings(connection, export))


def reconciliation_result(
    export: ExportFile,
    balances: list[FileBalance],
    unread: list[Unread],
    conversion_warnings: list[str] = (),
) -> dg.AssetCheckResult:
    """Fails (blocking) on any unbalanced or unloaded file; what is not read only warns."""
    problems = [f"{b.source_file} drop {b.drop_date}: {b.problem}" for b in balances if b.problem]
    warnings = [entry.line for entry in unread] + list(conversion_warnings)
    lines = problems + warnings or [
        f"{len(balances)} file(s) of {export.name}: every row read was loaded, quarantined "
        "or skipped"
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
            "rows_skipped": sum(b.rows_skipped or 0 for b in balances),
            "errors": len(problems),
            "warnings": len(warnings),
            "not_read": dg.MetadataValue.json(
                [{"path": entry.path, "reason": entry.reason} for entry in unread]
            ),
            "balances": dg.MetadataValue.md(_table(balances)),
        },
    )
