"""Reading one export file: header mapping, encoding, and the exact `read_csv` call.

CSV auto-detection is never trusted: delimiter, quote, escape, header and every column's type
come from the contract. Unreadable rows are kept by DuckDB's `store_rejects`, never dropped.
"""

from __future__ import annotations

import codecs
import csv
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import ExportFile


class ExportFileError(ValueError):
    """A file that cannot be loaded at all (as opposed to rows that are quarantined)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass(frozen=True)
class FileLayout:
    """The header of one file mapped onto the contract."""

    columns: tuple[str, ...]  # normalized names in file order
    extra_columns: tuple[str, ...]  # present in the file, unknown to the contract

    def read_csv_columns(self, export: ExportFile) -> dict[str, str]:
        known = {column.name: column.type.value for column in export.columns}
        return {name: known.get(name, "VARCHAR") for name in self.columns}


def normalize_column_name(name: str) -> str:
    return name.strip().lower()


def read_layout(path: Path, export: ExportFile, encoding: str) -> FileLayout:
    """Map the header onto the contract; a missing required column fails the whole file."""
    # Only the header line is decoded here: undecodable data rows are the loader's to quarantine.
    with path.open("rb") as handle:
        first_line = handle.readline()
    try:
        header = next(csv.reader([first_line.decode(_python_encoding(encoding))]), None)
    except UnicodeDecodeError as error:
        raise ExportFileError(
            path,
            f"header is not valid {encoding} ({error.reason}); if this export is "
            f"Shift-JIS set CSA_SOURCE_ENCODINGS={export.name}=cp932",
        ) from error
    if not header:
        raise ExportFileError(path, "file is empty: a header row is required")
    columns = tuple(normalize_column_name(name) for name in header)
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise ExportFileError(path, f"duplicate column(s) in header: {', '.join(duplicates)}")
    if "" in columns:
        raise ExportFileError(path, "header has an empty column name")
    missing = [name for name in export.column_names if name not in columns]
    if missing:
        raise ExportFileError(
            path,
            f"missing required column(s) {', '.join(missing)} (header has: {', '.join(columns)})",
        )
    extra = tuple(name for name in columns if name not in export.column_names)
    return FileLayout(columns, extra)


def _python_encoding(encoding: str) -> str:
    # utf-8-sig reads files with and without a byte-order mark alike.
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


@contextmanager
def utf8_copy(path: Path, encoding: str) -> Iterator[Path]:
    """The file itself if it is UTF-8, else a UTF-8 transcoded temporary copy."""
    if codecs.lookup(encoding).name == "utf-8":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="csa-transcode-") as tmp:
        target = Path(tmp) / path.name
        with (
            path.open(encoding=encoding, errors="strict", newline="") as source,
            target.open("w", encoding="utf-8", newline="") as sink,
        ):
            try:
                shutil.copyfileobj(source, sink, length=1 << 20)
            except UnicodeDecodeError as error:
                raise ExportFileError(path, f"not valid {encoding}: {error}") from error
        yield target


def read_csv_sql(path: Path, layout: FileLayout, export: ExportFile) -> str:
    """The `read_csv(...)` table expression for this file, every option explicit."""
    columns = ", ".join(
        f"'{name}': '{type_}'" for name, type_ in layout.read_csv_columns(export).items()
    )
    file_literal = str(path).replace("'", "''")
    return (
        f"read_csv('{file_literal}', header = true, auto_detect = false, delim = ',', "
        f"quote = '\"', escape = '\"', columns = {{{columns}}}, "
        "dateformat = '%Y-%m-%d', strict_mode = true, store_rejects = true, "
        "rejects_table = 'csa_reject_errors', rejects_scan = 'csa_reject_scans')"
    )
