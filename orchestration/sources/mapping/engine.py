"""Running a declared mapping for one export and drop: the files of the vendor folder its
globs match become `csa_vendor_rows`, with the bookkeeping every conversion keeps
(conversion.py): each record is loaded, quarantined (naming file, record and field) or
skipped by the row filter, exactly once.

Per file: read (reading.py), evaluate every column's value and the filter over the source
record (`csa_map_stage`), type each into the contract (columns.py) and quarantine the records
with a problem. Across the files of the drop: an empty primary key is quarantined, and of a
key given twice the later file (by name), then the later record, wins.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import duckdb

from orchestration.contract import ExportFile
from orchestration.sources.conversion import FileLedger, file_ledger, prepare_bookkeeping
from orchestration.sources.mapping.columns import Parameters, source_value
from orchestration.sources.mapping.lookups import load_lookup
from orchestration.sources.mapping.outcomes import apply_keys, type_and_ledger
from orchestration.sources.mapping.reading import read_source
from orchestration.sources.mapping.spec import DeclaredOptions, ExportMapping, FileSet, as_text
from orchestration.sources.statements import run
from orchestration.sources.tables import VendorFileError
from orchestration.sql import identifier


def matching_files(folder: Path, files: FileSet) -> list[Path]:
    """The files of `folder` whose name matches the glob, ignoring case."""
    pattern = files.files.lower()
    return sorted(
        child
        for child in folder.iterdir()
        if child.is_file() and fnmatch.fnmatchcase(child.name.lower(), pattern)
    )


def convert_declared(
    connection, folder: Path, options: DeclaredOptions, export: ExportFile, *, zone: str
) -> list[FileLedger]:
    """Fill `csa_vendor_rows` for `export` from the vendor folder `folder` of one drop.
    `zone`: the time zone of timestamps without offset when the mapping names none."""
    prepare_bookkeeping(connection, export)
    columns = ", ".join(f"{identifier(c.name)} {c.type.value}" for c in export.columns)
    connection.execute(
        f"create or replace temp table csa_map_rows ({columns}, _source_file varchar, "
        "_source_line bigint, _order bigint)"
    )
    for name, rows in options.tables.items():
        _configuration_table(connection, name, rows)
    reads = Reads(connection, folder, export)
    for part in options.parts(export.name):
        for name, lookup in part.lookups.items():
            load_lookup(reads, name, lookup, matching_files(folder, lookup))
        for path in matching_files(folder, part):
            source_file = reads.read(part, path)
            _convert_file(connection, export, part, path, source_file, len(reads.records), zone)
    apply_keys(connection, export)
    return [file_ledger(connection, name, count) for name, count in reads.records.items()]


class Reads:
    """The files read for one export of one drop, each once, with its record count."""

    def __init__(self, connection, folder: Path, export: ExportFile) -> None:
        self.connection, self.folder, self.export = connection, folder, export
        self.records: dict[str, int] = {}

    def read(self, files: FileSet, path: Path) -> str:
        """Read `path` into `csa_map_source`; returns its name as lineage gives it."""
        source_file = f"{self.folder.name}/{path.name}"
        if source_file in self.records:
            raise VendorFileError(path, f"matched by two file patterns of {self.export.name}")
        self.records[source_file] = read_source(self.connection, files, path, source_file)
        return source_file


def _configuration_table(connection, name: str, rows: list[dict]) -> None:
    """A table of the mapping's configuration, every value text and bound."""
    columns = list(rows[0])
    lists = {f"t{i}": [as_text(row[c]) for row in rows] for i, c in enumerate(columns)}
    fields = ", ".join(
        f"unnest(cast($t{i} as varchar[])) as {identifier(c)}" for i, c in enumerate(columns)
    )
    run(
        connection,
        f"create or replace temp table {identifier(name)} as select {fields}",
        **lists,
    )


def _convert_file(
    connection,
    export: ExportFile,
    part: ExportMapping,
    path: Path,
    source_file: str,
    order: int,
    zone: str,
) -> None:
    fields = {
        name.lower(): (name, type_)
        for name, type_ in connection.execute(
            "select column_name, column_type from (describe csa_map_source)"
        ).fetchall()
        if name != "_line"
    }
    params = Parameters()
    values = []
    for column in export.columns:
        value = source_value(part.columns[column.name], fields, params)
        if value is None:
            raise VendorFileError(
                path,
                f"{export.name}.{column.name} is mapped from field "
                f"{part.columns[column.name].source!r}, which the file does not have "
                f"(fields: {', '.join(name for name, _ in fields.values())})",
            )
        values.append(value)
    keep = f"coalesce(({part.filter}), false)" if part.filter else "true"
    stage = ", ".join(f"{value} as {identifier(f'm{i}')}" for i, value in enumerate(values))
    sql = f"create or replace temp table csa_map_stage as select _line, {keep} as _keep, {stage} "
    _evaluate(connection, sql + "from csa_map_source as source", params, path, export, part, values)
    type_and_ledger(connection, export, part, source_file, order, zone)


def _evaluate(connection, sql, params, path, export, part, values) -> None:
    """Run the stage; an expression DuckDB cannot bind or evaluate fails the file, naming
    the column (or the filter) of the mapping."""
    try:
        run(connection, sql, **params.values)
    except duckdb.Error as error:
        culprit = "filter"
        for column, value in zip(export.columns, values, strict=True):
            try:
                run(
                    connection,
                    f"select count({value}) from csa_map_source as source",
                    **params.values,
                )
            except duckdb.Error:
                culprit = f"columns.{column.name}"
                break
        raise VendorFileError(
            path, f"mapping {export.name}.{culprit} cannot be computed: {error}"
        ) from error
