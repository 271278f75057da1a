"""Which file of a drop feeds which export, and everything in the landing that is not read.

Every entry of the landing folder is accounted for: a file that feeds an export, a vendor
folder's table that feeds one (`<drop>/<vendor>/<table>.csv|.parquet`, vendor named in the
sources' configuration), the `_SUCCESS` marker, or an `Unread` entry with its reason, which
the raw assets log as warnings and the reconciliation checks report. `not_read()` is the one
place that decides. Hidden entries (`.DS_Store`, `.part` files of an upload) are neither read
nor reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.contract import EXPORTS, ExportFile
from orchestration.loading.drops import COMPLETE_MARKER, Drop, LandingScan
from orchestration.sources.configuration import DEFAULT_SOURCES, SourcesConfig
from orchestration.sources.folders import FolderSource, folder_source

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
class ExportSources:
    """What feeds one export in one drop: more than one of them is a conflict, except where
    the vendor's conversion takes the contract file as given (fx_rates: the file wins)."""

    files: tuple[Path, ...]  # contract files
    folders: tuple[FolderSource, ...]  # vendor folders holding files the export reads

    def __bool__(self) -> bool:
        return bool(self.files or self.folders)

    def source_files(self, export: str) -> list[str]:
        """The files as the load log names them: `plans.csv`, `stripe/prices.csv` (of
        conflicting contract files, the first)."""
        names = [path.name for path in self.files[:1]]
        for folder in self.folders:
            names += folder.source_files(export)
        return names


@dataclass(frozen=True)
class DropFiles:
    """The entries of one drop folder: candidate files per export, vendor folders, the rest."""

    exports: dict[str, tuple[Path, ...]]  # more than one file for an export is a conflict
    folders: tuple[FolderSource, ...]  # vendor folders a source reads
    unread: tuple[Unread, ...]

    def sources_of(self, export: ExportFile) -> ExportSources:
        folders = tuple(folder for folder in self.folders if folder.feeds(export.name))
        return ExportSources(self.exports.get(export.name, ()), folders)


def _entries(folder: Path) -> Iterator[Path]:
    return (child for child in sorted(folder.iterdir()) if not child.name.startswith("."))


def drop_files(drop: Drop, sources: SourcesConfig = DEFAULT_SOURCES) -> DropFiles:
    """Sort the entries of `drop`: a name equal to an export's file name but for case feeds
    that export (`ACCOUNTS.CSV`, `accounts.csv.gz`); a folder named after a vendor of
    `sources` holds that vendor's tables (a table given twice fails, naming both files)."""
    exports: dict[str, list[Path]] = {}
    folders: list[FolderSource] = []
    unread: list[Unread] = []
    for child in _entries(drop.path):
        relative = f"{drop.path.name}/{child.name}"
        export = _FILE_NAMES.get(child.name.lower())
        folder = folder_source(sources, child) if child.is_dir() else None
        if child.is_file() and export:
            exports.setdefault(export, []).append(child)
        elif folder:
            folders.append(folder)
            unread += [
                Unread(f"{relative}/{path.name}{'/' if path.is_dir() else ''}", f"not read: {why}")
                for path, why in folder.unread()
            ]
        elif child.is_dir():
            unread.append(Unread(f"{relative}/", "not read: a folder inside a drop"))
        elif child.name != COMPLETE_MARKER:
            unread.append(Unread(relative, f"not read: {_not_an_export(child.name)}"))
    return DropFiles(
        {name: tuple(paths) for name, paths in exports.items()}, tuple(folders), tuple(unread)
    )


def _not_an_export(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), _FILE_NAMES, n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"not the file name of an export{hint}"


def export_sources(
    drop: Drop, export: ExportFile, sources: SourcesConfig = DEFAULT_SOURCES
) -> ExportSources:
    """What in `drop` feeds `export`: nothing, one file or vendor folder, or (a conflict) more."""
    return drop_files(drop, sources).sources_of(export)


def holds_exports(scan: LandingScan, sources: SourcesConfig = DEFAULT_SOURCES) -> bool:
    """Whether any drop to read holds a file of some export, or a vendor folder feeding one."""
    return any(
        any(files.sources_of(export) for export in EXPORTS)
        for files in (drop_files(drop, sources) for drop in scan.drops)
    )


def _is_sources_file(path: Path, sources: SourcesConfig) -> bool:
    """The sources' configuration in the landing folder is read, not a stray file."""
    return sources.path is not None and path.resolve() == sources.path.resolve()


def not_read(
    landing_dir: Path, scan: LandingScan, sources: SourcesConfig = DEFAULT_SOURCES
) -> list[Unread]:
    """Every entry of the landing folder that no asset reads, with the reason."""
    unread = [
        Unread(f"{name}/", "not read: a landing folder not named YYYY-MM-DD")
        for name in scan.ignored_folders
    ]
    unread += [
        Unread(child.name, "not read: a file beside the drop folders")
        for child in _entries(landing_dir)
        if child.is_file() and not _is_sources_file(child, sources)
    ]
    for drop in scan.drops:
        unread += drop_files(drop, sources).unread
    return unread
