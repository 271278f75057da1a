"""Raw tables as engine-neutral Parquet, one folder per table, for engines other than DuckDB.

Spark (docs/spark.md) reads these folders through external tables `raw.<export>` that the
dbt `on-run-start` hook registers, so the dbt sources are the same on both engines.
"""

import shutil
from pathlib import Path

from orchestration.contract import EXPORTS


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
