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


def read_relation(table: VendorTable) -> str:
    """Every parsed record of the table, typed, with `_problems`: `v_<table>` and
    `v_<table>_unreadable` are views over it, so the records are copied once."""
    return identifier(f"csa_read_{table.name}")


def repeated_relation(table: VendorTable) -> str:
    """The keys given more than once, with the record that wins (`_winner_file`, `_winner`)."""
    return identifier(f"csa_repeated_{table.name}")


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
        (parsed,) = connection.execute(f"select count(*) from {read_relation(table)}").fetchone()
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
    connection.execute(
        f"create or replace temp table {read_relation(table)} as select {columns}, "
        "cast([] as varchar[]) as _problems, cast(null as varchar) as _source_file, "
        "cast(null as bigint) as _line limit 0"
    )
    _define_views(connection, table, repeated=False)


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
    # A view, not a copy: the typing below is the one pass over the file.
    connection.execute(
        "create or replace temp view csa_parquet as select *, file_row_number + 1 as _line "
        f"from read_parquet({literal(str(path))}, file_row_number = true)"
    )
    return "csa_parquet", sources


def _type_records(
    connection, table: VendorTable, source: str, sources: dict, name: str | None
) -> None:
    """`csa_read_<table>`: the records of `source` typed, with their problems; `name`: the
    one file they come from (None: `source` has `_source_file`). Each value is typed once
    (the inner select); a field is unreadable where it has text and its typed value is
    NULL."""
    inner, typed, problems = [], [], []
    for index, column in enumerate(table.columns):
        reference, source_type = sources[column.name]
        sql_type = parsing.SQL_TYPE[column.kind]
        name_sql = identifier(column.name)
        if reference is None:
            typed.append(f"cast(null as {sql_type}) as {name_sql}")
            continue
        value = parsing.typed(column.kind, reference, source_type)
        inner.append(f"cast({value} as {sql_type}) as {name_sql}")
        typed.append(name_sql)
        given = identifier(f"_given_{index}")
        if (name is None and column.required) or column.kind is not Kind.TEXT:
            inner.append(f"{reference} as {given}")
        if name is None and column.required:
            # NDJSON has no header to check: a record without a required key says so.
            missing = literal(f"{column.name}: missing")
            problems.append(f"case when {given} is null then {missing} end")
        if column.kind is Kind.TEXT:
            continue  # any text is text
        problems.append(
            f"case when nullif(trim(cast({given} as varchar)), '') is not null "
            f"and {name_sql} is null then {parsing_label(column)} || ' ' || "
            f"csa_quote(cast({given} as varchar)) end"
        )
    listed = ", ".join(problems)
    problem_list = f"list_filter([{listed}], lambda x: x is not null)" if problems else "[]"
    inner.append("_source_file" if name is None else "cast($file as varchar) as _source_file")
    run(
        connection,
        f"create or replace temp table {read_relation(table)} as select {', '.join(typed)}, "
        f"{problem_list} as _problems, _source_file, _line "
        f"from (select {', '.join([*inner, '_line'])} from {source})",
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
        f"""insert into csa_ledger
        select _source_file, _line, 'quarantined', array_to_string(list_transform(_problems,
                   lambda x: split_part(x, ':', 1)), ', '),
               'TYPE', array_to_string(_problems, '; '), null
        from {read_relation(table)} where len(_problems) > 0"""
    )


def parsing_label(column: VendorColumn) -> str:
    """`'<column>: not <kind>'` as an SQL literal (the column name is the project's own)."""
    return literal(f"{column.name}: not {parsing.LABEL[column.kind]}")


def _quarantine_keys(connection, table: VendorTable) -> None:
    """`v_<table>`: the readable records with a complete key, of a repeated key the later
    file (by name), then the later record; an empty key is quarantined, the other records of
    a repeated key skipped or quarantined (table.duplicates_skipped). Repeated keys are found
    with one grouping, so a table without any (the usual case) costs no window and no join
    over its records."""
    read, repeated_keys = read_relation(table), repeated_relation(table)
    key = [identifier(c) for c in table.key]
    partition = ", ".join(key)
    empty = " or ".join(f"{c} is null" for c in key)
    label = ", ".join(table.key)
    # The keys alone in the grouping over every record (no aggregate of the file names).
    connection.execute(
        f"""create or replace temp table csa_repeated_keys as
        select {partition} from {read}
        where len(_problems) = 0 and not ({empty})
        group by all having count(*) > 1"""
    )
    (repeated,) = connection.execute("select count(*) from csa_repeated_keys").fetchone()
    run(
        connection,
        f"""insert into csa_ledger
        select _source_file, _line, 'quarantined', $key, 'KEY',
               'primary key (' || $key || ') is empty', null
        from {read} where len(_problems) = 0 and ({empty})""",
        key=label,
    )
    if repeated:
        connection.execute(
            f"""create or replace temp table {repeated_keys} as
            with records as (
                select {", ".join(f"r.{c}" for c in key)}, r._source_file, r._line
                from {read} as r join csa_repeated_keys using ({partition})
                where len(r._problems) = 0),
            files as (select {partition}, max(_source_file) as _winner_file
                from records group by all)
            select {partition}, f._winner_file, max(r._line) as _winner
            from records as r join files as f using ({partition})
            where r._source_file = f._winner_file
            group by all"""
        )
        run(
            connection,
            f"""insert into csa_ledger
            select r._source_file, r._line,
                   case when $skip then 'skipped' else 'quarantined' end, $key,
                   case when $skip then 'DUPLICATE' else 'KEY' end,
                   case when w._winner_file = r._source_file
                   then 'duplicate primary key in the same file; record ' || w._winner || ' wins'
                   else 'duplicate primary key in the drop; ' || w._winner_file || ' record '
                       || w._winner || ' wins'
                   end, null
            from {read} as r join {repeated_keys} as w using ({partition})
            where len(r._problems) = 0
                and not (r._source_file = w._winner_file and r._line = w._winner)""",
            key=label,
            skip=table.duplicates_skipped,
        )
    _define_views(connection, table, repeated=bool(repeated))


def _define_views(connection, table: VendorTable, *, repeated: bool) -> None:
    """`v_<table>` and, for conversions that must know which object a record with an
    unreadable field belonged to (an item with an unreadable change event),
    `v_<table>_unreadable`, as views over the typed records."""
    read = read_relation(table)
    columns = ", ".join(f"r.{identifier(c.name)}" for c in table.columns)
    empty = " or ".join(f"r.{identifier(c)} is null" for c in table.key)
    winners = (
        f"left join {repeated_relation(table)} as w using "
        f"({', '.join(identifier(c) for c in table.key)}) "
        "where (w._winner is null or (r._source_file = w._winner_file and r._line = w._winner))"
        " and"
        if repeated
        else "where"
    )
    connection.execute(
        f"""create or replace temp view {table_relation(table)} as
        select {columns}, r._source_file, r._line from {read} as r
        {winners} len(r._problems) = 0 and not ({empty})"""
    )
    connection.execute(
        f"""create or replace temp view {unreadable_relation(table)} as
        select {columns}, r._source_file, r._line from {read} as r
        where len(r._problems) > 0"""
    )
