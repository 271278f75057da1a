"""Which files a drop holds: names that differ only by case, gzip, and files that are no CSV
at all, each loaded or rejected with what the file is and what to do."""

from __future__ import annotations

import gzip
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.loading.csv_file import ExportFileError
from orchestration.loading.discovery import not_read
from orchestration.loading.drops import scan_landing
from orchestration.loading.loader import load_export
from tests.pipeline import run_pipeline

PLANS = EXPORTS_BY_NAME["plans"]
HEADER = "plan_id,product,plan_name,tier,billing_period_months,currency,list_price\n"
ROWS = "p1,payroll,㈱髙橋プラン,1,1,JPY,900\np2,payroll,Pro,2,1,JPY,1900\n"


def put(landing: Path, relative: str, data: bytes = b"") -> Path:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        yield con


def load(connection, landing: Path, encoding: str = "utf-8"):
    return load_export(connection, PLANS, scan_landing(landing).drops, encoding)


def loaded(connection) -> list[tuple]:
    return connection.execute(
        "select plan_id, plan_name, _source_file, _source_line from raw.plans order by 1"
    ).fetchall()


def test_a_name_that_differs_only_by_case_is_that_export(connection, tmp_path: Path) -> None:
    put(tmp_path, "2026-01-31/PLANS.CSV", (HEADER + ROWS).encode())

    [result] = load(connection, tmp_path)

    assert result.rows_loaded == 2
    assert loaded(connection)[0] == ("p1", "㈱髙橋プラン", "PLANS.CSV", 2)
    assert not_read(tmp_path, scan_landing(tmp_path)) == []


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_a_gzip_file_is_loaded_as_it_is(connection, tmp_path: Path, encoding: str) -> None:
    put(tmp_path, "2026-01-31/plans.csv.gz", gzip.compress((HEADER + ROWS).encode(encoding)))

    [result] = load(connection, tmp_path, encoding)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert loaded(connection) == [
        ("p1", "㈱髙橋プラン", "plans.csv.gz", 2),
        ("p2", "Pro", "plans.csv.gz", 3),
    ]


@pytest.mark.parametrize("second", ["Plans.csv", "plans.csv.gz"])
def test_two_files_for_one_export_in_a_drop_name_both(
    connection, tmp_path: Path, second: str
) -> None:
    put(tmp_path, "2026-01-31/plans.csv", (HEADER + ROWS).encode())
    put(tmp_path, f"2026-01-31/{second}", gzip.compress((HEADER + ROWS).encode()))

    with pytest.raises(ExportFileError) as raised:
        load(connection, tmp_path)

    names = sorted(["plans.csv", second])
    assert f"{names[0]} and {names[1]} both feed plans" in str(raised.value)
    assert connection.execute("select count(*) from raw._loads").fetchone()[0] == 0


def test_every_entry_not_read_is_named_with_its_reason(tmp_path: Path) -> None:
    for relative in (
        "2026-01-31/plans.csv",
        "2026-01-31/_SUCCESS",
        "2026-01-31/Subscription-Items.csv",
        "2026-01-31/notes.txt",
        "2026-01-31/.DS_Store",
        "2026-01-31/stripe/customers.csv",
        "2026-01-31/stripe/notes.txt",
        "2026-01-31/amplitude/events.csv",
        "2026-01-31/extra/plans.csv",
        "latest/plans.csv",
        "README.md",
    ):
        put(tmp_path, relative)

    unread = not_read(tmp_path, scan_landing(tmp_path))

    assert [entry.line for entry in unread] == [
        "latest/ not read: a landing folder not named YYYY-MM-DD",
        "README.md not read: a file beside the drop folders",
        "2026-01-31/Subscription-Items.csv not read: not the file name of an export "
        "(did you mean subscription_items.csv?)",
        # amplitude/ is read (its events are *.json, *.json.gz); what is no table is named.
        "2026-01-31/amplitude/events.csv not read: not a table of amplitude (docs/sources.md)",
        "2026-01-31/extra/ not read: a folder inside a drop",
        "2026-01-31/notes.txt not read: not the file name of an export",
        # stripe/ is read (customers.csv feeds billing_customers); what is no table is named.
        "2026-01-31/stripe/notes.txt not read: not a table of stripe (docs/sources.md)",
    ]


UNREADABLE = {
    "utf16_bom": (
        "plans.csv",
        (HEADER + ROWS).encode("utf-16"),
        "is UTF-16 (byte-order mark FF FE): export it as UTF-8",
    ),
    "utf16_no_bom": (
        "plans.csv",
        (HEADER + ROWS).encode("utf-16-be"),
        "contains NUL bytes (UTF-16 without a byte-order mark, or not text)",
    ),
    "gzip_named_csv": (
        "plans.csv",
        gzip.compress((HEADER + ROWS).encode()),
        "is gzip-compressed but named plans.csv: name it plans.csv.gz",
    ),
    "truncated_gzip": (
        "plans.csv.gz",
        gzip.compress((HEADER + ROWS).encode())[:-12],
        "is named .gz but is not a complete gzip file",
    ),
    "xlsx": ("plans.csv", b"PK\x03\x04\x14\x00\x06\x00", "is a ZIP archive (an Excel .xlsx"),
    "semicolons": (
        "plans.csv",
        (HEADER + ROWS).replace(",", ";").encode(),
        "the header looks semicolon-delimited (6 ';'): export it with commas",
    ),
    "tabs": (
        "plans.csv",
        (HEADER + ROWS).replace(",", "\t").encode(),
        "the header looks tab-delimited (6 '\\t'): export it with commas",
    ),
}


@pytest.mark.parametrize(("name", "data", "says"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_file_that_is_no_csv_is_rejected_saying_what_it_is(
    connection, tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    put(tmp_path, f"2026-01-31/{name}", data)

    with pytest.raises(ExportFileError) as raised:
        load(connection, tmp_path)

    assert str(raised.value).startswith(str(tmp_path / "2026-01-31" / name))
    assert says in str(raised.value)
    assert "if this export is Shift-JIS" not in str(raised.value)  # the old, wrong hint
    assert connection.execute("select count(*) from raw._loads").fetchone()[0] == 0


@pytest.mark.pipeline
def test_a_landing_without_drops_stops_at_once_naming_folder_and_variable(
    tmp_path: Path, workdir: Path
) -> None:
    landing = tmp_path / "landing"
    put(landing, "latest/plans.csv", (HEADER + ROWS).encode())
    put(landing, "README.md")

    run = run_pipeline(landing, workdir, raise_on_error=False)

    events = run.result.all_events
    assert not [e for e in events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    failures = [e for e in events if e.is_step_failure]
    assert sorted(e.step_key for e in failures) == sorted(
        f"raw__{name}" for name in EXPORTS_BY_NAME
    )
    started = {e.step_key for e in events if e.event_type == dg.DagsterEventType.STEP_START}
    assert started == {e.step_key for e in failures}  # dbt never starts
    message = failures[0].step_failure_data.user_failure_data.description
    assert f"No export drop in the landing folder {landing} (CSA_LANDING_DIR)" in message
    assert "latest/ not read: a landing folder not named YYYY-MM-DD" in message
