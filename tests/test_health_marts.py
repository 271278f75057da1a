"""Health marts on a tiny hand-made landing folder, every figure computed by hand.

One drop, 2026-06-15 = the as-of date. Plans: p1 JPY 1,000 a seat a month; p12 JPY 12,000 a
seat a year (1,000 a month). Windows at the as-of date: last 30 days = 05-17..06-15, the 30
days before = 04-17..05-16. Month-end snapshots run from 2025-08-31 (a3's first paid month).

| account | items (seats)                                   | planted                          |
|---------|-------------------------------------------------|----------------------------------|
| a1      | 10 from 2026-01-05 (+5 trial seats from 05-01)  | 9 active, 20 logins a day from   |
|         |                                                 | 04-17; promoter; invoice paid late |
| a2      | 5 from 2026-01-05                               | usage 04-17..05-16 only; tickets |
| a3      | annual 2 from 2025-08-01 + annual 2 from 09-20  | 2 active a day; old detractor    |
| a4      | 2 from 2026-01-05 (+ annual trial from 2025-07) | logins 10 -> 7 a day; detractor  |
| a5      | 1 from 2026-03-01                               | no milestones: onboarding overdue |
| a6      | 1 from 2026-02-01 to 06-01 (churns in June)     | 1 active a day 01-30..02-28      |
| a7      | none (a prospect)                               |                                  |
| b1      | 1 from 2026-01-05 to 04-01 (churns in April)    | invoice due 01-10 never paid     |
| b2      | 1 from 2025-11-03 to 2026-01-15 (churns in Jan) |                                  |
| c9      | unmapped billing customer, 1 from 2026-03-01    | invoice due 04-01 never paid     |

An account with no data scores 0.35*0 + 0.15*50 (no earlier logins) + 0.20*50 (no NPS)
+ 0.15*100 + 0.15*100 = 47.5 (yellow).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.pipeline import PipelineRun, dbt_test_statuses, run_pipeline

pytestmark = pytest.mark.pipeline


def table(columns: str, body: str) -> str:
    """A CSV file: the header from space-separated column names, then the body's lines."""
    return ",".join(columns.split()) + "\n" + body


def usage(account: str, first: str, last: str, active_users: int, logins: int) -> str:
    """One usage row per day from `first` to `last` (inclusive) with the same figures."""
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    lines = []
    while day <= end:
        lines.append(f"{account},{day.isoformat()},{active_users},{logins},0\n")
        day += timedelta(days=1)
    return "".join(lines)


CUSTOMERS = {"c1": "a1", "c2": "a2", "c3": "a3", "c4": "a4", "c5": "a5", "c6": "a6"}
CUSTOMERS |= {"cb1": "b1", "cb2": "b2", "c9": ""}

