"""The analyst guide covers every mart of the spec, and its SQL runs on the spec's columns."""

from __future__ import annotations

import re

import duckdb
import pytest

from orchestration.config import REPO_ROOT
from tests.conftest import SPEC_DIR

GUIDE = (REPO_ROOT / "docs" / "analyst-guide.md").read_text()
D, INT, N, V, B = "date", "bigint", "decimal(38,10)", "varchar", "boolean"
MONEY_MONTH = {"month": D, "mrr": N}
# Columns of the marts as metrics.md names them (those the guide's queries use).
SPEC_COLUMNS: dict[str, dict[str, str]] = {
    "accounts": {
        **dict.fromkeys(["account_id", "account_name", "company_size", "csm_id"], V),
        "health_band": V,
    },
    "account_mrr_monthly": {
        "account_id": V,
        **MONEY_MONTH,
        **dict.fromkeys(["previous_mrr", "fx_adjustment", "contraction_mrr"], N),
        "movement_type": V,
        "has_downgrade": B,
    },
    "mrr_monthly": {
        **MONEY_MONTH,
        **dict.fromkeys(
            ["starting_mrr", "fx_adjustment", "new_mrr", "reactivation_mrr", "expansion_mrr"], N
        ),
        **dict.fromkeys(["contraction_mrr", "churned_mrr", "net_new_mrr", "arpa"], N),
        "customers": INT,
    },
    "kpi_monthly": {
        **MONEY_MONTH,
        "customers": INT,
        **dict.fromkeys(["nrr_pct", "grr_pct", "nrr_12m_pct", "customer_churn_rate_pct"], N),
        **dict.fromkeys(["gross_mrr_churn_rate_pct", "quick_ratio", "ltv", "nps"], N),
    },
    "kpi_segments_monthly": {
        **MONEY_MONTH,
        **dict.fromkeys(["dimension", "segment"], V),
        "starting_customers": INT,
        **dict.fromkeys(["nrr_pct", "grr_pct", "customer_churn_rate_pct"], N),
    },
    "csm_book_monthly": {
        **MONEY_MONTH,
        "csm_id": V,
        **dict.fromkeys(["starting_mrr", "transfer_in_mrr", "transfer_out_mrr"], N),
        **dict.fromkeys(["expansion_mrr", "contraction_mrr", "churned_mrr", "nrr_pct"], N),
    },
    "cohort_retention": {
        "cohort_month": D,
        "months_since_start": INT,
        "cohort_customers": INT,
        **dict.fromkeys(["logo_retention_pct", "revenue_retention_pct"], N),
    },
    "onboarding_accounts": {"csm_id": V, "status": V, "days_to_onboard": INT},
    "account_health": {
        **dict.fromkeys(["account_id", "csm_id", "health_band"], V),
        "snapshot_date": D,
        **dict.fromkeys(["mrr", "health_score"], N),
    },
    "cs_action_queue": {
        **dict.fromkeys(["account_id", "account_name", "csm_id", "playbook", "reason"], V),
        "priority": INT,
        "mrr": N,
    },
    "support_monthly": {
        "month": D,
        "channel": V,
        "tickets_created": INT,
        **dict.fromkeys(["median_first_response_minutes", "p90_first_response_minutes"], N),
    },
    "account_cost_to_serve_monthly": {
        "account_id": V,
        **MONEY_MONTH,
        **dict.fromkeys(["cs_hours", "cs_cost", "cs_cost_to_mrr_pct"], N),
    },
    "health_backtest": {
        "health_band": V,
        **dict.fromkeys(["snapshots", "churned_within_3m"], INT),
        **dict.fromkeys(["churn_rate_pct", "auc"], N),
    },
    "nps_monthly": {
        "month": D,
        **dict.fromkeys(["responses", "promoters", "passives", "detractors"], INT),
        **dict.fromkeys(["nps", "nps_trailing_3m"], N),
    },
}
STATEMENTS = [
    statement.strip()
    for block in re.findall(r"```sql\n(.*?)```", GUIDE, re.DOTALL)
    for statement in block.split(";")
    if statement.strip()
]


def test_every_mart_of_the_spec_is_in_the_catalogue() -> None:
    spec_marts = set(re.findall(r"marts\.(\w+)", (SPEC_DIR / "metrics.md").read_text()))
    catalogue = set(re.findall(r"^\| `marts\.(\w+)`", GUIDE, re.MULTILINE))
    assert spec_marts == catalogue
    assert len(re.findall(r"^\*\*\d+\. ", GUIDE, re.MULTILINE)) == 10


@pytest.mark.parametrize("statement", STATEMENTS, ids=lambda s: s.splitlines()[0][:40])
def test_guide_sql_runs_on_the_spec_columns(statement: str) -> None:
    with duckdb.connect() as connection:
        connection.execute("create schema marts")
        for table, columns in SPEC_COLUMNS.items():
            definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
            connection.execute(f"create table marts.{table} ({definition})")
        connection.execute(statement).fetchall()
