"""Recovering from a killed run: mark runs whose process died as failed and free their slots.

A run killed with SIGKILL (or by a reboot or the OOM killer) stays STARTED in the Dagster
instance and keeps its `duckdb` pool slot, so the next run waits for that slot forever
(measured: a re-run after a SIGKILL was still waiting 5 minutes later). Dagster's run
monitoring cannot see a dead worker of the default run launcher, so this module does it:
`python -m orchestration.operations.recovery`, or the `dead_run_recovery` sensor.
Runs are checked by the PID of their RUN_START event, so it must run on the run's host.
"""

import os

import dagster as dg

from orchestration.config import Settings
from orchestration.operations.drop_sensor import sensor_status

_IN_PROGRESS = [
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


def _run_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    starts = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_START)
    return starts[0].dagster_event.pid if starts and starts[0].dagster_event else None


def recover_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail every in-progress run whose process is gone and free its pool slots; their ids."""
    recovered = []
    for record in instance.get_run_records(dg.RunsFilter(statuses=_IN_PROGRESS)):
        run = record.dagster_run
        pid = _run_pid(instance, run.run_id)
        if pid is None or _process_alive(pid):
            continue
        instance.report_run_failed(run, f"Run process {pid} died; marked failed by recovery.")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        recovered.append(run.run_id)
    return recovered


def build_recovery_sensor(settings: Settings) -> dg.SensorDefinition:
    """Every 5 minutes, recovers runs whose process died, so the next run is not stuck."""

    @dg.sensor(
        name="dead_run_recovery",
        minimum_interval_seconds=300,
        default_status=sensor_status(settings),
        description="Marks runs whose process died as failed and frees their duckdb pool slot.",
    )
    def dead_run_recovery(context: dg.SensorEvaluationContext) -> dg.SkipReason:
        """Recovers dead runs."""
        recovered = recover_dead_runs(context.instance)
        return dg.SkipReason(f"Recovered runs: {', '.join(recovered) or 'none'}.")

    return dead_run_recovery


def main() -> None:
    with dg.DagsterInstance.get() as instance:
        recovered = recover_dead_runs(instance)
    print(f"Recovered {len(recovered)} dead run(s): {', '.join(recovered) or '-'}")


if __name__ == "__main__":
    main()
