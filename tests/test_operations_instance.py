"""The repository's dagster.yaml is a valid instance config with the single-writer limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import yaml

from orchestration.config import REPO_ROOT


def test_dagster_yaml_loads_as_an_instance_with_one_writer(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "dagster.yaml", tmp_path / "dagster.yaml")

    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        concurrency = instance.get_concurrency_config()
        assert concurrency.run_queue_config.max_concurrent_runs == 1
        assert concurrency.pool_config.default_pool_limit == 1
        assert instance.run_monitoring_settings["free_slots_after_run_end_seconds"] > 0
        # SQLite storage under DAGSTER_HOME unless a storage section says otherwise.
        assert str(tmp_path) in instance.root_directory


def test_documented_postgres_storage_snippet_is_valid(tmp_path: Path) -> None:
    """The docs/operations.md snippet, checked against Dagster's config schema."""
    from dagster._core.instance.config import dagster_instance_config

    config = yaml.safe_load((REPO_ROOT / "dagster.yaml").read_text())
    config["storage"] = {
        "postgres": {
            "postgres_db": {
                "hostname": {"env": "DAGSTER_PG_HOST"},
                "username": {"env": "DAGSTER_PG_USER"},
                "password": {"env": "DAGSTER_PG_PASSWORD"},
                "db_name": "dagster",
                "port": 5432,
            }
        }
    }
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump(config))

    validated, _custom = dagster_instance_config(str(tmp_path))
    assert validated["storage"]["postgres"]["postgres_db"]["db_name"] == "dagster"
