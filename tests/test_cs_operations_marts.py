"""CS operations marts on a tiny hand-made landing folder, every figure computed by hand.

One drop (2026-04-20) read with as_of_date=2026-04-15, so rows after the as-of date are
present and must be ignored. Plan p1: JPY 10,000 a month per seat. Managers m1 (6,000/h),
m2 (4,500/h), m3 (3,000/h, owns no account).

| account | owner | items (MRR)                          | onboarding                            |
|---------|-------|--------------------------------------|---------------------------------------|
| a1      | m1    | 2 seats from 01-10: 20,000            | kickoff 01-10, go_live 02-09: 30 days |
| a2      | m1    | 1 seat 01-20 .. 03-01: 10,000 Jan-Feb | kickoff 01-22, no go_live: abandoned  |
| a3      | m2    | 3 seats from 01-05: 30,000            | nothing: started 01-05, overdue       |
| a4      | m2    | 1 seat from 03-20: 10,000             | kickoff 03-25 (setup 04-18 is future) |
| a5      | m1    | 1 seat 02-03 .. 02-20: no month end   | nothing: abandoned in February        |
| a6      | m2    | 1 seat from 01-02: 10,000             | kickoff 01-02, go_live 03-10: 67 days |

Customers: January and February a1 a2 a3 a6; March and April a1 a3 a4 a6.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline


def table(columns: str, body: str) -> str:
    """A CSV file: the header from space-separated column names, then the body's lines."""
    return ",".join(columns.split()) + "\n" + body


