"""Publishing the marts for analysts: build a new publication, then switch to it in one rename.

The warehouse is rebuilt in place and a half-failed `dbt build` leaves a mix of old and new
tables, so analysts never read it. They read a publication made only after every mart and its
blocking checks succeeded: a folder `.<name>.<id>/` beside the published path holding
`<name>.duckdb` (the `marts` schema, written in DuckDB 1.4's storage format so tools built on
DuckDB 1.4 open it too) and `parquet/<mart>.parquet` (one file per mart, for any tool). Two
symbolic links make it visible:

    <name>          -> .<name>.<id>          replaced by one rename per publication
    <name>.duckdb   -> <name>/<name>.duckdb  created once, never changes

so the DuckDB file and the Parquet files switch together, atomically (`os.replace` of a link is
atomic on POSIX). A reader that has the old file open keeps reading the old version; the
previous publication's folder is kept until the next one, for readers still listing it. The
pipeline never opens the published files itself.
"""

import os
import shutil
from pathlib import Path
from uuid import uuid4

from orchestration.sql import identifier, literal, qualified

PUBLISHED_SCHEMA = "marts"
# The oldest DuckDB the published file must open in: Evidence's DuckDB driver, older DBeaver
# and notebook installs are on 1.4; a file in DuckDB 2.0's default format needs 2.0.
STORAGE_VERSION = "v1.4.0"
PARQUET_FOLDER = "parquet"
_ALIAS = "csa_publication"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_tables(connection, schema: str, tables: list[str], parquet: Path) -> dict[str, int]:
    connection.execute(f"create schema {qualified(_ALIAS, schema)}")
    counts = {}
    for table in tables:
        published = qualified(_ALIAS, schema, table)
        # A table missing from the warehouse raises here, before the published files change.
        connection.execute(f"create table {published} as select * from {qualified(schema, table)}")
        connection.execute(
            f"copy {published} to ? (format parquet, compression zstd)",
            [str(parquet / f"{table}.parquet")],
        )
        (counts[table],) = connection.execute(f"select count(*) from {published}").fetchone()
    return counts


def _switch_link(link: Path, points_to: str) -> None:
    """Point `link` at `points_to` (relative) in one rename, replacing what was there."""
    temporary = link.with_name(f".{link.name}.{uuid4().hex}.link")
    os.symlink(points_to, temporary)
    os.replace(temporary, link)


def publication_folder(target: Path) -> Path:
    """The link to the current publication: `analytics` beside `analytics.duckdb`."""
    return target.with_suffix("") if target.suffix else target.with_name(f"{target.name}-files")


def _remove_old_publications(folder_link: Path, keep: set[str]) -> None:
    for path in folder_link.parent.glob(f".{folder_link.name}.*"):
        if path.name not in keep:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def publish_tables(
    connection, target: Path, tables: list[str], schema: str = PUBLISHED_SCHEMA
) -> dict[str, int]:
    """Publish `schema`.`tables` of the connected warehouse at `target` (the DuckDB file's
    path) and as Parquet beside it, switching both atomically; rows per table.

    The list comes from the dbt manifest, so a table left in the warehouse by a model that was
    deleted is not published, and a mart that was not built fails the publication.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    folder_link = publication_folder(target)
    previous = os.readlink(folder_link) if folder_link.is_symlink() else None
    # Same folder as the target, so every rename stays on one file system.
    version = folder_link.with_name(f".{folder_link.name}.{uuid4().hex}")
    database = version / target.name
    (version / PARQUET_FOLDER).mkdir(parents=True)
    try:
        connection.execute(
            f"attach ? as {identifier(_ALIAS)} (storage_version {literal(STORAGE_VERSION)})",
            [str(database)],
        )
        try:
            counts = _copy_tables(connection, schema, tables, version / PARQUET_FOLDER)
            connection.execute(f"checkpoint {identifier(_ALIAS)}")
        finally:
            connection.execute(f"detach {identifier(_ALIAS)}")
        for path in [database, *(version / PARQUET_FOLDER).iterdir(), version / PARQUET_FOLDER]:
            _fsync(path)
        _fsync(version)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    _switch_link(folder_link, version.name)
    if not target.is_symlink():  # the first publication, or a file from before publications
        _switch_link(target, f"{folder_link.name}/{target.name}")
    _fsync(target.parent)
    _remove_old_publications(folder_link, {version.name, previous or version.name})
    return counts
