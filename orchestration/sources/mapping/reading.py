"""Reading one file of a declared mapping into `csa_map_source`: its fields, `_line`.

- CSV: parsed by position as text (the header is read in Python; its names reach SQL only
  through `identifier()`), `_line` the record number with the header as 1; records the CSV
  reader cannot follow are quarantined in the ledger.
- NDJSON: one JSON object per line, `_line` the line number; each top-level key becomes a
  column of type JSON (`"via"->>'channel'` in an expression); a line that is no JSON object
  is quarantined, an empty line is no record.
- JSON: one array of objects (an API response body), `_line` the record's position from 1;
  otherwise as NDJSON. A file that is no JSON array fails whole.
- Parquet: the file's own columns and types, `_line` the row number from 1.
Files in another encoding than UTF-8 are transcoded to a temporary UTF-8 copy first.
"""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from pathlib import Path

import duckdb

from orchestration.loading.csv_file import ExportFileError, utf8_copy
from orchestration.loading.file_kind import open_bytes
from orchestration.sources import ndjson
from orchestration.sources.mapping.spec import FileSet
from orchestration.sources.statements import run
from orchestration.sources.tables import VendorFileError, csv_records
from orchestration.sql import identifier


def read_source(connection, mapping: FileSet, path: Path, source_file: str) -> int:
    """Fill `csa_map_source` from `path`; returns the file's records, readable or not."""
    with ExitStack() as stack:
        readable = path
        if mapping.format != "parquet":
            try:
                readable = stack.enter_context(utf8_copy(path, mapping.encoding))
            except ExportFileError as error:
                raise VendorFileError(path, str(error).removeprefix(f"{path}: ")) from error
        if mapping.format == "csv":
            return _csv(connection, mapping, path, readable, source_file)
        if mapping.format == "ndjson":
            return _ndjson(connection, readable, source_file)
        if mapping.format == "json":
            return _json_array(connection, path, readable, source_file)
        return _parquet(connection, path)


def _csv(connection, mapping: FileSet, path: Path, readable: Path, source_file: str) -> int:
    names = _header(path, readable, mapping.delimiter)
    source, rejected = csv_records(connection, readable, len(names), mapping.delimiter)
    fields = ", ".join(
        f"{identifier(f'c{index}')} as {identifier(name)}" for index, name in enumerate(names)
    )
    connection.execute(
        f"create or replace temp table csa_map_source as select {fields}, _line from {source}"
    )
    run(
        connection,
        """insert into csa_ledger select $file, line, 'quarantined', null, 'CSV', reason,
               raw_text from csa_csv_rejects""",
        file=source_file,
    )
    return _count(connection) + rejected


def _header(path: Path, readable: Path, delimiter: str) -> list[str]:
    with open_bytes(readable) as handle:
        first = handle.readline().decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(first), delimiter=delimiter), None)
    if not header:
        raise VendorFileError(path, "file is empty: a header row is required")
    names = [name.strip() for name in header]
    lowered = [name.lower() for name in names]
    twice = sorted({name for name in names if lowered.count(name.lower()) > 1})
    if twice or "" in names:
        problem = f"duplicate column(s) {', '.join(twice)}" if twice else "an empty column name"
        raise VendorFileError(path, f"header has {problem} (names are compared ignoring case)")
    return names


def _ndjson(connection, readable: Path, source_file: str) -> int:
    ndjson.read_lines(connection, readable)
    return _objects(connection, source_file)


def _json_array(connection, path: Path, readable: Path, source_file: str) -> int:
    try:
        connection.execute(
            "create or replace temp table csa_ndjson as select cast(json as varchar) as record, "
            "row_number() over () as _line from read_json(?, format = 'array', "
            "records = false, columns = {'json': 'JSON'})",
            [str(readable)],
        )
    except duckdb.Error as error:
        raise VendorFileError(path, f"not a JSON array of records: {error}") from error
    return _objects(connection, source_file)


def _objects(connection, source_file: str) -> int:
    """`csa_ndjson (record, _line)` -> `csa_map_source`, records that are no object to the
    ledger; returns the number of records."""
    records = ndjson.keep_objects(connection, source_file)
    keys = [
        row[0]
        for row in connection.execute(
            "select distinct unnest(json_keys(record)) as k from csa_ndjson order by k"
        ).fetchall()
    ]
    fields = "".join(
        f"json_extract(record, $k{index}) as {identifier(key)}, " for index, key in enumerate(keys)
    )
    paths = {f"k{index}": ndjson.field_path(key) for index, key in enumerate(keys)}
    run(
        connection,
        f"create or replace temp table csa_map_source as select {fields}_line from csa_ndjson",
        **paths,
    )
    return records


def _parquet(connection, path: Path) -> int:
    connection.execute(
        "create or replace temp table csa_map_source as select * exclude (file_row_number), "
        "file_row_number + 1 as _line from read_parquet(?, file_row_number = true)",
        [str(path)],
    )
    return _count(connection)


def _count(connection) -> int:
    return connection.execute("select count(*) from csa_map_source").fetchone()[0]
