"""Dagster resources built on `Settings`: the warehouse connection."""

from __future__ import annotations

from contextlib import AbstractContextManager

import dagster as dg

from orchestration.config import Settings
from orchestration.project import dbt_resource
from orchestration.warehouse import session


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file of `settings` and the landing folder it is loaded from."""

    settings: Settings

    def session(self, *, read_only: bool = False) -> AbstractContextManager:
        """A connection; naive timestamps in exports are read in the source time zone."""
        return session(
            self.settings.warehouse_file,
            read_only=read_only,
            timezone=self.settings.source_timezone,
            memory_limit=None if read_only else self.settings.duckdb_memory_limit,
        )


def pipeline_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources every asset and check of the code location receives."""
    return {
        "settings": settings,
        "warehouse": WarehouseResource(settings=settings),
        "dbt": dbt_resource(settings),
    }
