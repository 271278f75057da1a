"""The demo company with its help desk as Zendesk's incremental export
(`--helpdesk-format zendesk`): every mart equals, row for row, the marts built from the
contract landing of the same seed, through the real pipeline (Dagster, DuckDB, dbt)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo import GeneratorConfig, generate
from tests.pipeline import PipelineRun, run_pipeline

SETTINGS = {"accounts": 150, "months": 18, "seed": 7}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, PipelineRun]]:
    found = {}
    for helpdesk in ("contract", "zendesk"):
        landing = tmp_path_factory.mktemp(f"landing-{helpdesk}")
        generate(GeneratorConfig(out=landing, helpdesk_format=helpdesk, **SETTINGS), workers=1)
        found[helpdesk] = run_pipeline(landing, tmp_path_factory.mktemp(f"work-{helpdesk}"))
    yield found


def marts(run: PipelineRun) -> list[str]:
    return [
        name
        for (name,) in run.query(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name"
        )
    ]


@pytest.mark.pipeline
def test_every_mart_equals_the_contract_landings(runs: dict[str, PipelineRun]) -> None:
    contract, zendesk = runs["contract"], runs["zendesk"]
    names = marts(contract)
    assert names == marts(zendesk) and "support_monthly" in names
    for name in names:
        rows = f"select * from marts.{name} order by all"
        assert zendesk.query(rows) == contract.query(rows), name


@pytest.mark.pipeline
def test_the_tickets_came_from_zendesk_files(runs: dict[str, PipelineRun]) -> None:
    zendesk = runs["zendesk"]
    files = zendesk.query(
        "select distinct split_part(_source_file, '/', 1) from raw.support_tickets"
    )
    assert files == [("zendesk",)]
    columns = "ticket_id, account_id, channel, priority, category, created_at, " + (
        "first_response_at, resolved_at, updated_at"
    )
    contract_rows = runs["contract"].query(f"select {columns} from raw.support_tickets order by 1")
    assert zendesk.query(f"select {columns} from raw.support_tickets order by 1") == contract_rows
    # The demo's dirty ticket (a non-ISO date) is quarantined from either landing.
    for run in runs.values():
        assert run.query(
            "select count(*) from raw._quarantine where export = 'support_tickets'"
        ) == [(1,)]
