"""Which vendor tables a drop holds: `<drop>/<vendor>/<table>.csv|.csv.gz|.parquet`, or the
NDJSON files matching a table's `files` pattern (any number of them).

File names are matched case-insensitively. A table given twice (`customers.csv` and
`customers.parquet`) is an error naming both; a file that is no table of the vendor is
returned as unknown, to be reported (never silently ignored).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from orchestration.sources.tables import TABLE_SUFFIXES, VendorFileError
from orchestration.sources.vendor import Vendor


@dataclass(frozen=True)
class VendorFolder:
    vendor: Vendor
    path: Path
    files: dict[str, tuple[Path, ...]]  # table name -> its file (or files, by name)
    unknown: tuple[Path, ...]  # files in the folder that are no table of the vendor

    def feeds(self, export: str) -> bool:
        """Whether the folder holds any table the export owns."""
        return any(table.name in self.files for table in self.vendor.tables_of(export))

    def owned_files(self, export: str) -> list[Path]:
        tables = self.vendor.tables_of(export)
        return [path for t in tables for path in self.files.get(t.name, ())]


def table_name(path: Path) -> str | None:
    """`customers` for `Customers.CSV.gz`; None for a name no table file can have."""
    lowered = path.name.lower()
    for suffix in sorted(TABLE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return lowered[: -len(suffix)]
    return None


def _pattern_table(vendor: Vendor, path: Path) -> str | None:
    """The table whose `files` pattern matches the file's name, if any."""
    lowered = path.name.lower()
    for table in vendor.tables:
        if any(fnmatch.fnmatchcase(lowered, glob.lower()) for glob in table.files):
            return table.name
    return None


def scan_vendor_folder(vendor: Vendor, path: Path) -> VendorFolder:
    single = {table.name for table in vendor.tables if not table.files}
    files: dict[str, tuple[Path, ...]] = {}
    unknown: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.name.startswith("_"):
            continue  # hidden files and markers such as _SUCCESS
        if not child.is_file():
            unknown.append(child)
        elif name := _pattern_table(vendor, child):
            files[name] = (*files.get(name, ()), child)
        elif (name := table_name(child)) not in single:
            unknown.append(child)
        elif name in files:
            raise VendorFileError(
                child,
                f"table {name} is given twice in one drop: {files[name][0].name}, {child.name}",
            )
        else:
            files[name] = (child,)
    return VendorFolder(vendor, path, files, tuple(unknown))
