"""Delighted (NPS survey responses from its API, JSON) as a shipped declared mapping
(mapping.yml). Rules and sources: docs/sources.md, section Delighted."""

from __future__ import annotations

from importlib import resources

import yaml
from pydantic import Field

from orchestration.sources.mapping.spec import DeclaredOptions
from orchestration.sources.vendor import SourceOptions


class DelightedOptions(SourceOptions):
    account_property: str = Field(
        "account_id", min_length=1, description="person_properties key holding the account id"
    )
    format: str = Field("json", pattern="^(json|ndjson)$")  # array body, or one per line


def mapping(options: DelightedOptions) -> DeclaredOptions:
    text = resources.files(__package__).joinpath("mapping.yml").read_text(encoding="utf-8")
    shipped = yaml.safe_load(text)
    shipped["mappings"]["nps_responses"]["format"] = options.format
    shipped["tables"] = {"delighted_settings": [{"account_property": options.account_property}]}
    return DeclaredOptions.model_validate(shipped)
