"""`python -m demo --billing-format stripe`: the billing exports of every drop as Stripe's
tables in `<drop>/stripe/` (CSV or Parquet) with Stripe's column names, beside the other
contract files, and a sources.yml naming the tier key. That the pipeline makes the same marts
of them is tests/test_stripe_demo.py."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from demo.__main__ import main
from demo.config import GeneratorConfig
from orchestration.sources.stripe import VENDOR

ARGS = ["--accounts", "60", "--months", "6", "--drops", "2", "--seed", "3"]


def test_billing_as_stripe_csv_tables_in_every_drop(tmp_path: Path) -> None:
    out = tmp_path / "landing"
    main([*ARGS, "--out", str(out), "--billing-format", "stripe"])

    drops = sorted(path for path in out.iterdir() if path.is_dir())
    assert len(drops) == 2
    assert (out / "sources.yml").read_text().splitlines()[-1].strip() == "tier_key: tier"
    for drop in drops:
        assert not list(drop.glob("invoices.csv")) and not list(drop.glob("plans.csv"))
        assert (drop / "accounts.csv").is_file()  # the other exports stay contract files
        tables = {path.stem for path in (drop / "stripe").iterdir()}
        assert tables <= {table.name for table in VENDOR.tables}
        for table in VENDOR.tables:
            path = drop / "stripe" / f"{table.name}.csv"
            if not path.exists():
                continue
            header = path.read_text().splitlines()[0].split(",")
            required = [c.name for c in table.columns if c.required]
            assert all(name in header for name in required), (path, header)
    # JPY amounts are whole yen, USD amounts cents: both integers in Stripe's tables.
    with duckdb.connect() as connection:
        prices = connection.execute(
            "select currency, typeof(unit_amount) from read_csv(?) group by all",
            [str(drops[0] / "stripe" / "prices.csv")],
        ).fetchall()
    assert {currency for currency, _ in prices} == {"jpy", "usd"}
    assert {kind for _, kind in prices} == {"BIGINT"}


def test_billing_as_stripe_parquet_tables(tmp_path: Path) -> None:
    out = tmp_path / "landing"
    main([*ARGS, "--out", str(out), "--billing-format", "stripe", "--stripe-files", "parquet"])

    [first, _] = sorted(path for path in out.iterdir() if path.is_dir())
    with duckdb.connect() as connection:
        types = dict(
            connection.execute(
                "select column_name, column_type from (describe select * from read_parquet(?))",
                [str(first / "stripe" / "subscription_items.parquet")],
            ).fetchall()
        )
    assert types["created"] == "TIMESTAMP WITH TIME ZONE"
    assert types["quantity"] == "BIGINT"


def test_an_unknown_billing_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="billing format 'chargebee'"):
        GeneratorConfig(out=tmp_path, billing_format="chargebee")
    with pytest.raises(SystemExit):
        main([*ARGS, "--out", str(tmp_path), "--billing-format", "chargebee"])
