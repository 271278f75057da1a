"""A drop's stripe/ folder feeds the billing exports through the loader, as contract files
would: raw.<export> rows with lineage to the Stripe file and record, the load log per Stripe
file (read = loaded + quarantined + skipped), the reconciliation, and the conflicts.

The fixture drop is tests/fixtures/stripe (Stripe's own table and column names); the rules
of each conversion are tested in tests/test_stripe_conversion.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.checks.reconciliation import reconcile
from orchestration.contract import EXPORTS_BY_NAME
from orchestration.loading.csv_file import ExportFileError
from orchestration.loading.discovery import not_read
from orchestration.loading.drops import scan_landing
from orchestration.loading.loader import load_export
from orchestration.loading.vendor_load import VendorLoading
from orchestration.sources.configuration import load_sources
from orchestration.sources.stripe import VENDOR

FIXTURE = Path(__file__).parent / "fixtures" / "stripe" / "2024-02-15" / "stripe"
BILLING = tuple(VENDOR.conversions)  # the five exports Stripe feeds
DROP = "2024-02-15"


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'Asia/Tokyo'")
        yield con


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / DROP / "stripe")
    return tmp_path


def loading(landing: Path) -> VendorLoading:
    return VendorLoading(load_sources(landing / "sources.yml"))


def load(connection, landing: Path, export: str):
    drops = scan_landing(landing).drops
    return load_export(
        connection, EXPORTS_BY_NAME[export], drops, "utf-8", loading=loading(landing)
    )


def query(connection, sql: str, *params) -> list[tuple]:
    return connection.execute(sql, list(params)).fetchall()


def test_every_billing_export_is_loaded_from_the_stripe_folder(connection, landing) -> None:
    for export in BILLING:
        load(connection, landing, export)

    assert query(
        connection,
        "select _source_file, _source_line, total from raw.invoices where invoice_id = 'in_usd'",
    ) == [("stripe/invoices.csv", 3, 13.75)]
    assert query(
        connection,
        "select _source_file, _source_line from raw.subscription_items "
        "where item_id = 'si_jp@2024-02-01'",
    ) == [("stripe/subscription_item_change_events.csv", 2)]
    assert query(connection, "select count(*) from raw.billing_customers") == [(3,)]
    # One load record per Stripe file, each balanced; every fixture file is accounted for.
    logged = query(
        connection,
        "select source_file, rows_read, rows_loaded, rows_quarantined, rows_skipped "
        "from raw._loads order by source_file",
    )
    assert {row[0] for row in logged} == {f"stripe/{path.name}" for path in FIXTURE.iterdir()}
    for source_file, read, loaded, quarantined, skipped in logged:
        lines = (FIXTURE / source_file.removeprefix("stripe/")).read_text().splitlines()
        assert read == len(lines) - 1 == loaded + quarantined + skipped, source_file


def test_skipped_quarantined_and_warned_records_are_kept_with_file_and_record(
    connection, landing
) -> None:
    for export in ("invoices", "subscription_items"):
        load(connection, landing, export)

    assert query(
        connection, "select source_file, line, reason from raw._skipped where export = 'invoices'"
    ) == [("stripe/invoices.csv", 4, "draft: not an invoice yet (Stripe finalizes it first)")]
    assert query(
        connection,
        "select line from raw._quarantine where export = 'invoices' and source_file = ?",
        "stripe/invoices.csv",
    ) == [(8,)]
    warnings = query(
        connection, "select source_file, line, message from raw._warnings where line = 5"
    )
    assert [
        (file, line)
        for file, line, message in warnings
        if message.startswith("subscription item si_metered: price price_metered is metered")
    ] == [("stripe/subscription_items.csv", 5)]


def test_the_reconciliation_balances_per_stripe_file_and_names_the_warnings(
    connection, landing
) -> None:
    export = EXPORTS_BY_NAME["subscription_items"]
    load(connection, landing, "subscription_items")

    result = reconcile(connection, export, landing, loading(landing).sources)

    assert result.passed
    balances = result.metadata["balances"].value
    for table in ("subscriptions", "subscription_items", "coupons", "discounts"):
        assert f"| stripe/{table}.csv |" in balances
    assert "never loaded" not in balances and "<>" not in balances
    assert "stripe/subscription_items.csv drop 2024-02-15 record 5: subscription item " in (
        result.description
    )


def test_a_stripe_file_never_loaded_fails_the_reconciliation(connection, landing) -> None:
    load(connection, landing, "invoices")
    connection.execute("delete from raw._loads")
    connection.execute("delete from raw._skipped")

    result = reconcile(connection, EXPORTS_BY_NAME["invoices"], landing)

    assert not result.passed
    assert "stripe/invoices.csv drop 2024-02-15: in the landing folder but never loaded" in (
        result.description
    )


def test_a_skip_not_kept_fails_the_reconciliation(connection, landing) -> None:
    load(connection, landing, "invoices")
    connection.execute("delete from raw._skipped")

    result = reconcile(connection, EXPORTS_BY_NAME["invoices"], landing)

    assert not result.passed
    assert "stripe/invoices.csv drop 2024-02-15: 1 skipped but raw._skipped holds 0" in (
        result.description
    )


def test_the_same_export_from_a_contract_file_and_stripe_is_an_error_naming_both(
    connection, landing
) -> None:
    (landing / DROP / "invoices.csv").write_text(
        "invoice_id,customer_id,issued_on,due_on,currency,total,status,paid_at,updated_at\n"
    )
    with pytest.raises(
        ExportFileError, match=r"invoices\.csv and stripe/invoices\.csv both feed invoices"
    ):
        load(connection, landing, "invoices")
    assert query(connection, "select count(*) from raw._loads") == [(0,)]


def test_fx_rates_csv_beside_stripe_rates_wins_and_the_difference_is_reported(
    connection, landing
) -> None:
    (landing / DROP / "fx_rates.csv").write_text(
        "rate_date,from_currency,to_currency,rate\n2024-01-31,USD,JPY,150\n"
    )
    loads = load(connection, landing, "fx_rates")

    assert {load.source_file for load in loads} == {
        "fx_rates.csv",
        "stripe/exchange_rates_from_usd.csv",
    }
    assert query(
        connection,
        "select rate_date::varchar, from_currency, rate, _source_file from raw.fx_rates "
        "where from_currency = 'USD' order by 1",
    ) == [
        ("2024-01-31", "USD", 150, "fx_rates.csv"),
        ("2024-02-01", "USD", 148, "stripe/exchange_rates_from_usd.csv"),
    ]
    assert any("fx_rates.csv record 2 gives 150" in w for load in loads for w in load.warnings)
    assert reconcile(connection, EXPORTS_BY_NAME["fx_rates"], landing).passed


def test_exports_left_out_in_sources_yml_come_from_contract_files(connection, landing) -> None:
    (landing / "sources.yml").write_text(
        "version: 1\nsources:\n  stripe:\n    exports: [billing_customers, plans]\n"
    )
    (landing / DROP / "invoices.csv").write_text(
        "invoice_id,customer_id,issued_on,due_on,currency,total,status,paid_at,updated_at\n"
        "inv1,cus_jp,2024-02-01,2024-03-01,JPY,1000,open,,2024-02-01T09:00:00+09:00\n"
    )

    load(connection, landing, "invoices")

    assert query(connection, "select invoice_id, _source_file from raw.invoices") == [
        ("inv1", "invoices.csv")
    ]
    sources = loading(landing).sources
    unread = [entry.line for entry in not_read(landing, scan_landing(landing), sources)]
    # sources.yml beside the drops is read, so it is not named; stripe's invoices are.
    assert (
        "2024-02-15/stripe/invoices.csv not read: stripe does not feed invoices "
        "(exports in sources.yml)"
    ) in unread
    assert not [line for line in unread if line.startswith("sources.yml")]
    assert len(unread) == 7  # the tables of invoices, subscription_items and fx_rates


def test_a_later_drop_of_stripe_tables_versions_an_item_without_change_events(
    connection, landing
) -> None:
    """Without subscription_item_change_events, an item's quantity changed between drops ends
    its version on the later drop's date and starts the next."""
    first = landing / DROP / "stripe"
    (first / "subscription_item_change_events.csv").unlink()
    later = landing / "2024-03-01" / "stripe"
    shutil.copytree(first, later)
    items = (later / "subscription_items.csv").read_text().splitlines()
    [line] = [i for i, row in enumerate(items) if row.startswith("si_jp,")]
    fields = items[line].split(",")
    quantity = items[0].split(",").index("quantity")
    fields[quantity] = str(int(fields[quantity]) + 2)
    items[line] = ",".join(fields)
    (later / "subscription_items.csv").write_text("\n".join(items) + "\n")

    load(connection, landing, "subscription_items")

    versions = query(
        connection,
        "select started_on::varchar, ended_on::varchar, quantity, _drop_date::varchar "
        "from raw.subscription_items where item_id like 'si_jp@%' order by started_on",
    )
    assert [v[1] for v in versions[:-1]] == ["2024-03-01"] * (len(versions) - 1)
    assert versions[-1][0] == "2024-03-01" and versions[-1][1] is None
    assert versions[-1][2] == versions[-2][2] + 2


