"""The pipeline stages the benchmark times, each a Dagster selection and a row count."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.assets.parquet import RAW_PARQUET_KEY
from orchestration.checks.raw_gates import raw_gates
from orchestration.config import Settings
from orchestration.reports.data import REPORT_MARTS
from orchestration.sql import qualified
from orchestration.warehouse import session

PUBLICATION = dg.AssetKey(["analytics_publication"])
REPORT = dg.AssetKey(["kpi_report"])


@dataclass
class Outcome:
    rows: int
    steps: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Stage:
    name: str
    selection: Callable[[], dg.AssetSelection]
    rows: Callable[[Settings], int]


def _scalar(settings: Settings, sql: str) -> int:
    with session(settings.warehouse_file, read_only=True) as connection:
        return int(connection.execute(sql).fetchone()[0] or 0)


def _rows_in_schemas(*schemas: str) -> Callable[[Settings], int]:
    def count(settings: Settings) -> int:
        with session(settings.warehouse_file, read_only=True) as connection:
            tables = connection.execute(
                "select table_schema, table_name from information_schema.tables "
                "where list_contains(?, table_schema) and table_name not like '\\_%' escape '\\'",
                [list(schemas)],
            ).fetchall()
            return sum(
                connection.execute(f"select count(*) from {qualified(schema, name)}").fetchone()[0]
                for schema, name in tables
            )

    return count


STAGES = (
    Stage(
        "load raw",
        lambda: (
            dg.AssetSelection.groups("raw").without_checks()
            - dg.AssetSelection.assets(RAW_PARQUET_KEY)
        ),
        lambda s: _scalar(s, "select sum(rows_read) from raw._loads"),
    ),
    Stage(
        "quality checks",
        lambda: dg.AssetSelection.checks(*raw_gates),
        _rows_in_schemas("raw"),
    ),
    Stage(
        "raw parquet", lambda: dg.AssetSelection.assets(RAW_PARQUET_KEY), _rows_in_schemas("raw")
    ),
    Stage("dbt staging", lambda: dg.AssetSelection.groups("staging"), _rows_in_schemas("staging")),
    Stage(
        "marts",
        lambda: dg.AssetSelection.groups("intermediate", "marts"),
        _rows_in_schemas("intermediate", "marts"),
    ),
    Stage(
        "report",
        lambda: dg.AssetSelection.assets(REPORT),
        lambda s: sum(
            _scalar(s, f"select count(*) from {qualified('marts', mart)}") for mart in REPORT_MARTS
        ),
    ),
    Stage("publish", lambda: dg.AssetSelection.assets(PUBLICATION), _rows_in_schemas("marts")),
)


def reference_read_seconds(landing: Path) -> float:
    """How long DuckDB alone takes to read every input file once (the floor for the load),
    the vendor folders' tables included."""
    files = sorted(str(path) for path in [*landing.glob("*/*.csv"), *landing.glob("*/*/*.csv")])
    tables = sorted(str(path) for path in landing.glob("*/*/*.parquet"))
    started = time.perf_counter()
    with duckdb.connect() as connection:
        for file in files:
            connection.execute(
                "select count(*) from read_csv(?, header = true, all_varchar = true, delim = ',', "
                "quote = '\"', escape = '\"', store_rejects = true)",
                [file],
            ).fetchone()
        for table in tables:
            connection.execute("select count(*) from read_parquet(?)", [table]).fetchone()
    return time.perf_counter() - started


def step_seconds(result: dg.ExecuteInProcessResult) -> dict[str, float]:
    """Seconds per step of a Dagster run, slowest first."""
    durations = {
        event.step_key: event.event_specific_data.duration_ms / 1000
        for event in result.all_events
        if event.event_type == dg.DagsterEventType.STEP_SUCCESS
    }
    return dict(sorted(durations.items(), key=lambda item: item[1], reverse=True))


def run_stage(settings: Settings, stage: Stage) -> Outcome:
    from orchestration.runner import materialize

    result = materialize(settings, stage.selection(), raise_on_error=False)
    if not result.success:
        raise SystemExit(f"stage {stage.name} failed; see the Dagster log above")
    return Outcome(stage.rows(settings), step_seconds(result))


def parse_dbt(settings: Settings) -> Outcome:
    """`dbt parse` with this run's settings, as a deployment does once (make dbt-parse): the
    dbt steps then reuse the parse instead of re-parsing for a changed warehouse path."""
    from orchestration.prepare import prepare_dbt

    prepare_dbt(settings)
    return Outcome(0)
