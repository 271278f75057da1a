"""The worked examples of ../shared/spec/examples: the marts equal the expected rows.

Expected files: empty field = NULL; numbers compared with a tolerance of 1e-6 (money 0.01).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES_DIR
from tests.pipeline import PipelineRun

pytestmark = pytest.mark.pipeline

EXPECTED = sorted((EXAMPLES_DIR / "small" / "expected").glob("*.csv"))
MONEY_WORDS = ("mrr", "arr", "arpa")


def tolerance(column: str) -> float:
    return 0.01 if any(word in column for word in MONEY_WORDS) else 1e-6


def equal(column: str, expected: str, actual: object) -> bool:
    if expected == "":
        return actual is None
    if actual is None:
        return False
    if isinstance(actual, bool):
        return expected == str(actual).lower()
    if isinstance(actual, date):
        return expected == actual.isoformat()
    if isinstance(actual, int | float | Decimal):
        return abs(float(Decimal(expected)) - float(actual)) <= tolerance(column)
    return expected == str(actual)


def key_columns(header: list[str]) -> list[str]:
    keys = [c for c in ("account_id", "cohort_month", "month", "channel", "csm_id") if c in header]
    if "cohort_month" in keys:
        keys = ["cohort_month", "months_since_start"]
    return keys


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_mart_equals_expected_rows(small_run: PipelineRun, expected_file: Path) -> None:
    assert small_run.result.success
    with expected_file.open(encoding="utf-8", newline="") as handle:
        expected_rows = list(csv.DictReader(handle))
    header = list(expected_rows[0])
    keys = key_columns(header)
    actual_rows = small_run.query_dicts(f"select * from marts.{expected_file.stem}")

    def key(row: dict) -> tuple[str, ...]:
        return tuple(
            str(row[k]) if not isinstance(row[k], date) else row[k].isoformat() for k in keys
        )

    actual_by_key = {key(row): row for row in actual_rows}
    assert sorted(actual_by_key) == sorted(key(row) for row in expected_rows), "row sets differ"
    mismatches = [
        (key(row), column, value, actual_by_key[key(row)][column])
        for row in expected_rows
        for column, value in row.items()
        if not equal(column, value, actual_by_key[key(row)][column])
    ]
    assert not mismatches, f"{len(mismatches)} values differ, first: {mismatches[:5]}"


def test_account_health_components_by_hand(small_run: PipelineRun) -> None:
    rows = {
        (r["account_id"], r["snapshot_date"].isoformat()): r
        for r in small_run.query_dicts("select * from marts.account_health")
    }
    # a2 on 2026-03-31: 10 seats, no usage (usage 0), no logins before (trend 50), latest
    # response r3 = 6 (detractor, 0), no tickets (100), no invoices (100):
    # 0.35*0 + 0.15*50 + 0.20*0 + 0.15*100 + 0.15*100 = 37.5 -> red.
    a2 = rows[("a2", "2026-03-31")]
    assert (a2["licensed_seats"], float(a2["seat_utilization"])) == (10, 0.0)
    assert (float(a2["nps_score"]), float(a2["health_score"]), a2["health_band"]) == (
        0.0,
        37.5,
        "red",
    )
    # a1 on 2026-03-31: 8 seats, latest response r2 = 9 (promoter, 100): 57.5 -> yellow.
    assert float(rows[("a1", "2026-03-31")]["health_score"]) == 57.5
    # On the as-of date (2026-10-15) a1's March responses are older than 180 days (none: 50).
    as_of = rows[("a1", "2026-10-15")]
    assert (as_of["licensed_seats"], float(as_of["health_score"])) == (3, 47.5)
    # No snapshot while a1 had no MRR (July and August month ends).
    assert ("a1", "2026-07-31") not in rows and ("a1", "2026-08-31") not in rows


def test_accounts_mart_current_state_without_personal_data(small_run: PipelineRun) -> None:
    accounts = {r["account_id"]: r for r in small_run.query_dicts("select * from marts.accounts")}
    a1 = accounts["a1"]
    assert a1["is_customer"] and a1["churned_on"] is None  # churned in July, back in September
    assert (a1["cohort_month"].isoformat(), a1["first_paid_on"].isoformat()) == (
        "2026-01-01",
        "2026-01-10",
    )
    assert float(a1["current_mrr"]) == 6000 and a1["health_band"] == "yellow"
    assert float(accounts["a2"]["current_mrr"]) == 32000
    assert not {"email", "contact_email", "name"} & set(a1)