def test_a_declared_mapping_folder_loads_through_the_same_hook(connection, tmp_path) -> None:
    """zendesk/ (a shipped declared mapping, not Stripe) is read by the same loader path:
    lineage to its file and record, one load record per file, balanced."""
    fixture = Path(__file__).parent / "fixtures" / "zendesk" / "2026-11-30" / "zendesk"
    shutil.copytree(fixture, tmp_path / "2026-11-30" / "zendesk")
    (tmp_path / "2026-11-30" / "zendesk" / "notes.txt").write_text("not a Zendesk export\n")

    loads = load(connection, tmp_path, "support_tickets")

    assert {load.source_file for load in loads} == {
        f"zendesk/{path.name}" for path in fixture.iterdir()
    }
    assert all(
        load.rows_read == load.rows_loaded + load.rows_quarantined + load.rows_skipped
        for load in loads
    )
    assert query(connection, "select distinct _source_file from raw.support_tickets") == [
        ("zendesk/tickets.json",)
    ]
    assert reconcile(connection, EXPORTS_BY_NAME["support_tickets"], tmp_path).passed
    assert [entry.line for entry in not_read(tmp_path, scan_landing(tmp_path))] == [
        "2026-11-30/zendesk/notes.txt not read: matched by no file pattern of its mapping in "
        "sources.yml"
    ]
