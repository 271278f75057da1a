"""Zendesk Support: the incremental ticket export (NDJSON, with metric_sets and organizations)
as a shipped declared mapping (mapping.yml); sources.yml may add to its channel map.
Rules and sources: docs/sources.md, section Zendesk."""

from __future__ import annotations

from importlib import resources

import yaml
from pydantic import Field, field_validator

from orchestration.sources.mapping.spec import DeclaredOptions
from orchestration.sources.vendor import SourceOptions

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


def mapping(options: ZendeskOptions) -> DeclaredOptions:
    """The shipped mapping with the configured channels, for the exports configured."""
    text = resources.files(__package__).joinpath("mapping.yml").read_text(encoding="utf-8")
    shipped = yaml.safe_load(text)
    columns = shipped["mappings"]["support_tickets"]["columns"]
    columns["channel"]["values"] |= options.channels
    wanted = options.exports
    shipped["mappings"] = {
        export: parts
        for export, parts in shipped["mappings"].items()
        if wanted is None or export in wanted
    }
    return DeclaredOptions.model_validate(shipped)
