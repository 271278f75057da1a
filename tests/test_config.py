"""Settings: the one route configuration takes, from CSA_* variables to assets and dbt."""

from __future__ import annotations

import os
import re

import pytest

from orchestration.config import REPO_ROOT, VARIABLES, ConfigurationError, Settings
from orchestration.project import dbt_environment, dbt_resource
from orchestration.resources import WarehouseResource


def test_every_variable_is_documented_once_in_the_readme_table() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `(CSA_[A-Z_]+)` \|", readme, flags=re.MULTILINE)
    assert sorted(documented) == sorted(variable.name for variable in VARIABLES)
    assert len(documented) == len(set(documented))


def test_every_variable_sets_its_field() -> None:
    fields = set(Settings.model_fields)
    assert {variable.field for variable in VARIABLES} <= fields


@pytest.mark.parametrize("name", ["CSA_LANDING_DIR", "CSA_WAREHOUSE_PATH", "CSA_REPORT_PATH"])
def test_an_empty_path_variable_stops_with_its_name(name: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} is set but empty"):
        Settings.from_env({name: "  "})


def test_empty_non_path_variables_take_the_default() -> None:
    settings = Settings.from_env({"CSA_REPORTING_CURRENCY": "", "CSA_AS_OF_DATE": " "})
    assert settings.reporting_currency == "JPY"
    assert settings.as_of is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CSA_AS_OF_DATE": "2026-13-01"}, "CSA_AS_OF_DATE='2026-13-01' is not a YYYY-MM-DD"),
        ({"CSA_REPORTING_CURRENCY": "yens"}, "CSA_REPORTING_CURRENCY='YENS' is not an ISO 4217"),
        ({"CSA_ENGINE": "postgres"}, "CSA_ENGINE='postgres' is not supported"),
        ({"CSA_SPARK_PORT": "ten"}, "CSA_SPARK_PORT='ten'"),
        ({"CSA_SOURCE_ENCODINGS": "accounts"}, "CSA_SOURCE_ENCODINGS='accounts'"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings.from_env(env)


def test_dbt_gets_its_variables_only_while_it_starts(tmp_path) -> None:
    settings = Settings(warehouse_path=str(tmp_path / "w.duckdb"), engine="spark")
    before = {name: os.environ.get(name) for name in settings.dbt_environment()}
    with dbt_environment(settings):
        assert os.environ["CSA_WAREHOUSE_PATH"] == str(tmp_path / "w.duckdb")
        assert os.environ["CSA_DBT_TARGET"] == "spark"
        assert "spark.sql.warehouse.dir" in os.environ["PYSPARK_SUBMIT_ARGS"]
    assert {name: os.environ.get(name) for name in before} == before


def test_spark_reads_raw_parquet_through_a_dbt_var(tmp_path) -> None:
    duck = Settings(warehouse_path=str(tmp_path / "w.duckdb"))
    spark = Settings(warehouse_path=str(tmp_path / "w.duckdb"), engine="spark")
    assert "raw_parquet_dir" not in duck.dbt_vars()  # DuckDB reuses the prepared parse
    assert spark.dbt_vars()["raw_parquet_dir"] == str(tmp_path / "parquet")
    assert dbt_resource(spark).build_args()[:2] == ["build", "--vars"]


def test_duckdb_spills_where_configured_in_every_connection(tmp_path) -> None:
    """CSA_DUCKDB_MEMORY_LIMIT and CSA_DUCKDB_TEMP_DIRECTORY reach the pipeline's own
    connections (read-only ones too) and dbt's, which reads them in profiles.yml."""
    settings = Settings.from_env(
        {
            "CSA_WAREHOUSE_PATH": str(tmp_path / "w.duckdb"),
            "CSA_DUCKDB_MEMORY_LIMIT": "512MB",
            "CSA_DUCKDB_TEMP_DIRECTORY": str(tmp_path / "spill"),
        }
    )
    warehouse = WarehouseResource(settings=settings)
    with warehouse.session() as connection:
        connection.execute("create table t (x int)")
    for read_only in (False, True):
        with warehouse.session(read_only=read_only) as connection:
            limit, folder = connection.execute(
                "select current_setting('memory_limit'), current_setting('temp_directory')"
            ).fetchone()
        assert (limit, folder) == ("488.2 MiB", str(tmp_path / "spill"))
    environment = settings.dbt_environment()
    assert environment["CSA_DUCKDB_MEMORY_LIMIT"] == "512MB"
    assert environment["CSA_DUCKDB_TEMP_DIRECTORY"] == str(tmp_path / "spill")
    profile = (REPO_ROOT / "dbt_project" / "profiles.yml").read_text(encoding="utf-8")
    assert "memory_limit: \"{{ env_var('CSA_DUCKDB_MEMORY_LIMIT'" in profile
    assert "temp_directory: \"{{ env_var('CSA_DUCKDB_TEMP_DIRECTORY'" in profile
    # The default spills beside the warehouse, as DuckDB itself would.
    assert Settings(warehouse_path=str(tmp_path / "w.duckdb")).duckdb_temp_folder == (
        tmp_path / "w.duckdb.tmp"
    )
