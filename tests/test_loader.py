"""The CSV loader on its own: idempotent, latest drop wins, every row loaded or quarantined."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.loading.csv_file import ExportFileError
from orchestration.loading.drops import COMPLETE_MARKER, scan_landing
from orchestration.loading.loader import load_export

PLANS = EXPORTS_BY_NAME["plans"]
NPS = EXPORTS_BY_NAME["nps_responses"]
PLANS_HEADER = "plan_id,product,plan_name,tier,billing_period_months,currency,list_price\n"


def write(landing: Path, drop: str, name: str, text: str, encoding: str = "utf-8") -> None:
    folder = landing / drop
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'Asia/Tokyo'")
        yield con


def load(connection, landing: Path, export=PLANS, encoding: str = "utf-8"):
    return load_export(connection, export, scan_landing(landing).drops, encoding)


def test_reload_changes_nothing_and_latest_drop_wins(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", "plans.csv", PLANS_HEADER + "p1,invoicing,Pro,2,1,JPY,2000\n")
    write(tmp_path, "2026-02-28", "plans.csv", PLANS_HEADER + "p1,invoicing,Pro,2,1,JPY,2500\n")

    first = load(connection, tmp_path)
    second = load(connection, tmp_path)

    assert [r.drop_date for r in first] == ["2026-01-31", "2026-02-28"]
    assert second == []
    rows = connection.execute("select plan_id, list_price, _drop_date from raw.plans").fetchall()
    assert [(r[0], float(r[1]), r[2].isoformat()) for r in rows] == [("p1", 2500.0, "2026-02-28")]


def test_late_drop_does_not_overwrite_a_newer_version(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-02-28", "plans.csv", PLANS_HEADER + "p1,invoicing,Pro,2,1,JPY,2500\n")
    load(connection, tmp_path)
    write(tmp_path, "2026-01-31", "plans.csv", PLANS_HEADER + "p1,invoicing,Pro,2,1,JPY,2000\n")

    late = load(connection, tmp_path)

    assert [r.drop_date for r in late] == ["2026-01-31"]
    price = connection.execute("select list_price from raw.plans").fetchone()[0]
    assert float(price) == 2500.0


def test_unreadable_rows_are_quarantined_with_line_and_reason(connection, tmp_path: Path) -> None:
    text = (
        PLANS_HEADER
        + "p1,invoicing,Pro,2,1,JPY,2000\n"  # line 2: good
        + "p2,invoicing,Pro,two,1,JPY,2000\n"  # line 3: tier is not an integer
        + "p3,invoicing,Pro,2,1,JPY\n"  # line 4: a field missing
        + "p4,invoicing,Pro,2,1,JPY,1000\n"  # line 5: good
        + "p4,invoicing,Pro,2,1,JPY,1200\n"  # line 6: same key, wins over line 5
        + ",invoicing,Pro,2,1,JPY,1000\n"  # line 7: no key
    )
    write(tmp_path, "2026-01-31", "plans.csv", text)

    [result] = load(connection, tmp_path)

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 2, 4)
    quarantined = connection.execute(
        "select line, columns, error_type, reason from raw._quarantine order by line"
    ).fetchall()
    assert [(q[0], q[2]) for q in quarantined] == [
        (3, "CAST"),
        (4, "MISSING COLUMNS"),
        (5, "KEY"),
        (7, "KEY"),
    ]
    assert quarantined[0][1] == "tier" and "two" in quarantined[0][3]
    assert "line 6 wins" in quarantined[2][3]
    loaded = connection.execute("select plan_id, _source_line from raw.plans order by 1").fetchall()
    assert loaded == [("p1", 2), ("p4", 6)]


def test_header_case_order_bom_and_quoted_newlines(connection, tmp_path: Path) -> None:
    text = (
        "\ufeff Score ,RESPONSE_ID,account_id,contact_email,responded_at,comment,channel\n"
        '9,r1,a1,x@example.jp,2026-03-02T10:00:00,"とても良い, 助かっています\n2行目",web\n'
        "6,r2,a1,y@example.jp,2026-03-02T01:00:00Z,,web\n"
    )
    write(tmp_path, "2026-03-31", "nps_responses.csv", text)

    [result] = load(connection, tmp_path, NPS)

    assert result.extra_columns == ("channel",)
    rows = connection.execute(
        "select response_id, score, comment, strftime(responded_at, '%H:%M'), channel "
        "from raw.nps_responses order by 1"
    ).fetchall()
    assert rows[0] == ("r1", 9, "とても良い, 助かっています\n2行目", "10:00", "web")
    # 01:00Z is 10:00 in Tokyo, the session's source time zone.
    assert rows[1][3] == "10:00"


def test_missing_required_column_names_file_and_column(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", "plans.csv", "plan_id,product,tier\np1,invoicing,2\n")

    with pytest.raises(ExportFileError, match=r"plans\.csv.*missing required column.*plan_name"):
        load(connection, tmp_path)
    assert connection.execute("select count(*) from raw._loads").fetchone()[0] == 0


def test_mixed_line_endings_reject_the_file_by_name(connection, tmp_path: Path) -> None:
    # A row appended by another tool: the file's lines end in \n, the new one in \r\n.
    text = PLANS_HEADER + "p1,payroll,Basic,1,1,JPY,900\n" + "p2,payroll,Pro,2,1,JPY,1900\r\n"
    write(tmp_path, "2026-01-31", "plans.csv", text)

    with pytest.raises(ExportFileError, match=r"plans\.csv: not readable as CSV: every line"):
        load(connection, tmp_path)
    assert connection.execute("select count(*) from raw._loads").fetchone()[0] == 0
    assert connection.execute("select count(*) from raw.plans").fetchone()[0] == 0


def test_empty_file_fails_but_header_only_file_loads_nothing(connection, tmp_path: Path) -> None:
    write(tmp_path, "2026-01-31", "plans.csv", PLANS_HEADER)
    assert [r.rows_read for r in load(connection, tmp_path)] == [0]

    write(tmp_path, "2026-02-28", "plans.csv", "")
    with pytest.raises(ExportFileError, match="file is empty"):
        load(connection, tmp_path)


def test_cp932_when_configured_and_quarantine_when_not(connection, tmp_path: Path) -> None:
    text = PLANS_HEADER + "p1,payroll,㈱髙橋プラン,1,1,JPY,900\n"
    write(tmp_path, "2026-01-31", "plans.csv", text, encoding="cp932")

    [unconfigured] = load(connection, tmp_path)
    assert unconfigured.rows_quarantined == 1
    reason = connection.execute("select reason from raw._quarantine").fetchone()[0]
    assert "CSA_SOURCE_ENCODINGS=plans=cp932" in reason

    connection.execute("delete from raw._loads")
    [configured] = load(connection, tmp_path, encoding="cp932")
    assert configured.rows_loaded == 1
    name = connection.execute("select plan_name from raw.plans").fetchone()[0]
    assert name == "㈱髙橋プラン"


def test_bad_drop_folder_names_are_reported_not_read(tmp_path: Path) -> None:
    for name in ("2026-01-31", "2026-13-01", "latest", "2026-1-5"):
        (tmp_path / name).mkdir()

    scan = scan_landing(tmp_path)

    assert [d.drop_date.isoformat() for d in scan.drops] == ["2026-01-31"]
    assert scan.ignored_folders == ("2026-1-5", "2026-13-01", "latest")


def test_a_landing_with_markers_reads_only_complete_drops(tmp_path: Path) -> None:
    for name in ("2026-01-31", "2026-02-28"):
        (tmp_path / name).mkdir()
    assert [d.path.name for d in scan_landing(tmp_path).drops] == ["2026-01-31", "2026-02-28"]

    (tmp_path / "2026-01-31" / COMPLETE_MARKER).write_text("")
    scan = scan_landing(tmp_path)

    # 2026-02-28 is still being written: it waits for its marker and a later run.
    assert [d.path.name for d in scan.drops] == ["2026-01-31"]
    assert scan.incomplete_folders == ("2026-02-28",)
