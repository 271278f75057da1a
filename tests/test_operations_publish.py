"""Publishing the marts for analysts: atomic switch, readers undisturbed, nothing but marts,
in a DuckDB file that DuckDB 1.4 opens and as Parquet beside it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.assets.transform import dbt_models
from orchestration.operations.publication_asset import mart_keys
from orchestration.operations.publish import PARQUET_FOLDER, publication_folder, publish_tables
from orchestration.warehouse import session
from tests.pipeline import run_pipeline

# An analyst's session: open the published file read-only, read, wait, read again.
READER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
query = "select string_agg(account_id, ',' order by account_id) from marts.accounts"
print(connection.execute(query).fetchone()[0], flush=True)
sys.stdin.readline()
print(connection.execute(query).fetchone()[0], flush=True)
"""


def build_warehouse(path: Path, accounts: list[str]) -> None:
    with session(path) as connection:
        connection.execute("create schema if not exists raw")
        connection.execute(
            "create or replace table raw.billing_customers as"
            " select 'c1' as customer_id, 'a1@example.jp' as email"
        )
        connection.execute("create schema if not exists marts")
        connection.execute("create or replace table marts.accounts (account_id varchar)")
        connection.executemany("insert into marts.accounts values (?)", [[a] for a in accounts])
        connection.execute("create or replace table marts.mrr_monthly as select 1 as mrr")
        # Left behind by a model that no longer exists: not in the manifest, not published.
        connection.execute("create or replace table marts.retired_mart as select 1 as x")


MART_TABLES = ["accounts", "mrr_monthly"]


def publish(warehouse: Path, target: Path) -> dict[str, int]:
    with session(warehouse) as connection:
        return publish_tables(connection, target, MART_TABLES)


def test_reader_keeps_the_old_version_and_new_readers_see_the_new_one(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "analytics.duckdb"
    build_warehouse(warehouse, ["a1", "a2"])
    publish(warehouse, target)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "a1,a2"

        build_warehouse(warehouse, ["a1", "a2", "a3"])
        counts = publish(warehouse, target)  # never waits for, nor disturbs, the reader

        out, err = reader.communicate("\n", timeout=60)
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    assert out.strip() == "a1,a2"
    assert counts == {"accounts": 3, "mrr_monthly": 1}
    with duckdb.connect(str(target), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.accounts").fetchone()[0] == 3
    assert visible_names(tmp_path) == ["analytics", "analytics.duckdb", "warehouse.duckdb"]
    assert len(publications(tmp_path)) == 2  # the current one and the one the reader opened


def visible_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def publications(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".analytics."))


def published_columns(target: Path) -> set[tuple[str, str, str]]:
    with duckdb.connect(str(target), read_only=True) as connection:
        return set(
            connection.execute(
                "select table_schema, table_name, column_name from information_schema.columns"
            ).fetchall()
        )


def test_only_the_marts_schema_is_published(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "analytics.duckdb"
    build_warehouse(warehouse, ["a1"])

    publish(warehouse, target)

    columns = published_columns(target)
    assert {(schema, table) for schema, table, _ in columns} == {
        ("marts", "accounts"),
        ("marts", "mrr_monthly"),
    }
    assert not {column for *_, column in columns} & {"email", "contact_email", "name"}


def test_a_mart_missing_from_the_warehouse_fails_and_changes_nothing(tmp_path: Path) -> None:
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "analytics.duckdb"
    build_warehouse(warehouse, ["a1"])
    publish(warehouse, target)
    before = target.read_bytes()

    with session(warehouse) as connection, pytest.raises(duckdb.CatalogException):
        publish_tables(connection, target, [*MART_TABLES, "never_built"])

    assert target.read_bytes() == before
    assert visible_names(tmp_path) == ["analytics", "analytics.duckdb", "warehouse.duckdb"]
    assert len(publications(tmp_path)) == 1  # the failed one left nothing behind


def break_accounts(landing: Path, drop: str) -> None:
    """A later drop whose accounts.csv lacks a required column: the raw gate fails."""
    folder = landing / drop
    folder.mkdir()
    (folder / "accounts.csv").write_text("account_id,account_name\na9,Broken\n")


def copy_landing(source: Path, target: Path) -> Path:
    subprocess.run(["cp", "-r", str(source), str(target)], check=True)
    return target


@pytest.mark.pipeline
def test_a_blocked_run_leaves_the_published_marts_unchanged(
    small_example: Path, workdir: Path
) -> None:
    landing = copy_landing(small_example / "landing", workdir / "landing")
    target = workdir / "published" / "analytics.duckdb"
    env = {"analytics_path": str(target)}
    good = run_pipeline(landing, workdir, **env)
    assert good.result.success
    [publication] = good.result.asset_materializations_for_node("analytics_publication")
    assert publication.metadata["path"].value == str(target)
    marts = {key.path[-1] for key in mart_keys(dbt_models)}
    published = published_columns(target)
    assert {table for _, table, _ in published} == marts
    assert {schema for schema, *_ in published} <= {"marts"}
    assert not {column for *_, column in published} & {"email", "contact_email", "name"}
    parquet = publication_folder(target) / PARQUET_FOLDER
    assert {path.stem for path in parquet.glob("*.parquet")} == marts
    before = target.read_bytes()
    parquet_before = {path.name: path.read_bytes() for path in parquet.iterdir()}

    break_accounts(landing, "2026-10-16")
    blocked = run_pipeline(landing, workdir, raise_on_error=False, **env)

    assert not blocked.result.success
    # The publication step never starts: its upstream (raw -> dbt -> marts) failed.
    started = {event.step_key for event in blocked.result.all_events if event.is_step_start}
    assert "raw__accounts" in started
    assert "analytics_publication" not in started
    assert target.read_bytes() == before
    assert {path.name: path.read_bytes() for path in parquet.iterdir()} == parquet_before
