"""Materializing a selection of the real Definitions in this process, for scripts and tests."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.config import DBT_EXECUTABLE, Settings
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource


def materialize(
    settings: Settings,
    selection: str | dg.AssetSelection = "*",
    *,
    raise_on_error: bool = True,
    instance: dg.DagsterInstance | None = None,
) -> dg.ExecuteInProcessResult:
    """Run `selection` (assets and their checks) with resources built from `settings`."""
    from orchestration.definitions import defs

    settings.publish()
    resources = {
        "warehouse": WarehouseResource.from_settings(settings),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    }
    return dg.materialize(
        [*(defs.assets or []), *(defs.asset_checks or [])],
        resources=resources,
        selection=selection,
        raise_on_error=raise_on_error,
        instance=instance,
    )
