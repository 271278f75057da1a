"""Starting a run when a new export drop is complete: its folder holds a `_SUCCESS` marker."""

from pathlib import Path

import dagster as dg

from orchestration.config import Settings
from orchestration.loading.drops import COMPLETE_MARKER, Drop, is_complete, scan_landing
from orchestration.operations.nightly import run_limits


def complete_drops(landing_dir: Path) -> list[Drop]:
    """Drop folders (date order) that hold the completeness marker."""
    if not landing_dir.is_dir():
        return []
    return [drop for drop in scan_landing(landing_dir).drops if is_complete(drop)]


def sensor_status(settings: Settings) -> dg.DefaultSensorStatus:
    return (
        dg.DefaultSensorStatus.RUNNING
        if settings.automation_running
        else dg.DefaultSensorStatus.STOPPED
    )


def build_drop_sensor(settings: Settings, job) -> dg.SensorDefinition:
    """One run per new complete drop; cursor = latest drop date requested, run_key = its date."""
    landing_dir = settings.landing_folder

    @dg.sensor(
        name="complete_drop_sensor",
        job=job,
        minimum_interval_seconds=60,
        default_status=sensor_status(settings),
        description=f"Starts the nightly job when a drop folder in {landing_dir} gets its "
        f"`{COMPLETE_MARKER}` marker. Never opens the warehouse.",
    )
    def complete_drop_sensor(context: dg.SensorEvaluationContext):
        """Requests a run for the newest complete drop not requested before."""
        seen = context.cursor or ""
        new = [drop for drop in complete_drops(landing_dir) if drop.drop_date.isoformat() > seen]
        if not new:
            return dg.SkipReason(f"No complete drop after {seen or 'the start'} in {landing_dir}.")
        # One run loads every pending drop, so the newest one stands for all of them.
        latest = new[-1].drop_date.isoformat()
        drops = ",".join(drop.drop_date.isoformat() for drop in new)
        request = dg.RunRequest(
            run_key=latest,
            tags={
                "trigger": "drop_sensor",
                "csa/drop_date": latest,
                "csa/drops": drops,
                **run_limits(settings),
            },
        )
        return dg.SensorResult(run_requests=[request], cursor=latest)

    return complete_drop_sensor
