"""Reading one vendor table file into DuckDB: typed columns, record numbers, nothing lost.

`<vendor>/<table>.csv` (or `.csv.gz`) is read with every field as text, by position, so no
header text reaches SQL; `<table>.parquet` is read with its own types; a table of NDJSON
files (`files` pattern) is read file by file, each column the text of its top-level key
(`ndjson.py`). Each record keeps its file and number (`_line`: the CSV record number with the
header as 1, the Parquet row number from 1, or the NDJSON line). A record the CSV reader
cannot follow, a line that is no JSON object, a field that is not of its column's kind, an
empty key, and the earlier records of a key repeated in the table go to the ledger as
quarantined (or skipped, for duplicates that are expected); the rest land in the temporary
table `v_<table>` that the conversions read.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from orchestration.sources import ndjson, parsing
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
    # Every record of each file, readable or not, by the file's name as lineage gives it
    # (`<vendor>/<file name>`); empty when the drop has no such file.
    records: dict[str, int]

    @property
    def relation(self) -> str:
        return table_relation(self.table)


def table_relation(table: VendorTable) -> str:
    return identifier(f"v_{table.name}")


def unreadable_relation(table: VendorTable) -> str:
    return identifier(f"v_{table.name}_unreadable")


def read_table(connection, table: VendorTable, paths: tuple[Path, ...], vendor: str) -> TableRead:
    """Load the table's file(s) `paths` (none: the drop has no such file) of the folder of
    `vendor` into `v_<table>`; returns what was read."""
    if not paths:
        _empty(connection, table)
        return TableRead(table, {})
    if table.files:
        records = _ndjson_source(connection, table, paths, vendor)
        _type_records(connection, table, "csa_ndjson_fields", _ndjson_columns(table), None)
    else:
        (path,) = paths
        source_file = f"{vendor}/{path.name}"
        if path.name.lower().endswith(PARQUET_SUFFIXES):
            source, sources = _parquet_source(connection, table, path)
            rejected = 0
        else:
            source, sources, rejected = _csv_source(connection, table, path)
        _type_records(connection, table, source, sources, source_file)
        (parsed,) = connection.execute("select count(*) from csa_read").fetchone()
        records = {source_file: parsed + rejected}
    _quarantine_keys(connection, table)
    return TableRead(table, records)


def _ndjson_columns(table: VendorTable) -> dict:
    return {c.name: (identifier(f"c{i}"), "VARCHAR") for i, c in enumerate(table.columns)}


def _ndjson_source(connection, table: VendorTable, paths: tuple[Path, ...], vendor: str) -> dict:
    """`csa_ndjson_fields`: each column as the text of its key (a JSON column: the JSON
    text; JSON null: empty), with `_source_file` and `_line`, from every file in turn."""
    fields = {f"p{i}": ndjson.field_path(c.name) for i, c in enumerate(table.columns)}
    values = ", ".join(
        (
            f"case when json_type(json_extract(record, $p{i})) <> 'NULL' "
            f"then cast(json_extract(record, $p{i}) as varchar) end"
            if column.kind is Kind.JSON
            else f"json_extract_string(record, $p{i})"
        )
        + f" as c{i}"
        for i, column in enumerate(table.columns)
    )
    connection.execute(
        "create or replace temp table csa_ndjson_fields as select "
        + ", ".join(f"cast(null as varchar) as c{i}" for i in range(len(table.columns)))
        + ", cast(null as varchar) as _source_file, cast(null as bigint) as _line limit 0"
    )
    records = {}
    for path in paths:
        source_file = f"{vendor}/{path.name}"
        ndjson.read_lines(connection, path)
        records[source_file] = ndjson.keep_objects(connection, source_file)
        run(
            connection,
            f"insert into csa_ndjson_fields select {values}, $file, _line from csa_ndjson",
            file=source_file,
            **fields,
        )
    return records


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


def _type_records(
    connection, table: VendorTable, source: str, sources: dict, name: str | None
) -> None:
    """`csa_read`: the records of `source` typed, with their problems; `name`: the one file
    they come from (None: `source` has `_source_file`)."""
    typed, problems = [], []
    for column in table.columns:
        reference, source_type = sources[column.name]
        sql_type = parsing.SQL_TYPE[column.kind]
        if reference is None:
            typed.append(f"cast(null as {sql_type}) as {identifier(column.name)}")
            continue
        value = parsing.typed(column.kind, reference, source_type)
        typed.append(f"cast({value} as {sql_type}) as {identifier(column.name)}")
        if name is None and column.required:
            # NDJSON has no header to check: a record without a required key says so.
            missing = literal(f"{column.name}: missing")
            problems.append(f"case when {reference} is null then {missing} end")
        if column.kind is Kind.TEXT:
            continue  # any text is text
        bad = parsing.unreadable(column.kind, reference, source_type)
        problems.append(
            f"case when {bad} then {parsing_label(column)} || ' ' || "
            f"csa_quote(cast({reference} as varchar)) end"
        )
    listed = ", ".join(problems)
    problem_list = f"list_filter([{listed}], lambda x: x is not null)" if problems else "[]"
    origin = "_source_file" if name is None else "cast($file as varchar) as _source_file"
    run(
        connection,
        f"create or replace temp table csa_read as select {', '.join(typed)}, "
        f"{problem_list} as _problems, {origin}, _line from {source}",
        **({} if name is None else {"file": name}),
    )
    if name is not None and source != "csa_parquet":
        run(
            connection,
            """insert into csa_ledger
            select $file, line, 'quarantined', null, 'CSV', reason, raw_text
            from csa_csv_rejects""",
            file=name,
        )
    connection.execute(
        """insert into csa_ledger
        select _source_file, _line, 'quarantined', array_to_string(list_transform(_problems,
                   lambda x: split_part(x, ':', 1)), ', '),
               'TYPE', array_to_string(_problems, '; '), null
        from csa_read where len(_problems) > 0"""
    )


def parsing_label(column: VendorColumn) -> str:
    """`'<column>: not <kind>'` as an SQL literal (the column name is the project's own)."""
    return literal(f"{column.name}: not {parsing.LABEL[column.kind]}")


def _quarantine_keys(connection, table: VendorTable) -> None:
    key = [identifier(c) for c in table.key]
    partition = ", ".join(key)
    empty = " or ".join(f"{c} is null" for c in key)
    label = ", ".join(table.key)
    # Of a repeated key the later file (by name), then the later record, wins.
    run(
        connection,
        f"""create or replace temp table csa_keyed as
        select *, case when {empty} then null else row_number() over latest end as _rank,
               first_value(_source_file) over latest as _winner_file,
               first_value(_line) over latest as _winner
        from csa_read where len(_problems) = 0
        window latest as (partition by {partition} order by _source_file desc, _line desc)""",
    )
    run(
        connection,
        """insert into csa_ledger
        select _source_file, _line,
               case when _rank is null or not $skip then 'quarantined' else 'skipped' end,
               $key, case when _rank is null or not $skip then 'KEY' else 'DUPLICATE' end,
               case when _rank is null then 'primary key (' || $key || ') is empty'
                    when _winner_file = _source_file
                    then 'duplicate primary key in the same file; record ' || _winner || ' wins'
                    else 'duplicate primary key in the drop; ' || _winner_file || ' record '
                        || _winner || ' wins'
               end, null
        from csa_keyed where _rank is null or _rank > 1""",
        key=label,
        skip=table.duplicates_skipped,
    )
    columns = ", ".join(identifier(c.name) for c in table.columns)
    connection.execute(
        f"""create or replace temp table {table_relation(table)} as
        select {columns}, _source_file, _line from csa_keyed where _rank = 1"""
    )
    # What could be read of the records with an unreadable field, for conversions that must
    # know which object such a record belonged to (an item with an unreadable change event).
    connection.execute(
        f"""create or replace temp table {unreadable_relation(table)} as
        select {columns}, _source_file, _line from csa_read where len(_problems) > 0"""
    )
