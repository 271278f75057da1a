"""The nightly job over every asset and the schedule that starts it (02:00 Tokyo by default)."""

import dagster as dg

from orchestration.config import Settings
from orchestration.operations.console import RUN_CONSOLE_CONFIG

NIGHTLY_JOB_NAME = "nightly"
MAX_RUNTIME_TAG = "dagster/max_runtime"
OWNERS = ["team:data-engineering"]

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Loads every pending export drop, builds and tests all dbt models, and "
    "publishes the marts for analysts if every blocking check passed.",
    owners=OWNERS,
    tags={"team": "data-engineering", "pipeline": "cs-analytics"},
    config=RUN_CONSOLE_CONFIG,
)


def run_limits(settings: Settings) -> dict[str, str]:
    """Tags of every run the automation starts: Dagster's run monitoring (the daemon, with
    `run_monitoring` enabled in dagster.yaml) fails a run still going after
    CSA_NIGHTLY_MAX_RUNTIME_SECONDS, and the failure alert reports it."""
    return {MAX_RUNTIME_TAG: str(settings.nightly_max_runtime_seconds)}


def schedule_status(settings: Settings) -> dg.DefaultScheduleStatus:
    return (
        dg.DefaultScheduleStatus.RUNNING
        if settings.automation_running
        else dg.DefaultScheduleStatus.STOPPED
    )


def build_nightly_schedule(settings: Settings) -> dg.ScheduleDefinition:
    """CSA_NIGHTLY_CRON in CSA_NIGHTLY_TIMEZONE; STOPPED unless CSA_AUTOMATION_RUNNING=true."""
    return dg.ScheduleDefinition(
        name="nightly_schedule",
        job=nightly_job,
        cron_schedule=settings.nightly_cron,
        execution_timezone=settings.nightly_timezone,
        default_status=schedule_status(settings),
        description=f"Runs the nightly job at `{settings.nightly_cron}` "
        f"({settings.nightly_timezone}).",
        tags={"trigger": "schedule", **run_limits(settings)},
    )
