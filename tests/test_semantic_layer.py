"""The dbt semantic layer (models/semantic/): MetricFlow accepts the configs, and `mf query`
answers with kpi_segments_monthly's numbers, per segment and for all accounts (the ratios are
ratios of sums, so they stay right when grouped more coarsely than the account-month)."""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.config import Settings
from orchestration.metricflow_cli import run_mf
from tests.pipeline import PipelineRun

METRICS = ["mrr", "nrr_pct", "customer_churn_rate_pct", "gross_mrr_churn_rate_pct"]
# profiles.yml's in-memory target: what needs no warehouse runs without one.
NO_WAREHOUSE = {"CSA_DBT_TARGET": "lint"}


def test_metricflow_validates_the_semantic_models_and_metrics() -> None:
    result = run_mf(
        Settings.from_env({}),
        ["validate-configs", "--skip-dw"],
        capture=True,
        extra_env=NO_WAREHOUSE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERRORS: 0" in result.stdout


def test_an_unknown_metric_is_an_error_that_names_it() -> None:
    result = run_mf(
        Settings.from_env({}),
        ["query", "--metrics", "net_revenue_retention", "--group-by", "metric_time__month"],
        capture=True,
        extra_env=NO_WAREHOUSE,
    )
    assert result.returncode != 0
    assert "does not exactly match any known metrics" in result.stdout
    assert "net_revenue_retention" in result.stdout


def mf_query(run: PipelineRun, group_by: list[str], out: Path) -> list[dict[str, str]]:
    query = ["query", "--metrics", ",".join(METRICS), "--group-by", ",".join(group_by)]
    result = run_mf(run.settings, [*query, "--csv", str(out), "--quiet"], capture=True)
    assert result.returncode == 0, result.stdout + result.stderr
    with out.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def mart_rows(run: PipelineRun, dimension: str) -> dict[tuple[str, str], dict]:
    rows = run.query_dicts(
        f"select month, segment, {', '.join(METRICS)} from marts.kpi_segments_monthly "
        f"where dimension = '{dimension}'"
    )
    return {(str(row["month"]), row["segment"]): row for row in rows}


def same_number(from_mf: str, from_mart: Decimal | None) -> bool:
    """MetricFlow's ratios are floating point, the mart's DECIMAL(38, 8)."""
    if from_mart is None:
        return from_mf == ""
    return math.isclose(float(from_mf), float(from_mart), rel_tol=1e-9, abs_tol=1e-6)


def assert_parity(answers: list[dict[str, str]], mart: dict, segment_column: str | None) -> None:
    assert answers and len(answers) == len(mart), (answers, mart)
    for answer in answers:
        month = answer["metric_time__month"][:10]
        segment = answer[segment_column] if segment_column else "all"
        row = mart[(month, segment)]
        for metric in METRICS:
            assert same_number(answer[metric], row[metric]), (month, segment, metric, answer, row)


@pytest.mark.pipeline
def test_mf_query_by_company_size_equals_kpi_segments_monthly(small_run, tmp_path) -> None:
    answers = mf_query(
        small_run, ["account__company_size", "metric_time__month"], tmp_path / "by_size.csv"
    )
    mart = mart_rows(small_run, "company_size")
    assert {segment for _, segment in mart} >= {"smb", "mid"}  # more than one segment
    assert any(row["nrr_pct"] is not None and row["nrr_pct"] != 100 for row in mart.values())
    assert_parity(answers, mart, "account__company_size")


@pytest.mark.pipeline
def test_mf_query_by_month_alone_equals_the_all_rows(small_run, tmp_path) -> None:
    answers = mf_query(small_run, ["metric_time__month"], tmp_path / "by_month.csv")
    assert_parity(answers, mart_rows(small_run, "all"), None)
