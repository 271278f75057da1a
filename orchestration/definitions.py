"""Dagster definitions of cs-analytics: merges the asset modules with their resources."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.raw import raw_assets
from orchestration.assets.transform import dbt_models
from orchestration.config import DBT_EXECUTABLE, Settings
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource

settings = Settings.from_env()
settings.publish()

defs = dg.Definitions(
    assets=[*raw_assets, dbt_models],
    resources={
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
    executor=dg.in_process_executor,
)
