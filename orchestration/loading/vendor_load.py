"""Loading an export from a vendor folder of a drop: the vendor's conversion (SQL over its
tables, orchestration/sources) yields the export's contract rows, merged into `raw.<export>`
exactly as a contract file's rows are (latest drop wins, lineage to the vendor file and
record), with the bookkeeping per vendor file: `raw._loads` (read, loaded, quarantined,
skipped), `raw._quarantine`, `raw._skipped` and `raw._warnings`.

This is the one place the loader meets the sources: any folder the sources' configuration
reads (a built-in vendor, or a declared mapping: orchestration/sources/folders.py) is loaded
through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from orchestration.config import Settings
from orchestration.contract import ExportFile
from orchestration.loading.drops import Drop
from orchestration.loading.merge import MergeRows, merge_latest
from orchestration.loading.metadata_tables import DropLoad, record_load
from orchestration.sources.configuration import DEFAULT_SOURCES, SourcesConfig, load_sources
from orchestration.sources.conversion import FileLedger
from orchestration.sources.folders import ConversionSettings, FolderSource
from orchestration.sources.tables import PARQUET_SUFFIXES, VendorFileError
from orchestration.sql import identifier

# The contract file's rows of the same export and drop, for conversions that take them.
GIVEN_TABLE = "csa_given"


def _default(name: str) -> str:
    return Settings.model_fields[name].default


DEFAULT_CONVERSION = ConversionSettings(
    _default("reporting_timezone"), _default("reporting_currency"), _default("source_timezone")
)


@dataclass(frozen=True)
class VendorLoading:
    """The sources' configuration and what a conversion needs besides its files."""

    sources: SourcesConfig = DEFAULT_SOURCES
    conversion: ConversionSettings = DEFAULT_CONVERSION

    @classmethod
    def from_settings(cls, settings: Settings) -> VendorLoading:
        """The configured loading; sources.yml is validated here (SourcesFileError)."""
        return cls(
            load_sources(settings.sources_path),
            ConversionSettings(
                settings.reporting_timezone,
                settings.reporting_currency,
                settings.source_timezone,
            ),
        )


DEFAULT_LOADING = VendorLoading()


def convert_folder(
    connection,
    export: ExportFile,
    drop: Drop,
    folder: FolderSource,
    loading: VendorLoading,
    given: str | None = None,
) -> list[FileLedger]:
    """Run the folder's conversion of `export` into the temporary tables of conversion.py,
    outside any transaction (record numbers follow the files' record order only there).
    Returns one ledger per vendor file the export reads."""
    ledgers = folder.convert(connection, export, drop.drop_date, loading.conversion, given)
    _check_keys(connection, export, folder)
    return ledgers


def apply_conversion(
    connection, export: ExportFile, drop: Drop, ledgers: list[FileLedger]
) -> list[DropLoad]:
    """Merge the converted rows into raw.<export> and keep the bookkeeping, inside the
    caller's transaction. Returns one DropLoad per vendor file the export owns."""
    columns = ", ".join(identifier(name) for name in export.column_names)
    rows = MergeRows(
        "csa_vendor_rows",
        f"{columns}, cast(? as date), _source_file, _source_line",
        (drop.drop_date,),
        tuple(identifier(column) for column in export.primary_key),
    )
    merge_latest(connection, export, drop.drop_date, rows, export.column_names)
    _keep_ledger(connection, export.name, drop.drop_date)
    loads = [_drop_load(connection, export, drop, ledger) for ledger in ledgers]
    for load in loads:
        record_load(connection, load)
    return loads


def _drop_load(connection, export: ExportFile, drop: Drop, ledger: FileLedger) -> DropLoad:
    parquet = ledger.source_file.lower().endswith(PARQUET_SUFFIXES)
    return DropLoad(
        export.name,
        drop.drop_date.isoformat(),
        ledger.source_file,
        "parquet" if parquet else "utf-8",
        ledger.records,
        ledger.loaded,
        ledger.quarantined,
        ledger.skipped,
        warnings=_warnings(connection, ledger.source_file),
    )


def _check_keys(connection, export: ExportFile, folder: FolderSource) -> None:
    """A conversion yields each key once and never an empty one; anything else is a fault of
    the conversion, named with the records it came from."""
    key = ", ".join(identifier(column) for column in export.primary_key)
    empty = " or ".join(f"{identifier(column)} is null" for column in export.primary_key)
    clash = connection.execute(
        f"""select string_agg(_source_file || ' record ' || _source_line, ', ')
        from csa_vendor_rows
        where {empty} or ({key}) in (
            select ({key}) from csa_vendor_rows group by all having count(*) > 1)"""
    ).fetchone()[0]
    if clash:
        raise VendorFileError(
            folder.path,
            f"the {folder.path.name} conversion of {export.name} gave an empty or repeated "
            f"primary key ({', '.join(export.primary_key)}) from {clash[:500]}",
        )


def _keep_ledger(connection, export: str, drop_date: date) -> None:
    """The conversion's ledger and warnings into raw._quarantine, raw._skipped, raw._warnings
    (one row per record and outcome)."""
    connection.execute(
        """insert into raw._quarantine
        select ?, ?, source_file, line, string_agg(distinct columns, ', '),
               string_agg(distinct error_type, ', '), string_agg(reason, '; '),
               any_value(raw_text), current_timestamp
        from csa_ledger where outcome = 'quarantined' group by source_file, line""",
        [export, drop_date],
    )
    connection.execute(
        """insert into raw._skipped
        select ?, ?, source_file, line, string_agg(distinct columns, ', '),
               string_agg(reason, '; '), current_timestamp
        from csa_ledger where outcome = 'skipped' group by source_file, line""",
        [export, drop_date],
    )
    connection.execute(
        """insert into raw._warnings
        select ?, ?, source_file, line, columns, message, current_timestamp from csa_warnings""",
        [export, drop_date],
    )


def _warnings(connection, source_file: str) -> tuple[str, ...]:
    rows = connection.execute(
        "select line, message from csa_warnings where source_file = ? order by line, message",
        [source_file],
    ).fetchall()
    return tuple(f"{source_file} record {line}: {message}" for line, message in rows)
