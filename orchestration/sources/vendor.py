"""What a vendor source is: its tables, the contract exports it feeds, its options.

A vendor (`orchestration/sources/<vendor>/`) declares the tables it reads from its folder in a
drop (`<drop>/<vendor>/<table>.csv|.csv.gz|.parquet`, or any number of NDJSON files matching
the table's `files` pattern), in the vendor's own table and column names, and one conversion
per contract export it can feed. A conversion is SQL over the tables read into DuckDB
(`tables.py`); it fills the temporary tables described in `conversion.py`, and the loader
merges its rows like a contract file's (latest drop wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, field_validator

from orchestration.contract import EXPORTS_BY_NAME

if TYPE_CHECKING:
    from orchestration.sources.conversion import Conversion


class Kind(StrEnum):
    """How a vendor column is read, whatever type the file gives it (CSV text or Parquet)."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    UTC_TIMESTAMP = "utc timestamp"  # UTC: ISO text with or without offset, or epoch seconds
    JSON = "json"


@dataclass(frozen=True)
class VendorColumn:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = True  # a file without it is rejected; optional columns are NULL if absent
    aliases: tuple[str, ...] = ()  # other spellings of the same column (older schemas)


@dataclass(frozen=True)
class VendorTable:
    """One table of a vendor: `<name>.csv` (or `.csv.gz`, `.parquet`) in the vendor folder,
    or, with `files`, every NDJSON file whose name matches it."""

    name: str
    owner: str  # the contract export whose load reads it and accounts for every record
    key: tuple[str, ...]  # a repeated key in one file: the last record wins
    columns: tuple[VendorColumn, ...]
    # Repeats of a key are expected (at-least-once delivery: Segment's message ids): the
    # earlier records are skipped as duplicates instead of quarantined.
    duplicates_skipped: bool = False
    # Globs (case ignored), e.g. `*.json`, `*.json.gz`: the table is any number of NDJSON
    # files (one JSON object per line, `.gz` read as it is; Amplitude's export is one file per
    # hour), each column a top-level key. Of a key repeated across the files of a drop the
    # later file by name, then the later record, wins. Empty: the one file
    # `<name>.csv|.csv.gz|.parquet`.
    files: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


class SourceOptions(BaseModel):
    """Options every source accepts in sources.yml; each vendor extends them."""

    model_config = ConfigDict(extra="forbid")

    # The contract exports this source feeds; default: every export it can feed.
    exports: list[str] | None = None

    @field_validator("exports")
    @classmethod
    def _known_exports(cls, value: list[str] | None) -> list[str] | None:
        unknown = sorted(set(value or ()) - set(EXPORTS_BY_NAME))
        if unknown:
            raise ValueError(
                f"unknown export(s) {', '.join(unknown)}; exports are {', '.join(EXPORTS_BY_NAME)}"
            )
        return value


@dataclass(frozen=True)
class Vendor:
    name: str  # also the folder name in a drop
    tables: tuple[VendorTable, ...]
    options_model: type[SourceOptions]
    # export -> how the vendor's tables become that export's rows
    conversions: dict[str, Conversion]

    def exports_fed(self, options: SourceOptions) -> tuple[str, ...]:
        wanted = options.exports
        return tuple(e for e in self.conversions if wanted is None or e in wanted)

    def tables_of(self, export: str) -> tuple[VendorTable, ...]:
        return tuple(table for table in self.tables if table.owner == export)

    def table(self, name: str) -> VendorTable:
        return next(table for table in self.tables if table.name == name)
