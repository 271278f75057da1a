"""Raw tables as engine-neutral Parquet, one folder per table, for engines other than DuckDB.

Spark (docs/spark.md) reads these folders through external tables `raw.<export>` that the
dbt `on-run-start` hook registers, so the dbt sources are the same on both engines.
"""

import shutil
from pathlib import Path

import dagster as dg

from orchestration.assets.raw import raw_asset_key
from orchestration.config import Settings
from orchestration.contract import EXPORTS
from orchestration.operations.retries import TRANSIENT_RETRY
from orchestration.resources import WarehouseResource


def parquet_folder(parquet_dir: Path, table: str) -> Path:
    return parquet_dir / table


def publish_raw_parquet(connection, parquet_dir: Path) -> dict[str, int]:
    """Write each raw.<export> table to <parquet_dir>/<export>/ (replaced whole); rows per table."""
    rows: dict[str, int] = {}
    for export in EXPORTS:
        folder = parquet_folder(parquet_dir, export.name)
        staging = folder.with_name(f".{export.name}.writing")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        connection.execute(
            f"copy (select * from raw.{export.name}) to '{staging / 'data.parquet'}' "
            "(format parquet, compression zstd)"
        )
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
        rows[export.name] = connection.execute(
            f"select count(*) from raw.{export.name}"
        ).fetchone()[0]
    return rows


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
def raw_parquet(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Every raw table as engine-neutral Parquet (one folder per table, CSA_PARQUET_DIR), written
    after the raw gates passed; the dbt sources read it on the Spark engine (docs/spark.md)."""
    parquet_dir = Settings.from_env().raw_parquet_dir
    with warehouse.session(read_only=True) as connection:
        rows = publish_raw_parquet(connection, parquet_dir)
    context.log.info(f"Published {len(rows)} raw tables as Parquet to {parquet_dir}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(parquet_dir)),
            "row_counts": dg.MetadataValue.json(rows),
            "dagster/row_count": sum(rows.values()),
        }
    )
