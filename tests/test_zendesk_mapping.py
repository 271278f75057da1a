"""Zendesk's incremental ticket export -> support_tickets, through the shipped mapping, on
fixture files in Zendesk's own field names (tests/fixtures/zendesk: tickets, the sideloaded
metric_sets and organizations, one JSON object per line, as the API returns them)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.configuration import SourcesFileError, load_sources
from orchestration.sources.mapping.engine import convert_declared
from orchestration.sources.tables import VendorFileError

FIXTURE = Path(__file__).parent / "fixtures" / "zendesk" / "2026-11-30" / "zendesk"
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
