"""DuckDB and Spark build the same models from the same raw data (docs/spark.md).

The DuckDB pipeline loads the landing folder and builds everything; its raw tables are then
published as Parquet, and the same dbt project runs on a local Spark session over them.
Every model present on both engines must hold the same rows: money to 0.01, rates to 1e-6.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.assets.parquet import publish_raw_parquet
from orchestration.config import DBT_PROJECT_DIR
from orchestration.project import dbt_environment
from tests.pipeline import run_pipeline

pyspark = pytest.importorskip("pyspark", reason="make install-spark")
dbt_runner = pytest.importorskip("dbt.cli.main")

pytestmark = [pytest.mark.spark, pytest.mark.pipeline]

SCHEMAS = ("staging", "intermediate", "marts")
MODELS = sorted(
    (path.relative_to(DBT_PROJECT_DIR / "models").parts[0], path.stem)
    for path in (DBT_PROJECT_DIR / "models").rglob("*.sql")
    if path.relative_to(DBT_PROJECT_DIR / "models").parts[0] in SCHEMAS
)
# Known gaps: models that do not reach parity on Spark yet, with the reason (docs/spark.md).
KNOWN_GAPS: dict[str, str] = {}


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One local Spark session for the module: 2 shuffle partitions, warehouse in a tmp dir."""
    from pyspark.sql import SparkSession

    root = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cs-analytics-parity")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
        .config("spark.sql.warehouse.dir", str(root / "warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={root / 'derby'}")
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={root / 'metastore_db'};create=true",
        )
        .enableHiveSupport()
        .getOrCreate()
    )
    yield session
    session.stop()


def build_both(landing: Path, workdir: Path) -> dict:
    """Build on DuckDB through the pipeline, then on Spark from the published Parquet."""
    run = run_pipeline(landing, workdir, raise_on_error=False)
    parquet_dir = workdir / "parquet"
    with duckdb.connect(str(run.settings.warehouse_file), read_only=True) as connection:
        publish_raw_parquet(connection, parquet_dir)
    spark = run.settings.model_copy(update={"engine": "spark", "parquet_dir": str(parquet_dir)})
    with dbt_environment(spark):
        result = dbt_runner.dbtRunner().invoke(
            [
                "run",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target",
                "spark",
                "--target-path",
                str(workdir / "spark-target"),
                "--vars",
                json.dumps(spark.dbt_vars()),
            ]
        )
    spark_status = {
        node.node.name: str(node.status) for node in (result.result or []) if hasattr(node, "node")
    }
    return {"warehouse": run.settings.warehouse_file, "spark_status": spark_status}


@pytest.fixture(scope="module")
def small_build(spark, small_example: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    workdir = tmp_path_factory.mktemp("small")
    return build_both(small_example / "landing", workdir)


@pytest.fixture(scope="module")
def demo_build(spark, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A generated dataset of 200 accounts over 12 months (demo)."""
    from demo import generate
    from demo.config import GeneratorConfig

    workdir = tmp_path_factory.mktemp("demo")
    landing = workdir / "landing"
    generate(GeneratorConfig(out=landing, accounts=200, months=12, seed=7))
    return build_both(landing, workdir)


def _normalise(column: str, value: object) -> object:
    if isinstance(value, datetime):
        # DuckDB returns instants with their zone, pyspark naive local times: compare the epoch.
        return value.timestamp()
    if isinstance(value, Decimal | float):
        return round(float(value), 6 if column.endswith("_pct") else 2)
    return value


def _rows(names: list[str], rows: list) -> list[tuple]:
    normalised = [
        tuple(_normalise(name, value) for name, value in zip(names, row, strict=True))
        for row in rows
    ]
    return sorted(normalised, key=lambda row: tuple((value is None, str(value)) for value in row))


def _close(column: str, left: object, right: object) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return abs(left - right) <= (1e-6 if column.endswith("_pct") else 0.01)
    return left == right


def built_on_duckdb(warehouse: Path, schema: str, model: str) -> bool:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        sql = (
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?"
        )
        return connection.execute(sql, [schema, model]).fetchone()[0] == 1


def assert_same_rows(warehouse: Path, spark, schema: str, model: str) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(f"select * from {schema}.{model}")
        names = [column[0] for column in cursor.description]
        expected = _rows(names, cursor.fetchall())
    frame = spark.table(f"{schema}.{model}")
    assert sorted(frame.columns) == sorted(names), f"{schema}.{model}: columns differ"
    actual = _rows(names, [tuple(row) for row in frame.select(*names).collect()])
    assert len(actual) == len(expected), f"{schema}.{model}: {len(actual)} != {len(expected)} rows"
    for left, right in zip(expected, actual, strict=True):
        assert all(_close(name, a, b) for name, a, b in zip(names, left, right, strict=True)), (
            f"{schema}.{model}: DuckDB {left} != Spark {right}"
        )


def check_parity(build: dict, spark, schema: str, model: str) -> None:
    if model in KNOWN_GAPS:
        pytest.xfail(KNOWN_GAPS[model])
    if not built_on_duckdb(build["warehouse"], schema, model):
        pytest.skip(f"{schema}.{model} is not built on DuckDB: only models on both are compared")
    status = build["spark_status"].get(model)
    assert status == "success", f"{model} did not build on Spark: {status}"
    assert_same_rows(build["warehouse"], spark, schema, model)


@pytest.mark.parametrize(("schema", "model"), MODELS, ids=[model for _, model in MODELS])
def test_small_example_same_rows_on_spark(small_build: dict, spark, schema: str, model: str):
    check_parity(small_build, spark, schema, model)


@pytest.mark.parametrize(("schema", "model"), MODELS, ids=[model for _, model in MODELS])
def test_demo_dataset_same_rows_on_spark(demo_build: dict, spark, schema: str, model: str):
    check_parity(demo_build, spark, schema, model)
