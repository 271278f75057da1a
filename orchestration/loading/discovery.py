"""Which file of a drop feeds which export, and everything in the landing that is not read.

Every entry of the landing folder is accounted for: a file that feeds an export, the
`_SUCCESS` marker, or an `Unread` entry with its reason, which the raw assets log as warnings
and the reconciliation checks report. `not_read()` is the one place that decides; a vendor
source claims its folder there (until then a vendor folder is "not read: vendor folder").
Hidden entries (`.DS_Store`, `.part` files of an upload) are neither read nor reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import EXPORTS, ExportFile
from orchestration.loading.drops import COMPLETE_MARKER, Drop, LandingScan

# Vendors whose own export tables a drop may carry in a subfolder (raw-exports.md).
VENDOR_FOLDERS = ("stripe", "salesforce", "zendesk", "delighted", "segment", "amplitude")
# The names an export's file may have, compared ignoring case: plain or gzip-compressed.
_SUFFIXES = (".csv", ".csv.gz")
_FILE_NAMES = {f"{export.name}{suffix}": export.name for export in EXPORTS for suffix in _SUFFIXES}


@dataclass(frozen=True)
class Unread:
    """An entry of the landing folder that no asset reads."""

    path: str  # relative to the landing folder; folders end in "/"
    reason: str

    @property
    def line(self) -> str:
        return f"{self.path} {self.reason}"


@dataclass(frozen=True)
class DropFiles:
    """The entries of one drop folder: candidate files per export, and the rest."""

    exports: dict[str, tuple[Path, ...]]  # more than one file for an export is a conflict
    unread: tuple[Unread, ...]


def _entries(folder: Path) -> Iterator[Path]:
    return (child for child in sorted(folder.iterdir()) if not child.name.startswith("."))


def drop_files(drop: Drop) -> DropFiles:
    """Sort the entries of `drop`: a name equal to an export's file name but for case feeds
    that export (`ACCOUNTS.CSV`, `accounts.csv.gz`)."""
    exports: dict[str, list[Path]] = {}
    unread: list[Unread] = []
    for child in _entries(drop.path):
        relative = f"{drop.path.name}/{child.name}"
        export = _FILE_NAMES.get(child.name.lower())
        if child.is_file() and export:
            exports.setdefault(export, []).append(child)
        elif child.is_dir() and child.name.lower() in VENDOR_FOLDERS:
            unread.append(Unread(f"{relative}/", "not read: vendor folder (not supported yet)"))
        elif child.is_dir():
            unread.append(Unread(f"{relative}/", "not read: a folder inside a drop"))
        elif child.name != COMPLETE_MARKER:
            unread.append(Unread(relative, f"not read: {_not_an_export(child.name)}"))
    return DropFiles({name: tuple(paths) for name, paths in exports.items()}, tuple(unread))


def _not_an_export(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), _FILE_NAMES, n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"not the file name of an export{hint}"


def export_files(drop: Drop, export: ExportFile) -> tuple[Path, ...]:
    """The files of `drop` that feed `export`: none, one, or (a conflict) several."""
    return drop_files(drop).exports.get(export.name, ())


def holds_exports(scan: LandingScan) -> bool:
    """Whether any drop to read holds a file of some export."""
    return any(drop_files(drop).exports for drop in scan.drops)


def not_read(landing_dir: Path, scan: LandingScan) -> list[Unread]:
    """Every entry of the landing folder that no asset reads, with the reason."""
    unread = [
        Unread(f"{name}/", "not read: a landing folder not named YYYY-MM-DD")
        for name in scan.ignored_folders
    ]
    unread += [
        Unread(child.name, "not read: a file beside the drop folders")
        for child in _entries(landing_dir)
        if child.is_file()
    ]
    for drop in scan.drops:
        unread += drop_files(drop).unread
    return unread
