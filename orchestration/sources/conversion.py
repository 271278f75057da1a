"""Running one vendor conversion for one export and drop, with its bookkeeping.

A conversion reads the vendor's tables (`v_<table>`, tables.py) and fills four temporary
tables, which the loader then applies like a contract file's rows:
- `csa_vendor_rows`: the export's contract columns plus `_source_file`, `_source_line`
  (the vendor file and record each row comes from);
- `csa_used (source_file, line)`: the records that went into those rows; or, where a
  conversion knows them to be distinct and in no other of these tables (one row per
  record of a large events table), only their number in `csa_used_count (source_file,
  lines)`;
- `csa_ledger (source_file, line, outcome, columns, error_type, reason, raw_text)`: the records
  not loaded, `quarantined` (something is wrong with them) or `skipped` (by a mapping rule,
  e.g. a draft invoice), with the reason;
- `csa_warnings (source_file, line, columns, message)`: findings on records, loaded or not
  (e.g. an item on a metered price, left out of MRR).
Every record of a file the export owns is then used, quarantined or skipped exactly once: the
reconciliation check proves read = loaded + quarantined + skipped per file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from orchestration.contract import ExportFile
from orchestration.sources.discovery import VendorFolder
from orchestration.sources.statements import run
from orchestration.sources.tables import TableRead, read_table
from orchestration.sources.vendor import SourceOptions, Vendor
from orchestration.sql import identifier

BOOKKEEPING_DDL = (
    # A value quoted in a message, as 'it''s' (messages are data, never SQL).
    "create or replace temp macro csa_quote(text) as chr(39) || replace(text, chr(39), "
    "chr(39) || chr(39)) || chr(39)",
    "create or replace temp table csa_used (source_file varchar, line bigint)",
    "create or replace temp table csa_used_count (source_file varchar, lines bigint)",
    """create or replace temp table csa_ledger (source_file varchar, line bigint,
        outcome varchar, columns varchar, error_type varchar, reason varchar, raw_text varchar)""",
    """create or replace temp table csa_warnings (source_file varchar, line bigint,
        columns varchar, message varchar)""",
)


@dataclass(frozen=True)
class Conversion:
    """How one export is made from a vendor's tables."""

    reads: tuple[str, ...]  # vendor tables the SQL reads (the export's own and lookups)
    convert: Callable[[ConversionContext], None]
    # The export may also come as a contract file in the same drop: the conversion gets its
    # rows as `given` and yields only the keys the file lacks (fx_rates: the file wins).
    takes_given: bool = False


@dataclass
class ConversionContext:
    connection: object
    vendor: Vendor
    options: SourceOptions
    export: ExportFile
    drop_date: date
    reporting_timezone: str
    reporting_currency: str
    files: dict[str, tuple[Path, ...]] = field(default_factory=dict)  # the drop's vendor tables
    # A temporary table of the export's rows from a contract file in the same drop (only
    # fx_rates may come both ways: the file wins), with `_source_file` and `_source_line`.
    given: str | None = None
    reads: dict[str, TableRead] = field(default_factory=dict)

    def has(self, table: str) -> bool:
        """Whether this drop holds the vendor table (an absent one reads as an empty table)."""
        return table in self.files


@dataclass(frozen=True)
class FileLedger:
    source_file: str
    records: int
    loaded: int
    quarantined: int
    skipped: int


def convert_drop(context: ConversionContext, conversion: Conversion) -> list[FileLedger]:
    """Read the tables, run the conversion, and keep the bookkeeping of the export's own files.

    `context.files` maps table name -> its file(s) in the vendor folder (tables missing from
    the drop read as empty). Returns one ledger per file of the export's own tables in the
    drop."""
    connection, files = context.connection, context.files
    prepare_bookkeeping(connection, context.export)
    vendor = context.vendor
    for name in conversion.reads:
        table = vendor.table(name)
        context.reads[name] = read_table(connection, table, files.get(name, ()), vendor.name)
    conversion.convert(context)
    owned = {
        source_file: records
        for table in vendor.tables_of(context.export.name)
        if table.name in context.reads
        for source_file, records in context.reads[table.name].records.items()
    }
    for table in ("csa_used", "csa_used_count", "csa_ledger", "csa_warnings"):
        connection.execute(
            f"delete from {table} where not list_contains(?, source_file)", [list(owned)]
        )
    return [file_ledger(connection, name, records) for name, records in owned.items()]


def define_reporting_day(connection, zone: str) -> None:
    """`csa_day(ts)`: the day of a timestamp in the reporting time zone (bound, not spliced)."""
    connection.execute("set variable csa_zone = ?", [zone])
    connection.execute(
        "create or replace temp macro csa_day(ts) as "
        "cast(timezone(getvariable('csa_zone'), ts) as date)"
    )


def prepare_bookkeeping(connection, export: ExportFile) -> None:
    """The four temporary tables every conversion fills, empty, for `export`."""
    for statement in BOOKKEEPING_DDL:
        connection.execute(statement)
    columns = ", ".join(f"{identifier(c.name)} {c.type.value}" for c in export.columns)
    connection.execute(
        f"create or replace temp table csa_vendor_rows ({columns}, "
        "_source_file varchar not null, _source_line bigint not null)"
    )


def file_ledger(connection, source_file: str, records: int) -> FileLedger:
    """What became of the `records` records of one file, from the bookkeeping tables."""
    loaded, quarantined, skipped = run(
        connection,
        """select
            (select count(distinct line) from csa_used where source_file = $file)
            + (select coalesce(sum(lines), 0) from csa_used_count where source_file = $file),
            (select count(distinct line) from csa_ledger
             where source_file = $file and outcome = 'quarantined'),
            (select count(distinct line) from csa_ledger
             where source_file = $file and outcome = 'skipped')""",
        file=source_file,
    ).fetchone()
    return FileLedger(source_file, records, loaded, quarantined, skipped)


def convert(
    connection,
    folder: VendorFolder,
    export: ExportFile,
    options: SourceOptions,
    drop_date: date,
    *,
    reporting_timezone: str,
    reporting_currency: str,
    given: str | None = None,
) -> list[FileLedger]:
    """Convert the vendor folder of one drop into `csa_vendor_rows` for `export`."""
    context = ConversionContext(
        connection,
        folder.vendor,
        options,
        export,
        drop_date,
        reporting_timezone,
        reporting_currency,
        files=dict(folder.files),
        given=given,
    )
    return convert_drop(context, folder.vendor.conversions[export.name])
