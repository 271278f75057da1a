"""Zendesk's incremental ticket export -> support_tickets, through the shipped mapping, on
fixture files in Zendesk's own field names (tests/fixtures/zendesk: tickets, the sideloaded
metric_sets and organizations, one JSON object per line, as the API returns them); and its
legacy CSV export, in the account's own time zone (tests/fixtures/zendesk_legacy: the CSV in
the export's column labels, with the organizations export)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.configuration import SourcesFileError, load_sources
from orchestration.sources.mapping.engine import convert_declared
from orchestration.sources.tables import VendorFileError

FIXTURE = Path(__file__).parent / "fixtures" / "zendesk" / "2026-11-30" / "zendesk"
LEGACY = Path(__file__).parent / "fixtures" / "zendesk_legacy" / "2026-10-31" / "zendesk"
LEGACY_SOURCES = """sources:
  zendesk:
    ticket_export: legacy_csv
    account_timezone: {zone}
    legacy_csv_time_format: "%d-%m-%Y %H:%M"
"""
TICKETS = EXPORTS_BY_NAME["support_tickets"]


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        yield con


def convert(connection, tmp_path: Path, sources: str | None = None, folder: Path = FIXTURE):
    path = tmp_path / "sources.yml"
    if sources is not None:
        path.write_text(sources, encoding="utf-8")
    mapping = load_sources(path).mapping_for("zendesk")
    ledgers = convert_declared(connection, folder, mapping, TICKETS, zone="Asia/Tokyo")
    cursor = connection.execute("select * from csa_vendor_rows")
    names = [column[0] for column in cursor.description]
    rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    outcomes = dict(
        connection.execute(
            "select source_file || ':' || line, outcome || ': ' || reason from csa_ledger"
        ).fetchall()
    )
    return rows, outcomes, ledgers


def test_the_incremental_export_becomes_support_tickets(connection, tmp_path: Path) -> None:
    rows, outcomes, ledgers = convert(connection, tmp_path)

    assert set(rows) == {"35436", "35437", "35440"}
    late = rows["35436"]
    # Created 23:50 UTC on November's last day: December in the reporting zone (Tokyo).
    assert late["created_at"] == datetime(2026, 11, 30, 23, 50, tzinfo=UTC)
    assert late["created_at"].astimezone(ZoneInfo("Asia/Tokyo")).month == 12
    # first_response_at = created_at + reply_time_in_minutes.calendar (15); resolved = solved_at.
    assert late["first_response_at"] == datetime(2026, 12, 1, 0, 5, tzinfo=UTC)
    assert late["resolved_at"] == datetime(2026, 12, 1, 2, tzinfo=UTC)
    assert (late["account_id"], late["channel"], late["priority"], late["category"]) == (
        "ACC-001",
        "email",
        "high",
        "question",
    )
    unanswered = rows["35437"]  # voice; no reply yet; its organization has no external_id
    assert (unanswered["channel"], unanswered["priority"], unanswered["account_id"]) == (
        "phone",
        None,
        None,
    )
    assert (unanswered["first_response_at"], unanswered["resolved_at"]) == (None, None)
    widget = rows["35440"]  # organization 5999 is not among the organizations
    assert (widget["channel"], widget["account_id"]) == ("chat", None)
    assert widget["first_response_at"] == datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
    assert outcomes == {
        "zendesk/tickets.json:3": "quarantined: channel: 'twitter' is not in the value map",
        "zendesk/tickets.json:4": "skipped: left out by the row filter: "
        "coalesce(\"status\" ->> '$', '') <> 'deleted'",
    }
    counts = {f.source_file: (f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers}
    assert counts == {
        "zendesk/metric_sets.json": (4, 4, 0, 0),
        "zendesk/organizations.json": (2, 2, 0, 0),
        "zendesk/tickets.json": (5, 3, 1, 1),
    }
    # Personal data of the ticket (description, requester) is never mapped.
    assert set(next(iter(rows.values()))) == {*TICKETS.column_names, "_source_file", "_source_line"}


def test_channels_are_configurable(connection, tmp_path: Path) -> None:
    rows, outcomes, _ = convert(
        connection, tmp_path, "sources:\n  zendesk:\n    channels: {twitter: web, email: line}\n"
    )
    assert (rows["35438"]["channel"], rows["35436"]["channel"]) == ("web", "line")
    assert list(outcomes) == ["zendesk/tickets.json:4"]


def test_a_channel_outside_the_contract_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  zendesk:\n    channels:\n      twitter: social\n")
    with pytest.raises(
        SourcesFileError,
        match=r"sources\.yml:3: sources\.zendesk\.channels: .*"
        r"twitter: social: a channel is one of email, phone",
    ):
        load_sources(path)


def test_tickets_without_their_organizations_fail_naming_the_lookup(
    connection, tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(FIXTURE, tmp_path / "zendesk"))
    (folder / "organizations.json").unlink()
    with pytest.raises(VendorFileError, match=r"lookup organizations of support_tickets: no file"):
        convert(connection, tmp_path, folder=folder)


@pytest.mark.parametrize(
    ("zone", "created", "solved", "month_in_tokyo"),
    [
        # 23:50 on October's last day in Tokyo: still October in the reporting zone (read
        # as UTC it would be 08:50 on 1 November there).
        (
            "Asia/Tokyo",
            datetime(2026, 10, 31, 14, 50, tzinfo=UTC),
            datetime(2026, 11, 1, 0, 30, tzinfo=UTC),
            10,
        ),
        # The same text from an account in Los Angeles: created in PDT (UTC-7), November
        # in Tokyo; solved at 09:30 after the switch to PST (UTC-8) that night.
        (
            "America/Los_Angeles",
            datetime(2026, 11, 1, 6, 50, tzinfo=UTC),
            datetime(2026, 11, 1, 17, 30, tzinfo=UTC),
            11,
        ),
    ],
)
def test_the_legacy_csv_is_read_in_the_accounts_time_zone(
    connection, tmp_path: Path, zone: str, created: datetime, solved: datetime, month_in_tokyo: int
) -> None:
    rows, outcomes, ledgers = convert(
        connection, tmp_path, LEGACY_SOURCES.format(zone=zone), folder=LEGACY
    )
    late = rows["1001"]
    assert late["created_at"] == created
    assert late["created_at"].astimezone(ZoneInfo("Asia/Tokyo")).month == month_in_tokyo
    # First reply 25 minutes after creation; solved and updated 01-11-2026 09:30 local.
    assert late["first_response_at"] == created + timedelta(minutes=25)
    assert late["resolved_at"] == late["updated_at"] == solved
    assert (late["account_id"], late["channel"], late["priority"], late["category"]) == (
        "ACC-001",  # the external_id of the organization named in the CSV
        "email",  # Via `Mail`
        "low",
        "question",
    )
    open_ticket = rows["1002"]  # no organization, no reply, not solved
    assert (open_ticket["account_id"], open_ticket["channel"], open_ticket["priority"]) == (
        None,
        "web",
        "normal",
    )
    assert (open_ticket["first_response_at"], open_ticket["resolved_at"]) == (None, None)
    assert set(rows) == {"1001", "1002"}
    legacy = "zendesk/export_2026_10_31_5f3a9c_1.csv"
    assert outcomes == {
        f"{legacy}:4": "quarantined: channel: 'Twitter' is not in the value map",
        f"{legacy}:5": "quarantined: created_at: not a timestamp in the format "
        "%d-%m-%Y %H:%M: '2026/10/20 10:00'",
    }
    counts = {f.source_file: (f.records, f.loaded, f.quarantined) for f in ledgers}
    assert counts == {legacy: (4, 2, 2), "zendesk/organizations.json": (1, 1, 0)}
    # The requester's e-mail and the subject are never mapped.
    assert set(late) == {*TICKETS.column_names, "_source_file", "_source_line"}


def test_the_legacy_csv_needs_the_accounts_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  zendesk:\n    ticket_export: legacy_csv\n")
    with pytest.raises(
        SourcesFileError,
        match=r"sources\.yml:2: sources\.zendesk\.account_timezone: .*required with "
        r"ticket_export: legacy_csv: the legacy CSV export writes its times in the Zendesk "
        r"account's default time zone, not UTC",
    ):
        load_sources(path)
    path.write_text(LEGACY_SOURCES.format(zone="Tokyo"))
    with pytest.raises(
        SourcesFileError,
        match=r"sources\.yml:4: sources\.zendesk\.account_timezone: .*'Tokyo' is not an IANA",
    ):
        load_sources(path)


def test_the_legacy_csv_in_iso_form_with_a_configured_channel(connection, tmp_path: Path) -> None:
    folder = tmp_path / "zendesk"
    folder.mkdir()
    shutil.copy(LEGACY / "organizations.json", folder)
    (folder / "export_2026_10_31_5f3a9c_1.csv").write_text(
        "Id,Via,Priority,Ticket type,Created at,Updated at,Organization,Solved at,"
        "First reply time in minutes\n"
        "7,Twitter,,Task,2026-10-31 23:50:00,2026-11-01 00:10:00,さくら製作所,,20\n",
        encoding="utf-8",
    )
    sources = (
        "sources:\n  zendesk:\n    ticket_export: legacy_csv\n"
        "    account_timezone: Asia/Tokyo\n    channels: {Twitter: web}\n"
    )
    rows, outcomes, _ = convert(connection, tmp_path, sources, folder=folder)
    assert outcomes == {}
    ticket = rows["7"]
    assert ticket["created_at"] == datetime(2026, 10, 31, 14, 50, tzinfo=UTC)
    assert ticket["first_response_at"] == datetime(2026, 10, 31, 15, 10, tzinfo=UTC)
    assert (ticket["channel"], ticket["priority"], ticket["category"]) == ("web", None, "task")
