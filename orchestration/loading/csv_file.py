"""Reading one export file: header mapping, encoding, and the exact `read_csv` call.

CSV auto-detection is never trusted: delimiter, quote, escape, header and every column's type
come from the contract. Unreadable rows are kept by DuckDB's `store_rejects`, never dropped.
Header text never becomes SQL: the file's fields are parsed into positional columns (`c0`,
`c1`, ...) and reach their raw column, named exactly as the header says, through
`orchestration.sql.identifier`.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import ExportFile
from orchestration.loading.file_kind import delimiter_hint, open_bytes, unreadable_reason
from orchestration.loading.metadata_tables import LINEAGE_COLUMNS


class ExportFileError(ValueError):
    """A file that cannot be loaded at all (as opposed to rows that are quarantined)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class FileLayout:
    """The header of one file mapped onto the contract."""

    columns: tuple[str, ...]  # the raw column of each field, in file order
    extra_columns: tuple[str, ...]  # exact header text of the columns unknown to the contract

    def staged(self, column: str) -> str:
        """The positional name the field of raw column `column` is parsed into."""
        return f"c{self.columns.index(column)}"

    @property
    def staged_columns(self) -> tuple[str, ...]:
        return tuple(f"c{position}" for position in range(len(self.columns)))

    def read_csv_columns(self, export: ExportFile) -> dict[str, str]:
        known = {column.name: column.type.value for column in export.columns}
        return {
            staged: known.get(name, "VARCHAR")
            for staged, name in zip(self.staged_columns, self.columns, strict=True)
        }


def normalize_column_name(name: str) -> str:
    return name.strip().lower()


def read_layout(path: Path, export: ExportFile, encoding: str) -> FileLayout:
    """Map the header onto the contract: a name equal to a contract column but for case and
    surrounding spaces is that column; any other is an extra column named exactly as written.
    A file that is not a CSV, or lacks a required column, fails whole."""
    reason = unreadable_reason(path)
    if reason:
        raise ExportFileError(path, reason)
    # Only the header line is decoded here: undecodable data rows are the loader's to quarantine.
    with open_bytes(path) as handle:
        first_line = handle.readline()
    try:
        line = first_line.decode(_python_encoding(encoding))
    except UnicodeDecodeError as error:
        raise ExportFileError(
            path,
            f"header is not valid {encoding} ({error.reason}); if this export is "
            f"Shift-JIS set CSA_SOURCE_ENCODINGS={export.name}=cp932",
        ) from error
    header = next(csv.reader([line]), None)
    if not header:
        raise ExportFileError(path, "file is empty: a header row is required")
    contract = set(export.column_names)
    columns = tuple(
        normalize_column_name(name) if normalize_column_name(name) in contract else name
        for name in header
    )
    _check_names(path, header)
    missing = [name for name in export.column_names if name not in columns]
    if missing:
        raise ExportFileError(
            path,
            f"missing required column(s) {', '.join(missing)} (header has: "
            f"{', '.join(header)}){delimiter_hint(line, header)}",
        )
    extra = tuple(name for name in columns if name not in contract)
    return FileLayout(columns, extra)


def _check_names(path: Path, header: list[str]) -> None:
    """Names a raw table cannot hold: empty, the same twice (DuckDB's names ignore case), or
    a lineage column the loader adds itself."""
    keys = [normalize_column_name(name) for name in header]
    if "" in keys:
        raise ExportFileError(path, "header has an empty column name")
    duplicates = [repr(name) for name in header if keys.count(normalize_column_name(name)) > 1]
    if duplicates:
        raise ExportFileError(
            path, f"duplicate column(s) in header (case and spaces aside): {', '.join(duplicates)}"
        )
    reserved = [repr(name) for name in header if normalize_column_name(name) in LINEAGE_COLUMNS]
    if reserved:
        raise ExportFileError(
            path,
            f"header column(s) {', '.join(reserved)} clash with the lineage columns the loader "
            "adds: rename them in the export",
        )


def _python_encoding(encoding: str) -> str:
    # utf-8-sig reads files with and without a byte-order mark alike.
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """The file itself if it is UTF-8 (DuckDB reads .gz as it is), else a UTF-8 transcoded,
    uncompressed temporary copy."""
    if codecs.lookup(encoding).name == "utf-8":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="csa-transcode-") as tmp:
        target = Path(tmp) / "transcoded.csv"
        with (
            open_bytes(path) as content,
            io.TextIOWrapper(content, encoding=encoding, errors="strict", newline="") as source,
            target.open("w", encoding="utf-8", newline="") as sink,
        ):
            try:
                shutil.copyfileobj(source, sink, length=1 << 20)
            except UnicodeDecodeError as error:
                raise ExportFileError(path, f"not valid {encoding}: {error}") from error
        yield target


def read_csv_sql(path: Path, layout: FileLayout, export: ExportFile) -> tuple[str, list]:
    """The `read_csv(...)` table expression for this file, every option explicit, and its
    parameters (the path and the positional columns)."""
    sql = (
        "read_csv(?, header = true, auto_detect = false, delim = ',', "
        "quote = '\"', escape = '\"', columns = ?, "
        "dateformat = '%Y-%m-%d', strict_mode = true, store_rejects = true, "
        "rejects_table = 'csa_reject_errors', rejects_scan = 'csa_reject_scans')"
    )
    return sql, [str(path), layout.read_csv_columns(export)]
