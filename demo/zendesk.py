"""`--helpdesk-format zendesk`: the same company's tickets as Zendesk's incremental export.

Each drop's `support_tickets.csv` becomes `zendesk/tickets.json`, `metric_sets.json` and
`organizations.json` (one object per line, Zendesk's field names, UTC with `Z`): the account
is the organization's `external_id`, the first response `reply_time_in_minutes.calendar`
after `created_at`, the resolution the metric set's `solved_at`. A value the contract
loader could not read either (a dirty row's non-ISO date) is written as it is, so the
mapping quarantines the same record. `sources.yml` gets the `zendesk` entry its channels need.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

FOLDER = "zendesk"
# The contract's channel -> Zendesk's via.channel; LINE has no Zendesk value of its own: the
# demo's integration sets `line`, which sources.yml maps.
VIA = {"email": "email", "phone": "voice", "chat": "chat", "web": "web", "line": "line"}
FIRST_ORGANIZATION = 360000000001


def write_zendesk(out: Path, source_timezone: str = "Asia/Tokyo") -> None:
    """Replace every drop's support_tickets.csv in `out` by its Zendesk export."""
    zone = ZoneInfo(source_timezone)
    organizations: dict[str, int] = {}
    for drop in sorted(p for p in out.iterdir() if p.is_dir()):
        contract = drop / "support_tickets.csv"
        if not contract.exists():
            continue
        with contract.open(encoding="utf-8-sig", newline="") as handle:
            rows = [
                {key.strip().lower(): value for key, value in row.items()}
                for row in csv.DictReader(handle)
            ]
        folder = drop / FOLDER
        folder.mkdir()
        tickets, metrics = [], []
        for row in rows:
            account = row["account_id"] or None
            if account:
                organizations.setdefault(account, FIRST_ORGANIZATION + len(organizations))
            ticket, metric = _ticket(row, organizations.get(account or ""), zone)
            tickets.append(ticket)
            metrics.append(metric)
        referenced = {row["account_id"] for row in rows if row["account_id"]}
        orgs = [
            {"id": number, "name": f"Organization {number}", "external_id": account}
            for account, number in organizations.items()
            if account in referenced
        ]
        for name, records in (
            ("tickets.json", tickets),
            ("metric_sets.json", metrics),
            ("organizations.json", orgs),
        ):
            _write_lines(folder / name, records)
        contract.unlink()
    _configure(out)


def _ticket(row: dict, organization: int | None, zone: ZoneInfo) -> tuple[dict, dict]:
    created = _moment(row["created_at"], zone)
    response = _moment(row["first_response_at"], zone)
    minutes = None
    if isinstance(created, datetime) and isinstance(response, datetime):
        minutes = round((response - created).total_seconds() / 60)
    ticket = {
        "id": row["ticket_id"],
        "via": {"channel": VIA.get(row["channel"], row["channel"])},
        "created_at": _text(created),
        "updated_at": _text(_moment(row["updated_at"], zone)),
        "type": row["category"] or None,
        "priority": row["priority"] or None,
        "status": "solved" if row["resolved_at"] else "open",
        "organization_id": organization,
    }
    metric = {
        "ticket_id": row["ticket_id"],
        "reply_time_in_minutes": {"calendar": minutes, "business": minutes},
        "solved_at": _text(_moment(row["resolved_at"], zone)),
    }
    return ticket, metric


def _moment(text: str, zone: ZoneInfo) -> datetime | str | None:
    """The instant the contract loader reads from `text` (no offset: the source zone), or
    the text itself when it is no ISO 8601 timestamp."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _text(moment: datetime | str | None) -> str | None:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment


def _write_lines(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _configure(out: Path) -> None:
    path = out / "sources.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    config = config or {"version": 1}
    config.setdefault("sources", {})[FOLDER] = {"channels": {"line": "line"}}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
