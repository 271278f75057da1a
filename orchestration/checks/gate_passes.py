"""Where each raw gate last passed, so that the next run validates only the rows loaded since.

Rows that passed stay valid. The loader never changes a raw row in place: a newer version of a
key deletes the old row and inserts a new one with a new `_loaded_at`, so it is validated as a
new row. A table's keys only accumulate, so a reference that resolved once still resolves. Two
things validate every row again: a changed suite (its fingerprint is part of the record) and a
pass while a referenced table had not been delivered yet (such a reference is skipped, so that
pass is not recorded). Rules over whole tables (FX coverage, quarantine, unknown columns) read
them in full on every run.
"""

from __future__ import annotations

from datetime import datetime

from orchestration.loading.metadata_tables import ensure_metadata_tables


def last_pass(connection, table: str, suite: str) -> datetime | None:
    """`_loaded_at` of the newest row the last passing run of this suite covered (None on a
    warehouse no loader of this version has touched, where the table does not exist yet)."""
    exists = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'raw' and table_name = '_gate_passes'"
    ).fetchone()[0]
    if not exists:
        return None
    return connection.execute(
        "select max(validated_through) from raw._gate_passes where export = ? and suite = ?",
        [table, suite],
    ).fetchone()[0]


def record_pass(connection, table: str, suite: str, through: datetime) -> None:
    ensure_metadata_tables(connection)
    connection.execute(
        "insert into raw._gate_passes values (?, ?, ?, current_timestamp)",
        [table, suite, through],
    )
