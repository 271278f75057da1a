"""Materializing a selection of the real Definitions in this process, for scripts and tests."""

from __future__ import annotations

import dagster as dg

from orchestration.config import Settings
from orchestration.resources import pipeline_resources


def materialize(
    settings: Settings,
    selection: str | dg.AssetSelection = "*",
    *,
    raise_on_error: bool = True,
    instance: dg.DagsterInstance | None = None,
) -> dg.ExecuteInProcessResult:
    """Run `selection` (assets and their checks) with resources built from `settings`."""
    from orchestration.definitions import defs

    return dg.materialize(
        [*(defs.assets or []), *(defs.asset_checks or [])],
        resources=pipeline_resources(settings),
        selection=selection,
        raise_on_error=raise_on_error,
        instance=instance,
    )
