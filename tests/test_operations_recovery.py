"""Dead-run recovery: a run whose process died is failed and its pool slot freed; a live one not."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
from dagster._core.events import DagsterEvent, DagsterEventType
from dagster._core.storage.dagster_run import DagsterRunStatus

from orchestration.operations.recovery import recover_dead_runs


@dg.op
def load() -> None:
    pass


@dg.job
def nightly_like() -> None:
    load()


def started_run(instance: dg.DagsterInstance, pid: int) -> str:
    """A run left STARTED by a process `pid`, holding the duckdb slot."""
    run = instance.create_run_for_job(nightly_like, status=DagsterRunStatus.STARTED)
    event = DagsterEvent(DagsterEventType.RUN_START.value, job_name="nightly_like", pid=pid)
    instance.report_dagster_event(event, run_id=run.run_id)
    instance.event_log_storage.claim_concurrency_slot("duckdb", run.run_id, "load")
    return run.run_id


def test_dead_runs_are_failed_and_their_slot_freed_live_runs_untouched(tmp_path) -> None:
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots("duckdb", 2)
        exited = subprocess.Popen([sys.executable, "-c", "pass"])
        exited.wait()
        dead = started_run(instance, exited.pid)
        alive = started_run(instance, os.getpid())

        assert recover_dead_runs(instance) == [dead]

        assert instance.get_run_by_id(dead).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive).status == DagsterRunStatus.STARTED
        slots = instance.event_log_storage.get_concurrency_info("duckdb")
        assert {slot.run_id for slot in slots.claimed_slots} == {alive}
        assert recover_dead_runs(instance) == []
