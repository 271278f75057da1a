"""Where each raw gate last passed, so that the next run validates only the rows loaded since.

Rows that passed stay valid. The loader never changes a raw row in place: a newer version of a
key deletes the old row and inserts a new one with a new `_loaded_at`, so it is validated as a
new row. A table's keys only accumulate, so a reference that resolved once still resolves. Two
things validate every row again: a changed suite (its fingerprint is part of the record) and a
pass while a referenced table had not been delivered yet (such a reference is skipped, so that
pass is not recorded). Rules over whole tables (FX coverage, quarantine, unknown columns) read
them in full whenever the gate runs.

A pass covers every load of its table up to it. A gate whose table received no load since its
last pass (no row in `raw._loads`: no new rows, no quarantined rows, no new columns) has
nothing new to validate; unless one of its rules reads other tables in full (FX coverage), its
last pass stands and its rules are not run.
"""

from __future__ import annotations

from datetime import datetime

from orchestration.loading.metadata_tables import ensure_metadata_tables


def last_pass(connection, table: str, suite: str) -> datetime | None:
    """When the newest load the last passing run of this suite covered was made (None on a
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


def latest_load(connection, table: str) -> datetime | None:
    """When the newest drop of `table` was loaded: a gate that passes covers every load up to
    it, including one whose every row was quarantined. A load and its rows share one
    transaction, so they share this timestamp: the rows loaded after a pass are those with a
    later `_loaded_at`, and a table whose latest load is its last pass got nothing since."""
    return connection.execute(
        "select max(loaded_at) from raw._loads where export = ?", [table]
    ).fetchone()[0]
