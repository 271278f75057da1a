"""Whole-pipeline behaviour of the gates: a failing dbt test stops the models downstream of it,
a blocked run leaves the marts as they were, a fixed re-run continues cleanly, and the
`quality/run_checks` report says per run which check stopped the line."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.transform import dbt_models
from orchestration.checks.run_report import (
    RUN_CHECKS_KEY,
    Outcome,
    record_run_report,
    run_check_outcomes,
)
from tests.conftest import EXAMPLES_DIR
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

SMALL = EXAMPLES_DIR / "small" / "landing"
ITEMS = "item_id,subscription_id,customer_id,plan_id,quantity,unit_price,discount_pct,started_on,ended_on,is_trial\n"  # noqa: E501
NEW_ITEM = "i90,s90,c1,exp-m,{quantity},800,0,2026-09-01,,false\n"
MARTS_QUERY = "select * from marts.{mart} order by all"


def landing_copy(tmp_path: Path) -> Path:
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    return landing


def write_drop(landing: Path, drop: str, file_name: str, text: str) -> None:
    (landing / drop).mkdir(exist_ok=True)
    (landing / drop / file_name).write_text(text, encoding="utf-8")


def marts_snapshot(run: PipelineRun) -> dict[str, list[tuple]]:
    marts = [
        row[0]
        for row in run.query("select table_name from duckdb_tables() where schema_name = 'marts'")
    ]
    return {mart: run.query(MARTS_QUERY.format(mart=mart)) for mart in sorted(marts)}


def a1_september_mrr(run: PipelineRun) -> float:
    """6,000 in the worked example (i5); item i90 (2 x 800 from 2026-09-01) adds 1,600."""
    [(mrr,)] = run.query(
        "select mrr from marts.account_mrr_monthly where account_id = 'a1' "
        "and month = date '2026-09-01'"
    )
    return float(mrr)


@pytest.fixture
def instance() -> dg.DagsterInstance:
    return dg.DagsterInstance.ephemeral()


def test_a_failing_dbt_test_stops_its_downstream_models_and_the_report_says_so(
    tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    landing = landing_copy(tmp_path)
    good = run_pipeline(landing, tmp_path / "work")
    before = marts_snapshot(good)
    report_before = good.settings.report_path.read_bytes()
    # A duplicate plan key slips into raw behind the loader's back (e.g. a hand edit):
    # only the dbt test `unique` on stg_billing__plans can catch it.
    with duckdb.connect(str(good.settings.warehouse_file)) as connection:
        connection.execute(
            "insert into raw.plans select * replace (list_price * 2 as list_price) "
            "from raw.plans where plan_id = 'exp-m'"
        )

    blocked = run_pipeline(
        landing,
        tmp_path / "work",
        selection=dg.AssetSelection.assets(dbt_models, "kpi_report"),
        raise_on_error=False,
        instance=instance,
    )

    assert not blocked.result.success
    failed = [e for e in blocked.result.get_asset_check_evaluations() if not e.passed]
    assert [(e.asset_key.path[-1], e.check_name) for e in failed] == [
        ("stg_billing__plans", "unique_stg_billing__plans_plan_id")
    ]
    materialized = {e.asset_key for e in blocked.result.get_asset_materialization_events()}
    assert dg.AssetKey(["staging", "stg_billing__plans"]) in materialized
    assert dg.AssetKey(["intermediate", "int_subscription_items"]) not in materialized
    assert dg.AssetKey(["marts", "mrr_monthly"]) not in materialized
    assert marts_snapshot(blocked) == before  # analysts see the last good marts
    assert dg.AssetKey("kpi_report") not in materialized  # and the last good report
    assert blocked.settings.report_path.read_bytes() == report_before

    outcomes = run_check_outcomes(instance, blocked.result.run_id)
    by_check = {(o.asset, o.check): o.outcome for o in outcomes}
    assert by_check[("staging/stg_billing__plans", "unique_stg_billing__plans_plan_id")] is (
        Outcome.FAILED
    )
    assert outcomes[0].outcome is Outcome.FAILED  # worst first
    not_run = {asset for (asset, _), outcome in by_check.items() if outcome is Outcome.NOT_RUN}
    assert "marts/mrr_monthly" in not_run and "staging/stg_billing__plans" not in not_run
    assert Outcome.PASSED in by_check.values()

    report = record_run_report(instance, blocked.result.dagster_run)
    [recorded] = [
        e.asset_materialization
        for e in instance.fetch_materializations(RUN_CHECKS_KEY, limit=1).records
    ]
    assert recorded.metadata == report.metadata
    assert recorded.metadata["checks_failed"].value == 1
    assert recorded.metadata["run_status"].value == "FAILURE"
    assert recorded.metadata["stopped_by"].value == [
        "failed: staging/stg_billing__plans unique_stg_billing__plans_plan_id"
    ]
    table = recorded.metadata["checks"].value
    assert table.splitlines()[2].startswith("| failed | staging/stg_billing__plans |")
    assert "| not run | marts/mrr_monthly |" in table


def test_a_rejected_file_fixed_in_place_loads_on_the_re_run(
    tmp_path: Path, instance: dg.DagsterInstance
) -> None:
    landing = landing_copy(tmp_path)
    renamed = ITEMS.replace(",quantity,", ",qty,") + NEW_ITEM.format(quantity=2)
    write_drop(landing, "2026-10-16", "subscription_items.csv", renamed)

    blocked = run_pipeline(landing, tmp_path / "work", raise_on_error=False, instance=instance)

    assert not blocked.result.success
    assert blocked.query("select count(*) from raw._loads where drop_date = '2026-10-16'") == [(0,)]
    assert not blocked.query(
        "select 1 from duckdb_tables() where schema_name = 'marts' and table_name = 'mrr_monthly'"
    )
    report = record_run_report(instance, blocked.result.dagster_run)
    assert report.metadata["checks_not_run"].value > 0  # all checks of the failed file & below

    write_drop(landing, "2026-10-16", "subscription_items.csv", ITEMS + NEW_ITEM.format(quantity=2))
    fixed = run_pipeline(landing, tmp_path / "work")

    assert fixed.result.success
    assert fixed.query("select quantity from raw.subscription_items where item_id = 'i90'") == [
        (2,)
    ]
    assert a1_september_mrr(fixed) == 7600


def test_a_blocked_row_is_fixed_by_a_corrected_drop(tmp_path: Path, monkeypatch) -> None:
    landing = landing_copy(tmp_path)
    good = run_pipeline(landing, tmp_path / "work")
    before, before_mrr = marts_snapshot(good), a1_september_mrr(good)
    write_drop(
        landing, "2026-10-16", "subscription_items.csv", ITEMS + NEW_ITEM.format(quantity=-2)
    )

    blocked = run_pipeline(landing, tmp_path / "work", raise_on_error=False)

    assert not blocked.result.success
    assert marts_snapshot(blocked) == before
    # The export is corrected and dropped again: the later drop wins for item i90.
    write_drop(landing, "2026-10-17", "subscription_items.csv", ITEMS + NEW_ITEM.format(quantity=2))
    fixed = run_pipeline(landing, tmp_path / "work")

    assert fixed.result.success
    assert fixed.query(
        "select quantity, cast(_drop_date as varchar) from raw.subscription_items "
        "where item_id = 'i90'"
    ) == [(2, "2026-10-17")]
    assert (before_mrr, a1_september_mrr(fixed)) == (6000, 7600)
