"""The publication opens in tools that are not on DuckDB 2.0: a DuckDB 1.4 client reads the
file, and every mart is also a Parquet file beside it, switched in the same rename."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.operations.publish import PARQUET_FOLDER, publication_folder, publish_tables
from orchestration.warehouse import session

OLD_DUCKDB = "duckdb==1.4.5"  # the DuckDB of Evidence's driver and older notebook installs
MARTS = ["kpi_monthly", "accounts"]
# What a DuckDB 1.4 client prints from the published file.
READ_WITH_OLD_DUCKDB = """
import json, sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as connection:
    rows = connection.execute(
        "select month, mrr, nrr_pct, has_negative_churn, customers from marts.kpi_monthly"
        " order by month"
    ).fetchall()
    print(json.dumps({"version": duckdb.__version__, "rows": [[str(v) for v in r] for r in rows]}))
"""


def build_warehouse(path: Path, mrr: str) -> None:
    with session(path) as connection:
        connection.execute("create schema if not exists marts")
        connection.execute(
            f"""create or replace table marts.kpi_monthly as
            select * from (values
                (date '2026-01-01', cast({mrr} as decimal(38, 8)),
                 cast(101.25 as decimal(38, 8)), false, cast(3 as bigint)),
                (date '2026-02-01', cast(2.5 as decimal(38, 8)), null, true, cast(4 as bigint))
            ) as t(month, mrr, nrr_pct, has_negative_churn, customers)"""
        )
        connection.execute(
            "create or replace table marts.accounts as select 'a1' as account_id, 'smb' as size"
        )


def publish(warehouse: Path, target: Path) -> dict[str, int]:
    with session(warehouse) as connection:
        return publish_tables(connection, target, MARTS)


@pytest.fixture(scope="module")
def old_duckdb(tmp_path_factory) -> Path:
    """A throwaway virtualenv with a DuckDB 1.4 client (uv, from PyPI)."""
    venv = tmp_path_factory.mktemp("duckdb14") / "venv"
    uv = [sys.executable, "-m", "uv"]
    subprocess.run([*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", str(python), OLD_DUCKDB], check=True
    )
    return python


def test_a_duckdb_1_4_client_opens_the_published_file(tmp_path: Path, old_duckdb: Path) -> None:
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "analytics.duckdb"
    build_warehouse(warehouse, "78291152.12345678")
    publish(warehouse, target)

    read = subprocess.run(
        [str(old_duckdb), "-c", READ_WITH_OLD_DUCKDB, str(target)],
        capture_output=True,
        text=True,
        check=True,
    )

    printed = json.loads(read.stdout)
    assert printed["version"].startswith("1.4.")
    assert printed["rows"] == [
        ["2026-01-01", "78291152.12345678", "101.25000000", "False", "3"],
        ["2026-02-01", "2.50000000", "None", "True", "4"],
    ]
    # A file in DuckDB 2.0's default format is what the 1.4 client cannot open.
    default_format = tmp_path / "default.duckdb"
    duckdb.connect(str(default_format)).close()
    refused = subprocess.run(
        [str(old_duckdb), "-c", READ_WITH_OLD_DUCKDB, str(default_format)],
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "newer version of DuckDB" in refused.stderr


def test_every_mart_is_also_parquet_with_the_same_rows_and_types(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "analytics.duckdb"
    build_warehouse(warehouse, "1.5")

    counts = publish(warehouse, target)

    parquet = publication_folder(target) / PARQUET_FOLDER
    assert sorted(p.name for p in parquet.iterdir()) == ["accounts.parquet", "kpi_monthly.parquet"]
    with duckdb.connect(str(target), read_only=True) as connection:
        for mart in MARTS:
            file = str(parquet / f"{mart}.parquet")
            assert connection.execute(
                f"select count(*) from read_parquet('{file}')"
            ).fetchone() == (counts[mart],)
            for left, right in [(f"marts.{mart}", f"read_parquet('{file}')")] * 2:
                differing = f"select * from {left} except all select * from {right}"
                assert connection.execute(differing).fetchall() == []
                left, right = right, left
        types = connection.execute(
            f"select column_name, column_type from (describe select * from "
            f"read_parquet('{parquet / 'kpi_monthly.parquet'}'))"
        ).fetchall()
    assert ("mrr", "DECIMAL(38,8)") in types and ("month", "DATE") in types


def test_the_file_and_the_parquet_switch_together(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "analytics.duckdb"
    target.write_bytes(b"a file published before publications were folders")
    for mrr in ("1", "2", "3"):
        build_warehouse(warehouse, mrr)
        publish(warehouse, target)

    current = publication_folder(target).resolve()
    assert target.resolve() == current / target.name
    with duckdb.connect(str(target), read_only=True) as connection:
        [(in_file,)] = connection.execute(
            "select mrr from marts.kpi_monthly where month = date '2026-01-01'"
        ).fetchall()
        [(in_parquet,)] = connection.execute(
            f"select mrr from read_parquet('{current / PARQUET_FOLDER / 'kpi_monthly.parquet'}') "
            "where month = date '2026-01-01'"
        ).fetchall()
    assert in_file == in_parquet == 3
    # The current publication and the previous one (for readers still listing it), no more.
    kept = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".analytics."))
    assert len(kept) == 2 and current.name in kept
