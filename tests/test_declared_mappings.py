"""Declared mappings (docs/sources.md): sources.yml says how a tool's CSV / NDJSON / Parquet
files become contract rows; run on DuckDB with real files, every record accounted for.

The Zoho CRM worked example of the docs is run as written: its CSV, YAML and the two result
tables are read from the markdown.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.configuration import SourcesFileError, load_sources
from orchestration.sources.mapping.engine import convert_declared
from orchestration.sources.tables import VendorFileError

DOCS = Path(__file__).resolve().parent.parent / "docs" / "sources.md"
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        yield con


def section(title: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"### {title}\n")
    end = text.find("\n## ", start)
    return text[start : end if end > 0 else None]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def tables(text: str) -> list[list[dict[str, str]]]:
    found = []
    for block in re.findall(r"((?:^\|.*\|\n)+)", text, flags=re.MULTILINE):
        lines = [
            [cell.strip() for cell in line.strip("|").split("|")] for line in block.splitlines()
        ]
        found.append([dict(zip(lines[0], line, strict=True)) for line in lines[2:]])
    return found


def landing(tmp_path: Path, sources: str, folder: str, files: dict[str, bytes]) -> Path:
    (tmp_path / "sources.yml").write_text(sources, encoding="utf-8")
    drop = tmp_path / "2026-11-30" / folder
    drop.mkdir(parents=True)
    for name, content in files.items():
        (drop / name).write_bytes(content)
    return drop


def convert(connection, tmp_path: Path, drop: Path, export: str):
    config = load_sources(tmp_path / "sources.yml")
    return convert_declared(
        connection, drop, config.declared[drop.name], EXPORTS_BY_NAME[export], zone="Asia/Tokyo"
    )


def rows(connection) -> list[dict]:
    cursor = connection.execute("select * from csa_vendor_rows order by _source_file, _source_line")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def ledger(connection) -> dict[tuple[str, int], tuple[str, str | None, str]]:
    found = connection.execute(
        "select source_file, line, outcome, columns, reason from csa_ledger"
    ).fetchall()
    return {
        (file, line): (outcome, columns, reason) for file, line, outcome, columns, reason in found
    }


def balanced(ledgers) -> bool:
    return bool(ledgers) and all(f.records == f.loaded + f.quarantined + f.skipped for f in ledgers)


def iso(value: datetime) -> str:
    return value.astimezone(TOKYO).isoformat()


def test_the_zoho_crm_worked_example_runs_as_written(connection, tmp_path: Path) -> None:
    example = section("Worked example: Zoho CRM accounts")
    (csv_text,), (yaml_text,) = blocks(example, "csv"), blocks(example, "yaml")
    accounts, not_loaded = tables(example)
    name = re.search(r"`zoho_crm/(Accounts_[0-9_]+\.csv)`", example).group(1)
    drop = landing(tmp_path, yaml_text, "zoho_crm", {name: csv_text.encode()})

    ledgers = convert(connection, tmp_path, drop, "accounts")

    got = [
        {k: iso(v) if isinstance(v, datetime) else v for k, v in row.items() if k[0] != "_"}
        for row in rows(connection)
    ]
    assert got == accounts
    expected_ledger = {
        (f"zoho_crm/{name}", int(r["record"])): (r["outcome"], r["columns"] or None, r["reason"])
        for r in not_loaded
    }
    assert ledger(connection) == expected_ledger
    assert balanced(ledgers)
    assert [(f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers] == [(5, 2, 2, 1)]


ZENDESK_LIKE = """version: 1
sources:
  desk:
    mappings:
      support_tickets:
        files: "tickets*.json*"
        format: ndjson
        columns:
          ticket_id: {from: id}
          account_id: {from: organization.external_id}
          channel:
            from: via.channel
            values: {email: email, voice: phone, web: web}
          priority: {sql: "coalesce(\\"priority\\"->>'$', 'normal')"}
          category: {value: question}
          created_at: {from: created_at}
          first_response_at: {from: answered, format: epoch}
          resolved_at: {value: null}
          updated_at: {from: updated_at, format: "%Y/%m/%d %H:%M %z"}
