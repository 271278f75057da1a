"""Reading one vendor table file into DuckDB: typed columns, record numbers, nothing lost.

`<vendor>/<table>.csv` (or `.csv.gz`) is read with every field as text, by position, so no
header text reaches SQL; `<table>.parquet` is read with its own types. Each record keeps its
number (`_line`: the CSV record number with the header as 1, or the Parquet row number from
1). A record the CSV reader cannot follow, a field that is not of its column's kind, an empty
key, and the earlier records of a key repeated in the file go to the ledger as quarantined;
the rest land in the temporary table `v_<table>` that the conversions read.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from orchestration.sources import parsing
from orchestration.sources.statements import run
from orchestration.sources.vendor import Kind, VendorColumn, VendorTable
from orchestration.sql import identifier, literal

CSV_SUFFIXES = (".csv", ".csv.gz")
PARQUET_SUFFIXES = (".parquet",)
TABLE_SUFFIXES = CSV_SUFFIXES + PARQUET_SUFFIXES


class VendorFileError(ValueError):
    """A vendor file that cannot be read at all (as opposed to records that are quarantined)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class TableRead:
    table: VendorTable
    source_file: str  # as lineage names it: `<vendor>/<file name>`
    records: int  # every record of the file, readable or not

    @property
    def relation(self) -> str:
        return table_relation(self.table)


def table_relation(table: VendorTable) -> str:
    return identifier(f"v_{table.name}")


def unreadable_relation(table: VendorTable) -> str:
    return identifier(f"v_{table.name}_unreadable")


def read_table(connection, table: VendorTable, path: Path | None, source_file: str) -> TableRead:
    """Load `path` (None: the drop has no such file) into `v_<table>`; returns what was read."""
    if path is None:
        _empty(connection, table)
        return TableRead(table, source_file, 0)
    if path.name.lower().endswith(PARQUET_SUFFIXES):
        source, sources = _parquet_source(connection, table, path)
        rejected = 0
    else:
        source, sources, rejected = _csv_source(connection, table, path)
    _type_records(connection, table, source, sources, source_file)
    _quarantine_keys(connection, table, source_file)
    (parsed,) = connection.execute("select count(*) from csa_read").fetchone()
    return TableRead(table, source_file, parsed + rejected)


def _empty(connection, table: VendorTable) -> None:
    columns = ", ".join(
        f"cast(null as {parsing.SQL_TYPE[c.kind]}) as {identifier(c.name)}" for c in table.columns
    )
    for relation in (table_relation(table), unreadable_relation(table)):
        connection.execute(
            f"create or replace temp table {relation} as select {columns}, "
            "cast(null as varchar) as _source_file, cast(null as bigint) as _line limit 0"
        )


def _position(table: VendorTable, column: VendorColumn, names: list[str], path: Path) -> int | None:
    for spelling in (column.name, *column.aliases):
        if spelling in names:
            return names.index(spelling)
    if column.required:
        raise VendorFileError(
            path,
            f"missing required column {column.name} of Stripe-style table {table.name} "
            f"(header has: {', '.join(names)})",
        )
    return None


def _csv_header(path: Path) -> list[str]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (UnicodeDecodeError, OSError, csv.Error) as error:
        raise VendorFileError(path, f"header is not readable as UTF-8 CSV ({error})") from error
    if not header:
        raise VendorFileError(path, "file is empty: a header row is required")
    names = [name.strip().lower() for name in header]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise VendorFileError(path, f"duplicate column(s) in header: {', '.join(duplicates)}")
    return names


def _csv_source(connection, table: VendorTable, path: Path) -> tuple[str, dict, int]:
    names = _csv_header(path)
    positions = {c.name: _position(table, c, names, path) for c in table.columns}
    source, rejected = csv_records(connection, path, len(names))
    sources = {
        name: (identifier(f"c{position}") if position is not None else None, "VARCHAR")
        for name, position in positions.items()
    }
    return source, sources, rejected


def csv_records(connection, path: Path, width: int, delimiter: str = ",") -> tuple[str, int]:
    """Parse a UTF-8 CSV file's records after the header into positional text columns `c0`..
    (`csa_csv`) and the records the reader rejected (`csa_csv_rejects (line, reason,
    raw_text)`); returns the records' relation, with `_line`, and how many were rejected."""
    columns = {f"c{index}": "VARCHAR" for index in range(width)}
    connection.execute("drop table if exists csa_reject_errors")
    connection.execute("drop table if exists csa_reject_scans")
    connection.execute(
        "create or replace temp table csa_csv as select * from read_csv(?, header = false, "
        "skip = 1, auto_detect = false, delim = ?, quote = '\"', escape = '\"', columns = ?, "
        "strict_mode = true, store_rejects = true, "
        "rejects_table = 'csa_reject_errors', rejects_scan = 'csa_reject_scans')",
        [str(path), delimiter, columns],
    )
    # As for contract files: DuckDB numbers records (header = 1); accepted rows get theirs
    # back by skipping the rejected ones before them.
    connection.execute(
        """create or replace temp table csa_csv_rejects as
        select line, string_agg(error_message, '; ') as reason, any_value(csv_line) as raw_text,
               line - 1 - row_number() over (order by line) as accepted_before
        from csa_reject_errors group by line"""
    )
    rejected = connection.execute("select count(*) from csa_csv_rejects").fetchone()[0]
    source = """(select p.*, p.rowid + 2 + (select count(*) from csa_csv_rejects r
                 where r.accepted_before <= p.rowid) as _line from csa_csv as p)"""
    return source, rejected


