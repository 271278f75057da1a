"""The outcome of every asset check of one run, read from the Dagster instance's event log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum

import dagster as dg

DESCRIPTION_CHARS = 300


class Outcome(Enum):
    FAILED = "failed"
    WARNING = "warning"
    NOT_RUN = "not run"
    PASSED = "passed"


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    check: str
    outcome: Outcome
    description: str
    # Every failing rule of the check, one line each, with its severity first.
    findings: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        return f"{self.outcome.value}: {self.asset} {self.check}"


def _outcome(evaluation: dg.AssetCheckEvaluation) -> Outcome:
    if evaluation.passed:
        # A gate that passes with findings (warnings only) reports them in its description.
        warned = (
            evaluation.severity == dg.AssetCheckSeverity.WARN
            and evaluation.metadata.get("warnings", dg.MetadataValue.int(0)).value
        )
        return Outcome.WARNING if warned else Outcome.PASSED
    return Outcome.FAILED if evaluation.severity == dg.AssetCheckSeverity.ERROR else Outcome.WARNING


def _findings(evaluation: dg.AssetCheckEvaluation, outcome: Outcome) -> tuple[str, ...]:
    """The failing rules a check reports in its `failed_rules` metadata (the raw quality
    gates), else its description as one finding (dbt tests, reconciliation)."""
    if outcome in (Outcome.PASSED, Outcome.NOT_RUN):
        return ()
    rules = evaluation.metadata.get("failed_rules")
    summaries = [rule["summary"] for rule in (rules.value if rules else []) if "summary" in rule]
    if summaries:
        return tuple(summaries)
    severity = "ERROR" if outcome is Outcome.FAILED else "WARNING"
    return (f"{severity}: {(evaluation.description or 'failed').strip()}",)


def run_check_outcomes(instance: dg.DagsterInstance, run_id: str) -> list[CheckOutcome]:
    """The checks planned in `run_id`, each with its evaluation or NOT_RUN; worst first."""
    records = instance.get_records_for_run(
        run_id,
        of_type={
            dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
            dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        },
    ).records
    planned: dict[tuple[str, str], CheckOutcome] = {}
    for record in records:
        event = record.event_log_entry.dagster_event
        data = event.event_specific_data
        key = (data.asset_key.to_user_string(), data.check_name)
        if event.event_type is dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED:
            planned.setdefault(key, CheckOutcome(*key, Outcome.NOT_RUN, "upstream did not pass"))
        else:
            description = (data.description or "").strip()[:DESCRIPTION_CHARS]
            outcome = _outcome(data)
            planned[key] = CheckOutcome(*key, outcome, description, _findings(data, outcome))
    order = list(Outcome)
    return sorted(planned.values(), key=lambda o: (order.index(o.outcome), o.asset, o.check))


def failing_rules(outcomes: list[CheckOutcome]) -> list[str]:
    """Every failing rule of the run, errors first: `<asset> <check>: <SEVERITY>: ...`."""
    lines = [f"{o.asset} {o.check}: {finding}" for o in outcomes for finding in o.findings]
    return sorted(lines, key=lambda line: ": ERROR: " not in line)


def outcome_counts(outcomes: list[CheckOutcome]) -> dict[str, int]:
    counts = Counter(o.outcome for o in outcomes)
    return {outcome.value: counts.get(outcome, 0) for outcome in Outcome}
