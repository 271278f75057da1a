"""Segments and CSM books on a hand-made landing with attribute history, figures by hand.

Three drops: 2026-01-31 and 2026-05-15 deliver the CRM (accounts, cs_reps), 2026-07-31
everything else (the as-of date). accounts.csv has an extra column, Region (a1: APAC, then
EMEA from 05-15; the others APAC), run as an extra dimension. Plans: p1 invoicing 10,000
JPY a seat a month, p2 expense 5,000 a seat a month. Managers m1 (team east) and m2 (team west).

| account | drop 01-31     | drop 05-15     | items (MRR)                                      |
|---------|----------------|----------------|--------------------------------------------------|
| a1      | m1, smb        | **m2**, smb    | 2 seats p1 from 01-05: 20,000                    |
| a2      | m2, smb        | m2, **mid**    | 1 seat p1 01-10 .. 06-10, then 3 seats: 30,000   |
| a3      | m1, enterprise | m1, enterprise | 1 seat p1 from 01-05 + 2 seats p2 03-01 .. 06-20 |
| a4      | no owner, smb  | no owner, smb  | 1 seat p1 from 02-01: 10,000                     |

An account is in the segment it had on the last day of M-1: the 05-15 versions count from
June. So in June a1's 20,000 moves from m1's book to m2's as a transfer (no churn, no new
MRR), a2's expansion of 20,000 counts in company size mid, and a3 contracts by 10,000 as an
account while its expense line churns (the product dimension moves each line on its own).
MRR: January 40,000, February 50,000, March to May 60,000, June and July 70,000.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.pipeline import PipelineRun, dbt_test_statuses, run_pipeline

pytestmark = pytest.mark.pipeline

ACCOUNTS_HEADER = (
    "account_id,account_name,industry,company_size,country,csm_id,created_at,updated_at,Region"
)
CS_REPS = (
    "csm_id,name,team,hourly_cost,active\nm1,Rep One,east,6000,true\nm2,Rep Two,west,4500,true\n"
)


def accounts(a1_owner: str, a2_size: str, a1_region: str, updated: str) -> str:
    rows = [
        (f"a1,Alpha,retail,smb,JP,{a1_owner}", a1_region),
        (f"a2,Beta,it,{a2_size},JP,m2", "APAC"),
        ("a3,Gamma,it,enterprise,JP,m1", "APAC"),
        ("a4,Delta,retail,smb,JP,", "APAC"),
    ]
    lines = (f"{row},2025-12-01T10:00:00,{updated},{region}" for row, region in rows)
    return "\n".join([ACCOUNTS_HEADER, *lines]) + "\n"


LAST_DROP = {
    "accounts.csv": accounts("m2", "mid", "EMEA", "2026-05-15T09:00:00"),
    "cs_reps.csv": CS_REPS,
    "billing_customers.csv": "customer_id,account_id,currency,email,created_at\n"
    + "".join(f"c{n},a{n},JPY,c{n}@example.jp,2026-01-01T10:00:00\n" for n in range(1, 5)),
    "plans.csv": "plan_id,product,plan_name,tier,billing_period_months,currency,list_price\n"
    "p1,invoicing,Invoicing,1,1,JPY,10000\np2,expense,Expense,1,1,JPY,5000\n",
    "subscription_items.csv": "item_id,subscription_id,customer_id,plan_id,quantity,"
    "unit_price,discount_pct,started_on,ended_on,is_trial\n"
    "i1,s1,c1,p1,2,10000,0,2026-01-05,,false\n"
    "i2,s2,c2,p1,1,10000,0,2026-01-10,2026-06-10,false\n"
    "i2b,s2,c2,p1,3,10000,0,2026-06-10,,false\n"
    "i3,s3,c3,p1,1,10000,0,2026-01-05,,false\n"
    "i4,s4,c3,p2,2,5000,0,2026-03-01,2026-06-20,false\n"
    "i5,s5,c4,p1,1,10000,0,2026-02-01,,false\n",
}
DROPS = {
    "2026-01-31": {
        "accounts.csv": accounts("m1", "smb", "APAC", "2026-01-05T09:00:00"),
        "cs_reps.csv": CS_REPS,
    },
    "2026-05-15": {"accounts.csv": LAST_DROP["accounts.csv"]},
    "2026-07-31": LAST_DROP,
}
K = Decimal(1000)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    landing = tmp_path_factory.mktemp("landing")
    for drop, files in DROPS.items():
        (landing / drop).mkdir()
        for name, text in files.items():
            (landing / drop / name).write_text(text, encoding="utf-8")
    yield run_pipeline(
        landing, tmp_path_factory.mktemp("work"), segment_extra_dimensions=["Region"]
    )


def segment(run: PipelineRun, dimension: str, name: str, month: str) -> dict:
    found = run.query_dicts(
        "select * from marts.kpi_segments_monthly "
        f"where dimension = '{dimension}' and segment = '{name}' and month = '{month}'"
    )
    assert len(found) == 1, (dimension, name, month, found)
    return found[0]


def book(run: PipelineRun, csm: str, month: str) -> dict:
    found = run.query_dicts(
        f"select * from marts.csm_book_monthly where csm_id = '{csm}' and month = '{month}'"
    )
    assert len(found) == 1, (csm, month, found)
    return found[0]


def pick(row: dict, names: str) -> tuple:
    return tuple(row[name] for name in names.split())


BRIDGE = "starting_mrr transfer_in_mrr transfer_out_mrr expansion_mrr contraction_mrr mrr accounts"


def test_an_owner_change_mid_year_is_a_transfer_between_books_not_churn(run) -> None:
    assert pick(book(run, "m1", "2026-05-01"), BRIDGE) == (40 * K, 0, 0, 0, 0, 40 * K, 2)
    # June: a1 (20,000) leaves m1 for m2; a3 contracts by 10,000 in m1's book.
    m1, m2 = book(run, "m1", "2026-06-01"), book(run, "m2", "2026-06-01")
    assert pick(m1, BRIDGE) == (40 * K, 0, 20 * K, 0, 10 * K, 10 * K, 1)
    assert pick(m2, BRIDGE) == (10 * K, 20 * K, 0, 20 * K, 0, 50 * K, 2)
    assert m1["churned_mrr"] == m2["new_mrr"] == 0
    # NRR of the accounts held at the start of June, after transfers in.
    assert pick(m1, "start_cc nrr_pct grr_pct") == (20 * K, 50, 50)
    assert m2["start_cc"] == 30 * K
    assert round(m2["nrr_pct"], 4) == Decimal("166.6667") and m2["grr_pct"] == 100
    # July starts where June ended, without another transfer.
    assert pick(book(run, "m2", "2026-07-01"), BRIDGE) == (50 * K, 0, 0, 0, 0, 50 * K, 2)
    assert pick(book(run, "unassigned", "2026-06-01"), "starting_mrr mrr accounts") == (
        10 * K,
        10 * K,
        1,
    )
    # The queue is the as-of date's: only the as-of month counts open items.
    assert book(run, "m1", "2026-06-01")["open_queue_items"] is None
    assert book(run, "m1", "2026-07-01")["open_queue_items"] is not None


def test_an_account_is_in_the_size_it_had_at_the_start_of_the_month(run) -> None:
    may_smb = segment(run, "company_size", "smb", "2026-05-01")
    assert pick(may_smb, "starting_mrr mrr customers") == (40 * K, 40 * K, 3)
    mid_before_june = run.query(
        "select month from marts.kpi_segments_monthly "
        "where dimension = 'company_size' and segment = 'mid' and month < '2026-06-01'"
    )
    assert mid_before_june == []  # a2 is mid only from June
    june_mid = segment(run, "company_size", "mid", "2026-06-01")
    assert pick(june_mid, "starting_mrr expansion_mrr mrr customers nrr_pct") == (
        10 * K,
        20 * K,
        30 * K,
        1,
        300,
    )
    june_smb = segment(run, "company_size", "smb", "2026-06-01")
    assert pick(june_smb, "starting_mrr mrr customers churned_mrr") == (30 * K, 30 * K, 2, 0)
    enterprise = segment(run, "company_size", "enterprise", "2026-06-01")
    assert pick(enterprise, "contraction_mrr gross_mrr_churn_rate_pct nrr_pct grr_pct") == (
        10 * K,
        50,
        50,
        50,
    )
    # Books and csm_id segments differ by the transfer: the segment starts with its June
    # accounts (m1: only a3), the book with its May ones.
    assert segment(run, "csm_id", "m1", "2026-06-01")["starting_mrr"] == 20 * K
    assert segment(run, "team", "west", "2026-06-01")["starting_mrr"] == 30 * K
    assert segment(run, "csm_id", "unassigned", "2026-06-01")["mrr"] == 10 * K


def test_an_extra_dimension_from_a_column_of_accounts_csv(run) -> None:
    """CSA_SEGMENT_EXTRA_DIMENSIONS=Region: a1 moves from APAC to EMEA in the 05-15 drop."""
    assert pick(segment(run, "Region", "APAC", "2026-05-01"), "mrr customers") == (60 * K, 4)
    june_emea = segment(run, "Region", "EMEA", "2026-06-01")
    assert pick(june_emea, "starting_mrr mrr customers churned_mrr") == (20 * K, 20 * K, 1, 0)
    assert segment(run, "Region", "APAC", "2026-06-01")["mrr"] == 50 * K


def test_a_two_product_account_moves_in_each_line_on_its_own(run) -> None:
    march_expense = segment(run, "product", "expense", "2026-03-01")
    assert pick(march_expense, "new_mrr mrr customers") == (10 * K, 10 * K, 1)
    march_all = segment(run, "all", "all", "2026-03-01")
    assert pick(march_all, "new_mrr expansion_mrr cross_sell_rate_pct") == (0, 10 * K, Decimal(25))
    june_expense = segment(run, "product", "expense", "2026-06-01")
    assert pick(june_expense, "starting_mrr churned_mrr mrr customer_churn_rate_pct") == (
        10 * K,
        10 * K,
        0,
        100,
    )
    june_invoicing = segment(run, "product", "invoicing", "2026-06-01")
    assert pick(june_invoicing, "starting_mrr expansion_mrr mrr customers") == (
        50 * K,
        20 * K,
        70 * K,
        4,
    )
    # As an account, a3 only contracted: nobody churned in June.
    june = segment(run, "all", "all", "2026-06-01")
    assert pick(june, "churned_mrr contraction_mrr expansion_mrr mrr customer_churn_rate_pct") == (
        0,
        10 * K,
        20 * K,
        70 * K,
        0,
    )


def test_the_all_segment_is_kpi_monthly(run) -> None:
    columns = "month mrr customers nrr_pct grr_pct nrr_12m_pct quick_ratio upsell_rate_pct nps"
    select = ", ".join(columns.split())
    kpis = run.query(f"select {select} from marts.kpi_monthly order by month")
    segments = run.query(
        f"select {select} from marts.kpi_segments_monthly where dimension = 'all' order by month"
    )
    assert kpis == segments and len(kpis) == 7
    assert [row[1] for row in kpis] == [m * K for m in (40, 50, 60, 60, 60, 70, 70)]


def test_blocking_tests_fail_on_an_unbalanced_book_and_segments_that_do_not_add_up(
    run: PipelineRun, tmp_path: Path
) -> None:
    warehouse = tmp_path / "tampered.duckdb"
    shutil.copy(run.settings.warehouse_file, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        # A transfer counted on one side only, and a segment that lost an account.
        connection.execute(
            "update marts.csm_book_monthly set transfer_in_mrr = 0 "
            "where csm_id = 'm2' and month = '2026-06-01'"
        )
        connection.execute(
            "update marts.kpi_segments_monthly set customers = customers - 1, mrr = mrr - 1 "
            "where dimension = 'company_size' and segment = 'smb' and month = '2026-06-01'"
        )
    tampered = run.settings.model_copy(update={"warehouse_path": str(warehouse)})
    status = dbt_test_statuses(
        tampered,
        "path:tests/segments",
        tmp_path / "target",
        exclude=("assert_attribute_history_intervals_tile_time",),
    )
    assert status == {
        "assert_csm_books_balance": "fail",
        "assert_csm_books_add_up_to_mrr_monthly": "fail",
        "assert_kpi_segments_add_up_to_all": "fail",
        "assert_kpi_segments_bridge_balances": "fail",
        "assert_kpi_segments_all_equals_kpi_monthly": "pass",
    }
