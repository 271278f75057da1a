"""Zendesk Support: the incremental ticket export (NDJSON, with metric_sets and organizations)
as a shipped declared mapping (mapping.yml), or with `ticket_export: legacy_csv` the legacy
CSV export (legacy_csv.yml), whose times are in the account's own time zone: then
`account_timezone` is required. sources.yml may add to either channel map.
Rules and sources: docs/sources.md, section Zendesk."""

from __future__ import annotations

from importlib import resources
from typing import Literal

import yaml
from pydantic import Field, ValidationInfo, field_validator

from orchestration.sources.mapping.spec import DeclaredOptions, iana_zone
from orchestration.sources.vendor import SourceOptions
from orchestration.sql import literal

# The contract's channels (raw-exports.md, support_tickets).
CHANNELS = ("email", "phone", "chat", "line", "web")


class ZendeskOptions(SourceOptions):
    channels: dict[str, str | None] = Field(
        default_factory=dict,
        description="via.channel -> contract channel, added to (or replacing) the default map",
    )

    @field_validator("channels")
    @classmethod
    def _contract_channels(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        wrong = sorted(f"{k}: {v}" for k, v in value.items() if v is not None and v not in CHANNELS)
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: a channel is one of {', '.join(CHANNELS)}")
        return value

    # Which export the folder holds: the incremental API export (NDJSON, UTC) or the legacy
    # CSV export (the account's time zone).
    ticket_export: Literal["incremental", "legacy_csv"] = "incremental"
    # The Zendesk account's default time zone (Admin Center > Account > Localization): the
    # zone of the legacy CSV's times, which carry no offset.
    account_timezone: str | None = Field(None, validate_default=True)
    # How the legacy CSV writes a time, as a strptime pattern; none: ISO 8601
    # (`2026-10-31 23:50:00`). The one sample seen (resaved by Excel): "%d-%m-%Y %H:%M".
    legacy_csv_time_format: str | None = Field(None, min_length=1)

    @field_validator("account_timezone")
    @classmethod
    def _legacy_zone(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("ticket_export") == "legacy_csv":
            raise ValueError(
                "required with ticket_export: legacy_csv: the legacy CSV export writes its "
                "times in the Zendesk account's default time zone, not UTC (e.g. "
                "account_timezone: Asia/Tokyo)"
            )
        return iana_zone(value)


def mapping(options: ZendeskOptions) -> DeclaredOptions:
    """The shipped mapping of the configured ticket export with the configured channels,
    for the exports configured."""
    legacy = options.ticket_export == "legacy_csv"
    name = "legacy_csv.yml" if legacy else "mapping.yml"
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    shipped = yaml.safe_load(text)
    tickets = shipped["mappings"]["support_tickets"]
    tickets["columns"]["channel"]["values"] |= options.channels
    if legacy:
        _legacy_times(tickets, options.account_timezone, options.legacy_csv_time_format)
    wanted = options.exports
    shipped["mappings"] = {
        export: parts
        for export, parts in shipped["mappings"].items()
        if wanted is None or export in wanted
    }
    return DeclaredOptions.model_validate(shipped)


def _legacy_times(tickets: dict, zone: str | None, form: str | None) -> None:
    """The legacy CSV's times in the account's zone and format; the first response is
    `Created at` + `First reply time in minutes` (calendar minutes; empty until then)."""
    tickets["timezone"] = zone
    columns = tickets["columns"]
    if form is not None:
        for name in ("created_at", "resolved_at", "updated_at"):
            columns[name]["format"] = form
    created = "nullif(trim(source.\"Created at\"), '')"
    parsed = (
        f"try_strptime({created}, {literal(form)})" if form else f"try_cast({created} as timestamp)"
    )
    minutes = "try_cast(nullif(trim(source.\"First reply time in minutes\"), '') as bigint)"
    columns["first_response_at"] = {"sql": f"{parsed} + to_minutes({minutes})"}
