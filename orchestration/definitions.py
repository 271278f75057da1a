"""Dagster definitions of cs-analytics: merges the asset modules with their resources."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.parquet import raw_parquet
from orchestration.assets.raw import raw_assets
from orchestration.assets.transform import dbt_models
from orchestration.checks.freshness import freshness_checks
from orchestration.checks.freshness_alert import build_late_export_alerts
from orchestration.checks.raw_gates import raw_gates
from orchestration.checks.run_report import build_run_report_sensors, run_checks_spec
from orchestration.config import Settings
from orchestration.operations.alerts import build_failure_sensor
from orchestration.operations.console import run_console
from orchestration.operations.drop_sensor import build_drop_sensor
from orchestration.operations.nightly import build_nightly_schedule, nightly_job
from orchestration.operations.publication_asset import build_publication_asset, mart_keys
from orchestration.operations.recovery import build_recovery_sensor
from orchestration.reports.asset import build_kpi_report_asset
from orchestration.resources import pipeline_resources

settings = Settings.from_env()

defs = dg.Definitions(
    assets=[
        *raw_assets,
        raw_parquet,
        dbt_models,
        build_publication_asset(dbt_models),
        build_kpi_report_asset({key.path[-1]: key for key in mart_keys(dbt_models)}),
        run_checks_spec,
    ],
    asset_checks=[*raw_gates, *freshness_checks],
    jobs=[nightly_job],
    schedules=[build_nightly_schedule(settings)],
    sensors=[
        build_drop_sensor(settings, nightly_job),
        build_failure_sensor(settings),
        build_recovery_sensor(settings),
        *build_run_report_sensors(),
        *build_late_export_alerts(settings),
    ],
    resources=pipeline_resources(settings),
    loggers={"console": run_console},
    executor=dg.in_process_executor,
)
