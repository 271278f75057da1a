"""The demo company with its CRM as Salesforce's Data Export, its help desk as Zendesk's
incremental export, its NPS survey as Delighted's API responses and its product usage as
Segment's tracks (`--crm-format salesforce --helpdesk-format zendesk --survey-format
delighted --usage-format segment`), and with its CRM and help desk both as Salesforce's
(`--crm-format salesforce`: Case), and with its product usage as Amplitude's Export API
NDJSON (`--usage-format amplitude`): every mart equals, row for row, the marts built from the
contract landing of the same seed, through the real pipeline (Dagster, DuckDB, dbt). Each
landing is generated and run when a test first needs it (`-k amplitude` runs two)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo import GeneratorConfig, generate
from tests.pipeline import PipelineRun, run_pipeline

SETTINGS = {"accounts": 150, "months": 18, "seed": 7}


FORMATS: dict[str, dict[str, str]] = {
    "contract": {},
    "vendor": {
        "crm_format": "salesforce",
        "helpdesk_format": "zendesk",
        "survey_format": "delighted",
        "usage_format": "segment",
    },
    "salesforce": {"crm_format": "salesforce"},
    "amplitude": {"usage_format": "amplitude"},
}


class Runs:
    """The pipeline run of each landing of FORMATS, made on first use."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory, self.done = factory, {}

    def __getitem__(self, name: str) -> PipelineRun:
        if name not in self.done:
            landing = self.factory.mktemp(f"landing-{name}")
            generate(GeneratorConfig(out=landing, **SETTINGS, **FORMATS[name]), workers=1)
            self.done[name] = run_pipeline(landing, self.factory.mktemp(f"work-{name}"))
        return self.done[name]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    yield Runs(tmp_path_factory)


def marts(run: PipelineRun) -> list[str]:
    return [
        name
        for (name,) in run.query(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name"
        )
    ]


@pytest.mark.pipeline
@pytest.mark.parametrize("landing", ["vendor", "salesforce", "amplitude"])
def test_every_mart_equals_the_contract_landings(runs: Runs, landing: str) -> None:
    contract, vendor = runs["contract"], runs[landing]
    names = marts(contract)
    assert names == marts(vendor) and {"support_monthly", "nps_monthly"} <= set(names)
    for name in names:
        rows = f"select * from marts.{name} order by all"
        assert vendor.query(rows) == contract.query(rows), name


@pytest.mark.pipeline
@pytest.mark.parametrize(
    ("landing", "export", "folder", "columns"),
    [
        (
            "vendor",
            "accounts",
            "salesforce",
            "account_id, account_name, industry, company_size, country, csm_id, created_at, "
            "updated_at",
        ),
        ("vendor", "cs_reps", "salesforce", "csm_id, name, team, hourly_cost, active"),
        (
            "vendor",
            "cs_activities",
            "salesforce",
            "activity_id, account_id, csm_id, activity_type, lifecycle_stage, occurred_at, "
            "duration_minutes",
        ),
        (
            "salesforce",
            "support_tickets",
            "salesforce",
            "ticket_id, account_id, channel, priority, category, created_at, "
            "first_response_at, resolved_at, updated_at",
        ),
        (
            "vendor",
            "support_tickets",
            "zendesk",
            "ticket_id, account_id, channel, priority, category, created_at, "
            "first_response_at, resolved_at, updated_at",
        ),
        (
            "vendor",
            "nps_responses",
            "delighted",
            "response_id, account_id, contact_email, responded_at, score, comment",
        ),
        (
            "vendor",
            "product_usage_daily",
            "segment",
            "account_id, usage_date, active_users, logins, key_feature_events",
        ),
        (
            "amplitude",
            "product_usage_daily",
            "amplitude",
            "account_id, usage_date, active_users, logins, key_feature_events",
        ),
    ],
)
def test_the_raw_rows_came_from_the_vendor_files(
    runs: Runs, landing: str, export: str, folder: str, columns: str
) -> None:
    vendor = runs[landing]
    files = vendor.query(f"select distinct split_part(_source_file, '/', 1) from raw.{export}")
    assert files == [(folder,)]
    rows = f"select {columns} from raw.{export} order by all"
    assert vendor.query(rows) == runs["contract"].query(rows)
    quarantined = f"select count(*) from raw._quarantine where export = '{export}'"
    assert vendor.query(quarantined) == runs["contract"].query(quarantined)
