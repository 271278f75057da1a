"""`--crm-format salesforce`: the same company's CRM as Salesforce's weekly Data Export.

Each drop's `accounts.csv`, `cs_reps.csv` and `cs_activities.csv` (and `support_tickets.csv`
unless the help desk is Zendesk) become `salesforce/Account.csv`, `User.csv`, `Event.csv`
(and `Case.csv`, `CaseMilestone.csv`, `MilestoneType.csv`): API field names as headers,
every value quoted, times in UTC as `yyyy-MM-ddTHH:mm:ss.000Z`. What Salesforce has no field
for comes back through sources.yml, which gets the `salesforce` entry: `company_size` as a
`NumberOfEmployees` between the configured thresholds, each rep's hourly cost by user,
the lifecycle stage in a custom field (`CS_Stage__c`), the first response as the case's
"First Response" milestone. Every activity is an Event: a Task's `ActivityDate` is a date
and would lose the activity's time of day. A value the contract loader could not read
either (a dirty row's non-ISO date) is written as it is, so the mapping quarantines the
same record. Ids stay the contract's, so the marts can be compared row for row.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from demo.vendor_landing import add_source, contract_drops, moment

FOLDER = "salesforce"
THRESHOLDS = {"mid": 100, "enterprise": 1000}
# company_size -> NumberOfEmployees written: from .. to (both included), within the thresholds.
EMPLOYEES = {"smb": (3, 99), "mid": (100, 999), "enterprise": (1000, 30000)}
COUNTRIES = {
    "JP": "Japan",
    "US": "United States",
    "SG": "Singapore",
    "GB": "United Kingdom",
    "AU": "Australia",
    "TH": "Thailand",
    "VN": "Vietnam",
    "DE": "Germany",
}
# The contract's value -> the picklist value written; sources.yml maps back what the
# shipped mapping does not know (orchestration/sources/salesforce/__init__.py).
EVENT_TYPES = {
    "meeting": "Meeting",
    "call": "Call",
    "email": "Email",
    "visit": "Visit",
    "webinar": "Webinar",
    "chat": "Chat",
}
STAGES = {s: s.title() for s in ("onboarding", "adoption", "renewal", "expansion")}
ORIGINS = {"email": "Email", "phone": "Phone", "web": "Web", "chat": "Chat", "line": "LINE"}
PRIORITIES = {"low": "Low", "normal": "Medium", "high": "High", "urgent": "Urgent"}
FIRST_RESPONSE = ("557000000000001AAA", "First Response")

ACCOUNT = (
    "Id",
    "IsDeleted",
    "Name",
    "Type",
    "Industry",
    "NumberOfEmployees",
    "BillingCountry",
    "BillingCountryCode",
    "OwnerId",
    "CreatedDate",
    "LastModifiedDate",
    "SystemModstamp",
)
USER = ("Id", "Name", "Department", "IsActive")
EVENT = (
    "Id",
    "IsDeleted",
    "AccountId",
    "WhatId",
    "OwnerId",
    "Type",
    "EventSubtype",
    "ActivityDateTime",
    "DurationInMinutes",
    "CS_Stage__c",
)
CASE = (
    "Id",
    "IsDeleted",
    "AccountId",
    "Origin",
    "Priority",
    "Type",
    "Status",
    "IsClosed",
    "CreatedDate",
    "ClosedDate",
    "SystemModstamp",
)
MILESTONE_TYPE = ("Id", "Name")
CASE_MILESTONE = ("Id", "CaseId", "MilestoneTypeId", "StartDate", "CompletionDate", "IsCompleted")


def write_salesforce(out: Path, *, cases: bool, cp932: tuple[str, ...] = ()) -> None:
    """Replace every drop's CRM files in `out` (and its support_tickets.csv with `cases`) by
    Salesforce's Data Export, and add the `salesforce` entry to sources.yml. `cp932`: the
    contract files the generator wrote in Shift-JIS."""

    def drops(export: str) -> Iterator[tuple]:
        return contract_drops(out, export, "cp932" if export in cp932 else "utf-8-sig")

    costs: dict[str, str] = {}
    for drop, rows in drops("accounts"):
        _write(drop, "Account.csv", ACCOUNT, [_account(row) for row in rows])
    for drop, rows in drops("cs_reps"):
        costs |= {row["csm_id"]: row["hourly_cost"] for row in rows if row["hourly_cost"]}
        _write(drop, "User.csv", USER, [_user(row) for row in rows])
    for drop, rows in drops("cs_activities"):
        _write(drop, "Event.csv", EVENT, [_event(row) for row in rows])
    exports = ["accounts", "cs_reps", "cs_activities"]
    if cases:
        exports.append("support_tickets")
        for drop, rows in drops("support_tickets"):
            _write(drop, "Case.csv", CASE, [_case(row) for row in rows])
            answered = [row for row in rows if row["first_response_at"]]
            _write(drop, "CaseMilestone.csv", CASE_MILESTONE, [_milestone(r) for r in answered])
            _write(
                drop,
                "MilestoneType.csv",
                MILESTONE_TYPE,
                [dict(zip(MILESTONE_TYPE, FIRST_RESPONSE, strict=True))],
            )
    add_source(
        out,
        FOLDER,
        {
            "company_size_thresholds": THRESHOLDS,
            "hourly_costs": {"users": costs},
            "activity_types": {v: k for k, v in EVENT_TYPES.items()},
            "lifecycle_stage_field": "CS_Stage__c",
            "lifecycle_stages": {v: k for k, v in STAGES.items()},
            "channels": {ORIGINS["line"]: "line"},
            "priorities": {PRIORITIES["urgent"]: "urgent"},
            "first_response_milestone": FIRST_RESPONSE[1],
            "exports": exports,
        },
    )


def _write(drop: Path, name: str, header: tuple[str, ...], records: list[dict]) -> None:
    folder = drop / FOLDER
    folder.mkdir(exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def _account(row: dict) -> dict:
    country = row["country"]
    return {
        "Id": row["account_id"],
        "IsDeleted": "false",
        "Name": row["account_name"],
        "Type": "Customer",
        "Industry": row["industry"].title(),  # the mapping lower-cases it
        "NumberOfEmployees": _employees(row["account_id"], row["company_size"]),
        "BillingCountry": COUNTRIES.get(country, ""),
        "BillingCountryCode": country,
        "OwnerId": row["csm_id"],
        "CreatedDate": _utc(row["created_at"]),
        "LastModifiedDate": _utc(row["updated_at"]),
        "SystemModstamp": _utc(row["updated_at"]),
    }


def _employees(account_id: str, size: str) -> str:
    """A head count that the configured thresholds map back to `size`, varied by account
    (the same on every run); a size the demo does not know is written as it is."""
    if size not in EMPLOYEES:
        return size
    low, high = EMPLOYEES[size]
    return str(low + zlib.crc32(account_id.encode()) % (high - low + 1))


def _user(row: dict) -> dict:
    return {
        "Id": row["csm_id"],
        "Name": row["name"],
        "Department": row["team"],
        "IsActive": row["active"],
    }


def _event(row: dict) -> dict:
    return {
        "Id": row["activity_id"],
        "IsDeleted": "false",
        "AccountId": row["account_id"],
        "WhatId": row["account_id"],
        "OwnerId": row["csm_id"],
        "Type": EVENT_TYPES.get(row["activity_type"], row["activity_type"]),
        "EventSubtype": "Event",
        "ActivityDateTime": _utc(row["occurred_at"]),
        "DurationInMinutes": row["duration_minutes"],
        "CS_Stage__c": STAGES.get(row["lifecycle_stage"], row["lifecycle_stage"]),
    }


def _case(row: dict) -> dict:
    closed = bool(row["resolved_at"])
    return {
        "Id": row["ticket_id"],
        "IsDeleted": "false",
        "AccountId": row["account_id"],
        "Origin": ORIGINS.get(row["channel"], row["channel"]),
        "Priority": PRIORITIES.get(row["priority"], row["priority"]),
        "Type": row["category"],
        "Status": "Closed" if closed else "New",
        "IsClosed": "true" if closed else "false",
        "CreatedDate": _utc(row["created_at"]),
        "ClosedDate": _utc(row["resolved_at"]),
        "SystemModstamp": _utc(row["updated_at"]),
    }


def _milestone(row: dict) -> dict:
    return {
        "Id": f"cm-{row['ticket_id']}",
        "CaseId": row["ticket_id"],
        "MilestoneTypeId": FIRST_RESPONSE[0],
        "StartDate": _utc(row["created_at"]),
        "CompletionDate": _utc(row["first_response_at"]),
        "IsCompleted": "true",
    }


def _utc(text: str) -> str:
    """The contract's timestamp as Salesforce writes it (UTC, milliseconds, `Z`); a value
    that is no ISO 8601 timestamp as it is, empty as empty."""
    value = moment(text)
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"
    return value or ""
