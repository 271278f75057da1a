"""Salesforce's Data Export -> accounts, cs_reps, cs_activities, support_tickets through the
shipped mapping, on fixture CSVs with Salesforce's API field names as headers
(tests/fixtures/salesforce: Account, User, Task, Event, Case; every value quoted, UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.contract import EXPORTS_BY_NAME
from orchestration.sources.configuration import SourcesFileError, load_sources
from orchestration.sources.mapping.engine import convert_declared

FIXTURE = Path(__file__).parent / "fixtures" / "salesforce" / "2026-11-30" / "salesforce"
SOURCES = """version: 1
sources:
  salesforce:
    company_size_thresholds: {mid: 100, enterprise: 1000}
    countries: {United States: US}
    hourly_costs:
      users: {0055g00000XyZ01AAB: 6000}
      teams: {CS SMB: 4500.50}
    task_default_minutes: 15
    lifecycle_stage_field: CS_Stage__c
    lifecycle_stages: {Onboarding: onboarding, Renewal: renewal}
"""


@pytest.fixture
def connection():
    with duckdb.connect() as con:
        yield con


def convert(connection, tmp_path: Path, export: str, sources: str = SOURCES):
    path = tmp_path / "sources.yml"
    path.write_text(sources, encoding="utf-8")
    mapping = load_sources(path).mapping_for("salesforce")
    ledgers = convert_declared(
        connection, FIXTURE, mapping, EXPORTS_BY_NAME[export], zone="Asia/Tokyo"
    )
    cursor = connection.execute("select * from csa_vendor_rows")
    names = [column[0] for column in cursor.description]
    rows = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    outcomes = dict(
        connection.execute(
            "select source_file || ':' || line, outcome || ': ' || reason from csa_ledger"
        ).fetchall()
    )
    assert all(f.records == f.loaded + f.quarantined + f.skipped for f in ledgers)
    return rows, outcomes


def test_accounts_sizes_countries_and_deleted_records(connection, tmp_path: Path) -> None:
    rows, outcomes = convert(connection, tmp_path, "accounts")
    got = {key: (r["company_size"], r["country"], r["csm_id"]) for key, r in rows.items()}
    assert got == {
        "0015g00000AbCdEAAV": ("enterprise", "JP", "0055g00000XyZ01AAB"),  # 1200 employees
        "0015g00000AbCdFAAV": ("smb", "US", "0055g00000XyZ02AAB"),  # 85; country by name
        "0015g00000AbCdIAAV": (None, None, "0055g00000XyZ01AAB"),  # neither given
    }
    assert rows["0015g00000AbCdEAAV"]["industry"] == "manufacturing"
    assert rows["0015g00000AbCdEAAV"]["created_at"] == datetime(2024, 4, 1, 1, 15, tzinfo=UTC)
    assert outcomes == {
        "salesforce/Account.csv:4": "skipped: left out by the row filter: "
        "coalesce(lower(source.\"IsDeleted\"), 'false') not in ('true', '1')",
        "salesforce/Account.csv:5": "quarantined: country: 'Deutschland' is not in the value map",
    }


def test_reps_costs_by_user_then_team_and_a_rep_without_one(connection, tmp_path: Path) -> None:
    rows, outcomes = convert(connection, tmp_path, "cs_reps")
    assert {k: (r["team"], r["hourly_cost"], r["active"]) for k, r in rows.items()} == {
        "0055g00000XyZ01AAB": ("CS Enterprise", Decimal("6000"), True),
        "0055g00000XyZ02AAB": ("CS SMB", Decimal("4500.5"), True),
    }
    assert outcomes == {
        "salesforce/User.csv:4": "quarantined: hourly_cost: no hourly cost for this user or "
        "their team (hourly_costs in sources.yml)"
    }


def test_tasks_and_events_become_activities(connection, tmp_path: Path) -> None:
    rows, outcomes = convert(connection, tmp_path, "cs_activities")
    got = {
        k: (r["activity_type"], r["lifecycle_stage"], r["duration_minutes"], r["occurred_at"])
        for k, r in rows.items()
    }
    assert got == {
        # A call of 1830 s is 30 whole minutes; its date is midnight UTC.
        "00T5g00000Tk001EAA": ("call", "onboarding", 30, datetime(2026, 11, 2, tzinfo=UTC)),
        # A Task without duration takes task_default_minutes; type from TaskSubtype.
        "00T5g00000Tk002EAA": ("email", "renewal", 15, datetime(2026, 11, 10, tzinfo=UTC)),
        "00U5g00000Ev001EAA": (
            "meeting",
            "onboarding",
            90,
            datetime(2026, 11, 20, 1, tzinfo=UTC),
        ),
    }
    assert outcomes == {
        "salesforce/Task.csv:4": "quarantined: activity_type: 'Task' is not in the value map"
    }


def test_cases_origin_and_priority_maps(connection, tmp_path: Path) -> None:
    rows, outcomes = convert(connection, tmp_path, "support_tickets")
    got = {k: (r["channel"], r["priority"], r["resolved_at"]) for k, r in rows.items()}
    assert got == {
        "5005g00000Cs001AAA": ("email", "normal", datetime(2026, 11, 3, 5, tzinfo=UTC)),
        "5005g00000Cs002AAA": ("phone", "high", None),
    }
    assert outcomes == {
        "salesforce/Case.csv:4": "quarantined: channel: 'Facebook' is not in the value map"
    }
    rows, outcomes = convert(
        connection, tmp_path, "support_tickets", SOURCES + "    channels: {Facebook: web}\n"
    )
    assert rows["5005g00000Cs003AAA"]["channel"] == "web"
    assert outcomes == {}


def test_thresholds_must_rise(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    path.write_text(
        "sources:\n  salesforce:\n    company_size_thresholds: {mid: 500, enterprise: 100}\n"
    )
    with pytest.raises(SourcesFileError, match=r"sources\.yml:3: .*enterprise \(100\) must be"):
        load_sources(path)


def test_first_response_from_the_configured_case_milestone(connection, tmp_path: Path) -> None:
    sources = SOURCES + "    first_response_milestone: First Response\n"
    rows, outcomes = convert(connection, tmp_path, "support_tickets", sources)
    assert {k: r["first_response_at"] for k, r in rows.items()} == {
        "5005g00000Cs001AAA": datetime(2026, 11, 3, 0, 20, tzinfo=UTC),
        "5005g00000Cs002AAA": None,  # its First Response milestone is not completed yet
    }
    assert outcomes == {
        "salesforce/Case.csv:4": "quarantined: channel: 'Facebook' is not in the value map",
        "salesforce/CaseMilestone.csv:3": "skipped: left out by the filter of lookup "
        'first_responses: source."MilestoneTypeId" in (select _key from milestone_types '
        'where "Name" = (select first_response_milestone from salesforce_settings))',
    }
    warnings = connection.execute("select source_file, line, message from csa_warnings").fetchall()
    assert warnings == [
        (
            "salesforce/Case.csv",
            3,
            "first_response_at is empty: the case has no completed first-response milestone "
            "(CaseMilestone)",
        )
    ]


def test_without_a_configured_milestone_first_response_is_empty_and_reported(
    connection, tmp_path: Path
) -> None:
    rows, _ = convert(connection, tmp_path, "support_tickets")
    assert {r["first_response_at"] for r in rows.values()} == {None}
    (count, message) = connection.execute(
        "select count(*), any_value(message) from csa_warnings"
    ).fetchone()
    assert (count, message) == (
        2,
        "first_response_at is empty: no first-response milestone is configured "
        "(first_response_milestone in sources.yml)",
    )
