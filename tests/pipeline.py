"""Running the real pipeline (Dagster + DuckDB + dbt) on a landing folder inside a test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
from dbt.cli.main import dbtRunner

from orchestration.config import DBT_PROJECT_DIR, Settings
from orchestration.project import dbt_environment
from orchestration.runner import materialize


@dataclass
class PipelineRun:
    settings: Settings
    result: dg.ExecuteInProcessResult

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.settings.warehouse_file), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()

    def raw_checks(self, table: str) -> dict[str, dg.AssetCheckEvaluation]:
        """The evaluations of raw.<table>'s checks in this run, by check name."""
        return {
            e.check_name: e
            for e in self.result.get_asset_check_evaluations()
            if e.asset_key == dg.AssetKey(["raw", table])
        }

    def query_dicts(self, sql: str) -> list[dict]:
        with duckdb.connect(str(self.settings.warehouse_file), read_only=True) as connection:
            cursor = connection.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_settings(landing: Path, workdir: Path, **overrides: object) -> Settings:
    """Settings of one test: its landing folder, everything else in `workdir`; the test
    process's own CSA_* variables are never read."""
    return Settings(
        landing_dir=str(landing), warehouse_path=str(workdir / "warehouse.duckdb"), **overrides
    )


def run_pipeline(
    landing: Path,
    workdir: Path,
    *,
    selection: str | dg.AssetSelection = "*",
    raise_on_error: bool = True,
    instance: dg.DagsterInstance | None = None,
    **overrides: object,
) -> PipelineRun:
    """Materialize `selection` of the real Definitions' assets with this test's settings
    (`overrides` are Settings fields, e.g. as_of_date="2026-04-15")."""
    settings = test_settings(landing, workdir, **overrides)
    return PipelineRun(
        settings, materialize(settings, selection, raise_on_error=raise_on_error, instance=instance)
    )


def dbt_test_statuses(
    settings: Settings, select: str, target: Path, exclude: tuple[str, ...] = ()
) -> dict[str, str]:
    """`dbt test --select <select>` on the warehouse of `settings` (e.g. a tampered copy of a
    run's), with the run's vars: each test's name and status (pass, fail, error)."""
    excluded = ["--exclude", *exclude] if exclude else []
    with dbt_environment(settings):
        result = dbtRunner().invoke(
            [
                "test",
                "--select",
                select,
                *excluded,
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--vars",
                json.dumps(settings.dbt_vars()),
            ]
        )
    return {
        node.node.name: str(node.status)
        for node in result.result
        if node.node.resource_type == "test"
    }
