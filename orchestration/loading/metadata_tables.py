"""The raw schema's bookkeeping: export tables, the load log, the quarantine, the records a
vendor mapping rule skipped, the vendor conversions' warnings and the gates' last passes."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from orchestration.contract import ExportFile
from orchestration.sql import identifier, qualified

LINEAGE_COLUMNS = ("_drop_date", "_source_file", "_source_line", "_loaded_at")

_METADATA_DDL = (
    "create schema if not exists raw",
    """create table if not exists raw._loads (
        export varchar not null,
        drop_date date not null,
        source_file varchar not null,
        encoding varchar not null,
        rows_read bigint not null,
        rows_loaded bigint not null,
        rows_quarantined bigint not null,
        extra_columns varchar[],
        loaded_at timestamptz not null
    )""",
    # Records a vendor mapping rule leaves out on purpose (a draft invoice); contract files
    # skip none. read = loaded + quarantined + skipped per file.
    "alter table raw._loads add column if not exists rows_skipped bigint default 0",
    """create table if not exists raw._skipped (
        export varchar not null,
        drop_date date not null,
        source_file varchar not null,
        line bigint,
        columns varchar,
        reason varchar not null,
        skipped_at timestamptz not null
    )""",
    # Findings of a vendor conversion on records loaded or not (an item on a metered price,
    # left out of MRR), with the vendor file and record.
    """create table if not exists raw._warnings (
        export varchar not null,
        drop_date date not null,
        source_file varchar not null,
        line bigint,
        columns varchar,
        message varchar not null,
        warned_at timestamptz not null
    )""",
    """create table if not exists raw._quarantine (
        export varchar not null,
        drop_date date not null,
        source_file varchar not null,
        line bigint,
        columns varchar,
        error_type varchar not null,
        reason varchar not null,
        raw_text varchar,
        quarantined_at timestamptz not null
    )""",
    # Where each raw gate last passed (orchestration/checks/gate_passes.py).
    """create table if not exists raw._gate_passes (
        export varchar not null,
        suite varchar not null,
        validated_through timestamptz not null,
        passed_at timestamptz not null
    )""",
)


def ensure_metadata_tables(connection) -> None:
    for statement in _METADATA_DDL:
        connection.execute(statement)


def ensure_export_table(connection, export: ExportFile, extra_columns: tuple[str, ...]) -> None:
    """Create `raw.<export>` (and its version history, `raw.<export>__versions`, for exports
    that keep versions) from the contract; extra columns of a file are added as VARCHAR,
    named exactly as the file's header."""
    columns = ", ".join(f"{identifier(c.name)} {c.type.value}" for c in export.columns)
    connection.execute(
        f"""create table if not exists {qualified("raw", export.name)} ({columns},
            _drop_date date not null, _source_file varchar not null,
            _source_line bigint not null, _loaded_at timestamptz not null)"""
    )
    tables = [export.name]
    if export.keeps_versions:
        # Same columns as raw.<export>; a warehouse loaded before the history existed starts
        # it with the versions raw.<export> holds (each the latest of its key at its drop).
        connection.execute(
            f"create table if not exists {qualified('raw', export.versions_table)} as "
            f"select * from {qualified('raw', export.name)}"
        )
        tables.append(export.versions_table)
    for table in tables:
        existing = {
            _duckdb_identity(row[0])
            for row in connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'raw' and table_name = ?",
                [table],
            ).fetchall()
        }
        for name in extra_columns:
            if _duckdb_identity(name) not in existing:
                connection.execute(
                    f"alter table {qualified('raw', table)} add column {identifier(name)} varchar"
                )


def _duckdb_identity(name: str) -> str:
    # DuckDB matches identifiers ignoring ASCII case only ("Segment" is "segment", "É" is
    # not "é"), so a column added as "Segment" by one drop receives "segment" of the next.
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True)
class DropLoad:
    """What one file of one drop of one export did: its row in raw._loads."""

    export: str
    drop_date: str  # ISO date
    source_file: str  # `plans.csv`, or a vendor table as `stripe/prices.csv`
    encoding: str  # `parquet` for a Parquet vendor table
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_skipped: int = 0  # by a vendor mapping rule (raw._skipped); contract files skip none
    extra_columns: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # a vendor conversion's findings, with file and record


def record_load(connection, load: DropLoad) -> None:
    connection.execute(
        """insert into raw._loads (export, drop_date, source_file, encoding, rows_read,
            rows_loaded, rows_quarantined, extra_columns, loaded_at, rows_skipped)
        values (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)""",
        [
            load.export,
            date.fromisoformat(load.drop_date),
            load.source_file,
            load.encoding,
            load.rows_read,
            load.rows_loaded,
            load.rows_quarantined,
            list(load.extra_columns),
            load.rows_skipped,
        ],
    )


def loaded_drop_dates(connection, export_name: str) -> set[date]:
    rows = connection.execute(
        "select drop_date from raw._loads where export = ?", [export_name]
    ).fetchall()
    return {row[0] for row in rows}


def any_load(connection) -> bool:
    """Whether any drop of any export was ever loaded into this warehouse."""
    ensure_metadata_tables(connection)
    return connection.execute("select exists (select 1 from raw._loads)").fetchone()[0]
