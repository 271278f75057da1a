"""Freshness: an export whose latest drop is older than its allowance warns, in the UI (a
WARN check on its raw asset) and on the webhook; it never blocks the run."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.checks.freshness import freshness_checks, freshness_result
from orchestration.checks.freshness_alert import build_late_export_alerts
from orchestration.config import Settings
from orchestration.contract import EXPORTS_BY_NAME
from tests.pipeline import run_pipeline
from tests.test_operations_automation import webhook  # noqa: F401 (a fixture)

INVOICES = EXPORTS_BY_NAME["invoices"]
TOKYO = "Asia/Tokyo"
# 02:00 in Tokyo on 2026-12-01, when the nightly job runs.
NIGHTLY_RUN = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("latest", "passed", "says"),
    [
        (date(2026, 11, 30), True, "latest drop 2026-11-30 is 1.1 days old, allowance 2.0 days"),
        # One missed night: the drop of 11-29 is 2 days and 2 hours old at 02:00 on 12-01.
        (date(2026, 11, 29), False, "2.1 days old, allowance 2.0 days: late"),
        (date(2026, 11, 20), False, "latest drop 2026-11-20 is 11.1 days old"),
    ],
)
def test_a_drop_older_than_the_allowance_warns(latest: date, passed: bool, says: str) -> None:
    result = freshness_result(INVOICES, latest, timedelta(days=2), NIGHTLY_RUN, TOKYO)

    assert result.passed is passed
    assert result.severity == dg.AssetCheckSeverity.WARN  # never blocks
    assert result.description.startswith("invoices.csv: ") and says in result.description
    assert result.metadata["latest_drop"].value == latest.isoformat()


def test_an_export_never_delivered_passes_until_its_first_drop() -> None:
    result = freshness_result(INVOICES, None, timedelta(days=2), NIGHTLY_RUN, TOKYO)

    assert result.passed and "never delivered" in result.description


def test_allowances_are_configured_per_export() -> None:
    settings = Settings.from_env(
        {"CSA_FRESHNESS_DAYS": "3", "CSA_FRESHNESS_DAYS_BY_EXPORT": "plans=35, fx_rates=7.5"}
    )

    assert settings.freshness_allowance("invoices") == timedelta(days=3)
    assert settings.freshness_allowance("plans") == timedelta(days=35)
    assert settings.freshness_allowance("fx_rates") == timedelta(days=7.5)
    assert Settings().freshness_allowance("invoices") == timedelta(days=2)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CSA_FRESHNESS_DAYS": "two"}, "CSA_FRESHNESS_DAYS='two'"),
        ({"CSA_FRESHNESS_DAYS": "0"}, "CSA_FRESHNESS_DAYS=0.0 must be a number of days > 0"),
        ({"CSA_FRESHNESS_DAYS_BY_EXPORT": "plans"}, "write export=days pairs"),
        ({"CSA_FRESHNESS_DAYS_BY_EXPORT": "plan=35"}, "plan=35.0 needs an export of the contract"),
    ],
)
def test_a_bad_allowance_names_its_variable(env: dict[str, str], message: str) -> None:
    # A value that does not parse raises ConfigurationError; one pydantic rejects, its
    # ValidationError (a ValueError too), each naming the variable.
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings.from_env(env)


def write(landing: Path, day: date, export: str) -> None:
    folder = landing / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    header = ",".join(EXPORTS_BY_NAME[export].column_names)
    (folder / f"{export}.csv").write_text(header + "\n")


@pytest.mark.pipeline
def test_an_export_that_stopped_arriving_warns_in_the_run_and_on_the_webhook(
    tmp_path: Path,
    workdir: Path,
    webhook,  # noqa: F811
) -> None:
    url, received = webhook
    # A drop's date is a day of the reporting time zone (its age counts from that day's
    # midnight there): today in UTC would make the invoices 7.x days old after 15:00 UTC.
    today = datetime.now(ZoneInfo(Settings().reporting_timezone)).date()
    landing = tmp_path / "landing"
    # invoices.csv stopped arriving six days ago; the other exports still come every night.
    for back in (6, 3, 1):
        for export in ("billing_customers", "plans"):
            write(landing, today - timedelta(days=back), export)
    write(landing, today - timedelta(days=6), "invoices")
    exports = ("billing_customers", "plans", "invoices")
    keys = [dg.AssetKey(["raw", name]) for name in exports]
    checks = [c for c in freshness_checks if next(iter(c.check_keys)).asset_key in keys]

    with dg.DagsterInstance.ephemeral() as instance:
        run = run_pipeline(
            landing,
            workdir,
            selection=dg.AssetSelection.assets(*keys).without_checks()
            | dg.AssetSelection.checks(*checks),
            instance=instance,
        )
        evaluations = {
            e.asset_key.path[-1]: e
            for e in run.result.get_asset_check_evaluations()
            if e.check_name == "freshness"
        }
        [success] = [e for e in run.result.all_events if e.event_type_value == "PIPELINE_SUCCESS"]
        context = dg.build_run_status_sensor_context(
            sensor_name="late_export_alert_on_success",
            dagster_event=success,
            dagster_instance=instance,
            dagster_run=run.result.dagster_run,
        )
        on_success = build_late_export_alerts(
            run.settings.model_copy(update={"alert_webhook_url": url})
        )[0]
        on_success(context)

    assert run.result.success  # a late export warns, it never stops the run
    assert set(evaluations) == set(exports)
    late = evaluations["invoices"]
    assert not late.passed and late.severity == dg.AssetCheckSeverity.WARN
    stale = (today - timedelta(days=6)).isoformat()
    assert f"invoices.csv: latest drop {stale} is 6." in late.description
    assert "late: no newer drop has arrived" in late.description
    assert evaluations["plans"].passed and evaluations["billing_customers"].passed
    [message] = received
    assert run.result.run_id in message["text"] and "1 late export(s)" in message["text"]
    assert f"- invoices.csv: latest drop {stale}" in message["text"]
