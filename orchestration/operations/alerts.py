"""Run failure notification: always logged; posted to a Slack-compatible webhook when set."""

import json
import urllib.request

import dagster as dg

from orchestration.config import Settings
from orchestration.operations.drop_sensor import sensor_status

WEBHOOK_TIMEOUT_SECONDS = 10


def post_webhook(url: str, text: str) -> None:
    """POST `{"text": ...}` (what Slack, Mattermost and Teams' Slack mode accept)."""
    request = urllib.request.Request(
        url,
        data=json.dumps({"text": text}).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
        response.read()


def failure_text(job_name: str, run_id: str, reasons: list[str]) -> str:
    """One line per failed step (its first error line), under a headline naming the run."""
    lines = [f":red_circle: cs-analytics run {run_id} of job `{job_name}` failed"]
    lines += [f"- {reason.strip().splitlines()[0]}" for reason in reasons if reason.strip()]
    return "\n".join(lines)


def _reasons(context: dg.RunFailureSensorContext) -> list[str]:
    reasons = []
    for event in context.get_step_failure_events():
        error = event.step_failure_data.error
        while error and error.cause:  # Dagster wraps the exception the step raised
            error = error.cause
        reasons.append(f"{event.step_key}: {error.message if error else 'failed'}")
    if not reasons and context.failure_event.message:
        reasons.append(context.failure_event.message)
    return reasons


def build_failure_sensor(settings: Settings) -> dg.SensorDefinition:
    """A run failure sensor over every job of this code location."""
    webhook_url = settings.alert_webhook_url

    @dg.run_failure_sensor(
        name="run_failure_alert",
        default_status=sensor_status(settings),
        description="Logs every failed run and posts it to CSA_ALERT_WEBHOOK_URL when set.",
    )
    def run_failure_alert(context: dg.RunFailureSensorContext) -> None:
        """Reports a failed run."""
        run = context.dagster_run
        text = failure_text(run.job_name, run.run_id, _reasons(context))
        context.log.error(text)
        if webhook_url:
            post_webhook(webhook_url, text)

    return run_failure_alert
