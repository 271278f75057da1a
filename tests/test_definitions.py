"""The Definitions load, and the asset graph has the shape the product promises."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import dagster as dg
import dagster_dbt.core.resource as dagster_dbt_resource_module

from orchestration.assets.parquet import RAW_PARQUET_KEY
from orchestration.assets.transform import prune_dbt_invocations
from orchestration.config import DBT_EXECUTABLE, Settings
from orchestration.contract import EXPORTS
from orchestration.project import dbt_resource


def test_definitions_load_with_a_raw_asset_per_export() -> None:
    from orchestration.definitions import defs

    repository = defs.get_repository_def()
    keys = set(repository.asset_graph.get_all_asset_keys())
    for export in EXPORTS:
        key = dg.AssetKey(["raw", export.name])
        assert key in keys
        assert repository.asset_graph.get(key).group_name == "raw"


def test_dbt_sources_hang_off_the_raw_assets() -> None:
    from orchestration.definitions import defs

    graph = defs.get_repository_def().asset_graph
    staging = graph.get(dg.AssetKey(["staging", "stg_billing__subscription_items"]))
    assert dg.AssetKey(["raw", "subscription_items"]) in staging.parent_keys
    assert staging.group_name == "staging"
    # ... and wait for the raw Parquet that the Spark engine's sources read; models that read
    # only other models do not.
    assert RAW_PARQUET_KEY in staging.parent_keys
    parquet = graph.get(RAW_PARQUET_KEY)
    assert parquet.parent_keys == {dg.AssetKey(["raw", export.name]) for export in EXPORTS}
    marts = graph.get(dg.AssetKey(["marts", "mrr_monthly"]))
    assert RAW_PARQUET_KEY not in marts.parent_keys


def test_local_spark_keeps_its_tables_and_metastore_in_the_configured_folder(tmp_path) -> None:
    settings = Settings.from_env(
        {"CSA_ENGINE": "spark", "CSA_SPARK_LOCAL_DIR": str(tmp_path / "spark home")}
    )
    args = shlex.split(settings.local_spark_submit_args())
    assert args[-1] == "pyspark-shell"
    assert f"spark.sql.warehouse.dir={tmp_path / 'spark home' / 'warehouse'}" in args
    assert f"-Dderby.system.home={tmp_path / 'spark home'}" in args
    # Nothing of Spark's may reach dbt's output: no progress bar, its log to a file.
    assert "spark.ui.showConsoleProgress=false" in args
    environment = settings.dbt_environment()
    assert Path(environment["LOG4J_CONFIGURATION_FILE"]).is_file()
    assert environment["CSA_SPARK_LOG_FILE"] == str(tmp_path / "spark home" / "logs" / "spark.log")


def test_dbt_build_args_pass_settings_as_vars() -> None:
    settings = Settings.from_env({"CSA_AS_OF_DATE": "2026-10-15", "CSA_REPORTING_CURRENCY": "usd"})

    args = dbt_resource(settings).build_args()

    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {
        "as_of_date": "2026-10-15",
        "reporting_currency": "USD",
        "reporting_timezone": "Asia/Tokyo",
    }
    assert args[3:] == ["--exclude-resource-type", "unit_test"]


def test_relative_paths_resolve_against_the_repository() -> None:
    settings = Settings.from_env({"CSA_WAREHOUSE_PATH": "data/x.duckdb"})
    assert settings.warehouse_file.is_absolute()
    assert settings.warehouse_file.parts[-2:] == ("data", "x.duckdb")
    assert settings.encoding_for("accounts") == "utf-8"
    cp932 = Settings.from_env({"CSA_SOURCE_ENCODINGS": "accounts=cp932, plans = cp932"})
    assert cp932.encoding_for("plans") == "cp932"


def test_dbt_resource_knows_the_dbt_version_without_running_dbt(monkeypatch) -> None:
    """dagster-dbt would run `dbt --version` (about 4 s, and a PyPI lookup) before every step."""
    completed = subprocess.run(
        [DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True
    )
    installed = re.search(r"installed:\s*(\d+\.\d+\.\d+)", completed.stdout).group(1)

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(dagster_dbt_resource_module, "check_output", no_subprocess)
    assert str(dbt_resource(Settings())._cli_version) == installed


def test_dbt_resource_builds_no_dbt_adapter_in_the_dagster_process(monkeypatch) -> None:
    """dagster-dbt would load dbt's profile, project and macros before every step (1 to 2 s)
    to fetch row counts and column metadata, which the assets do not ask for."""
    import dbt.adapters.factory

    def no_adapter(*args, **kwargs):
        raise AssertionError("a dbt adapter was registered")

    monkeypatch.setattr(dbt.adapters.factory, "register_adapter", no_adapter)
    assert dbt_resource(Settings())._initialize_dbt_core_adapter(["build"]) is None


def test_old_dbt_target_folders_are_pruned_newest_kept(tmp_path) -> None:
    for age in range(5):
        folder = tmp_path / f"dbt_models-run{age}-x"
        folder.mkdir()
        (folder / "run_results.json").write_text("{}")
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))
    (tmp_path / "manifest.json").write_text("{}")

    removed = prune_dbt_invocations(tmp_path, "dbt_models-*", keep=2)

    assert sorted(path.name for path in removed) == [
        "dbt_models-run2-x",
        "dbt_models-run3-x",
        "dbt_models-run4-x",
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "dbt_models-run0-x",
        "dbt_models-run1-x",
        "manifest.json",
    ]
