"""Dagster resources built from `Settings`: the warehouse and the landing folder."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import dagster as dg
from pydantic import Field

from orchestration.config import Settings
from orchestration.warehouse import session


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file and the landing folder it is loaded from."""

    warehouse_path: str
    landing_dir: str
    source_timezone: str = "Asia/Tokyo"
    source_encodings: dict[str, str] = Field(default_factory=dict)
    memory_limit: str = "4GB"

    @classmethod
    def from_settings(cls, settings: Settings) -> WarehouseResource:
        return cls(
            warehouse_path=str(settings.warehouse_path),
            landing_dir=str(settings.landing_dir),
            source_timezone=settings.source_timezone,
            source_encodings=dict(settings.source_encodings),
            memory_limit=settings.duckdb_memory_limit,
        )

    def session(self, *, read_only: bool = False) -> AbstractContextManager:
        """A connection; naive timestamps in exports are read in the source time zone."""
        return session(
            Path(self.warehouse_path),
            read_only=read_only,
            timezone=self.source_timezone,
            memory_limit=None if read_only else self.memory_limit,
        )

    def encoding_for(self, export_name: str) -> str:
        return self.source_encodings.get(export_name, "utf-8")
