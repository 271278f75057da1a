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
        """A connection; naive timestamps in exports are read in the source time zone, and
        beyond CSA_DUCKDB_MEMORY_LIMIT DuckDB spills to CSA_DUCKDB_TEMP_DIRECTORY (readers
        too: a gate's key check groups the whole table)."""
        return session(
            self.settings.warehouse_file,
            read_only=read_only,
            timezone=self.settings.source_timezone,
            memory_limit=self.settings.duckdb_memory_limit,
            temp_directory=self.settings.duckdb_temp_folder,
        )


def pipeline_resources(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources every asset and check of the code location receives."""
    return {
        "settings": settings,
        "warehouse": WarehouseResource(settings=settings),
        "dbt": dbt_resource(settings),
    }