"""


def ticket(**fields) -> str:
    base = {
        "id": 1,
        "organization": {"external_id": "A1"},
        "via": {"channel": "email"},
        "created_at": "2026-11-30T23:50:00Z",
        "answered": 1796169600,
        "updated_at": "2026/12/01 09:00 +0900",
    }
    return json.dumps(base | fields)


def test_ndjson_paths_epoch_offsets_and_value_maps(connection, tmp_path: Path) -> None:
    lines = [
        ticket(),
        "",  # an empty line is no record
        ticket(id=2, via={"channel": "twitter"}, priority="high"),
        "{not json",
        ticket(id=3, answered="soon"),
        ticket(id=4, created_at="2026-11-30T10:00:00"),  # no offset: the zone (Tokyo)
    ]
    drop = landing(tmp_path, ZENDESK_LIKE, "desk", {"tickets.json": "\n".join(lines).encode()})

    ledgers = convert(connection, tmp_path, drop, "support_tickets")

    loaded = {row["ticket_id"]: row for row in rows(connection)}
    assert set(loaded) == {"1", "4"}
    first = loaded["1"]
    assert (first["account_id"], first["channel"], first["priority"]) == ("A1", "email", "normal")
    assert first["created_at"] == datetime(2026, 11, 30, 23, 50, tzinfo=UTC)
    assert first["first_response_at"] == datetime.fromtimestamp(1796169600, UTC)
    assert first["updated_at"] == datetime(2026, 12, 1, tzinfo=UTC)
    assert loaded["4"]["created_at"] == datetime(2026, 11, 30, 10, tzinfo=TOKYO)
    assert ledger(connection) == {
        ("desk/tickets.json", 3): (
            "quarantined",
            "channel",
            "channel: 'twitter' is not in the value map",
        ),
        ("desk/tickets.json", 4): ("quarantined", None, "not a JSON object"),
        ("desk/tickets.json", 5): (
            "quarantined",
            "first_response_at",
            "first_response_at: not a timestamp in the format epoch: 'soon'",
        ),
    }
    assert [(f.records, f.loaded, f.quarantined) for f in ledgers] == [(5, 2, 3)]


USAGE = """version: 1
sources:
  app:
    mappings:
      product_usage_daily:
        files: "*.parquet"
        format: parquet
        timezone: UTC
        columns:
          account_id: {from: org}
          usage_date: {from: ts, timezone: Asia/Tokyo}
          active_users: {from: users}
          logins: {sql: "users * 2"}
          key_feature_events: {value: 0}
"""


def test_parquet_types_zones_and_keys_across_files(connection, tmp_path: Path) -> None:
    drop = landing(tmp_path, USAGE, "app", {})
    for name, org, ts, users in (
        ("a.parquet", ["X", "Y", None], ["2026-11-30 15:30:00"] * 3, [3, 4, 5]),
        ("b.parquet", ["X"], ["2026-11-30 16:00:00"], [7]),
    ):
        connection.execute(
            "copy (select unnest(?) as org, cast(unnest(?) as timestamptz) as ts, "
            "unnest(?) as users) to ? (format parquet)",
            [org, ts, users, str(drop / name)],
        )

    ledgers = convert(connection, tmp_path, drop, "product_usage_daily")

    got = {(r["account_id"], str(r["usage_date"])): r["active_users"] for r in rows(connection)}
    # 15:30 UTC is 00:30 on Dec 1 in Tokyo; b.parquet (the later file) wins for X.
    assert got == {("X", "2026-12-01"): 7, ("Y", "2026-12-01"): 4}
    assert ledger(connection) == {
        ("app/a.parquet", 1): (
            "quarantined",
            "account_id, usage_date",
            "primary key given twice in this drop; app/b.parquet record 1 wins",
        ),
        ("app/a.parquet", 3): (
            "quarantined",
            "account_id, usage_date",
            "primary key (account_id, usage_date) is empty",
        ),
    }
    assert balanced(ledgers)


REPS = """version: 1
sources:
  hr:
    mappings:
      cs_reps:
        files: "staff.csv"
        encoding: cp932
        columns:
          csm_id: {from: 社員番号}
          name: {from: 氏名}
          team: {value: "it's CS"}
          hourly_cost: {from: 時給}
          active: {from: 在籍, values: {"1": "true", "0": "false"}}
