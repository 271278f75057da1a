"""A declared mapping in sources.yml: how a tool we ship no code for feeds contract exports.

```yaml
sources:
  zoho_crm:                       # the folder <drop>/zoho_crm/ (a name no built-in vendor has)
    mappings:
      accounts:                   # a contract export (or a list of parts, unioned)
        files: "Accounts*.csv"    # glob inside the vendor folder, ignoring case
        format: csv               # csv | ndjson | json | parquet
        encoding: utf-8           # csv and ndjson: utf-8 (BOM or not), cp932, utf-16, ...
        timezone: Asia/Tokyo      # of timestamps without an offset (default CSA_SOURCE_TIMEZONE)
        filter: "\"Account Type\" = 'Customer'"   # SQL over source columns; other rows: skipped
        columns:                  # every contract column, each one of:
          account_id: {from: Record Id}            # a source field (CSV header, JSON path)
          company_size: {sql: "case when ... end"} # an SQL expression over source columns
          csm_id: {value: null}                    # a constant
          country: {from: Billing Country, values: {Japan: JP}}   # + a value map
          created_at: {from: Created Time, format: "%m/%d/%Y %H:%M", timezone: Asia/Tokyo}
```

Rules and the worked example: docs/sources.md, "Declared mappings".
"""

from __future__ import annotations

import codecs
import re
from typing import Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from orchestration.contract import EXPORTS_BY_NAME

# Time formats that are no strptime pattern: seconds or milliseconds since 1970-01-01 UTC.
EPOCH_FORMATS = ("epoch", "epoch_ms")


def iana_zone(value: str | None) -> str | None:
    if value is not None and value not in available_timezones():
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Asia/Tokyo, UTC)")
    return value


def as_text(value: object) -> str | None:
    """A YAML scalar as text, as a file would hold it (YAML reads `1` as a number and `yes`
    as true: they are compared as `1` and `true`; quote a key to keep it as written)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ColumnMapping(BaseModel):
    """How one contract column is computed: exactly one of `from`, `sql`, `value`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str | None = Field(None, alias="from", min_length=1)
    sql: str | None = Field(None, min_length=1)
    value: str | int | float | bool | None = None
    # Source value -> contract value; a value not in the map quarantines its record.
    values: dict[str, str | None] | None = None
    # With `values`: a value matching this pattern (in full) passes as it is (ISO codes).
    keep: str | None = Field(None, min_length=1)
    format: str | None = Field(None, min_length=1)  # strptime pattern, epoch or epoch_ms
    timezone: str | None = None
    # An empty value quarantines the record; the text says what is missing and where.
    required: str | None = Field(None, min_length=1)
    # An empty value is loaded and reported with this text (a warning on the record).
    warn_empty: str | None = Field(None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_way(cls, data: object) -> object:
        if isinstance(data, dict):
            given = [key for key in ("from", "sql", "value") if key in data]
            if len(given) != 1:
                raise ValueError(
                    "give exactly one of from (a source field), sql (an expression) or "
                    f"value (a constant); got {', '.join(given) or 'none'}"
                )
        return data

    @field_validator("values", mode="before")
    @classmethod
    def _values_as_text(cls, value: object) -> object:
        if isinstance(value, dict):
            return {as_text(key): as_text(target) for key, target in value.items()}
        return value

    @field_validator("value", mode="after")
    @classmethod
    def _constant_as_text(cls, value: object) -> object:
        return as_text(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return iana_zone(value)


class FileSet(BaseModel):
    """Files of the vendor folder matching a glob (ignoring case), and how to read them."""

    model_config = ConfigDict(extra="forbid")

    files: str = Field(min_length=1)
    format: Literal["csv", "ndjson", "json", "parquet"] = "csv"
    encoding: str = "utf-8"
    delimiter: str = Field(",", min_length=1, max_length=1)

    @field_validator("files")
    @classmethod
    def _inside_the_folder(cls, value: str) -> str:
        if "/" in value or "\\" in value or value.startswith("."):
            raise ValueError(f"{value!r}: a file name pattern inside the vendor folder, no path")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError as error:
            raise ValueError(f"unknown encoding {value!r} (e.g. utf-8, cp932)") from error
        return value


class Lookup(FileSet):
    """Other files an expression may read, by key: a table named after the lookup, with its
    fields and `_key` (the key field as text); of a key given twice the latest record wins."""

    key: str = Field(min_length=1)
    filter: str | None = Field(None, min_length=1)  # SQL over `source`; others: skipped


class ExportMapping(FileSet):
    """The files of one vendor folder that feed one contract export, and how."""

    timezone: str | None = None
    filter: str | None = Field(None, min_length=1)
    lookups: dict[str, Lookup] = Field(default_factory=dict)
    columns: dict[str, ColumnMapping]

    @field_validator("lookups")
    @classmethod
    def _lookup_names(cls, value: dict[str, Lookup]) -> dict[str, Lookup]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name.startswith("csa_"):
                raise ValueError(f"{name!r}: a lookup is named in lower-case letters, digits, _")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return iana_zone(value)


class DeclaredOptions(BaseModel):
    """A sources.yml entry that is a declared mapping: export -> mapping (or parts)."""

    model_config = ConfigDict(extra="forbid")

    # Small tables of configuration (rows of text) that expressions may read by name.
    tables: dict[str, list[dict[str, str | int | float | bool | None]]] = Field(
        default_factory=dict
    )
    # One mapping, or a list of parts whose rows are unioned (Salesforce Task and Event).
    mappings: dict[str, list[ExportMapping]] = Field(min_length=1)

    @field_validator("mappings", mode="before")
    @classmethod
    def _parts(cls, value: object) -> object:
        if isinstance(value, dict):
            return {k: v if isinstance(v, list) else [v] for k, v in value.items()}
        return value

    @field_validator("tables")
    @classmethod
    def _table_shapes(cls, value: dict[str, list[dict]]) -> dict[str, list[dict]]:
        for name, rows in value.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name.startswith("csa_"):
                raise ValueError(f"{name!r}: a table is named in lower-case letters, digits, _")
            if not rows or any(set(row) != set(rows[0]) or not row for row in rows):
                raise ValueError(f"{name}: give at least one row, every row with the same keys")
        return value

    def parts(self, export: str) -> tuple[ExportMapping, ...]:
        return tuple(self.mappings.get(export, ()))

    @property
    def exports(self) -> tuple[str, ...]:
        return tuple(self.mappings)


def declared_problems(options: DeclaredOptions) -> list[tuple[tuple, str]]:
    """What the schema cannot say: (key path inside the entry, message) for an export that
    does not exist, and for columns a part leaves out or that the export does not have.
    Paths count parts (`mappings.accounts.0`) whether or not the YAML wrote a list."""
    problems: list[tuple[tuple, str]] = []
    for name in options.mappings:
        export = EXPORTS_BY_NAME.get(name)
        if export is None:
            problems.append(
                (("mappings", name), f"no such export; exports are {', '.join(EXPORTS_BY_NAME)}")
            )
            continue
        for index, part in enumerate(options.parts(name)):
            where = ("mappings", name, index, "columns")
            contract = set(export.column_names)
            unknown = sorted(set(part.columns) - contract)
            missing = [c for c in export.column_names if c not in part.columns]
            if unknown:
                problems.append(
                    ((*where, unknown[0]), f"{', '.join(unknown)}: no column of {name}")
                )
            if missing:
                problems.append(
                    (
                        where,
                        f"every column of {name} must be declared; missing "
                        f"{', '.join(missing)} (write `value: null` for one the tool lacks)",
                    )
                )
    return problems
