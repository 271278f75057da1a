"""Materializing a selection of the real Definitions in this process, for scripts and tests."""

from __future__ import annotations

import dagster as dg

from orchestration.config import Settings
from orchestration.project import dbt_resource
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
        "dbt": dbt_resource(),
    }
    return dg.materialize(
        [*(defs.assets or []), *(defs.asset_checks or [])],
        resources=resources,
        selection=selection,
        raise_on_error=raise_on_error,
        instance=instance,
    )
