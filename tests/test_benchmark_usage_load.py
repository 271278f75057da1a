"""`make bench-usage`: the vendor's company is sized to the contract file's rows, and each load
reads what its landing holds (real generator, real Dagster runs into DuckDB)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks.usage_load import compare, events_per_usage_row

pytestmark = pytest.mark.pipeline


def _count(sql: str, files: list[Path]) -> int:
    with duckdb.connect() as connection:
        return connection.execute(sql, [[str(file) for file in files]]).fetchone()[0]


def test_the_vendor_landing_has_about_the_contract_rows_as_events_and_each_load_reads_its_own(
    tmp_path: Path,
) -> None:
    first, vendor, second = compare(tmp_path, accounts=600, months=4, vendor="segment")

    contract_files = sorted((tmp_path / "contract" / "landing").glob("*/product_usage_daily.csv"))
    contract_rows = _count("select count(*) from read_csv(?, header = true)", contract_files)
    tracks = sorted((tmp_path / "segment" / "landing").glob("*/segment/tracks.parquet"))
    track_rows = _count("select count(*) from read_parquet(?)", tracks)
    assert [first.landing, vendor.landing, second.landing] == ["contract", "segment", "contract"]
    assert first.rows_read == second.rows_read == contract_rows
    assert vendor.rows_read == track_rows
    assert not list((tmp_path / "segment" / "landing").glob("*/product_usage_daily.csv"))
    # Sized by the events a usage row becomes. A handful of accounts' events vary with when
    # each starts (at `large`, about 700 accounts: 26.2 M tracks against 26.7 M rows); the same
    # company in Segment's format would have `per_row` times the contract rows.
    per_row = events_per_usage_row(tmp_path / "contract" / "landing")
    assert per_row > 20
    assert vendor.accounts == round(600 / per_row)
    assert contract_rows / 10 < track_rows < contract_rows * 10
    assert all(load.seconds > 0 and load.cpu_seconds > 0 for load in (first, vendor, second))


def test_events_per_usage_row_counts_logins_and_key_feature_events(tmp_path: Path) -> None:
    drop = tmp_path / "2026-10-01"
    drop.mkdir()
    (drop / "product_usage_daily.csv").write_text(
        "account_id,usage_date,active_users,logins,key_feature_events\n"
        "A1,2026-09-30,2,3,5\nA2,2026-09-30,1,1,0\nA3,not a date,x,y,z\n"
    )
    assert events_per_usage_row(tmp_path) == pytest.approx((8 + 1 + 0) / 3)
