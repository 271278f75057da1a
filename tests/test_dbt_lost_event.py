"""No green run that did not publish: when dbt's event stream loses a model's result (as when
Spark's console progress bar landed on the line of `marts.accounts`' JSON event), the run
fails and names the model instead of skipping everything downstream of it in silence."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.assets.transform import fail_on_unbuilt
from orchestration.config import DBT_EXECUTABLE
from orchestration.definitions import defs
from orchestration.project import DbtCli, dbt_project
from orchestration.resources import pipeline_resources
from tests import pipeline
from tests.conftest import EXAMPLES_DIR

LOST_MODEL = "model.cs_analytics.accounts"
# dbt run through a pipe that prefixes one model's result event with a progress bar, the
# corruption Spark's console progress caused: the line is no longer JSON.
FILTER = f"""#!{sys.executable}
import json, subprocess, sys

process = subprocess.Popen([{DBT_EXECUTABLE!r}, *sys.argv[1:]], stdout=subprocess.PIPE, text=True)
for line in process.stdout:
    try:
        event = json.loads(line)
    except ValueError:
        event = {{}}
    node = event.get("data", {{}}).get("node_info", {{}}).get("unique_id")
    if event.get("info", {{}}).get("name") == "LogModelResult" and node == {LOST_MODEL!r}:
        line = "[Stage 650:>                          (0 + 2) / 2]" + line
    sys.stdout.write(line)
    sys.stdout.flush()
sys.exit(process.wait())
"""


def test_unbuilt_selected_models_are_named() -> None:
    built = dg.AssetKey(["marts", "mrr_monthly"])
    lost = dg.AssetKey(["marts", "accounts"])
    fail_on_unbuilt({built}, {built})  # all built: no failure
    with pytest.raises(dg.Failure, match="1 selected model") as failure:
        fail_on_unbuilt({built, lost}, {built})
    assert failure.value.metadata["models_without_result"].value == ["marts/accounts"]


@pytest.mark.pipeline
def test_a_run_whose_dbt_stream_loses_a_model_fails_naming_it(tmp_path: Path) -> None:
    dbt = tmp_path / "dbt-behind-a-noisy-pipe"
    dbt.write_text(FILTER)
    dbt.chmod(0o755)
    settings = pipeline.test_settings(EXAMPLES_DIR / "small" / "landing", tmp_path)
    resources = pipeline_resources(settings) | {
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=str(dbt), settings=settings)
    }

    result = dg.materialize(
        [*defs.assets, *defs.asset_checks],
        resources=resources,
        selection="*",
        raise_on_error=False,
    )

    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert failure.step_key == "dbt_models"
    message = failure.step_failure_data.user_failure_data.description
    assert "no result for 1 selected model(s): marts/accounts." in message
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "marts/mrr_monthly" in materialized  # dbt built the rest ...
    assert "marts/accounts" not in materialized  # ... but this one's event was lost
    assert "analytics_publication" not in materialized
    assert not settings.publication_path.exists()
