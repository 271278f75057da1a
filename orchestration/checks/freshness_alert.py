"""Late exports alert: after every finished run, the exports whose `freshness` check warned
are logged and posted to CSA_ALERT_WEBHOOK_URL (when set), like a failed run
(orchestration/operations/alerts.py). A check that passes, or a run without freshness checks,
posts nothing."""

from __future__ import annotations

import dagster as dg

from orchestration.checks.freshness import CHECK_NAME
from orchestration.config import Settings
from orchestration.operations.alerts import post_webhook
from orchestration.operations.drop_sensor import sensor_status


def late_exports(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The descriptions of the run's freshness checks that warned, by export."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = [record.event_log_entry.dagster_event.event_specific_data for record in records]
    return sorted(
        evaluation.description or evaluation.asset_key.to_user_string()
        for evaluation in evaluations
        if evaluation.check_name == CHECK_NAME and not evaluation.passed
    )


def late_text(job_name: str, run_id: str, late: list[str]) -> str:
    lines = [f":warning: cs-analytics run {run_id} of job `{job_name}`: {len(late)} late export(s)"]
    return "\n".join([*lines, *(f"- {line}" for line in late)])


def build_late_export_alerts(settings: Settings) -> list[dg.SensorDefinition]:
    """One run status sensor per final status (a failed run may have loaded fine)."""
    webhook_url = settings.alert_webhook_url

    def build(status: dg.DagsterRunStatus) -> dg.SensorDefinition:
        @dg.run_status_sensor(
            run_status=status,
            name=f"late_export_alert_on_{status.value.lower()}",
            default_status=sensor_status(settings),
            monitor_all_code_locations=False,
            description="Logs the exports whose freshness check warned in the run and posts "
            "them to CSA_ALERT_WEBHOOK_URL when set.",
        )
        def _alert(context: dg.RunStatusSensorContext) -> None:
            """Reports the run's late exports."""
            run = context.dagster_run
            late = late_exports(context.instance, run.run_id)
            if not late:
                return
            text = late_text(run.job_name, run.run_id, late)
            context.log.warning(text)
            if webhook_url:
                post_webhook(webhook_url, text)

        return _alert

    return [build(dg.DagsterRunStatus.SUCCESS), build(dg.DagsterRunStatus.FAILURE)]
