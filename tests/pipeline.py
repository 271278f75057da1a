"""Running the real pipeline (Dagster + DuckDB + dbt) on a landing folder inside a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.config import Settings
from orchestration.runner import materialize


@dataclass
class PipelineRun:
    settings: Settings
    result: dg.ExecuteInProcessResult

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.settings.warehouse_path), read_only=True) as connection:
            return connection.execute(sql, params or []).fetchall()

    def raw_checks(self, table: str) -> dict[str, dg.AssetCheckEvaluation]:
        """The evaluations of raw.<table>'s checks in this run, by check name."""
        return {
            e.check_name: e
            for e in self.result.get_asset_check_evaluations()
            if e.asset_key == dg.AssetKey(["raw", table])
        }

    def query_dicts(self, sql: str) -> list[dict]:
        with duckdb.connect(str(self.settings.warehouse_path), read_only=True) as connection:
            cursor = connection.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def configure(
    monkeypatch: pytest.MonkeyPatch, landing: Path, workdir: Path, **env: str
) -> Settings:
    """Point every CSA_* setting at this test's folders (dbt subprocesses read them too)."""
    monkeypatch.setenv("CSA_LANDING_DIR", str(landing))
    monkeypatch.setenv("CSA_WAREHOUSE_PATH", str(workdir / "warehouse.duckdb"))
    # An earlier Settings.publish() in this process exported its own Parquet folder; this
    # run's default is beside its own warehouse.
    monkeypatch.delenv("CSA_PARQUET_DIR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    settings.publish()
    return settings


def run_pipeline(
    monkeypatch: pytest.MonkeyPatch,
    landing: Path,
    workdir: Path,
    *,
    selection: str = "*",
    raise_on_error: bool = True,
    instance: dg.DagsterInstance | None = None,
    **env: str,
) -> PipelineRun:
    """Materialize `selection` of the real Definitions' assets with this test's settings."""
    settings = configure(monkeypatch, landing, workdir, **env)
    return PipelineRun(
        settings, materialize(settings, selection, raise_on_error=raise_on_error, instance=instance)
    )
