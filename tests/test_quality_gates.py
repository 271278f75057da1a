"""Raw quality gates: a bad row really fails its rule, errors block, warnings only report."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.contract import EXPORTS
from orchestration.loading.drops import scan_landing
from orchestration.loading.loader import load_export
from quality.rules import Severity
from quality.validate import validate_table
from tests.conftest import EXAMPLES_DIR
from tests.pipeline import run_pipeline

SMALL = EXAMPLES_DIR / "small" / "landing"
DROP = "2026-10-15"


def landing_with(tmp_path: Path, edits: dict[str, str]) -> Path:
    """The worked example's landing folder with lines appended to some of its files."""
    landing = tmp_path / "landing"
    shutil.copytree(SMALL, landing)
    for file_name, lines in edits.items():
        path = landing / DROP / file_name
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(text + lines, encoding="utf-8")
    return landing


def load_all(landing: Path, warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("set TimeZone = 'Asia/Tokyo'")
        for export in EXPORTS:
            load_export(connection, export, scan_landing(landing).drops, "utf-8")


def failures(warehouse: Path, table: str) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        results = validate_table(connection, table, "JPY").results
    return {r.rule: r for r in results if not r.passed}


def test_clean_example_passes_every_rule(tmp_path: Path) -> None:
    landing = landing_with(tmp_path, {})
    load_all(landing, tmp_path / "wh.duckdb")
    for export in EXPORTS:
        assert failures(tmp_path / "wh.duckdb", export.name) == {}, export.name


def test_bad_rows_fail_with_counts_lines_and_severity(tmp_path: Path) -> None:
    landing = landing_with(
        tmp_path,
        {
            "subscription_items.csv": (
                "i8,s5,c1,pro-m,-2,2000,0,2026-03-01,,false\n"  # line 9: negative quantity
                "i9,s5,c1,pro-m,1,2000,150,2026-03-01,,false\n"  # line 10: discount over 100
                "i10,s5,c1,pro-m,1,2000,0,2026-03-10,2026-03-01,false\n"  # line 11: ends first
                "i11,s5,c1,gold,1,2000,0,2026-03-01,,false\n"  # line 12: unknown plan
            ),
            "support_tickets.csv": (
                "ticket_id,account_id,channel,priority,category,created_at,first_response_at,"
                "resolved_at,updated_at\n"
                "t1,zz,fax,normal,x,2026-03-01T10:00:00,,,2026-03-01T10:00:00\n"
            ),
            "billing_customers.csv": "c3,,JPY,c3@example.jp,2026-02-01T10:00:00\n",
        },
    )
    warehouse = tmp_path / "wh.duckdb"
    load_all(landing, warehouse)

    items = failures(warehouse, "subscription_items")
    assert items["quantity >= 1"].failing_rows == 1
    assert items["quantity >= 1"].examples[0]["_source_line"] == 9
    assert items["discount_pct between 0 and 100"].failing_rows == 1
    assert items["ended_on is not before started_on"].examples[0]["_source_line"] == 11
    assert items["plan_id exists in plans.plan_id"].examples[0]["plan_id"] == "gold"
    assert all(r.severity is Severity.ERROR for r in items.values())
    assert "raw.subscription_items.quantity" in items["quantity >= 1"].summary("subscription_items")
    tickets = failures(warehouse, "support_tickets")
    assert set(tickets) == {
        "channel is one of email, phone, chat, line, web",
        "account_id exists in accounts.account_id",
    }
    unmapped = failures(warehouse, "billing_customers")
    assert [r.severity for r in unmapped.values()] == [Severity.WARNING]


def test_missing_fx_rate_names_currency_and_month(tmp_path: Path) -> None:
    landing = landing_with(tmp_path, {})
    rates = landing / DROP / "fx_rates.csv"
    rates.write_text(
        "\n".join(line for line in rates.read_text().splitlines() if "2026-01-01" not in line)
        + "\n"
    )
    load_all(landing, tmp_path / "wh.duckdb")

    [missing] = failures(tmp_path / "wh.duckdb", "fx_rates").values()

    assert missing.severity is Severity.ERROR
    assert missing.failing_rows == 1  # USD, February 2026 (the March rate comes too late)
    assert "no USD -> JPY rate on or before 2026-02-28" in str(missing.examples)


@pytest.fixture(scope="module")
def blocked_run(tmp_path_factory) -> dg.ExecuteInProcessResult:
    tmp = tmp_path_factory.mktemp("blocked")
    landing = landing_with(
        tmp,
        {
            "subscription_items.csv": "i8,s5,c1,pro-m,-2,2000,0,2026-03-01,,false\n",
            "billing_customers.csv": "c3,,JPY,c3@example.jp,2026-02-01T10:00:00\n",
        },
    )
    yield run_pipeline(landing, tmp / "work", raise_on_error=False).result


@pytest.mark.pipeline
def test_error_gate_blocks_downstream_and_warning_does_not(blocked_run) -> None:
    evaluations = {
        e.asset_key.path[-1]: e
        for e in blocked_run.get_asset_check_evaluations()
        if e.check_name == "quality_gate"
    }
    items = evaluations["subscription_items"]
    assert not items.passed and items.severity == dg.AssetCheckSeverity.ERROR
    assert "quantity >= 1" in items.description
    # A warning (an unmapped billing customer) is reported but passes the gate.
    customers = evaluations["billing_customers"]
    assert customers.passed and "account_id is mapped" in customers.description

    materialized = {e.asset_key for e in blocked_run.get_asset_materialization_events()}
    assert dg.AssetKey(["raw", "subscription_items"]) in materialized
    assert dg.AssetKey(["staging", "stg_billing__subscription_items"]) not in materialized
    assert dg.AssetKey(["marts", "account_mrr_monthly"]) not in materialized
