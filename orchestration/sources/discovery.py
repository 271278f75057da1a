"""Which vendor tables a drop holds: `<drop>/<vendor>/<table>.csv|.csv.gz|.parquet`.

File names are matched case-insensitively. A table given twice (`customers.csv` and
`customers.parquet`) is an error naming both; a file that is no table of the vendor is
returned as unknown, to be reported (never silently ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.sources.tables import TABLE_SUFFIXES, VendorFileError
from orchestration.sources.vendor import Vendor


@dataclass(frozen=True)
class VendorFolder:
    vendor: Vendor
    path: Path
    files: dict[str, Path]  # table name -> its file
    unknown: tuple[Path, ...]  # files in the folder that are no table of the vendor

    def feeds(self, export: str) -> bool:
        """Whether the folder holds any table the export owns."""
        return any(table.name in self.files for table in self.vendor.tables_of(export))

    def owned_files(self, export: str) -> list[Path]:
        return [self.files[t.name] for t in self.vendor.tables_of(export) if t.name in self.files]


def table_name(path: Path) -> str | None:
    """`customers` for `Customers.CSV.gz`; None for a name no table file can have."""
    lowered = path.name.lower()
    for suffix in sorted(TABLE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return lowered[: -len(suffix)]
    return None


def scan_vendor_folder(vendor: Vendor, path: Path) -> VendorFolder:
    known = {table.name for table in vendor.tables}
    files: dict[str, Path] = {}
    unknown: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith(".") or child.name.startswith("_"):
            continue  # hidden files and markers such as _SUCCESS
        name = table_name(child) if child.is_file() else None
        if name not in known:
            unknown.append(child)
        elif name in files:
            raise VendorFileError(
                child, f"table {name} is given twice in one drop: {files[name].name}, {child.name}"
            )
        else:
            files[name] = child
    return VendorFolder(vendor, path, files, tuple(unknown))
