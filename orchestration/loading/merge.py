"""Merging one drop's rows of an export into `raw.<export>`: the latest drop wins per key.

The rows come in the temporary table `csa_latest`, one per primary key, with `_drop_date`,
`_source_file` and `_source_line` last; `target` names the raw column each of its columns
goes to, in order (contract files stage positional columns, vendor conversions the
contract's own names).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from orchestration.contract import ExportFile
from orchestration.loading.metadata_tables import LINEAGE_COLUMNS
from orchestration.sql import identifier, qualified


def merge_latest(
    connection, export: ExportFile, drop_date: date, target: Sequence[str], staged_key: list[str]
) -> None:
    """Replace older versions with `csa_latest`'s rows; never overwrite a version from a later
    drop (a drop that arrives late is applied only where it is the newest). `staged_key`: the
    csa_latest columns (quoted) holding the primary key, in the contract's key order."""
    table = qualified("raw", export.name)
    key_match = " and ".join(
        f"t.{identifier(column)} = s.{staged}"
        for column, staged in zip(export.primary_key, staged_key, strict=True)
    )
    connection.execute(
        f"delete from {table} as t using csa_latest as s where {key_match} and t._drop_date <= ?",
        [drop_date],
    )
    columns = ", ".join(identifier(name) for name in (*target, *LINEAGE_COLUMNS))
    connection.execute(
        f"""insert into {table} ({columns})
        select s.*, current_timestamp from csa_latest as s
        where not exists (select 1 from {table} as t where {key_match})"""
    )
    if export.keeps_versions:
        # Every version this drop delivered, also where a later drop already replaced it.
        connection.execute(
            f"""insert into {qualified("raw", export.versions_table)} ({columns})
            select s.*, current_timestamp from csa_latest as s"""
        )