DROP = {
    "accounts.csv": "account_id,account_name,industry,company_size,country,csm_id,created_at,"
    "updated_at\n"
    + "".join(
        f"{account},Name {account},it,smb,JP,{csm},2025-01-01T10:00:00,2025-01-01T10:00:00\n"
        for account, csm in [
            ("a1", "m1"),
            ("a2", "m1"),
            ("a3", "m2"),
            ("a4", "m2"),
            ("a5", "m1"),
            ("a6", "m2"),
            ("a7", "m1"),
            ("b1", "m1"),
            ("b2", "m2"),
        ]
    ),
    "cs_reps.csv": "csm_id,name,team,hourly_cost,active\nm1,Rep One,east,6000,true\n"
    "m2,Rep Two,west,4500,true\n",
    "billing_customers.csv": "customer_id,account_id,currency,email,created_at\n"
    + "".join(
        f"{customer},{account},JPY,{customer}@example.jp,2025-01-01T10:00:00\n"
        for customer, account in CUSTOMERS.items()
    ),
    "plans.csv": table(
        "plan_id product plan_name tier billing_period_months currency list_price",
        """p1,invoicing,Monthly,1,1,JPY,1000
p12,invoicing,Annual,1,12,JPY,12000
""",
    ),
    "subscription_items.csv": table(
        "item_id subscription_id customer_id plan_id quantity "
        "unit_price discount_pct started_on ended_on is_trial",
        """i1,s1,c1,p1,10,1000,0,2026-01-05,,false
i1t,s1t,c1,p1,5,1000,0,2026-05-01,,true
i2,s2,c2,p1,5,1000,0,2026-01-05,,false
i3a,s3a,c3,p12,2,12000,0,2025-08-01,,false
i3b,s3b,c3,p12,2,12000,0,2025-09-20,,false
i4,s4,c4,p1,2,1000,0,2026-01-05,,false
i4t,s4t,c4,p12,1,12000,0,2025-07-01,,true
i5,s5,c5,p1,1,1000,0,2026-03-01,,false
i6,s6,c6,p1,1,1000,0,2026-02-01,2026-06-01,false
ib1,sb1,cb1,p1,1,1000,0,2026-01-05,2026-04-01,false
ib2,sb2,cb2,p1,1,1000,0,2025-11-03,2026-01-15,false
i9,s9,c9,p1,1,1000,0,2026-03-01,,false
""",
    ),
    # Everyone but a5 went live: only a5 (and unmapped:c9, which has no CRM account) is overdue.
    "onboarding_milestones.csv": "account_id,milestone,completed_at\n"
    + "".join(
        f"{account},go_live,{day}T10:00:00\n"
        for account, day in [
            ("a1", "2026-01-20"),
            ("a2", "2026-01-20"),
            ("a3", "2025-08-20"),
            ("a4", "2026-01-20"),
            ("a6", "2026-02-10"),
            ("b1", "2026-01-20"),
            ("b2", "2025-11-20"),
        ]
    ),
    # a1's detractor of 03-01 is 106 days before the as-of date: older than 90 days.
    "nps_responses.csv": table(
        "response_id account_id contact_email responded_at score comment",
        """n0,a1,p@example.jp,2026-03-01T10:00:00,3,
n1,a1,p@example.jp,2026-05-01T10:00:00,10,
n2,a3,q@example.jp,2025-12-01T10:00:00,0,
n3,a4,r@example.jp,2026-04-01T10:00:00,5,
""",
    ),
    # t2 is open at the end of 05-31 only; t4 is resolved on the as-of day itself.
    "support_tickets.csv": table(
        "ticket_id account_id channel priority category "
        "created_at first_response_at resolved_at updated_at",
        """t1,a2,email,high,bug,2026-06-01T10:00:00,,,2026-06-01T10:00:00
t2,a2,email,urgent,bug,2026-05-20T10:00:00,,2026-06-02T10:00:00,2026-06-02T10:00:00
t3,a2,email,normal,howto,2026-06-01T10:00:00,,,2026-06-01T10:00:00
t4,a1,chat,urgent,bug,2026-06-10T10:00:00,,2026-06-15T09:00:00,2026-06-15T09:00:00
""",
    ),
    "invoices.csv": table(
        "invoice_id customer_id issued_on due_on currency total status paid_at updated_at",
        """inv1,cb1,2026-01-01,2026-01-10,JPY,1100,open,,2026-01-01T10:00:00
inv2,c1,2026-04-20,2026-05-01,JPY,11000,paid,2026-06-10T10:00:00,2026-06-10T10:00:00
inv3,c1,2026-04-20,2026-05-01,JPY,11000,void,,2026-04-21T10:00:00
inv4,c4,2026-06-01,2026-06-15,JPY,2200,open,,2026-06-01T10:00:00
inv5,c9,2026-03-20,2026-04-01,JPY,1100,open,,2026-03-20T10:00:00
""",
    ),
    "product_usage_daily.csv": "account_id,usage_date,active_users,logins,key_feature_events\n"
    + usage("a1", "2026-04-17", "2026-06-15", 9, 20)
    + usage("a2", "2026-04-17", "2026-05-16", 3, 10)
    + usage("a3", "2026-04-17", "2026-06-15", 2, 5)
    + usage("a4", "2026-04-17", "2026-05-16", 2, 10)
    + usage("a4", "2026-05-17", "2026-06-15", 2, 7)
    + usage("a6", "2026-01-30", "2026-02-28", 1, 1),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    landing = tmp_path_factory.mktemp("landing")
    drop = landing / "2026-06-15"
    drop.mkdir()
    for name, text in DROP.items():
        (drop / name).write_text(text, encoding="utf-8")
    yield run_pipeline(landing, tmp_path_factory.mktemp("work"))


def plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return float(value) if isinstance(value, Decimal) else value


def rows(run: PipelineRun, mart: str, *keys: str, where: str = "true") -> dict:
    """The mart's rows by key (a tuple for several keys), dates ISO, decimals float."""
    found = [
        {name: plain(value) for name, value in row.items()}
        for row in run.query_dicts(f"select * from marts.{mart} where {where}")
    ]
    if len(keys) == 1:
        return {row[keys[0]]: row for row in found}
    return {tuple(row[key] for key in keys): row for row in found}


def pick(row: dict, columns: str) -> tuple:
    return tuple(row[column] for column in columns.split())


INPUTS = "licensed_seats seat_utilization login_trend latest_nps_score open_high_priority_tickets"
SCORES = "usage_score usage_trend_score nps_score support_score billing_score health_score"


def test_pipeline_and_dbt_tests_pass(run: PipelineRun) -> None:
    assert run.result.success


def test_health_components_on_the_as_of_date(run: PipelineRun) -> None:
    health = rows(run, "account_health", "account_id", where="snapshot_date = '2026-06-15'")
    # Customers on 06-15: a6 ended 06-01, b1 and b2 earlier; unmapped:c9 counts too.
    assert sorted(health) == ["a1", "a2", "a3", "a4", "a5", "unmapped:c9"]
    # a1: 10 seats (the 5 trial seats do not count); 30 * 9 / 30 / 10 = 0.9 -> 90; logins
    # 600 / 600 = 1 -> 100; promoter 10 -> 100; t4 resolved on the day -> 100; inv2 paid 06-10
    # -> 100. 0.35*90 + 0.15*100 + 0.20*100 + 0.15*100 + 0.15*100 = 96.5 green.
    assert pick(health["a1"], INPUTS) == (10, 0.9, 1.0, 10, 0)
    assert pick(health["a1"], SCORES) == (90.0, 100.0, 100.0, 100.0, 100.0, 96.5)
    # a2 (no usage for 30 days): 0 / 5 -> 0; 0 / (30 * 10) = 0 -> 0; no NPS -> 50; t1 high
    # open -> 75 (t2 resolved 06-02, t3 normal); 0 + 0 + 10 + 11.25 + 15 = 36.25 red.
    assert pick(health["a2"], INPUTS) == (5, 0.0, 0.0, None, 1)
    assert pick(health["a2"], SCORES + " health_band") == (
        0.0,
        0.0,
        50.0,
        75.0,
        100.0,
        36.25,
        "red",
    )
    # a3: 4 seats, 30 * 2 / 30 / 4 = 0.5 -> 50; 150 / 150 -> 100; the 2025-12-01 detractor
    # is 196 days old -> none, 50: 17.5 + 15 + 10 + 15 + 15 = 72.5 green.
    assert pick(health["a3"], INPUTS) == (4, 0.5, 1.0, None, 0)
    assert health["a3"]["health_score"] == 72.5
    # a4: 30 * 2 / 30 / 2 = 1 -> 100; 210 / 300 = 0.7 -> (0.7 - 0.5) / 0.5 * 100 = 40;
    # detractor 5 -> 0; inv4 due on the as-of day is not past due -> 100:
    # 35 + 6 + 0 + 15 + 15 = 71 green.
    assert pick(health["a4"], INPUTS) == (2, 1.0, 0.7, 5, 0)
    assert pick(health["a4"], SCORES + " health_band") == (
        100.0,
        40.0,
        0.0,
        100.0,
        100.0,
        71.0,
        "green",
    )
    # a5: one seat, no data at all: 47.5 yellow, no login trend.
    assert pick(health["a5"], "seat_utilization login_trend health_score health_band") == (
        0.0,
        None,
        47.5,
        "yellow",
    )
    # unmapped:c9: inv5 due 04-01 is 75 days past due -> billing 0: 47.5 - 15 = 32.5 red.
    c9 = health["unmapped:c9"]
    assert pick(c9, "csm_id max_days_past_due billing_score health_score") == (
        None,
        75,
        0.0,
        32.5,
    )


def test_past_snapshots_see_what_was_true_that_day(run: PipelineRun) -> None:
    health = rows(run, "account_health", "account_id", "snapshot_date")
    # a1 on 05-31: window 05-02..05-31: 30 * 9 / 300 = 0.9 -> 90; logins 600 vs 04-02..05-01
    # (15 days * 20 = 300): 2 -> 100; promoter 05-01 -> 100; inv2 due 05-01 and paid only on
    # 06-10 was open then: 30 days past due -> 50 (not more than 30); the void inv3 never
    # counts. 31.5 + 15 + 20 + 15 + 7.5 = 89.
    a1 = health[("a1", "2026-05-31")]
    assert pick(a1, "past_due_invoices max_days_past_due billing_score health_score") == (
        1,
        30,
        50.0,
        89.0,
    )
    # a2 on 05-31: t2 (urgent, created 05-20, resolved 06-02) was open; t1 did not exist yet.
    assert health[("a2", "2026-05-31")]["open_high_priority_tickets"] == 1
    # b1: inv1 due 01-10 -> 21 days past due on 01-31 (50: 40.0, yellow) and 49 on 02-28
    # (0: 32.5, red).
    assert pick(health[("b1", "2026-01-31")], "max_days_past_due health_score") == (21, 40.0)
    assert pick(health[("b1", "2026-02-28")], "max_days_past_due health_band") == (49, "red")
    # a3's detractor of 2025-12-01 counts on 12-31 .. 02-28: 47.5 - 10 = 37.5.
    assert health[("a3", "2026-02-28")]["health_score"] == 37.5
    # a6 on 02-28: 30 * 1 / 30 / 1 = 1 -> 100; no logins before 01-30 -> 50: 82.5 green.
    assert health[("a6", "2026-02-28")]["health_score"] == 82.5
    # Snapshots: month ends while a customer, never 2026-06-30 (after the as-of date).
    assert {key[1] for key in health} >= {"2025-08-31", "2026-05-31", "2026-06-15"}
    assert not [key for key in health if key[1] > "2026-06-15"]
    assert ("b2", "2026-01-31") not in health and ("a6", "2026-06-15") not in health


def test_backtest_churn_rates_and_auc(run: PipelineRun) -> None:
    # Month ends with three full months before June: 2025-08-31 .. 2026-02-28.
    #   non-churned: a3 Aug-Nov 47.5 (4), a3 Dec-Feb 37.5 (3), a1/a2/a4 Jan+Feb 47.5 (6),
    #                a6 Feb 82.5 (1; its MRR is 0 only from June) -> 14
    #   churned:     b1 Jan 40.0 and Feb 32.5 (MRR 0 at 04-30), b2 Nov and Dec 47.5 (0 at
    #                01-31) -> 4
    # green: 1, 0 churned; yellow: 10 + 3 = 13, 3 churned; red: 3 + 1 = 4, 1 churned.
    backtest = rows(run, "health_backtest", "health_band")
    columns = "snapshots churned_within_3m churn_rate_pct"
    assert pick(backtest["green"], columns) == (1, 0, 0.0)
    assert pick(backtest["yellow"], columns)[:2] == (13, 3)
    assert backtest["yellow"]["churn_rate_pct"] == pytest.approx(300 / 13, abs=1e-6)
    assert pick(backtest["red"], columns) == (4, 1, 25.0)
    assert backtest["all"]["churn_rate_pct"] == pytest.approx(400 / 18, abs=1e-6)
    # AUC over 4 * 14 = 56 pairs, churned lower = 1, tie = 1/2:
    #   32.5: below all 14 -> 14; 40.0: below 10 * 47.5 and 82.5 -> 11;
    #   47.5 (twice): 10 ties * 1/2 + 82.5 -> 6 each -> 12.   (14 + 11 + 12) / 56 = 37 / 56.
    assert backtest["all"]["auc"] == pytest.approx(37 / 56, abs=1e-6)
    assert backtest["red"]["auc"] is None


def test_action_queue_playbooks_reasons_and_order(run: PipelineRun) -> None:
    queue = run.query_dicts(
        "select account_id, playbook, priority, mrr, reason, queue_rank"
        " from marts.cs_action_queue order by queue_rank"
    )
    # Priority, then MRR (a1 10,000, a2 5,000, a3 4,000, a4 2,000, a5 1,000) descending.
    assert [(r["account_id"], r["playbook"], r["priority"]) for r in queue] == [
        ("a2", "save", 1),
        ("a4", "save", 1),
        ("a5", "onboarding", 1),
        ("a2", "adoption", 2),
        ("a3", "renewal", 2),
        ("a4", "adoption", 2),
        ("a5", "adoption", 2),
        ("a1", "expansion", 3),
        ("a4", "expansion", 3),
    ]
    assert [r["queue_rank"] for r in queue] == list(range(1, 10))
    assert [float(r["mrr"]) for r in queue][:3] == [5000.0, 2000.0, 1000.0]
    reason = {(r["account_id"], r["playbook"]): r["reason"] for r in queue}
    assert reason[("a2", "save")] == "Health score 36.25 (red, < 40)"
    assert reason[("a2", "adoption")] == (
        "Seat utilization 0.0% (< 40%) over the last 30 days; "
        "Logins 0 in the last 30 days vs 300 in the 30 days before (trend 0.00 <= 0.7)"
    )
    assert reason[("a4", "save")] == "NPS detractor score 5 on 2026-04-01 (within the last 90 days)"
    assert reason[("a4", "adoption")] == (
        "Logins 210 in the last 30 days vs 300 in the 30 days before (trend 0.70 <= 0.7)"
    )
    # a3: i3a renews 2026-08-01 (47 days); i3b on 2026-09-20 is 97 days away; a4's annual
    # item is a trial.
    assert reason[("a3", "renewal")] == (
        "Annual item renews on 2026-08-01, in 47 days (within 90 days)"
    )
    assert reason[("a1", "expansion")] == (
        "Seat utilization 90.0% (>= 90%) over the last 30 days with health score 96.50 (green)"
    )
    # a5 started 03-01 without kickoff: 106 days > 60.
    assert reason[("a5", "onboarding")] == (
        "Onboarding overdue: started 2026-03-01, 106 days ago without go-live (target 60 days)"
    )


def test_accounts_mart(run: PipelineRun) -> None:
    accounts = rows(run, "accounts", "account_id")
    assert sorted(accounts) == ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "b1", "b2", "unmapped:c9"]
    columns = "cohort_month current_mrr is_customer first_paid_on churned_on"
    assert pick(accounts["a3"], columns) == ("2025-08-01", 4000.0, True, "2025-08-01", None)
    assert pick(accounts["a6"], columns) == ("2026-02-01", 0.0, False, "2026-02-01", "2026-06-01")
    assert pick(accounts["b2"], columns) == ("2025-11-01", 0.0, False, "2025-11-03", "2026-01-01")
    assert pick(accounts["a7"], columns) == (None, 0.0, False, None, None)
    # Latest health: the as-of snapshot for customers; a6's last one (05-31: no usage in the
    # window, no earlier logins -> 47.5); none for a7.
    assert pick(accounts["a2"], "health_score health_band") == (36.25, "red")
    assert pick(accounts["a6"], "health_score health_band") == (47.5, "yellow")
    assert pick(accounts["a7"], "health_score health_band") == (None, None)
    unmapped = accounts["unmapped:c9"]
    assert pick(unmapped, "account_name csm_id current_mrr is_customer") == (
        None,
        None,
        1000.0,
        True,
    )
    assert not {"email", "contact_email", "name"} & set(accounts["a1"])


def test_singular_tests_fail_on_a_wrong_band_and_a_backtest_that_does_not_add_up(
    run: PipelineRun, tmp_path: Path
) -> None:
    warehouse = tmp_path / "tampered.duckdb"
    shutil.copy(run.settings.warehouse_file, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "update marts.account_health set health_band = 'green' where account_id = 'a2'"
        )
        connection.execute(
            "update marts.health_backtest set snapshots = snapshots + 1 where health_band = 'red'"
        )
        # An incremental build that missed a snapshot.
        connection.execute(
            "delete from intermediate.int_account_usage_windows where account_id = 'a1'"
        )
    tampered = run.settings.model_copy(update={"warehouse_path": str(warehouse)})
    status = dbt_test_statuses(tampered, "path:tests/health", tmp_path / "target")
    assert status == {
        "assert_health_score_is_weighted_sum_of_components": "fail",
        "assert_health_backtest_all_row_is_sum_of_bands": "fail",
        # a2 is no longer red, but its adoption row still matches its usage.
        "assert_cs_action_queue_matches_as_of_health": "pass",
        "assert_accounts_current_mrr_matches_as_of_month": "pass",
        "assert_usage_windows_cover_exactly_the_health_snapshots": "fail",
    }
