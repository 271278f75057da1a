"""No header, cell or path can change anything but its own table: names read from a file are
quoted identifiers, values are bound parameters (orchestration/sql.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.loading.csv_file import ExportFileError
from orchestration.loading.drops import scan_landing
from orchestration.loading.loader import load_export
from tests.pipeline import run_pipeline

PLANS = EXPORTS_BY_NAME["plans"]
PLANS_HEADER = "plan_id,product,plan_name,tier,billing_period_months,currency,list_price"
PLAN_ROW = "p1,invoicing,Pro,2,1,JPY,2000"
INJECTION = 'x" varchar; drop table raw._loads; --'

HOSTILE_HEADERS = {
    "apostrophe": "Owner's note",
    "double_quote": 'say "hi"',
    "semicolon": "a;b",
    "comment": "x -- y",
    "spaces": "  padded name  ",
    "japanese": "担当者メモ",
    "emoji": "満足度 😀",
    "long": "n" * 300,
    "injection": INJECTION,
    "literal_injection": "'); drop table raw._loads; --",
    "duckdb_rowid": "rowid",
}


def csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_plans(landing: Path, drop: str, header: str, row: str) -> None:
    folder = landing / drop
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plans.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")


def load(connection, landing: Path):
    return load_export(connection, PLANS, scan_landing(landing).drops, "utf-8")


def fingerprints(connection) -> dict[str, str]:
    """Every table of the database (the loader's temporary tables aside): its columns and a
    digest of its rows."""
    tables = connection.execute(
        "select schema_name, table_name from duckdb_tables() where not temporary order by all"
    ).fetchall()
    result = {}
    for schema, table in tables:
        columns = connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        rows = connection.execute(
            f'select * from "{schema}"."{table}" order by all'  # names from the catalog
        ).fetchall()
        result[f"{schema}.{table}"] = hashlib.sha256(repr((columns, rows)).encode()).hexdigest()
    return result


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        yield con


@pytest.mark.parametrize("header", HOSTILE_HEADERS.values(), ids=HOSTILE_HEADERS.keys())
def test_a_hostile_header_is_an_extra_column_named_exactly(
    connection, tmp_path: Path, header: str
) -> None:
    # A landing path full of quotes proves paths are parameters too.
    landing = tmp_path / 'o\'brien "drops"; --'
    write_plans(landing, "2026-01-31", PLANS_HEADER, PLAN_ROW)
    load(connection, landing)
    before = fingerprints(connection)
    cell = 'it\'s "fine"; drop table raw.plans; --'
    write_plans(
        landing,
        "2026-02-28",
        f"{PLANS_HEADER},{csv_field(header)}",
        f"p2,x,y,1,1,JPY,1,{csv_field(cell)}",
    )

    [result] = load(connection, landing)

    assert result.extra_columns == (header,)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (1, 1, 0)
    columns = [
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'plans' order by ordinal_position"
        ).fetchall()
    ]
    assert header in columns
    value = connection.execute("select * from raw.plans where plan_id = 'p2'").fetchone()[
        columns.index(header)
    ]
    assert value == cell
    after = fingerprints(connection)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed == {"raw.plans", "raw._loads"}
    loads = connection.execute(
        "select drop_date::varchar, source_file, extra_columns from raw._loads order by 1"
    ).fetchall()
    assert loads == [("2026-01-31", "plans.csv", []), ("2026-02-28", "plans.csv", [header])]


def test_case_and_surrounding_spaces_map_to_the_contract_column(connection, tmp_path) -> None:
    header = " Plan_ID ,PRODUCT,plan_name, Tier,billing_period_months,Currency,LIST_PRICE\t"
    write_plans(tmp_path, "2026-01-31", header, PLAN_ROW)

    [result] = load(connection, tmp_path)

    assert result.extra_columns == ()
    row = connection.execute("select plan_id, tier, list_price from raw.plans").fetchone()
    assert (row[0], row[1], float(row[2])) == ("p1", 2, 2000.0)


def test_an_extra_column_keeps_its_first_spelling_across_drops(connection, tmp_path) -> None:
    write_plans(tmp_path, "2026-01-31", f"{PLANS_HEADER},Segment", f"{PLAN_ROW},smb")
    write_plans(tmp_path, "2026-02-28", f"{PLANS_HEADER},segment", "p2,x,y,1,1,JPY,1,mid")

    load(connection, tmp_path)

    # DuckDB matches names ignoring ASCII case: the second drop fills the same column.
    rows = connection.execute('select plan_id, "Segment" from raw.plans order by 1').fetchall()
    assert rows == [("p1", "smb"), ("p2", "mid")]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("Note,note ", "duplicate column(s) in header (case and spaces aside): 'Note', 'note '"),
        ("_SOURCE_LINE", "'_SOURCE_LINE' clash with the lineage columns"),
        (" ", "header has an empty column name"),
    ],
)
def test_a_header_the_raw_table_cannot_hold_rejects_the_file_naming_it(
    connection, tmp_path: Path, extra: str, says: str
) -> None:
    values = ",".join("v" for _ in extra.split(","))
    write_plans(tmp_path, "2026-01-31", f"{PLANS_HEADER},{extra}", f"{PLAN_ROW},{values}")

    with pytest.raises(ExportFileError) as raised:
        load(connection, tmp_path)

    assert "plans.csv" in str(raised.value) and says in str(raised.value)
    assert connection.execute("select count(*) from raw._loads").fetchone()[0] == 0


@pytest.mark.pipeline
def test_a_run_loads_hostile_headers_and_fails_a_bad_file_without_retrying(
    tmp_path: Path, workdir: Path
) -> None:
    landing = tmp_path / "landing"
    accounts = EXPORTS_BY_NAME["accounts"]
    header = ",".join([*accounts.column_names, csv_field("Owner's note"), csv_field(INJECTION)])
    row = "a1,A,retail,smb,JP,,2026-01-05T10:00:00,2026-01-05T10:00:00,call back,x"
    (landing / "2026-01-31").mkdir(parents=True)
    (landing / "2026-01-31" / "accounts.csv").write_text(f"{header}\n{row}\n")
    # plans.csv lacks list_price: a contract violation, which no retry can fix.
    (landing / "2026-01-31" / "plans.csv").write_text("plan_id,product\np1,invoicing\n")

    run = run_pipeline(
        landing,
        workdir,
        selection=dg.AssetSelection.assets(["raw", "accounts"], ["raw", "plans"]).without_checks(),
        raise_on_error=False,
    )

    events = run.result.all_events
    assert not [e for e in events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    failed = [e.step_key for e in events if e.is_step_failure]
    assert failed == ["raw__plans"]
    [failure] = [e for e in events if e.is_step_failure]
    assert "missing required column(s) plan_name" in str(
        failure.step_failure_data.user_failure_data.description
    )
    assert run.query(
        'select "Owner\'s note", "x"" varchar; drop table raw._loads; --" from raw.accounts'
    ) == [("call back", "x")]
    assert run.query("select count(*) from raw._loads") == [(1,)]
