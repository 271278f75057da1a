"""Built-in vendors that are shipped declared mappings (YAML in the vendor's package), with
their options in sources.yml: the mapping engine runs them like a user's own mapping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from orchestration.sources import delighted, salesforce, zendesk
from orchestration.sources.mapping.spec import DeclaredOptions
from orchestration.sources.vendor import SourceOptions


@dataclass(frozen=True)
class ShippedMapping:
    name: str  # also the folder name in a drop
    options_model: type[SourceOptions]
    build: Callable[[SourceOptions], DeclaredOptions]
    exports: tuple[str, ...]  # what it can feed

    def default(self) -> DeclaredOptions:
        return self.build(self.options_model())


SHIPPED: dict[str, ShippedMapping] = {
    mapping.name: mapping
    for mapping in (
        ShippedMapping(
            "salesforce",
            salesforce.SalesforceOptions,
            salesforce.mapping,
            ("accounts", "cs_reps", "cs_activities", "support_tickets"),
        ),
        ShippedMapping(
            "delighted", delighted.DelightedOptions, delighted.mapping, ("nps_responses",)
        ),
        ShippedMapping("zendesk", zendesk.ZendeskOptions, zendesk.mapping, ("support_tickets",)),
    )
}
