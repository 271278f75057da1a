"""The `quality/run_checks` report: every check of a finished run with its outcome.

A blocked run stops before any asset downstream of the failed gate, so the report cannot be an
asset of that run. Two run status sensors (success and failure) read the run's check events
from the Dagster instance and record a materialization of `quality/run_checks` carrying the
table, so the Dagster UI shows per run, at a glance, which check stopped the line and which
checks never ran because of it. Runs started outside the daemon (`make run` runs
`dg launch`) are reported by `python -m orchestration.checks.run_report`, which records and
prints the report of the latest run.
"""

from __future__ import annotations

import dagster as dg

from orchestration.checks.check_outcomes import (
    CheckOutcome,
    Outcome,
    failing_rules,
    outcome_counts,
    run_check_outcomes,
)

QUALITY_GROUP = "quality"
RUN_CHECKS_KEY = dg.AssetKey(["quality", "run_checks"])

run_checks_spec = dg.AssetSpec(
    RUN_CHECKS_KEY,
    group_name=QUALITY_GROUP,
    kinds={"dagster"},
    description="Every asset check of the latest finished run with its outcome (passed, "
    "warning, failed, not run), recorded by the quality_report sensors after each run. "
    "Open its materializations to compare runs.",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(outcomes: list[CheckOutcome]) -> str:
    """A markdown table, failures first, for the Dagster UI."""
    lines = ["| outcome | asset | check | details |", "|---|---|---|---|"]
    lines += [
        f"| {o.outcome.value} | {_cell(o.asset)} | {_cell(o.check)} | {_cell(o.description)} |"
        for o in outcomes
    ]
    return "\n".join(lines)


def record_run_report(
    instance: dg.DagsterInstance, run: dg.DagsterRun
) -> dg.AssetMaterialization | None:
    """Record (and return) the `quality/run_checks` materialization describing `run`; None
    when the run planned no check (a job without assets)."""
    outcomes = run_check_outcomes(instance, run.run_id)
    if not outcomes:
        return None
    counts = outcome_counts(outcomes)
    stopped_by = [o.line for o in outcomes if o.outcome is Outcome.FAILED]
    materialization = dg.AssetMaterialization(
        asset_key=RUN_CHECKS_KEY,
        description=f"Run {run.run_id} ({run.job_name}) {run.status.value.lower()}: "
        + ", ".join(f"{count} {name}" for name, count in counts.items()),
        metadata={
            "run_id": run.run_id,
            "run_status": run.status.value,
            **{f"checks_{name.replace(' ', '_')}": count for name, count in counts.items()},
            "stopped_by": dg.MetadataValue.json(stopped_by),
            "failing_rules": dg.MetadataValue.json(failing_rules(outcomes)),
            "checks": dg.MetadataValue.md(report_markdown(outcomes)),
        },
    )
    instance.report_runless_asset_event(materialization)
    return materialization


def build_run_report_sensors() -> list[dg.SensorDefinition]:
    """One run status sensor per final status that records the run's check report. They only
    read the instance and record an event, so they run by default (unlike the nightly
    automation, see CSA_AUTOMATION_RUNNING)."""

    def build(status: dg.DagsterRunStatus) -> dg.SensorDefinition:
        @dg.run_status_sensor(
            run_status=status,
            name=f"quality_report_on_{status.value.lower()}",
            default_status=dg.DefaultSensorStatus.RUNNING,
            monitor_all_code_locations=False,
            description="Records quality/run_checks: every check of the run and its outcome.",
        )
        def _report(context: dg.RunStatusSensorContext) -> None:
            record_run_report(context.instance, context.dagster_run)

        return _report

    return [build(dg.DagsterRunStatus.SUCCESS), build(dg.DagsterRunStatus.FAILURE)]


def main() -> None:
    instance = dg.DagsterInstance.get()
    runs = instance.get_runs(limit=1)
    if not runs:
        raise SystemExit("No run recorded in this Dagster instance (DAGSTER_HOME) yet.")
    materialization = record_run_report(instance, runs[0])
    if materialization is None:
        print(f"Run {runs[0].run_id} planned no checks.")
        return
    print(f"Checks: {materialization.description}")
    for line in materialization.metadata["failing_rules"].value:
        print(f"  {line}")


if __name__ == "__main__":
    main()