DROP = {
    "accounts.csv": table(
        "account_id account_name industry company_size country csm_id created_at updated_at",
        """a1,Alpha,retail,smb,JP,m1,2026-01-01T10:00:00,2026-01-01T10:00:00
a2,Beta,it,smb,JP,m1,2026-01-01T10:00:00,2026-01-01T10:00:00
a3,Gamma,it,mid,JP,m2,2026-01-01T10:00:00,2026-01-01T10:00:00
a4,Delta,retail,smb,JP,m2,2026-01-01T10:00:00,2026-01-01T10:00:00
a5,Epsilon,it,smb,JP,m1,2026-01-01T10:00:00,2026-01-01T10:00:00
a6,Zeta,retail,mid,JP,m2,2026-01-01T10:00:00,2026-01-01T10:00:00
""",
    ),
    "cs_reps.csv": table(
        "csm_id name team hourly_cost active",
        """m1,Rep One,east,6000,true
m2,Rep Two,west,4500,true
m3,Rep Three,west,3000,true
""",
    ),
    "billing_customers.csv": "customer_id,account_id,currency,email,created_at\n"
    + "".join(f"c{n},a{n},JPY,c{n}@example.jp,2026-01-01T10:00:00\n" for n in range(1, 7)),
    "plans.csv": table(
        "plan_id product plan_name tier billing_period_months currency list_price",
        """p1,invoicing,Invoicing,1,1,JPY,10000
""",
    ),
    "subscription_items.csv": table(
        "item_id subscription_id customer_id plan_id quantity "
        "unit_price discount_pct started_on ended_on is_trial",
        """i1,s1,c1,p1,2,10000,0,2026-01-10,,false
i2,s2,c2,p1,1,10000,0,2026-01-20,2026-03-01,false
i3,s3,c3,p1,3,10000,0,2026-01-05,,false
i4,s4,c4,p1,1,10000,0,2026-03-20,,false
i5,s5,c5,p1,1,10000,0,2026-02-03,2026-02-20,false
i6,s6,c6,p1,1,10000,0,2026-01-02,,false
""",
    ),
    "onboarding_milestones.csv": table(
        "account_id milestone completed_at",
        """a1,kickoff,2026-01-10T10:00:00
a1,setup,2026-01-20T10:00:00
a1,go_live,2026-02-09T10:00:00
a2,kickoff,2026-01-22T10:00:00
a4,kickoff,2026-03-25T10:00:00
a4,setup,2026-04-18T10:00:00
a6,kickoff,2026-01-02T10:00:00
a6,go_live,2026-03-10T10:00:00
""",
    ),
    # act4 is 2026-03-01 05:00 in Tokyo (March); act6 is after the as-of date.
    "cs_activities.csv": table(
        "activity_id account_id csm_id activity_type lifecycle_stage occurred_at duration_minutes",
        """act1,a1,m1,meeting,onboarding,2026-01-15T10:00:00,90
act2,a1,m1,call,adoption,2026-03-03T10:00:00,30
act3,a3,m1,email,renewal,2026-03-10T10:00:00,45
act4,a3,m2,visit,expansion,2026-02-28T20:00:00Z,120
act5,a4,m2,meeting,onboarding,2026-03-26T10:00:00,60
act6,a1,m1,call,renewal,2026-04-18T10:00:00,60
act7,a2,m1,email,onboarding,2026-04-02T10:00:00,20
act8,a6,m3,webinar,adoption,2026-02-10T10:00:00,30
act9,a2,m1,call,,2026-04-03T10:00:00,10
""",
    ),
    # n5 is 2026-04-01 00:30 in Tokyo (April); n7 is after the as-of date.
    "nps_responses.csv": table(
        "response_id account_id contact_email responded_at score comment",
        """n1,a1,p@example.jp,2026-01-10T10:00:00,10,
n2,a2,q@example.jp,2026-01-20T10:00:00,3,"slow, sometimes"
n3,a3,r@example.jp,2026-01-25T10:00:00,7,
n4,a1,p@example.jp,2026-03-05T10:00:00,9,
n8,a1,s@example.jp,2026-03-20T10:00:00,10,
n5,a6,t@example.jp,2026-03-31T15:30:00Z,0,
n6,a4,u@example.jp,2026-04-10T10:00:00,8,
n7,a3,r@example.jp,2026-04-20T10:00:00,10,
""",
    ),
    # t4 is 2026-02-01 01:00 in Tokyo (February). After the as-of date: t6's resolution,
    # t7's first response and all of t8.
    "support_tickets.csv": table(
        "ticket_id account_id channel priority category "
        "created_at first_response_at resolved_at updated_at",
        """t1,a1,email,normal,billing,2026-01-05T09:00:00,2026-01-05T09:10:00,2026-01-05T13:00:00,2026-01-05T13:00:00
t2,a1,email,normal,billing,2026-01-10T09:00:00,2026-01-10T09:30:00,2026-01-12T09:00:00,2026-01-12T09:00:00
t3,a3,chat,high,bug,2026-01-20T10:00:00,2026-01-20T10:02:00,2026-02-03T10:00:00,2026-02-03T10:00:00
t4,a3,chat,normal,bug,2026-01-31T16:00:00Z,2026-02-01T01:20:00+09:00,,2026-02-01T01:20:00
t5,a6,email,low,howto,2026-02-10T09:00:00,2026-02-10T10:00:00,,2026-02-10T10:00:00
t6,a4,email,normal,howto,2026-04-01T09:00:00,2026-04-01T09:05:00,2026-04-17T09:00:00,2026-04-17T09:00:00
t7,a4,email,urgent,bug,2026-04-02T09:00:00,2026-04-16T09:00:00,,2026-04-16T09:00:00
t8,a1,email,normal,billing,2026-04-20T09:00:00,,,2026-04-20T09:00:00
""",
    ),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    landing = tmp_path_factory.mktemp("landing")
    drop = landing / "2026-04-20"
    drop.mkdir()
    for name, text in DROP.items():
        (drop / name).write_text(text, encoding="utf-8")
    yield run_pipeline(landing, tmp_path_factory.mktemp("work"), as_of_date="2026-04-15")


def rows(run: PipelineRun, mart: str, *keys: str) -> dict:
    """The mart's rows by key (a tuple for several keys), dates ISO, numbers float."""

    def plain(value: object) -> object:
        if isinstance(value, date):
            return value.isoformat()
        return float(value) if isinstance(value, Decimal) else value

    found = [
        {name: plain(value) for name, value in row.items()}
        for row in run.query_dicts(f"select * from marts.{mart}")
    ]
    if len(keys) == 1:
        return {row[keys[0]]: row for row in found}
    return {tuple(row[key] for key in keys): row for row in found}


def pick(row: dict, columns: str) -> tuple:
    return tuple(row[column] for column in columns.split())


def test_pipeline_and_dbt_tests_pass(run: PipelineRun) -> None:
    assert run.result.success


def test_nps_counts_every_response_and_pools_three_months(run: PipelineRun) -> None:
    nps = rows(run, "nps_monthly", "month")
    columns = "responses promoters passives detractors nps nps_trailing_3m"
    # January: 10, 3, 7 -> (1 - 1) / 3 = 0; trailing = January alone.
    assert pick(nps["2026-01-01"], columns) == (3, 1, 1, 1, 0.0, 0.0)
    # March: a1 answers twice (9 and 10), both count: 100. Trailing Jan-Mar: 5 responses,
    # 3 promoters, 1 detractor -> 200 / 5 = 40.
    assert pick(nps["2026-03-01"], columns) == (2, 2, 0, 0, 100.0, 40.0)
    # April: 0 (n5, April in Tokyo) and 8; n7 is after the as-of date -> -50.
    # Trailing Feb-Apr: March + April = 4 responses, 2 promoters, 1 detractor -> 25.
    assert pick(nps["2026-04-01"], columns) == (2, 0, 1, 1, -50.0, 25.0)
    # February has no responses: no row (as in the worked example).
    assert sorted(nps) == ["2026-01-01", "2026-03-01", "2026-04-01"]


def test_support_percentiles_open_tickets_and_all_channel(run: PipelineRun) -> None:
    support = rows(run, "support_monthly", "month", "channel")
    columns = (
        "tickets_created tickets_resolved median_first_response_minutes "
        "p90_first_response_minutes median_resolution_hours open_at_month_end"
    )
    # January email: responses 10 and 30 min -> median 20, p90 10 + 0.9 * 20 = 28;
    # resolutions 4 h and 48 h -> 26. Both resolved in January.
    assert pick(support[("2026-01-01", "email")], columns) == (2, 2, 20.0, 28.0, 26.0, 0)
    # January chat: t3 (2 min, resolved 02-03 after 336 h) is open at January's end; t4 was
    # created in February in Tokyo.
    assert pick(support[("2026-01-01", "chat")], columns) == (1, 0, 2.0, 2.0, 336.0, 1)
    # January all: responses 2, 10, 30 -> median 10, p90 at rank 1.8: 10 + 0.8 * 20 = 26;
    # resolutions 4, 48, 336 -> 48.
    assert pick(support[("2026-01-01", "all")], columns) == (3, 2, 10.0, 26.0, 48.0, 1)
    # February all: t4 (20 min) and t5 (60 min) -> median 40, p90 20 + 0.9 * 40 = 56; no
    # resolution of a February ticket; t3 resolved; t4 and t5 open.
    assert pick(support[("2026-02-01", "all")], columns) == (2, 1, 40.0, 56.0, None, 2)
    # March: no new tickets, still a row per channel; t4 and t5 still open.
    assert pick(support[("2026-03-01", "all")], columns) == (0, 0, None, None, None, 2)
    assert support[("2026-03-01", "chat")]["open_at_month_end"] == 1
    # April (as of 04-15): t6 answered in 5 min, t7's answer and t6's resolution come after
    # the as-of date; open on 04-15: t4, t5, t6, t7. t8 (04-20) does not exist yet.
    assert pick(support[("2026-04-01", "email")], columns) == (2, 0, 5.0, 5.0, None, 3)
    assert support[("2026-04-01", "all")]["open_at_month_end"] == 4
    assert {month for month, _ in support} == {f"2026-0{m}-01" for m in range(1, 5)}
    assert {channel for _, channel in support} == {"email", "chat", "all"}


def test_workload_hours_times_hourly_cost(run: PipelineRun) -> None:
    workload = rows(run, "csm_workload_monthly", "csm_id", "month")
    columns = "accounts_owned hours onboarding_hours adoption_hours renewal_hours expansion_hours"
    # m1 in January: act1 90 min onboarding on a1 -> 1.5 h * 6,000 = 9,000; owns a1 and a2.
    assert pick(workload[("m1", "2026-01-01")], columns + " hours_per_account cs_cost") == (
        2,
        1.5,
        1.5,
        0.0,
        0.0,
        0.0,
        0.75,
        9000.0,
    )
    # m1 in March: act2 30 min adoption + act3 45 min renewal on a3 (owned by m2: hours go to
    # the one who logged them) = 1.25 h, 7,500; owns a1 only (a2 churned).
    assert pick(workload[("m1", "2026-03-01")], columns + " cs_cost") == (
        1,
        1.25,
        0.0,
        0.5,
        0.75,
        0.0,
        7500.0,
    )
    # m2 in March: act4 (Tokyo March) 2 h expansion + act5 1 h onboarding = 3 h at 4,500;
    # owns a3, a4, a6 -> 1 h per account.
    assert pick(
        workload[("m2", "2026-03-01")], "accounts_owned hours hours_per_account cs_cost"
    ) == (3, 3.0, 1.0, 13500.0)
    # m1 in April on a2 (no longer a customer): act7 20 min onboarding + act9 10 min with no
    # lifecycle stage = 0.5 h, 3,000; act6 is future. The unstaged 10 minutes count in hours
    # and in no stage column.
    april = workload[("m1", "2026-04-01")]
    assert (april["accounts_owned"], april["cs_cost"]) == (1, 3000.0)
    assert april["hours"] == pytest.approx(0.5, abs=1e-7)
    assert april["onboarding_hours"] == pytest.approx(1 / 3, abs=1e-7)
    assert april["adoption_hours"] + april["renewal_hours"] + april["expansion_hours"] == 0
    # m3 owns nothing: hours_per_account is NULL, not an error.
    assert pick(
        workload[("m3", "2026-02-01")], "accounts_owned hours hours_per_account cs_cost"
    ) == (0, 0.5, None, 1500.0)
    # m2 logged nothing in February but owned a3 and a6.
    assert pick(workload[("m2", "2026-02-01")], "accounts_owned hours cs_cost") == (2, 0.0, 0.0)


def test_cost_to_serve_per_customer_month(run: PipelineRun) -> None:
    cost = rows(run, "account_cost_to_serve_monthly", "account_id", "month")
    columns = "mrr cs_hours cs_cost cs_cost_to_mrr_pct"
    assert pick(cost[("a1", "2026-01-01")], columns) == (20000.0, 1.5, 9000.0, 45.0)
    assert pick(cost[("a1", "2026-02-01")], columns) == (20000.0, 0.0, 0.0, 0.0)
    # a3 in March: m1's 0.75 h (4,500) + m2's 2 h (9,000) = 13,500 of 30,000 MRR.
    assert pick(cost[("a3", "2026-03-01")], columns) == (30000.0, 2.75, 13500.0, 45.0)
    assert pick(cost[("a6", "2026-02-01")], columns) == (10000.0, 0.5, 1500.0, 15.0)
    # Only customer months: 4 customers in each of 4 months; a2's April time has no row.
    assert len(cost) == 16 and ("a2", "2026-04-01") not in cost and ("a5", "2026-02-01") not in cost


def test_onboarding_statuses(run: PipelineRun) -> None:
    onboarding = rows(run, "onboarding_accounts", "account_id")
    columns = "status onboarding_started_on days_to_onboard abandoned_month csm_id"
    assert pick(onboarding["a1"], columns) == ("completed", "2026-01-10", 30, None, "m1")
    # a2: month-end MRR 0 first at the end of March.
    assert pick(onboarding["a2"], columns) == (
        "abandoned",
        "2026-01-22",
        None,
        "2026-03-01",
        "m1",
    )
    # a3: no kickoff, starts on its first paid day; 01-05 -> 04-15 = 100 days > 60.
    assert pick(onboarding["a3"], columns) == ("overdue", "2026-01-05", None, None, "m2")
    # a4: 03-25 -> 04-15 = 21 days; its setup on 04-18 is not known on the as-of date.
    assert pick(onboarding["a4"], columns) == ("in_progress", "2026-03-25", None, None, "m2")
    assert (onboarding["a4"]["kickoff_on"], onboarding["a4"]["setup_on"]) == (
        "2026-03-25",
        None,
    )
    # a5 paid and cancelled inside February: no month-end MRR at all.
    assert pick(onboarding["a5"], "status first_paid_on abandoned_month") == (
        "abandoned",
        "2026-02-03",
        "2026-02-01",
    )
    assert pick(onboarding["a6"], "status days_to_onboard go_live_on") == (
        "completed",
        67,
        "2026-03-10",
    )


def test_onboarding_monthly_rates(run: PipelineRun) -> None:
    monthly = rows(run, "onboarding_monthly", "month")
    columns = (
        "accounts_onboarding accounts_completed onboarding_completion_rate_pct "
        "median_days_to_onboard completed_within_target_pct"
    )
    # January: a1, a2, a3, a6 open (a5 starts in February).
    assert pick(monthly["2026-01-01"], columns) == (4, 0, 0.0, None, None)
    # February: a1 (completes, 30 days), a2, a3, a5 (abandons in February), a6 -> 1 / 5.
    assert pick(monthly["2026-02-01"], columns) == (5, 1, 20.0, 30.0, 100.0)
    # March: a2 (abandons in March), a3, a4, a6 (completes after 67 days > 60) -> 1 / 4.
    assert pick(monthly["2026-03-01"], columns) == (4, 1, 25.0, 67.0, 0.0)
    # April: a3 and a4.
    assert pick(monthly["2026-04-01"], columns) == (2, 0, 0.0, None, None)
