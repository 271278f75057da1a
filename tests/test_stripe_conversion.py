"""Stripe's tables -> contract rows, called directly on DuckDB with fixture files in Stripe's
own table and column names (tests/fixtures/stripe, one drop of 2024-02-15, Sigma-style CSV).

Every mapping rule of docs/sources.md is checked here on the rows it produces, and every
fixture record is accounted for: loaded, quarantined or skipped, each with its reason.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.loading.metadata_tables import ensure_export_table, ensure_metadata_tables
from orchestration.sources.conversion import FileLedger, convert
from orchestration.sources.discovery import scan_vendor_folder
from orchestration.sources.stripe import VENDOR
from orchestration.sources.stripe.options import StripeOptions
from orchestration.sources.tables import VendorFileError

FIXTURE = Path(__file__).parent / "fixtures" / "stripe" / "2024-02-15" / "stripe"
DROP = date(2024, 2, 15)


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'Asia/Tokyo'")
        ensure_metadata_tables(con)
        ensure_export_table(con, EXPORTS_BY_NAME["subscription_items"], ())
        yield con


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the fixture drop's stripe/ folder that a test may change."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "stripe"))


def run(connection, export: str, folder: Path = FIXTURE, **options) -> list[FileLedger]:
    options.setdefault("tier_key", "tier")
    return convert(
        connection,
        scan_vendor_folder(VENDOR, folder),
        EXPORTS_BY_NAME[export],
        StripeOptions(**options),
        DROP,
        reporting_timezone="Asia/Tokyo",
        reporting_currency="JPY",
    )


def rows(connection, key: str) -> dict[str, dict]:
    cursor = connection.execute("select * from csa_vendor_rows")
    names = [column[0] for column in cursor.description]
    return {row[names.index(key)]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def ledger(connection) -> dict[tuple[str, int], tuple[str, str]]:
    found = connection.execute(
        "select source_file, line, outcome, reason from csa_ledger"
    ).fetchall()
    return {
        (file.removeprefix("stripe/"), line): (outcome, reason)
        for file, line, outcome, reason in found
    }


def warnings(connection) -> list[str]:
    return [row[0] for row in connection.execute("select message from csa_warnings").fetchall()]


def balanced(ledgers: list[FileLedger]) -> bool:
    return all(f.records == f.loaded + f.quarantined + f.skipped for f in ledgers) and ledgers


def test_customers_with_their_account_key_and_unmapped_without(connection) -> None:
    ledgers = run(connection, "billing_customers")

    customers = rows(connection, "customer_id")
    assert {c: (r["account_id"], r["currency"]) for c, r in customers.items()} == {
        "cus_jp": ("acc_jp", "JPY"),
        "cus_us": ("acc_us", "USD"),
        "cus_nokey": (None, "JPY"),  # no account_id metadata: unmapped:<customer_id> downstream
    }
    assert customers["cus_us"]["created_at"].isoformat() == "2023-12-20T19:00:00+09:00"
    assert customers["cus_jp"]["_source_file"] == "stripe/customers.csv"
    assert customers["cus_jp"]["_source_line"] == 2
    outcomes = ledger(connection)
    assert outcomes[("customers.csv", 5)][0] == "skipped"  # no currency: never billed
    assert outcomes[("customers.csv", 6)] == (
        "quarantined",
        "unknown currency 'xxx' (add it to currency_exponents in sources.yml if Stripe "
        "supports it)",
    )
    assert outcomes[("customers_metadata.csv", 6)][0] == "quarantined"  # a key on no customer
    assert "cus_ghost" in outcomes[("customers_metadata.csv", 6)][1]
    assert balanced(ledgers)


def test_a_configured_account_key_is_read_instead(connection) -> None:
    run(connection, "billing_customers", account_id_key="segment")

    customers = rows(connection, "customer_id")
    assert customers["cus_nokey"]["account_id"] == "smb"
    assert customers["cus_jp"]["account_id"] is None


def test_prices_in_minor_units_per_currency_exponent(connection) -> None:
    ledgers = run(connection, "plans")

    plans = rows(connection, "plan_id")
    assert plans["price_jp_m"]["list_price"] == Decimal("3000")  # JPY: zero-decimal, no division
    assert plans["price_us_m"]["list_price"] == Decimal("12.50")  # USD: 1250 cents
    assert plans["price_kwd"]["list_price"] == Decimal("12.345")  # KWD: three decimals
    assert plans["price_decimal"]["list_price"] == Decimal("12.345")  # unit_amount_decimal
    assert {p: r["billing_period_months"] for p, r in plans.items() if p.startswith("price_")} == {
        "price_jp_m": 1,
        "price_us_m": 1,
        "price_us_y": 12,
        "price_jp_q": 3,
        "price_kwd": 1,
        "price_decimal": 1,
    }
    assert (plans["price_jp_m"]["product"], plans["price_jp_m"]["plan_name"]) == (
        "invoicing",
        "Invoicing Pro Monthly",
    )
    assert plans["price_us_y"]["currency"] == "USD"
    assert plans["plan_legacy"]["list_price"] == Decimal("500")  # a legacy plan without a price
    assert balanced(ledgers)


def test_tier_from_the_configured_metadata_key_else_one(connection) -> None:
    run(connection, "plans")
    plans = rows(connection, "plan_id")
    assert plans["price_jp_m"]["tier"] == 2
    assert plans["price_us_m"]["tier"] == 1  # metadata 'gold' is no tier: 1, and reported
    assert any("price_us_m has no 'tier' metadata" in w for w in warnings(connection))
    assert ledger(connection)[("prices_metadata.csv", 3)] == (
        "quarantined",
        "tier 'gold' is not a whole number of 1 or more",
    )

    run(connection, "plans", tier_key=None)
    assert {r["tier"] for r in rows(connection, "plan_id").values()} == {1}
    assert not [w for w in warnings(connection) if "metadata" in w]


@pytest.mark.parametrize(
    ("price", "line", "reason"),
    [
        ("price_metered", 8, "price price_metered is metered usage"),
        ("price_weekly", 9, "price price_weekly bills every 1 week(s)"),
        ("price_once", 10, "price price_once is one_time"),
        ("price_tiered", 11, "price price_tiered has tiered billing"),
        ("price_2y", 12, "price price_2y bills every 24 months"),
    ],
)
def test_prices_that_fit_no_monthly_mrr_are_skipped_and_reported(
    connection, price: str, line: int, reason: str
) -> None:
    run(connection, "plans")
    assert price not in rows(connection, "plan_id")
    outcome, why = ledger(connection)[("prices.csv", line)]
    assert outcome == "skipped" and why.startswith(reason)
    assert any(w.startswith(reason) and w.endswith("left out of MRR") for w in warnings(connection))


def test_item_versions_from_change_events(connection) -> None:
    ledgers = run(connection, "subscription_items")
    items = rows(connection, "item_id")

    # Started 2024-01-31T16:00Z: 1 February in Tokyo, so February is its first month.
    jp = items["si_jp@2024-02-01"]
    assert (jp["started_on"], jp["ended_on"], jp["quantity"]) == (date(2024, 2, 1), None, 5)
    assert (jp["unit_price"], jp["plan_id"], jp["customer_id"]) == (3000, "price_jp_m", "cus_jp")
    assert jp["_source_file"] == "stripe/subscription_item_change_events.csv"
    # si_ended is gone from subscription_items; its events alone give its history.
    ended = items["si_ended@2024-01-05"]
    assert (ended["started_on"], ended["ended_on"]) == (date(2024, 1, 5), date(2024, 2, 10))
    assert balanced(ledgers)


def test_trial_then_quantity_change_with_an_amount_off_coupon(connection) -> None:
    run(connection, "subscription_items")
    versions = sorted(
        (r["started_on"], r["ended_on"], r["quantity"], r["is_trial"], r["discount_pct"])
        for i, r in rows(connection, "item_id").items()
        if i.startswith("si_us@")
    )
    # Trial 1..15 January (trial_start..trial_end), 3 seats at $12.50; 5 seats from 1 February.
    # The $12.50 amount_off coupon is 33.3333 % of 3 x $12.50, then 20 % of 5 x $12.50.
    assert versions == [
        (date(2024, 1, 1), date(2024, 1, 15), 3, True, Decimal("33.3333")),
        (date(2024, 1, 15), date(2024, 2, 1), 3, False, Decimal("33.3333")),
        (date(2024, 2, 1), None, 5, False, Decimal("20.0000")),
    ]


def test_a_repeating_percent_coupon_applies_until_it_ends(connection) -> None:
    run(connection, "subscription_items")
    items = rows(connection, "item_id")
    # 10 % for 3 months from 1 November: a version until 1 February, then none.
    assert items["si_pct@2023-11-01"]["discount_pct"] == Decimal("10")
    assert items["si_pct@2023-11-01"]["ended_on"] == date(2024, 2, 1)
    assert items["si_pct@2024-02-01"]["discount_pct"] == 0
    assert items["si_pct@2024-02-01"]["unit_price"] == 2400


def test_ends_cancellations_and_unusable_items(connection) -> None:
    run(connection, "subscription_items")
    items = rows(connection, "item_id")
    outcomes = ledger(connection)
    # cancel_at 2024-03-31T15:00Z is the end: 1 April in Tokyo, after the drop date.
    assert items["si_cancel_at@2024-01-10"]["ended_on"] == date(2024, 4, 1)
    # A once coupon changes one invoice, not MRR.
    assert items["si_once@2024-01-10"]["discount_pct"] == 0
    assert outcomes[("discounts.csv", 4)][0] == "skipped"
    # Canceled without a date: quarantined with its reason, never guessed.
    assert not [i for i in items if i.startswith("si_nodate")]
    assert outcomes[("subscription_items.csv", 6)] == (
        "quarantined",
        "subscription item si_nodate: subscription sub_nodate is canceled without ended_at or "
        "cancel_at: its end is unknown",
    )
    # A price no price has: quarantined.
    assert outcomes[("subscription_items.csv", 10)][0] == "quarantined"
    assert (
        "price 'price_ghost' is not in this drop's prices"
        in outcomes[("subscription_items.csv", 10)][1]
    )
    # A metered price: reported with the item's id, left out of MRR.
    assert not [i for i in items if i.startswith("si_metered")]
    assert outcomes[("subscription_items.csv", 5)][0] == "skipped"
    assert any(
        w.startswith("subscription item si_metered: price price_metered is metered")
        for w in warnings(connection)
    )


def test_invoices(connection) -> None:
    ledgers = run(connection, "invoices")
    invoices = rows(connection, "invoice_id")
    paid = invoices["in_paid"]
    # `date` 2024-01-31T16:00Z is 1 February in Tokyo; 16500 yen are 16500 (no division).
    assert (paid["issued_on"], paid["due_on"], paid["total"]) == (
        date(2024, 2, 1),
        date(2024, 3, 1),
        Decimal(16500),
    )
    assert paid["paid_at"].isoformat() == "2024-02-05T10:00:00+09:00"
    assert invoices["in_usd"]["total"] == Decimal("13.75")  # 1375 cents
    assert invoices["in_credit"]["total"] == Decimal(-500)
    assert {i: r["status"] for i, r in invoices.items()} == {
        "in_paid": "paid",
        "in_usd": "open",
        "in_void": "void",
        "in_unc": "uncollectible",
        "in_credit": "paid",
    }
    outcomes = ledger(connection)
    assert outcomes[("invoices.csv", 4)] == (
        "skipped",
        "draft: not an invoice yet (Stripe finalizes it first)",
    )
    assert outcomes[("invoices.csv", 8)][0] == "quarantined"
    assert balanced(ledgers)


def test_fx_rates_cross_through_usd(connection) -> None:
    ledgers = run(connection, "fx_rates")
    rates = {
        (r[0].isoformat(), r[1]): r[2]
        for r in connection.execute(
            "select rate_date, from_currency, rate from csa_vendor_rows where to_currency = 'JPY'"
        ).fetchall()
    }
    assert rates == {
        ("2024-01-31", "USD"): Decimal("147.5"),
        ("2024-01-31", "EUR"): Decimal("160.32608696"),  # 147.5 / 0.92
        ("2024-02-01", "USD"): Decimal("148"),
        ("2024-02-01", "EUR"): Decimal("159.13978495"),  # 148 / 0.93
    }
    assert any("'X1'" in w for w in warnings(connection))
    assert ledger(connection)[("exchange_rates_from_usd.csv", 4)][0] == "quarantined"  # no jpy
    assert balanced(ledgers)


def test_every_fixture_record_is_accounted_for(connection) -> None:
    files = {}
    for export in VENDOR.conversions:
        for file in run(connection, export):
            files[file.source_file] = file
    on_disk = {f"stripe/{path.name}" for path in FIXTURE.iterdir()}
    assert set(files) == on_disk
    for file in files.values():
        lines = len((FIXTURE / file.source_file.removeprefix("stripe/")).read_text().splitlines())
        assert file.records == lines - 1, file
        assert file.records == file.loaded + file.quarantined + file.skipped, file


def test_parquet_tables_give_the_same_rows(connection, tmp_path: Path) -> None:
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    # Typed as Stripe Data Pipeline types them: timestamps (UTC), bigint amounts, booleans.
    connection.execute("set TimeZone = 'UTC'")
    for path in FIXTURE.iterdir():
        connection.execute(
            "copy (select * from read_csv(?)) to ? (format parquet)",
            [str(path), str(parquet / f"{path.stem}.parquet")],
        )
    connection.execute("set TimeZone = 'Asia/Tokyo'")
    for export in VENDOR.conversions:
        run(connection, export)
        from_csv = connection.execute(
            "select * exclude (_source_file) from csa_vendor_rows order by all"
        ).fetchall()
        ledgers = run(connection, export, parquet)
        from_parquet = connection.execute(
            "select * exclude (_source_file) from csa_vendor_rows order by all"
        ).fetchall()
        # Parquet rows are numbered from 1 where CSV records count the header as 1.
        assert [(*r[:-1], r[-1] + 1) for r in from_parquet] == from_csv, export
        assert balanced(ledgers)


def test_unreadable_fields_and_repeated_keys_are_quarantined(connection, folder: Path) -> None:
    (folder / "invoices.csv").write_text(
        "id,customer_id,status,date,currency,total\n"
        "in_1,cus_jp,paid,2024-02-01 00:00:00,jpy,1000\n"
        "in_2,cus_jp,paid,31/01/2024,jpy,1000\n"
        "in_3,cus_jp,paid,2024-02-01 00:00:00,jpy,ten\n"
        "in_1,cus_jp,paid,2024-02-02 00:00:00,jpy,2000\n"
    )
    [file] = run(connection, "invoices", folder)

    assert (file.records, file.loaded, file.quarantined) == (4, 1, 3)
    assert rows(connection, "invoice_id")["in_1"]["total"] == 2000  # the last record wins
    reasons = {line: reason for (_, line), (_, reason) in ledger(connection).items()}
    assert reasons[3] == "date: not a timestamp '31/01/2024'"
    assert reasons[4] == "total: not a whole number 'ten'"
    assert reasons[2] == "duplicate primary key in the same file; record 5 wins"


def test_a_missing_required_column_rejects_the_file(connection, folder: Path) -> None:
    (folder / "invoices.csv").write_text("id,customer_id,status,currency,total\n")
    with pytest.raises(VendorFileError, match=r"invoices\.csv: missing required column date"):
        run(connection, "invoices", folder)


def test_a_table_given_twice_is_an_error_naming_both(folder: Path) -> None:
    shutil.copy(folder / "invoices.csv", folder / "Invoices.csv.gz")
    with pytest.raises(
        VendorFileError, match=r"Invoices\.csv\.gz, invoices\.csv|invoices\.csv, Invoices"
    ):
        scan_vendor_folder(VENDOR, folder)
