"""One run names every problem of a drop: every raw gate evaluates whatever another gate
found, the run's check report lists each failing rule, and the blocked run changes no mart."""

from __future__ import annotations

import shutil

import dagster as dg
import pytest

from orchestration.checks.run_report import Outcome, record_run_report, run_check_outcomes
from orchestration.contract import EXPORTS
from tests.conftest import EXAMPLES_DIR
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

SMALL = EXAMPLES_DIR / "small" / "landing"
BAD_DROP = "2026-10-16"
# Four independent problems in four exports of one drop.
BAD_FILES = {
    # A GBP plan, sold from September, and fx_rates has no GBP rate at all.
    "plans.csv": "plan_id,product,plan_name,tier,billing_period_months,currency,list_price\n"
    "pro-m-gbp,invoicing,Invoicing Pro UK,2,1,GBP,20\n",
    "subscription_items.csv": "item_id,subscription_id,customer_id,plan_id,quantity,unit_price,"
    "discount_pct,started_on,ended_on,is_trial\n"
    "i91,s91,c1,pro-m-gbp,1,20,0,2026-09-01,,false\n"
    "i92,s92,c1,exp-m,-3,800,0,2026-09-01,,false\n",
    "support_tickets.csv": "ticket_id,account_id,channel,priority,category,created_at,"
    "first_response_at,resolved_at,updated_at\n"
    "t91,a99,email,normal,billing,2026-09-01T10:00:00,2026-09-01T11:00:00,,2026-09-01T11:00:00\n",
    "nps_responses.csv": "response_id,account_id,contact_email,responded_at,score,comment\n"
    "r91,a1,q@example.jp,2026-09-01T10:00:00,11,\n",
}
# What the report must say about each: the table and column, and the bad value.
EXPECTED = {
    "raw/fx_rates": ("raw.fx_rates.rate", "no GBP -> JPY rate on or before 2026-09-30"),
    "raw/subscription_items": ("raw.subscription_items.quantity", "'quantity': -3"),
    "raw/support_tickets": ("raw.support_tickets.account_id", "a99"),
    "raw/nps_responses": ("raw.nps_responses.score", "'score': 11"),
}
MARTS = "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"


def marts(run: PipelineRun) -> dict[str, list[tuple]]:
    return {
        table: run.query(f"select * from marts.{table} order by all")
        for (table,) in run.query(MARTS)
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[PipelineRun, PipelineRun, dg.DagsterInstance, dict]:
    tmp = tmp_path_factory.mktemp("every_gate")
    landing = tmp / "landing"
    shutil.copytree(SMALL, landing)
    good = run_pipeline(landing, tmp / "work")
    before = {
        "marts": marts(good),
        "published": good.settings.publication_path.read_bytes(),
        "report": good.settings.report_path.read_bytes(),
    }
    (landing / BAD_DROP).mkdir()
    for name, text in BAD_FILES.items():
        (landing / BAD_DROP / name).write_text(text, encoding="utf-8")
    instance = dg.DagsterInstance.ephemeral()
    bad = run_pipeline(landing, tmp / "work", raise_on_error=False, instance=instance)
    return good, bad, instance, before


def test_every_gate_evaluates_and_the_report_names_every_problem(runs) -> None:
    good, bad, instance, _ = runs
    assert good.result.success and not bad.result.success
    gates = {
        e.asset_key.to_user_string(): e
        for e in bad.result.get_asset_check_evaluations()
        if e.check_name == "quality_gate"
    }
    assert set(gates) == {f"raw/{export.name}" for export in EXPORTS}  # none was skipped
    failed = {key for key, e in gates.items() if not e.passed}
    assert failed == set(EXPECTED)
    assert all(gates[key].severity == dg.AssetCheckSeverity.ERROR for key in failed)

    report = record_run_report(instance, bad.result.dagster_run)
    lines = report.metadata["failing_rules"].value
    for asset, texts in EXPECTED.items():
        [line] = [line for line in lines if line.startswith(f"{asset} quality_gate: ERROR: ")]
        assert all(text in line for text in texts), line
    outcomes = {
        (o.asset, o.check): o.outcome for o in run_check_outcomes(instance, bad.result.run_id)
    }
    assert all(outcomes[(asset, "quality_gate")] is Outcome.FAILED for asset in EXPECTED)
    assert all(outcomes[(f"raw/{e.name}", "reconciliation")] is Outcome.PASSED for e in EXPORTS)


def test_the_gates_run_after_every_raw_load_of_the_run(runs) -> None:
    _, bad, _, _ = runs
    events = bad.result.all_events
    gate_start = next(
        i for i, e in enumerate(events) if e.is_step_start and e.step_key == "raw_quality_gates"
    )
    load_steps = {f"raw__{export.name}" for export in EXPORTS}
    loads = {
        e.step_key: i
        for i, e in enumerate(events)
        if e.is_step_success and e.step_key in load_steps
    }
    assert set(loads) == load_steps
    assert max(loads.values()) < gate_start


def test_a_failing_gate_blocks_dbt_and_the_publication_and_no_mart_changes(runs) -> None:
    _, bad, _, before = runs
    materialized = {e.asset_key for e in bad.result.get_asset_materialization_events()}
    assert dg.AssetKey(["raw", "subscription_items"]) in materialized  # loaded, then gated
    assert not any(key.path[0] in ("staging", "intermediate", "marts") for key in materialized)
    assert dg.AssetKey("analytics_publication") not in materialized
    assert dg.AssetKey("kpi_report") not in materialized
    assert marts(bad) == before["marts"]
    assert bad.settings.publication_path.read_bytes() == before["published"]
    assert bad.settings.report_path.read_bytes() == before["report"]
