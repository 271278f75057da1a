"""A vendor folder of a drop as the loader sees it: which exports it feeds, from which files,
what in it is not read, and the conversion that fills `csa_vendor_rows` (conversion.py).

This is the one interface between the loader and the sources. Two kinds implement it: a
built-in vendor with code (Stripe: tables and SQL conversions, registry.py) and a declared
mapping (a user's in sources.yml, or a shipped one such as Zendesk: mapping/engine.py).
`folder_source` picks the kind for a folder name; the next kind is one more class here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from orchestration.contract import ExportFile
from orchestration.sources.configuration import SourcesConfig
from orchestration.sources.conversion import FileLedger, convert
from orchestration.sources.discovery import VendorFolder, scan_vendor_folder
from orchestration.sources.mapping.engine import convert_declared, matching_files
from orchestration.sources.mapping.spec import DeclaredOptions


@dataclass(frozen=True)
class ConversionSettings:
    """What a conversion needs besides its files (from Settings)."""

    reporting_timezone: str
    reporting_currency: str
    source_timezone: str  # timestamps without an offset, where a mapping names no zone


class FolderSource(Protocol):
    path: Path  # the folder in the drop, `<drop>/<name>`

    def feeds(self, export: str) -> bool:
        """Whether the folder holds anything that feeds `export` under the configuration."""

    def source_files(self, export: str) -> list[str]:
        """The files `export` reads and accounts for, as lineage names them (`stripe/x.csv`)."""

    def unread(self) -> list[tuple[Path, str]]:
        """Entries of the folder that no export reads, with the reason."""

    def takes_given(self, export: str) -> bool:
        """Whether a contract file of `export` in the same drop is given to the conversion
        (the file wins on its keys) instead of being a conflict."""

    def convert(
        self,
        connection,
        export: ExportFile,
        drop_date: date,
        settings: ConversionSettings,
        given: str | None,
    ) -> list[FileLedger]:
        """Fill the conversion's temporary tables; one ledger per file of `source_files`."""


@dataclass(frozen=True)
class BuiltInFolder:
    folder: VendorFolder
    sources: SourcesConfig

    @property
    def path(self) -> Path:
        return self.folder.path

    def feeds(self, export: str) -> bool:
        return self.sources.feeds(self.folder.vendor, export) and self.folder.feeds(export)

    def source_files(self, export: str) -> list[str]:
        name = self.folder.vendor.name
        return [f"{name}/{path.name}" for path in self.folder.owned_files(export)]

    def unread(self) -> list[tuple[Path, str]]:
        vendor = self.folder.vendor
        unread = [
            (path, f"not a table of {vendor.name} (docs/sources.md)")
            for path in self.folder.unknown
        ]
        unread += [
            (path, f"{vendor.name} does not feed {table.owner} (exports in sources.yml)")
            for table in vendor.tables
            if not self.sources.feeds(vendor, table.owner)
            for path in self.folder.files.get(table.name, ())
        ]
        return unread

    def takes_given(self, export: str) -> bool:
        return self.folder.vendor.conversions[export].takes_given

    def convert(self, connection, export, drop_date, settings, given) -> list[FileLedger]:
        return convert(
            connection,
            self.folder,
            export,
            self.sources.options_for(self.folder.vendor),
            drop_date,
            reporting_timezone=settings.reporting_timezone,
            reporting_currency=settings.reporting_currency,
            given=given if self.takes_given(export.name) else None,
        )


@dataclass(frozen=True)
class DeclaredFolder:
    path: Path
    options: DeclaredOptions

    def _files(self, export: str) -> list[Path]:
        found = []
        for part in self.options.parts(export):
            found += matching_files(self.path, part)
            for lookup in part.lookups.values():
                found += matching_files(self.path, lookup)
        return sorted(set(found))

    def feeds(self, export: str) -> bool:
        return any(matching_files(self.path, part) for part in self.options.parts(export))

    def source_files(self, export: str) -> list[str]:
        if not self.feeds(export):
            return []
        return [f"{self.path.name}/{path.name}" for path in self._files(export)]

    def unread(self) -> list[tuple[Path, str]]:
        read = {path for export in self.options.exports for path in self._files(export)}
        return [
            (child, "matched by no file pattern of its mapping in sources.yml")
            for child in sorted(self.path.iterdir())
            if child not in read and not child.name.startswith((".", "_"))
        ]

    def takes_given(self, export: str) -> bool:
        return False

    def convert(self, connection, export, drop_date, settings, given) -> list[FileLedger]:
        return convert_declared(
            connection, self.path, self.options, export, zone=settings.source_timezone
        )


def folder_source(sources: SourcesConfig, path: Path) -> FolderSource | None:
    """The source that reads the drop's folder `path`, by its name; None for a folder no
    source reads. A table given twice in a built-in vendor's folder fails naming both."""
    vendor = sources.vendor(path.name)
    if vendor:
        return BuiltInFolder(scan_vendor_folder(vendor, path), sources)
    mapping = sources.mapping_for(path.name)
    return DeclaredFolder(path, mapping) if mapping else None
