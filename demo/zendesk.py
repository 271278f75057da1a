"""`--helpdesk-format zendesk`: the same company's tickets as Zendesk's incremental export.

Each drop's `support_tickets.csv` becomes `zendesk/tickets.json`, `metric_sets.json` and
`organizations.json` (one object per line, Zendesk's field names, UTC with `Z`): the account
is the organization's `external_id`, the first response `reply_time_in_minutes.calendar`
after `created_at`, the resolution the metric set's `solved_at`. A value the contract
loader could not read either (a dirty row's non-ISO date) is written as it is, so the
mapping quarantines the same record. sources.yml gets the `zendesk` entry its channels need.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from demo.vendor_landing import add_source, contract_drops, moment, write_lines

FOLDER = "zendesk"
# The contract's channel -> Zendesk's via.channel; LINE has no Zendesk value of its own: the
# demo's integration sets `line`, which sources.yml maps.
VIA = {"email": "email", "phone": "voice", "chat": "chat", "web": "web", "line": "line"}
FIRST_ORGANIZATION = 360000000001


def write_zendesk(out: Path) -> None:
    """Replace every drop's support_tickets.csv in `out` by its Zendesk export."""
    organizations: dict[str, int] = {}
    for drop, rows in contract_drops(out, "support_tickets"):
        for row in rows:
            if row["account_id"]:
                organizations.setdefault(row["account_id"], FIRST_ORGANIZATION + len(organizations))
        folder = drop / FOLDER
        folder.mkdir()
        referenced = {row["account_id"] for row in rows}
        write_lines(folder / "tickets.json", [_ticket(row, organizations) for row in rows])
        write_lines(folder / "metric_sets.json", [_metric_set(row) for row in rows])
        write_lines(
            folder / "organizations.json",
            [
                {"id": number, "name": f"Organization {number}", "external_id": account}
                for account, number in organizations.items()
                if account in referenced
            ],
        )
    add_source(out, FOLDER, {"channels": {"line": "line"}})


def _ticket(row: dict, organizations: dict[str, int]) -> dict:
    return {
        "id": row["ticket_id"],
        "via": {"channel": VIA.get(row["channel"], row["channel"])},
        "created_at": _utc(moment(row["created_at"])),
        "updated_at": _utc(moment(row["updated_at"])),
        "type": row["category"] or None,
        "priority": row["priority"] or None,
        "status": "solved" if row["resolved_at"] else "open",
        "organization_id": organizations.get(row["account_id"]),
    }


def _metric_set(row: dict) -> dict:
    created, response = moment(row["created_at"]), moment(row["first_response_at"])
    minutes = None
    if isinstance(created, datetime) and isinstance(response, datetime):
        minutes = round((response - created).total_seconds() / 60)
    return {
        "ticket_id": row["ticket_id"],
        "reply_time_in_minutes": {"calendar": minutes, "business": minutes},
        "solved_at": _utc(moment(row["resolved_at"])),
    }


def _utc(value: datetime | str | None) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value