def _parquet_source(connection, table: VendorTable, path: Path) -> tuple[str, dict]:
    described = connection.execute(
        "select column_name, column_type from (describe select * from read_parquet(?))",
        [str(path)],
    ).fetchall()
    types = {name.strip().lower(): (name, type_) for name, type_ in described}
    names = list(types)
    sources = {}
    for column in table.columns:
        position = _position(table, column, names, path)
        if position is None:
            sources[column.name] = (None, "VARCHAR")
        else:
            original, type_ = types[names[position]]
            sources[column.name] = (identifier(original), type_)
    connection.execute(
        "create or replace temp table csa_parquet as "
        "select *, file_row_number + 1 as _line from read_parquet(?, file_row_number = true)",
        [str(path)],
    )
    return "csa_parquet", sources


def _type_records(connection, table: VendorTable, source: str, sources: dict, name: str) -> None:
    typed, problems = [], []
    for column in table.columns:
        reference, source_type = sources[column.name]
        sql_type = parsing.SQL_TYPE[column.kind]
        if reference is None:
            typed.append(f"cast(null as {sql_type}) as {identifier(column.name)}")
            continue
        value = parsing.typed(column.kind, reference, source_type)
        typed.append(f"cast({value} as {sql_type}) as {identifier(column.name)}")
        if column.kind is Kind.TEXT:
            continue  # any text is text
        bad = parsing.unreadable(column.kind, reference, source_type)
        problems.append(
            f"case when {bad} then {parsing_label(column)} || ' ' || "
            f"csa_quote(cast({reference} as varchar)) end"
        )
    listed = ", ".join(problems)
    problem_list = f"list_filter([{listed}], lambda x: x is not null)" if problems else "[]"
    connection.execute(
        f"create or replace temp table csa_read as select {', '.join(typed)}, "
        f"{problem_list} as _problems, _line from {source}"
    )
    if source != "csa_parquet":
        run(
            connection,
            """insert into csa_ledger
            select $file, line, 'quarantined', null, 'CSV', reason, raw_text
            from csa_csv_rejects""",
            file=name,
        )
    run(
        connection,
        """insert into csa_ledger
        select $file, _line, 'quarantined', array_to_string(list_transform(_problems,
                   lambda x: split_part(x, ':', 1)), ', '),
               'TYPE', array_to_string(_problems, '; '), null
        from csa_read where len(_problems) > 0""",
        file=name,
    )


def parsing_label(column: VendorColumn) -> str:
    """`'<column>: not <kind>'` as an SQL literal (the column name is the project's own)."""
    return literal(f"{column.name}: not {parsing.LABEL[column.kind]}")


def _quarantine_keys(connection, table: VendorTable, name: str) -> None:
    key = [identifier(c) for c in table.key]
    partition = ", ".join(key)
    empty = " or ".join(f"{c} is null" for c in key)
    label = ", ".join(table.key)
    run(
        connection,
        f"""create or replace temp table csa_keyed as
        select *, case when {empty} then null else row_number() over (
                   partition by {partition} order by _line desc) end as _rank,
               max(_line) over (partition by {partition}) as _winner
        from csa_read where len(_problems) = 0""",
    )
    run(
        connection,
        """insert into csa_ledger
        select $file, _line,
               case when _rank is null or not $skip then 'quarantined' else 'skipped' end,
               $key, case when _rank is null or not $skip then 'KEY' else 'DUPLICATE' end,
               case when _rank is null then 'primary key (' || $key || ') is empty'
                    else 'duplicate primary key in the same file; record ' || _winner || ' wins'
               end, null
        from csa_keyed where _rank is null or _rank > 1""",
        file=name,
        key=label,
        skip=table.duplicates_skipped,
    )
    columns = ", ".join(identifier(c.name) for c in table.columns)
    run(
        connection,
        f"""create or replace temp table {table_relation(table)} as
        select {columns}, $file as _source_file, _line from csa_keyed where _rank = 1""",
        file=name,
    )
    # What could be read of the records with an unreadable field, for conversions that must
    # know which object such a record belonged to (an item with an unreadable change event).
    run(
        connection,
        f"""create or replace temp table {unreadable_relation(table)} as
        select {columns}, $file as _source_file, _line from csa_read where len(_problems) > 0""",
        file=name,
    )
