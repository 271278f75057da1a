"""Salesforce (weekly Data Export CSVs, API field names): Account, User, Task, Event and Case
as a shipped declared mapping (mapping.yml) with the options sources.yml gives it: employee
thresholds, country names, hourly costs, activity types, lifecycle stages, channels and
priorities. Rules and sources: docs/sources.md, section Salesforce."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from orchestration.sources.mapping.spec import DeclaredOptions
from orchestration.sources.vendor import SourceOptions

STAGES = ("onboarding", "adoption", "renewal", "expansion")
ACTIVITY_TYPES = {"Call": "call", "Email": "email", "ListEmail": "email", "Meeting": "meeting"}
CHANNELS = {"Email": "email", "Phone": "phone", "Web": "web", "Chat": "chat"}
PRIORITIES = {"High": "high", "Medium": "normal", "Low": "low"}


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mid: int = Field(100, ge=1)  # NumberOfEmployees from which an account is mid
    enterprise: int = Field(1000, ge=1)  # ... and enterprise; below mid: smb

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.enterprise <= self.mid:
            raise ValueError(f"enterprise ({self.enterprise}) must be above mid ({self.mid})")
        return self


class HourlyCosts(BaseModel):
    """Fully loaded cost of one hour, in the reporting currency: per user Id, else per team."""

    model_config = ConfigDict(extra="forbid")

    users: dict[str, Decimal] = Field(default_factory=dict)
    teams: dict[str, Decimal] = Field(default_factory=dict)


class SalesforceOptions(SourceOptions):
    company_size_thresholds: Thresholds = Field(default_factory=Thresholds)
    countries: dict[str, str] = Field(default_factory=dict)  # BillingCountry -> ISO-2
    team_field: str = Field("Department", min_length=1)  # User field holding the team
    hourly_costs: HourlyCosts = Field(default_factory=HourlyCosts)
    activity_types: dict[str, str] = Field(default_factory=dict)  # Type/TaskSubtype -> type
    task_default_minutes: int = Field(0, ge=0)  # a Task without call duration
    lifecycle_stage_field: str | None = Field(None, min_length=1)  # e.g. CS_Stage__c
    lifecycle_stages: dict[str, str] = Field(default_factory=dict)  # field (or Type) -> stage
    channels: dict[str, str] = Field(default_factory=dict)  # Case Origin -> channel
    priorities: dict[str, str] = Field(default_factory=dict)  # Case Priority -> priority
    # MilestoneType.Name of the Entitlements milestone that is the first response; none: the
    # cases' first_response_at stays empty (reported on each case).
    first_response_milestone: str | None = Field(None, min_length=1)


def mapping(options: SalesforceOptions) -> DeclaredOptions:
    """The shipped mapping with the configured options, for the exports configured."""
    text = resources.files(__package__).joinpath("mapping.yml").read_text(encoding="utf-8")
    shipped = yaml.safe_load(text)
    maps = shipped["mappings"]
    maps["accounts"]["columns"]["country"]["values"] = options.countries
    reps = maps["cs_reps"]["columns"]
    reps["team"] = {"from": options.team_field}
    reps["hourly_cost"]["sql"] = reps["hourly_cost"]["sql"].replace(
        'source."Department"', _quoted(options.team_field)
    )
    for part in maps["cs_activities"]:
        columns = part["columns"]
        columns["activity_type"]["values"] = ACTIVITY_TYPES | options.activity_types
        columns["lifecycle_stage"] = _stage(options)
    tickets = maps["support_tickets"]["columns"]
    tickets["channel"]["values"] = CHANNELS | options.channels
    tickets["priority"]["values"] = PRIORITIES | options.priorities
    _first_response(maps["support_tickets"], options.first_response_milestone)
    shipped["tables"] = _tables(options)
    wanted = options.exports
    shipped["mappings"] = {e: m for e, m in maps.items() if wanted is None or e in wanted}
    return DeclaredOptions.model_validate(shipped)


def _first_response(cases: dict, milestone: str | None) -> None:
    """first_response_at: the CompletionDate of the case's configured milestone."""
    if milestone is None:
        cases["columns"]["first_response_at"] = {
            "value": None,
            "warn_empty": "no first-response milestone is configured "
            "(first_response_milestone in sources.yml)",
        }
        return
    cases["lookups"] = {
        "milestone_types": {"files": "MilestoneType.csv*", "key": "Id"},
        "first_responses": {
            "files": "CaseMilestone.csv*",
            "key": "CaseId",
            "filter": 'source."MilestoneTypeId" in (select _key from milestone_types where '
            '"Name" = (select first_response_milestone from salesforce_settings))',
        },
    }
    cases["columns"]["first_response_at"] = {
        "sql": '(select f."CompletionDate" from first_responses as f where f._key = source."Id")',
        "warn_empty": "the case has no completed first-response milestone (CaseMilestone)",
    }


def _quoted(field: str) -> str:
    return 'source."' + field.replace('"', '""') + '"'


def _stage(options: SalesforceOptions) -> dict:
    """From the configured field (through the stage map), else from Type through the map,
    else none (Salesforce has no lifecycle stage of its own)."""
    stages = {stage: stage for stage in STAGES} | options.lifecycle_stages
    if options.lifecycle_stage_field:
        return {"from": options.lifecycle_stage_field, "values": stages}
    if options.lifecycle_stages:
        return {"from": "Type", "values": stages}
    return {"value": None}


def _tables(options: SalesforceOptions) -> dict[str, list[dict]]:
    costs = options.hourly_costs
    sizes = options.company_size_thresholds
    return {
        "salesforce_settings": [
            {
                "mid": sizes.mid,
                "enterprise": sizes.enterprise,
                "task_minutes": options.task_default_minutes,
                "first_response_milestone": options.first_response_milestone,
            }
        ],
        "salesforce_user_costs": _costs(costs.users),
        "salesforce_team_costs": _costs(costs.teams),
    }


def _costs(costs: dict[str, Decimal]) -> list[dict]:
    # A table needs a row: an empty map is one row that matches no key.
    return [{"key": k, "cost": str(v)} for k, v in costs.items()] or [{"key": None, "cost": None}]
