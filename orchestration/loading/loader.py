"""Loading export drops into `raw.<export>`: latest drop wins per primary key, nothing lost.

Exports that keep versions (contract `keeps_versions`) also append every row of each drop to
`raw.<export>__versions`, the attribute history the segment marts read.

Each (export, drop) is applied in one transaction together with its row in `raw._loads`, so a
drop is either fully loaded and logged or not at all, and a logged drop is never read again.
Every row read ends up in `raw.<export>` or in `raw._quarantine` with its line and reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.contract import ExportFile
from orchestration.loading.csv_file import ExportFileError, read_layout, utf8_copy
from orchestration.loading.discovery import export_files
from orchestration.loading.drops import Drop
from orchestration.loading.metadata_tables import (
    LINEAGE_COLUMNS,
    ensure_export_table,
    ensure_metadata_tables,
    loaded_drop_dates,
)
from orchestration.loading.staging import stage_rows
from orchestration.sql import identifier, qualified


@dataclass(frozen=True)
class DropLoad:
    """What one drop of one export did."""

    export: str
    drop_date: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    extra_columns: tuple[str, ...]


def pending_files(
    connection, export: ExportFile, drops: tuple[Drop, ...]
) -> list[tuple[Drop, Path]]:
    """The drops not loaded yet that hold the export's file, with that file."""
    done = loaded_drop_dates(connection, export.name)
    pending = []
    for drop in drops:
        files = export_files(drop, export)
        if drop.drop_date in done or not files:
            continue
        if len(files) > 1:
            names = " and ".join(path.name for path in files)
            raise ExportFileError(
                drop.path, f"{names} both feed {export.name}: keep one of them in the drop"
            )
        pending.append((drop, files[0]))
    return pending


def load_export(
    connection,
    export: ExportFile,
    drops: tuple[Drop, ...],
    encoding: str,
    on_progress: Callable[[DropLoad], None] = lambda _: None,
) -> list[DropLoad]:
    """Load every pending drop of one export in date order."""
    ensure_metadata_tables(connection)
    ensure_export_table(connection, export, ())  # dbt sources exist even before a first drop
    results = []
    for drop, path in pending_files(connection, export, drops):
        result = load_drop(connection, export, drop, path, encoding)
        on_progress(result)
        results.append(result)
    return results


def load_drop(connection, export: ExportFile, drop: Drop, path: Path, encoding: str) -> DropLoad:
    layout = read_layout(path, export, encoding)
    with utf8_copy(path, encoding) as readable:
        # Parse into temp tables first, outside the transaction: temp tables are private to
        # this connection, and committed rowids follow the file's record order.
        try:
            stage_rows(connection, readable, layout, export)
        except duckdb.InvalidInputException as error:
            # strict_mode stops on a file whose structure it cannot follow at all (e.g. lines
            # ending in both \n and \r\n); rows it can follow are quarantined instead.
            raise ExportFileError(
                path,
                "not readable as CSV: every line must end the same way (\\n or \\r\\n) and "
                f"quotes must be balanced. DuckDB: {str(error).splitlines()[0]}",
            ) from error
        connection.execute("begin transaction")
        try:
            ensure_export_table(connection, export, layout.extra_columns)
            counts = _apply_staged(connection, export, drop, path.name, encoding, layout)
            connection.execute("commit")
        except BaseException:
            connection.execute("rollback")
            raise
    return DropLoad(export.name, drop.drop_date.isoformat(), *counts, layout.extra_columns)


def _apply_staged(connection, export, drop, file_name, encoding, layout) -> tuple[int, int, int]:
    """Merge `csa_staged` into raw.<export> (positional columns to their raw names)."""
    table = qualified("raw", export.name)
    key_names = ", ".join(export.primary_key)
    staged_key = [identifier(layout.staged(column)) for column in export.primary_key]
    key_match = " and ".join(
        f"t.{identifier(column)} = s.{staged}"
        for column, staged in zip(export.primary_key, staged_key, strict=True)
    )
    key_null = " or ".join(f"{staged} is null" for staged in staged_key)
    partition = ", ".join(staged_key)
    origin = [export.name, drop.drop_date, file_name]  # the quarantine's first three columns

    # Rows the parser could not read.
    connection.execute(
        """insert into raw._quarantine
        select ?, ?, ?, line, column_names, error_types,
               reason || case when error_types like '%ENCODING%' then
                   ' (if this export is Shift-JIS, set CSA_SOURCE_ENCODINGS=' || ? || '=cp932)'
                   else '' end,
               raw_text, current_timestamp
        from csa_rejects""",
        [*origin, export.name],
    )
    # Rows without a complete primary key, and earlier duplicates of a key within this file
    # (the last line of the file wins, as a later drop would).
    connection.execute(
        f"""create or replace temp table csa_ranked as
        select *, case when {key_null} then null else
            row_number() over (partition by {partition} order by _source_line desc) end as _rank,
            max(_source_line) over (partition by {partition}) as _winning_line
        from csa_staged"""
    )
    connection.execute(
        """insert into raw._quarantine
        select ?, ?, ?, _source_line, ?, 'KEY',
            case when _rank is null then 'primary key (' || ? || ') is empty'
                 else 'duplicate primary key in the same file; line ' || _winning_line || ' wins'
            end,
            null, current_timestamp
        from csa_ranked where _rank is null or _rank > 1""",
        [*origin, key_names, key_names],
    )
    staged = ", ".join(identifier(name) for name in layout.staged_columns)
    connection.execute(
        f"""create or replace temp table csa_latest as
        select {staged}, ?::date as _drop_date, ? as _source_file, _source_line
        from csa_ranked where _rank = 1""",
        [drop.drop_date, file_name],
    )
    # Latest drop wins: replace older versions, and never overwrite a version from a later drop
    # (a drop that arrives late is applied only where it is the newest).
    connection.execute(
        f"delete from {table} as t using csa_latest as s where {key_match} and t._drop_date <= ?",
        [drop.drop_date],
    )
    target = ", ".join(identifier(name) for name in (*layout.columns, *LINEAGE_COLUMNS))
    connection.execute(
        f"""insert into {table} ({target})
        select s.*, current_timestamp from csa_latest as s
        where not exists (select 1 from {table} as t where {key_match})"""
    )
    if export.keeps_versions:
        # Every version this drop delivered, also where a later drop already replaced it.
        connection.execute(
            f"""insert into {qualified("raw", export.versions_table)} ({target})
            select s.*, current_timestamp from csa_latest as s"""
        )
    read, loaded, quarantined = connection.execute(
        """select
            (select count(*) from csa_staged) + (select count(*) from csa_rejects),
            (select count(*) from csa_latest),
            (select count(*) from raw._quarantine where export = ? and drop_date = ?)
        """,
        [export.name, drop.drop_date],
    ).fetchone()
    connection.execute(
        "insert into raw._loads values (?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
        [
            export.name,
            drop.drop_date,
            file_name,
            encoding,
            read,
            loaded,
            quarantined,
            list(layout.extra_columns),
        ],
    )
    return read, loaded, quarantined
