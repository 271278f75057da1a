"""Loading export drops into `raw.<export>`: latest drop wins per primary key, nothing lost.

Exports that keep versions (contract `keeps_versions`) also append every row of each drop to
`raw.<export>__versions`, the attribute history the segment marts read.

An export's rows in a drop come from its contract file or from a vendor folder's tables
(vendor_load.py), never both (except where the vendor's conversion takes the file as given:
fx_rates, the file wins). Each (export, drop) is applied in one transaction together with its
rows in `raw._loads` (one per file), so a drop is either fully loaded and logged or not at
all, and a logged drop is never read again. Every row read ends up in `raw.<export>`, in
`raw._quarantine` with its line and reason, or (a vendor mapping rule) in `raw._skipped`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import duckdb

from orchestration.contract import ExportFile
from orchestration.loading.csv_file import ExportFileError, FileLayout, read_layout, utf8_copy
from orchestration.loading.discovery import ExportSources, export_sources
from orchestration.loading.drops import Drop
from orchestration.loading.merge import MergeRows, merge_latest
from orchestration.loading.metadata_tables import (
    DropLoad,
    ensure_export_table,
    ensure_metadata_tables,
    loaded_drop_dates,
    record_load,
)
from orchestration.loading.staging import stage_rows
from orchestration.loading.vendor_load import (
    DEFAULT_LOADING,
    GIVEN_TABLE,
    VendorLoading,
    apply_conversion,
    convert_folder,
)
from orchestration.sql import identifier


def pending_sources(
    connection, export: ExportFile, drops: tuple[Drop, ...], loading: VendorLoading
) -> list[tuple[Drop, ExportSources]]:
    """The drops not loaded yet that hold something feeding the export, with what feeds it."""
    done = loaded_drop_dates(connection, export.name)
    pending = []
    for drop in drops:
        if drop.drop_date in done:
            continue
        found = export_sources(drop, export, loading.sources)
        if found:
            _check_one_source(drop, export, found)
            pending.append((drop, found))
    return pending


def _check_one_source(drop: Drop, export: ExportFile, found: ExportSources) -> None:
    files = [path.name for path in found.files]
    vendors = [", ".join(folder.source_files(export.name)) for folder in found.folders]
    fx_like = len(files) == 1 and all(f.takes_given(export.name) for f in found.folders)
    if len(files) + len(vendors) > 1 and not (fx_like and len(vendors) <= 1):
        names = " and ".join(files + vendors)
        raise ExportFileError(
            drop.path,
            f"{names} both feed {export.name}: keep one of them in the drop"
            + (" (or leave it out of the vendor's exports in sources.yml)" if vendors else ""),
        )


def load_export(
    connection,
    export: ExportFile,
    drops: tuple[Drop, ...],
    encoding: str,
    on_progress: Callable[[DropLoad], None] = lambda _: None,
    loading: VendorLoading = DEFAULT_LOADING,
) -> list[DropLoad]:
    """Load every pending drop of one export in date order."""
    ensure_metadata_tables(connection)
    ensure_export_table(connection, export, ())  # dbt sources exist even before a first drop
    results = []
    for drop, found in pending_sources(connection, export, drops, loading):
        for result in load_drop(connection, export, drop, found, encoding, loading):
            on_progress(result)
            results.append(result)
    return results


def load_drop(
    connection,
    export: ExportFile,
    drop: Drop,
    found: ExportSources,
    encoding: str,
    loading: VendorLoading = DEFAULT_LOADING,
) -> list[DropLoad]:
    """Load what feeds `export` in `drop` (its contract file, or a vendor folder, or for a
    conversion that takes the file as given both) in one transaction; one DropLoad per file."""
    folder = found.folders[0] if found.folders else None  # more than one is a conflict
    with ExitStack() as stack:
        layout = given = ledgers = None
        # Parse into temp tables first, outside the transaction: temp tables are private to
        # this connection, and only committed rowids follow the file's record order (the
        # vendor tables are read the same way, so their conversion runs here too).
        if found.files:
            path = found.files[0]
            layout = read_layout(path, export, encoding)
            readable = stack.enter_context(utf8_copy(path, encoding))
            _stage(connection, readable, path, layout, export)
            _rank_staged(connection, export, layout)
            if folder and folder.takes_given(export.name):
                given = _given_table(connection, export, layout, path.name)
        if folder:
            ledgers = convert_folder(connection, export, drop, folder, loading, given)
        connection.execute("begin transaction")
        try:
            ensure_export_table(connection, export, layout.extra_columns if layout else ())
            loads = []
            if layout:
                loads.append(
                    _apply_staged(connection, export, drop, found.files[0].name, encoding, layout)
                )
            if folder:
                loads += apply_conversion(connection, export, drop, ledgers)
            connection.execute("commit")
        except BaseException:
            connection.execute("rollback")
            raise
    return loads


def _stage(connection, readable: Path, path: Path, layout: FileLayout, export: ExportFile) -> None:
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


def _rank_staged(connection, export: ExportFile, layout: FileLayout) -> None:
    """`csa_ranked`: the staged rows, `_rank` 1 for the row each key loads; NULL for a row
    without a complete primary key, above 1 for earlier duplicates of a key within the file
    (the last line of the file wins, as a later drop would)."""
    staged_key = [identifier(layout.staged(column)) for column in export.primary_key]
    key_null = " or ".join(f"{staged} is null" for staged in staged_key)
    partition = ", ".join(staged_key)
    (key_problems,) = connection.execute(
        f"select count(*) filter (where {key_null}) + count(*) - count(distinct ({partition})) "
        "from csa_staged"
    ).fetchone()
    (rejected,) = connection.execute("select count(*) from csa_rejects").fetchone()
    if not (key_problems or rejected):
        # Keys complete and unique, no rejected record (the usual case): every row ranks 1,
        # its line is its rowid's, and the merge reads the parsed rows through a view (usage
        # at `large`: two copies of 26.7 M rows, about 8 CPU s, no longer made).
        connection.execute(
            "create or replace temp view csa_ranked as "
            "select *, 1 as _rank, _source_line as _winning_line from csa_staged"
        )
        return
    # The lines after rejected records and the ranks are computed once, not per use.
    ranks = (
        f"""case when {key_null} then null else
            row_number() over (partition by {partition} order by _source_line desc) end as _rank,
            max(_source_line) over (partition by {partition}) as _winning_line"""
        if key_problems
        else "1 as _rank, _source_line as _winning_line"
    )
    connection.execute(
        f"create or replace temp table csa_key_ranks as select *, {ranks} from csa_staged"
    )
    connection.execute("create or replace temp view csa_ranked as select * from csa_key_ranks")


def _given_table(connection, export: ExportFile, layout: FileLayout, file_name: str) -> str:
    """The contract file's rows to load under their contract names, for a vendor conversion
    that takes them as given (the file wins over the vendor's rows of the same key)."""
    columns = ", ".join(
        f"{identifier(layout.staged(name))} as {identifier(name)}" for name in export.column_names
    )
    connection.execute(
        f"create or replace temp table {GIVEN_TABLE} as "
        f"select {columns}, ? as _source_file, _source_line from csa_ranked where _rank = 1",
        [file_name],
    )
    return GIVEN_TABLE


def _apply_staged(
    connection, export: ExportFile, drop: Drop, file_name: str, encoding: str, layout: FileLayout
) -> DropLoad:
    """Merge `csa_ranked` into raw.<export> (positional columns to their raw names)."""
    key_names = ", ".join(export.primary_key)
    staged_key = [identifier(layout.staged(column)) for column in export.primary_key]
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
    # Rows without a complete primary key, and earlier duplicates of a key within this file.
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
    rows = MergeRows(
        "csa_ranked",
        f"{staged}, cast(? as date), ?, _source_line",
        (drop.drop_date, file_name),
        tuple(staged_key),
        "_rank = 1",
    )
    merge_latest(connection, export, drop.drop_date, rows, layout.columns)
    read, loaded, quarantined = connection.execute(
        """select
            (select count(*) from csa_staged) + (select count(*) from csa_rejects),
            (select count(*) from csa_ranked where _rank = 1),
            (select count(*) from raw._quarantine
             where export = ? and drop_date = ? and source_file = ?)
        """,
        origin,
    ).fetchone()
    load = DropLoad(
        export.name,
        drop.drop_date.isoformat(),
        file_name,
        encoding,
        read,
        loaded,
        quarantined,
        extra_columns=layout.extra_columns,
    )
    record_load(connection, load)
    return load
