"""The loader keeps every version of the attributes the KPIs are segmented by.

`raw.accounts` keeps one row per key (latest drop wins: the gates and the reconciliation rely
on it); `raw.accounts__versions` keeps every row each drop delivered, with its drop date.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.contract import EXPORTS, EXPORTS_BY_NAME, RAW_TABLES
from orchestration.loading.drops import scan_landing
from orchestration.loading.loader import load_export
from orchestration.loading.metadata_tables import ensure_export_table

ACCOUNTS = EXPORTS_BY_NAME["accounts"]
HEADER = "account_id,account_name,industry,company_size,country,csm_id,created_at,updated_at"


def write(landing: Path, drop: str, rows: list[str], header: str = HEADER) -> None:
    folder = landing / drop
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "accounts.csv").write_text("\n".join([header, *rows]) + "\n")


def row(account: str, size: str, csm: str, updated: str = "2026-01-05T10:00:00") -> str:
    return f"{account},Name {account},saas,{size},JP,{csm},2025-12-01T09:00:00,{updated}"


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'Asia/Tokyo'")
        yield con


def load(connection, landing: Path):
    return load_export(connection, ACCOUNTS, scan_landing(landing).drops, "utf-8")


def versions(connection) -> list[tuple]:
    return connection.execute(
        "select account_id, company_size, csm_id, cast(_drop_date as varchar), _source_line "
        "from raw.accounts__versions order by account_id, _drop_date"
    ).fetchall()


def test_every_version_is_kept_and_raw_keeps_the_latest(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", [row("a1", "smb", "m1"), row("a2", "mid", "m2")])
    write(tmp_path, "2026-02-28", [row("a1", "mid", "m2")])  # a1 grew and changed owner

    load(connection, tmp_path)

    assert versions(connection) == [
        ("a1", "smb", "m1", "2026-01-31", 2),
        ("a1", "mid", "m2", "2026-02-28", 2),
        ("a2", "mid", "m2", "2026-01-31", 3),
    ]
    latest = connection.execute(
        "select account_id, company_size, csm_id from raw.accounts order by account_id"
    ).fetchall()
    assert latest == [("a1", "mid", "m2"), ("a2", "mid", "m2")]


def test_a_late_drop_adds_its_version_without_replacing_the_latest(
    connection, tmp_path: Path
) -> None:
    write(tmp_path, "2026-02-28", [row("a1", "mid", "m2")])
    load(connection, tmp_path)
    write(tmp_path, "2026-01-31", [row("a1", "smb", "m1")])

    load(connection, tmp_path)

    assert [v[:4] for v in versions(connection)] == [
        ("a1", "smb", "m1", "2026-01-31"),
        ("a1", "mid", "m2", "2026-02-28"),
    ]
    assert connection.execute("select csm_id from raw.accounts").fetchall() == [("m2",)]


def test_only_the_winning_line_of_a_duplicated_key_is_a_version(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", [row("a1", "smb", "m1"), row("a1", "mid", "m3")])

    load(connection, tmp_path)

    assert versions(connection) == [("a1", "mid", "m3", "2026-01-31", 3)]
    reasons = connection.execute("select line, error_type from raw._quarantine").fetchall()
    assert reasons == [(2, "KEY")]


def test_reloading_adds_no_version_twice(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", [row("a1", "smb", "m1")])
    load(connection, tmp_path)

    assert load(connection, tmp_path) == []

    assert len(versions(connection)) == 1


def test_an_extra_column_reaches_the_history_too(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", [row("a1", "smb", "m1")])
    write(tmp_path, "2026-02-28", [row("a1", "smb", "m1") + ",APAC"], header=HEADER + ",Region")

    load(connection, tmp_path)

    regions = connection.execute(
        "select cast(_drop_date as varchar), region from raw.accounts__versions order by 1"
    ).fetchall()
    assert regions == [("2026-01-31", None), ("2026-02-28", "APAC")]


def test_a_warehouse_loaded_before_the_history_starts_it_from_raw(
    connection, tmp_path: Path
) -> None:
    write(tmp_path, "2026-01-31", [row("a1", "smb", "m1"), row("a2", "mid", "m2")])
    load(connection, tmp_path)
    connection.execute("drop table raw.accounts__versions")  # as before this feature
    write(tmp_path, "2026-02-28", [row("a1", "mid", "m2")])

    load(connection, tmp_path)

    assert [v[:4] for v in versions(connection)] == [
        ("a1", "smb", "m1", "2026-01-31"),
        ("a1", "mid", "m2", "2026-02-28"),
        ("a2", "mid", "m2", "2026-01-31"),
    ]


def test_exports_without_the_flag_get_no_history(connection) -> None:
    plans = EXPORTS_BY_NAME["plans"]
    connection.execute("create schema raw")

    ensure_export_table(connection, plans, ())

    tables = {t for (t,) in connection.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables == {"plans"}
    kept = {export.name for export in EXPORTS if export.keeps_versions}
    assert kept == {"accounts", "cs_reps"}
    assert set(RAW_TABLES) == {e.name for e in EXPORTS} | {
        "accounts__versions",
        "cs_reps__versions",
    }
