"""Publishing the marts to the analysts' DuckDB file: build a new file, then swap it in.

The warehouse is rebuilt in place and a half-failed `dbt build` leaves a mix of old and new
tables, so analysts never read it. They read a copy made only after every mart and its
blocking checks succeeded, written to a new file in the same folder and renamed over the
published one (`os.replace`, atomic on POSIX). A reader that has the old file open keeps
reading the old version; the pipeline never opens the published file itself.
"""

import os
from pathlib import Path
from uuid import uuid4

PUBLISHED_SCHEMA = "marts"
_ALIAS = "csa_publication"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_tables(connection, schema: str, tables: list[str]) -> dict[str, int]:
    connection.execute(f"create schema {_ALIAS}.{schema}")
    counts = {}
    for table in tables:
        # A table missing from the warehouse raises here, before the published file is touched.
        connection.execute(
            f'create table {_ALIAS}.{schema}."{table}" as select * from {schema}."{table}"'
        )
        counts[table] = connection.execute(
            f'select count(*) from {_ALIAS}.{schema}."{table}"'
        ).fetchone()[0]
    return counts


def publish_tables(
    connection, target: Path, tables: list[str], schema: str = PUBLISHED_SCHEMA
) -> dict[str, int]:
    """Copy `schema`.`tables` of the connected warehouse to `target` atomically; rows per table.

    The list comes from the dbt manifest, so a table left in the warehouse by a model that was
    deleted is not published, and a mart that was not built fails the publication.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as the target, so the rename never crosses a file system.
    staging = target.with_name(f".{target.name}.{uuid4().hex}.tmp")
    try:
        connection.execute(f"attach '{staging}' as {_ALIAS}")
        try:
            counts = _copy_tables(connection, schema, tables)
            connection.execute(f"checkpoint {_ALIAS}")
        finally:
            connection.execute(f"detach {_ALIAS}")
        _fsync(staging)
        os.replace(staging, target)
        _fsync(target.parent)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return counts