"""


def test_shift_jis_csv_constants_and_hostile_text(connection, tmp_path: Path) -> None:
    text = (
        "社員番号,氏名,時給,在籍\n"
        "E1,髙橋 ㈱,5200.5,1\n"
        '"E2\'); drop table csa_ledger; --",佐藤,abc,0\n'
        "E3,鈴木,4800,2\n"
    )
    drop = landing(tmp_path, REPS, "hr", {"STAFF.CSV": text.encode("cp932")})

    ledgers = convert(connection, tmp_path, drop, "cs_reps")

    (row,) = rows(connection)
    assert (row["csm_id"], row["name"], row["team"], str(row["hourly_cost"]), row["active"]) == (
        "E1",
        "髙橋 ㈱",
        "it's CS",
        "5200.5000",
        True,
    )
    reasons = {line: reason for (_, line), (_, _, reason) in ledger(connection).items()}
    assert reasons == {
        3: "hourly_cost: not a decimal number: 'abc'",
        4: "active: '2' is not in the value map",
    }
    assert balanced(ledgers)


def test_a_field_the_file_lacks_or_sql_that_fails_names_file_and_key(
    connection, tmp_path: Path
) -> None:
    drop = landing(tmp_path, REPS.replace("encoding: cp932", "encoding: utf-8"), "hr", {})
    (drop / "staff.csv").write_text("社員番号,氏名,時給\nE1,A,1\n", encoding="utf-8")
    with pytest.raises(
        VendorFileError, match=r"staff\.csv: cs_reps\.active is mapped from field '在籍'"
    ):
        convert(connection, tmp_path, drop, "cs_reps")

    broken = REPS.replace("{from: 時給}", '{sql: "\\"時給\\" +* 1"}').replace("cp932", "utf-8")
    (tmp_path / "sources.yml").write_text(broken, encoding="utf-8")
    (drop / "staff.csv").write_text("社員番号,氏名,時給,在籍\nE1,A,1,1\n", encoding="utf-8")
    with pytest.raises(VendorFileError, match=r"staff\.csv: mapping cs_reps\.columns\.hourly_cost"):
        convert(connection, tmp_path, drop, "cs_reps")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "      accounts:\n        files: a.csv\n        columns:\n"
            "          account_id: {from: Id}\n",
            r":7: sources\.crm\.mappings\.accounts\.columns: every column of accounts must be "
            r"declared; missing account_name, industry",
        ),
        (
            "      acounts:\n        files: a.csv\n        columns: {}\n",
            r":5: sources\.crm\.mappings\.acounts: no such export",
        ),
        (
            "      accounts:\n        files: a.csv\n        format: xlsx\n        columns: {}\n",
            r":7: sources\.crm\.mappings\.accounts\.format: Input should be 'csv', 'ndjson'",
        ),
        (
            "      accounts:\n        files: a.csv\n        columns:\n"
            "          account_id: {from: Id, sql: lower(Id)}\n",
            r":8: sources\.crm\.mappings\.accounts\.columns\.account_id: Value error, give "
            r"exactly one of from",
        ),
        (
            "      accounts:\n        - files: a.csv\n          timezone: Tokyo\n"
            "          columns: {}\n",
            r":7: sources\.crm\.mappings\.accounts\.0\.timezone: Value error, 'Tokyo' is not an "
            r"IANA time zone",
        ),
    ],
)
def test_schema_errors_name_file_line_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "sources.yml"
    path.write_text("version: 1\nsources:\n  crm:\n    mappings:\n" + body, encoding="utf-8")
    with pytest.raises(SourcesFileError, match=re.escape(str(path)) + message):
        load_sources(path)
