"""The whole pipeline runs on the worked example and lands typed, deduplicated staging rows."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.project import dbt_project, dbt_resource
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline


def test_pipeline_loads_small_example(small_run: PipelineRun) -> None:
    run = small_run

    assert run.result.success
    items = run.query(
        "select item_id, quantity, unit_price, ended_on"
        " from staging.stg_billing__subscription_items order by item_id"
    )
    assert len(items) == 7
    assert items[0][0] == "i1" and items[0][1] == 5
    # Comments keep their commas and embedded newlines.
    comments = dict(run.query("select response_id, comment from staging.stg_survey__nps_responses"))
    assert comments["r3"] == "Too slow\nto load"
    # Personal data never leaves raw.
    columns = {
        row[0]
        for row in run.query(
            "select column_name from information_schema.columns where table_schema <> 'raw'"
        )
    }
    assert not columns & {"email", "contact_email", "name"}
    # The staging YAML's data_types (checked against the contract by test_dbt_contract.py) are
    # the types of the views dbt built.
    manifest = json.loads(Path(dbt_project.manifest_path).read_text(encoding="utf-8"))
    declared = {
        (node["name"], column["name"]): column["data_type"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "staging"
        for column in node["columns"].values()
        if column.get("data_type")
    }
    built = {
        (table, column): data_type.lower()
        for table, column, data_type in run.query(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = 'staging'"
        )
    }
    assert len(declared) > 60
    assert {key: built.get(key) for key in declared} == declared


def dbt_run_results(run: PipelineRun) -> list[dict]:
    """The results in the run_results.json of this run's dbt invocation (dagster-dbt gives each
    dbt step its own target folder, named after the run)."""
    target = Path(dbt_project.project_dir) / dbt_project.target_path
    (invocation,) = target.glob(f"dbt_models-{run.result.run_id[:7]}-*")
    return json.loads((invocation / "run_results.json").read_text())["results"]


def test_dbt_unit_tests_pass(small_run: PipelineRun, workdir: Path) -> None:
    """The pipeline's dbt build leaves unit tests out (fixed inputs: nothing to learn from
    them at night); `make test` runs every one of them against a built warehouse."""
    run = small_run
    built = dbt_run_results(run)
    assert built and not [r for r in built if r["unique_id"].startswith("unit_test.")]

    unit_tests = json.loads(Path(dbt_project.manifest_path).read_text())["unit_tests"]
    assert unit_tests
    dbt = dbt_resource(run.settings)
    dbt.cli(
        ["test", "--select", "test_type:unit", *dbt.vars_args()],
        target_path=workdir / "dbt-target",
        raise_on_error=False,
    ).wait()
    results = json.loads((workdir / "dbt-target" / "run_results.json").read_text())["results"]
    ran = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert ran == dict.fromkeys(unit_tests, "pass")


def dbt_results(run: PipelineRun) -> dict[str, str]:
    """Status by node name from the run_results.json of this run's dbt invocation."""
    return {result["unique_id"].split(".")[2]: result["status"] for result in dbt_run_results(run)}


def test_layers_materialized_one_group_at_a_time(small_example: Path, workdir: Path) -> None:
    """What a data engineer does in the UI on a fresh warehouse: raw, then staging alone, then
    the rest. A singular test that joins staging to a mart runs with the mart, not before it."""
    landing = small_example / "landing"
    singular = "assert_cs_action_queue_matches_as_of_health"

    raw = run_pipeline(landing, workdir, selection=dg.AssetSelection.groups("raw"))
    assert raw.result.success
    staging = run_pipeline(landing, workdir, selection=dg.AssetSelection.groups("staging"))
    assert staging.result.success
    marts_schemas = "select count(*) from information_schema.schemata where schema_name = 'marts'"
    assert staging.query(marts_schemas) == [(0,)]
    assert dbt_results(staging)["stg_crm__accounts"] == "success"
    assert singular not in dbt_results(staging)

    rest = run_pipeline(
        landing, workdir, selection=dg.AssetSelection.groups("intermediate", "marts")
    )
    assert rest.result.success
    assert dbt_results(rest)[singular] == "pass"
