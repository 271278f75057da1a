"""Raw tables as engine-neutral Parquet, one folder per table, for engines other than DuckDB.

Spark (docs/spark.md) reads these folders through external tables `raw.<export>` that the
dbt `on-run-start` hook registers, so the dbt sources are the same on both engines.

A folder holds one file per drop (`<drop date>.parquet`) and `_manifest.json`, the
fingerprint (rows, latest `_loaded_at`, the table's columns) each file was written from. Only
drops whose fingerprint changed are written again: a new drop, an older drop that lost rows to
a newer version of the same key (the loader's "latest drop wins"), or every drop when raw
gained a column. So a nightly run writes about one drop per table, not the whole history.
Files are replaced by rename; Spark skips names starting with `.` or `_`.
"""

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.assets.raw import raw_asset_key
from orchestration.config import Settings
from orchestration.contract import EXPORTS, RAW_TABLES
from orchestration.files import partial_path, write_atomically
from orchestration.operations.retries import TRANSIENT_RETRY, retry_only_lock_errors
from orchestration.resources import WarehouseResource
from orchestration.sql import qualified

MANIFEST = "_manifest.json"
# A table without rows still gets one file with its columns: Spark reads the schema from files.
EMPTY = "empty"


@dataclass
class ParquetSync:
    """What publishing did to one table's folder."""

    rows: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _drop_fingerprints(connection, table: str) -> dict[str, list]:
    """Per drop: rows, latest `_loaded_at` and the table's columns (an unknown column in a new
    file adds one to raw, and every drop's file must then carry it)."""
    (columns,) = connection.execute(
        "select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) "
        "from information_schema.columns where table_schema = 'raw' and table_name = ?",
        [table],
    ).fetchone()
    rows = connection.execute(
        "select cast(_drop_date as varchar), count(*), epoch_us(max(_loaded_at)) "
        f"from {qualified('raw', table)} group by _drop_date"
    ).fetchall()
    fingerprints = {drop: [count, loaded_at, columns] for drop, count, loaded_at in rows}
    return fingerprints or {EMPTY: [0, None, columns]}


def _read_manifest(folder: Path) -> dict[str, list]:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def sync_table(connection, parquet_dir: Path, table: str) -> ParquetSync:
    """Bring <parquet_dir>/<table>/ in line with raw.<table>, writing only changed drops."""
    folder = parquet_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    wanted = _drop_fingerprints(connection, table)
    published = _read_manifest(folder)
    sync = ParquetSync(rows=sum(fingerprint[0] for fingerprint in wanted.values()))
    for drop, fingerprint in sorted(wanted.items()):
        target = folder / f"{drop}.parquet"
        if published.get(drop) == fingerprint and target.exists():
            continue
        temporary = partial_path(target)
        connection.execute(  # EMPTY binds NULL, which no _drop_date equals: a file of no rows
            f"copy (select * from {qualified('raw', table)} where _drop_date = ?::date) "
            "to ? (format parquet, compression zstd)",
            [None if drop == EMPTY else drop, str(temporary)],
        )
        os.replace(temporary, target)
        sync.written.append(target.name)
    for path in folder.iterdir():
        if path.name == MANIFEST or path.stem in wanted:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        sync.removed.append(path.name)
    write_atomically(folder / MANIFEST, json.dumps(wanted, indent=1, sort_keys=True))
    return sync


def publish_raw_parquet(connection, parquet_dir: Path) -> dict[str, ParquetSync]:
    """Every raw table of the dbt sources (raw.<export>, raw.<export>__versions) as Parquet
    under <parquet_dir>/<table>/; what changed per table."""
    return {table: sync_table(connection, parquet_dir, table) for table in RAW_TABLES}


RAW_PARQUET_KEY = dg.AssetKey("raw_parquet")


@dg.asset(
    key=RAW_PARQUET_KEY,
    group_name="raw",
    kinds={"parquet", "duckdb"},
    deps=[raw_asset_key(export) for export in EXPORTS],
    pool="duckdb",
    retry_policy=TRANSIENT_RETRY,
    owners=["team:data-engineering"],
)
def raw_parquet(
    context: dg.AssetExecutionContext, settings: Settings, warehouse: WarehouseResource
):
    """Every raw table as engine-neutral Parquet (one folder per table, one file per drop,
    CSA_PARQUET_DIR), written after the raw gates passed; only changed drops are rewritten.
    The dbt sources read it on the Spark engine (docs/spark.md); on DuckDB, which reads raw
    in the warehouse, nothing is written (a full copy of raw cost about 6 s at `large`)."""
    parquet_dir = settings.raw_parquet_dir
    if settings.engine != "spark":
        context.log.info(f"CSA_ENGINE={settings.engine} reads raw in the warehouse: no Parquet")
        return dg.MaterializeResult(metadata={"written": False, "engine": settings.engine})
    # Only a lock held by another process is worth the retry policy's waits (a full disk is not).
    with retry_only_lock_errors(), warehouse.session(read_only=True) as connection:
        syncs = publish_raw_parquet(connection, parquet_dir)
    written = sum(len(sync.written) for sync in syncs.values())
    removed = sum(len(sync.removed) for sync in syncs.values())
    context.log.info(
        f"Raw Parquet in {parquet_dir}: {written} drop file(s) written, {removed} removed, "
        f"{len(syncs)} tables up to date"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(parquet_dir)),
            "row_counts": dg.MetadataValue.json({t: s.rows for t, s in syncs.items()}),
            "files_written": dg.MetadataValue.json({t: s.written for t, s in syncs.items()}),
            "files_removed": dg.MetadataValue.json({t: s.removed for t, s in syncs.items()}),
            "dagster/row_count": sum(sync.rows for sync in syncs.values()),
        }
    )
