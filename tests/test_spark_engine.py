"""engine=spark through Dagster: raw loads and gates, raw Parquet, `dbt build` on local Spark
with its tests as asset checks; the marts equal the DuckDB engine's (docs/spark.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.parquet import RAW_PARQUET_KEY
from tests.pipeline import run_pipeline

pytest.importorskip("pyspark", reason="make install-spark")

pytestmark = [pytest.mark.spark, pytest.mark.pipeline]


def rounded(columns: list[str], rows: list[tuple]) -> list[tuple]:
    """Money to 0.01 and rates to 1e-6, as the parity test compares (tests/test_spark_parity)."""

    def value(column: str, item: object) -> object:
        if isinstance(item, Decimal | float):
            return round(float(item), 6 if column.endswith("_pct") else 2)
        return item

    return sorted(
        (tuple(value(c, item) for c, item in zip(columns, row, strict=True)) for row in rows),
        key=repr,
    )


def test_the_spark_engine_builds_the_marts_with_their_checks_through_dagster(
    small_example: Path, tmp_path: Path
) -> None:
    landing = small_example / "landing"
    duck = run_pipeline(landing, tmp_path / "duckdb")
    spark_home = tmp_path / "spark-home"
    run = run_pipeline(
        landing,
        tmp_path / "spark",
        engine="spark",
        spark_local_dir=str(spark_home),
    )

    assert run.result.success
    materialized = {event.asset_key for event in run.result.get_asset_materialization_events()}
    assert RAW_PARQUET_KEY in materialized
    assert dg.AssetKey(["marts", "kpi_monthly"]) in materialized
    # The analysts' copy and the report are made from the Spark marts, as on DuckDB.
    assert {dg.AssetKey("analytics_publication"), dg.AssetKey("kpi_report")} <= materialized
    assert run.settings.report_path.is_file() and run.settings.publication_path.is_file()
    dbt_checks = [
        evaluation
        for evaluation in run.result.get_asset_check_evaluations()
        if evaluation.asset_key.path[0] in ("staging", "intermediate", "marts")
    ]
    assert len(dbt_checks) > 50 and all(evaluation.passed for evaluation in dbt_checks)
    # Nothing of Spark's was left in the repository: tables and metastore are in spark_home.
    marts_dir = spark_home / "warehouse" / "marts.db"
    assert (spark_home / "metastore_db").is_dir() and marts_dir.is_dir()

    with duckdb.connect(str(duck.settings.warehouse_file), read_only=True) as connection:
        marts = [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        assert len(marts) >= 10
        for mart in marts:
            on_duckdb = connection.execute(f"select * from marts.{mart}")
            columns = [column[0] for column in on_duckdb.description]
            expected = rounded(columns, on_duckdb.fetchall())
            on_spark = connection.execute(
                f"select {', '.join(columns)} from read_parquet(?)",
                [str(marts_dir / mart / "*.parquet")],
            ).fetchall()
            assert rounded(columns, on_spark) == expected, f"marts.{mart} differs on Spark"
    with duckdb.connect(str(run.settings.publication_path), read_only=True) as published:
        [(customers,)] = published.execute(
            "select customers from marts.kpi_monthly order by month desc limit 1"
        ).fetchall()
    assert (
        customers
        == duck.query("select customers from marts.kpi_monthly order by month desc limit 1")[0][0]
    )
