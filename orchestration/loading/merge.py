"""Merging one drop's rows of an export into `raw.<export>`: the latest drop wins per key.

The rows are read where they already are (`MergeRows`: the loader's ranked rows of a contract
file, or a vendor conversion's rows), one per primary key, never copied into a table of their
own first; `target` names the raw column each selected column goes to, in order (contract
files stage positional columns, vendor conversions the contract's own names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from orchestration.contract import ExportFile
from orchestration.loading.metadata_tables import LINEAGE_COLUMNS
from orchestration.sql import identifier, qualified


@dataclass(frozen=True)
class MergeRows:
    """`select {columns} from {relation} where {condition}`: one row per key, the columns in
    `target`'s order and then `_drop_date`, `_source_file`, `_source_line`; `parameters` bind
    the placeholders of `columns` (the drop's date, a file name). `key`: the relation's
    columns (quoted) holding the primary key, in the contract's key order."""

    relation: str
    columns: str
    parameters: tuple
    key: tuple[str, ...]
    condition: str = "true"


def merge_latest(
    connection, export: ExportFile, drop_date: date, rows: MergeRows, target: Sequence[str]
) -> None:
    """Replace older versions with the drop's rows; never overwrite a version from a later
    drop (a drop that arrives late is applied only where it is the newest)."""
    table, relation = qualified("raw", export.name), identifier(rows.relation)
    key_match = " and ".join(
        f"t.{identifier(column)} = s.{staged}"
        for column, staged in zip(export.primary_key, rows.key, strict=True)
    )
    keys = ", ".join(rows.key)
    connection.execute(
        f"delete from {table} as t using (select {keys} from {relation} where {rows.condition})"
        f" as s where {key_match} and t._drop_date <= ?",
        [drop_date],
    )
    # After the delete a key can only be held by a later drop's version; without any (every
    # drop but a late one) the insert needs no anti-join against the whole table.
    (later,) = connection.execute(
        f"select count(*) from {table} where _drop_date > ?", [drop_date]
    ).fetchone()
    kept = f" and not exists (select 1 from {table} as t where {key_match})" if later else ""
    columns = ", ".join(identifier(name) for name in (*target, *LINEAGE_COLUMNS))
    select = f"select {rows.columns}, current_timestamp from {relation} as s where {rows.condition}"
    connection.execute(f"insert into {table} ({columns}) {select}{kept}", list(rows.parameters))
    if export.keeps_versions:
        # Every version this drop delivered, also where a later drop already replaced it.
        connection.execute(
            f"insert into {qualified('raw', export.versions_table)} ({columns}) {select}",
            list(rows.parameters),
        )
