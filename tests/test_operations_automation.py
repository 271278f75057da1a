"""The nightly job, its Tokyo schedule, the complete-drop sensor and the failure alert."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import dagster as dg
import pytest
from dagster._utils.schedules import cron_string_iterator

from orchestration.checks.run_report import RUN_CHECKS_KEY
from orchestration.config import Settings
from orchestration.operations.alerts import build_failure_sensor
from orchestration.operations.drop_sensor import COMPLETE_MARKER, build_drop_sensor
from orchestration.operations.nightly import build_nightly_schedule, nightly_job


def make_drop(landing: Path, name: str, *, complete: bool) -> None:
    folder = landing / name
    folder.mkdir(parents=True)
    (folder / "accounts.csv").write_text("account_id\n")
    if complete:
        (folder / COMPLETE_MARKER).write_text("")


def evaluate(landing: Path, cursor: str | None = None) -> dg.SensorResult | dg.SkipReason:
    sensor = build_drop_sensor(Settings.from_env({"CSA_LANDING_DIR": str(landing)}), nightly_job)
    return sensor(dg.build_sensor_context(cursor=cursor))


def test_sensor_requests_a_run_for_a_complete_drop(tmp_path: Path) -> None:
    make_drop(tmp_path, "2026-10-14", complete=True)
    make_drop(tmp_path, "2026-10-15", complete=True)

    result = evaluate(tmp_path)

    assert isinstance(result, dg.SensorResult)
    [request] = result.run_requests
    assert request.run_key == "2026-10-15"
    assert request.tags["csa/drops"] == "2026-10-14,2026-10-15"
    assert request.tags["dagster/max_runtime"] == "3600"  # CSA_NIGHTLY_MAX_RUNTIME_SECONDS
    assert result.cursor == "2026-10-15"


def test_sensor_ignores_incomplete_and_already_requested_drops(tmp_path: Path) -> None:
    make_drop(tmp_path, "2026-10-15", complete=True)
    make_drop(tmp_path, "2026-10-16", complete=False)

    assert isinstance(evaluate(tmp_path, cursor="2026-10-15"), dg.SkipReason)
    assert isinstance(evaluate(tmp_path / "missing"), dg.SkipReason)

    (tmp_path / "2026-10-16" / COMPLETE_MARKER).write_text("")
    result = evaluate(tmp_path, cursor="2026-10-15")
    assert [request.run_key for request in result.run_requests] == ["2026-10-16"]


def test_schedule_runs_the_nightly_job_at_two_in_tokyo() -> None:
    schedule = build_nightly_schedule(Settings.from_env({}))

    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Tokyo"
    assert schedule.job_name == "nightly"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    # 02:00 JST is 17:00 UTC of the previous day.
    start = datetime(2026, 10, 15, tzinfo=UTC).timestamp()
    ticks = cron_string_iterator(start, schedule.cron_schedule, schedule.execution_timezone)
    assert next(ticks).astimezone(UTC) == datetime(2026, 10, 15, 17, tzinfo=UTC)


def test_automation_settings_switch_the_default_status_and_cron() -> None:
    settings = Settings.from_env(
        {"CSA_AUTOMATION_RUNNING": "true", "CSA_NIGHTLY_CRON": "30 3 * * *"}
    )

    assert build_nightly_schedule(settings).default_status == dg.DefaultScheduleStatus.RUNNING
    assert build_nightly_schedule(settings).cron_schedule == "30 3 * * *"
    # Both ways the automation starts a run give it the maximum run time of the settings.
    assert build_nightly_schedule(settings).tags["dagster/max_runtime"] == "3600"
    limited = settings.model_copy(update={"nightly_max_runtime_seconds": 900})
    assert build_nightly_schedule(limited).tags["dagster/max_runtime"] == "900"
    sensor = build_drop_sensor(settings, nightly_job)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_definitions_have_the_job_schedule_and_sensors() -> None:
    from orchestration.definitions import defs

    repository = defs.get_repository_def()
    job = repository.get_job("nightly")
    all_keys = set(repository.asset_graph.get_all_asset_keys())
    # quality/run_checks is recorded by the report sensors after a run, never materialized.
    assert set(job.asset_layer.asset_graph.get_all_asset_keys()) == all_keys - {RUN_CHECKS_KEY}
    assert dg.AssetKey("analytics_publication") in all_keys
    assert repository.get_schedule_def("nightly_schedule").job_name == "nightly"
    sensors = {sensor.name: sensor for sensor in repository.sensor_defs}
    assert set(sensors) == {
        "complete_drop_sensor",
        "run_failure_alert",
        "dead_run_recovery",
        "quality_report_on_success",
        "quality_report_on_failure",
        "late_export_alert_on_success",
        "late_export_alert_on_failure",
    }
    # The automation waits for CSA_AUTOMATION_RUNNING; the quality reports only record events.
    assert {name for name, s in sensors.items() if s.default_status.value == "RUNNING"} == {
        "quality_report_on_success",
        "quality_report_on_failure",
    }
    assert "team:data-engineering" in job.owners


class _Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Recorder.received
    server.shutdown()
    server.server_close()


@dg.op
def explode() -> None:
    raise RuntimeError("disk full")


@dg.job
def broken_job() -> None:
    explode()


def failure_context(instance: dg.DagsterInstance) -> dg.RunFailureSensorContext:
    result = broken_job.execute_in_process(instance=instance, raise_on_error=False)
    event = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    return dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert",
        dagster_event=event,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
    ).for_run_failure()


def test_failed_run_is_posted_to_the_webhook(webhook) -> None:
    url, received = webhook
    sensor = build_failure_sensor(Settings.from_env({"CSA_ALERT_WEBHOOK_URL": url}))

    with dg.DagsterInstance.ephemeral() as instance:
        context = failure_context(instance)
        sensor(context)

    [message] = received
    assert context.dagster_run.run_id in message["text"]
    assert "broken_job" in message["text"] and "failed" in message["text"]
    assert "explode: RuntimeError: disk full" in message["text"]


def test_failed_run_is_only_logged_without_a_webhook(webhook) -> None:
    _url, received = webhook
    sensor = build_failure_sensor(Settings.from_env({}))

    with dg.DagsterInstance.ephemeral() as instance:
        sensor(failure_context(instance))

    assert received == []
