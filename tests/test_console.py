"""The run's console: the assets' own lines, failures and warnings; never Dagster's DEBUG
events. Unit tests run a small real job; the pipeline test runs `make run` as the README says."""

import shutil
import subprocess
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.config import REPO_ROOT
from orchestration.contract import EXPORTS
from orchestration.operations.console import RUN_CONSOLE_CONFIG, run_console
from tests.shell import plain_shell_environment

# "fits on two screens" for the worked example (12 exports, one drop) with its check summary.
MAX_RUN_LINES = 60


@dg.asset
def loaded(context: dg.AssetExecutionContext) -> None:
    context.log.info("accounts.csv: 1 drop(s), read 3, loaded 3")
    context.log.debug("per-drop detail stays in the event log")


@dg.asset(deps=[loaded])
def silent() -> None:
    """Succeeds quickly and says nothing: no line of its own."""


@dg.asset(deps=[loaded])
def slow_silent() -> None:
    time.sleep(1.1)


@dg.asset(deps=[silent])
def broken(context: dg.AssetExecutionContext) -> None:
    context.log.warning("fx_rates.csv: 1 header not in the contract")
    raise dg.Failure(description="plans.csv line 4: currency GBP has no FX rate")


def run_job(config: dict) -> None:
    job = dg.define_asset_job("console_test", selection=dg.AssetSelection.all())
    defs = dg.Definitions(
        assets=[loaded, silent, slow_silent, broken],
        jobs=[job],
        loggers={"console": run_console},
    )
    result = defs.resolve_job_def("console_test").execute_in_process(
        run_config=config, raise_on_error=False
    )
    assert not result.success


def test_console_shows_messages_failures_and_warnings_only(capfd) -> None:
    run_job(RUN_CONSOLE_CONFIG)
    lines = capfd.readouterr().err.splitlines()

    assert any(line.endswith("loaded  accounts.csv: 1 drop(s), read 3, loaded 3") for line in lines)
    assert any(
        "broken  WARNING: fx_rates.csv: 1 header not in the contract" in line for line in lines
    )
    assert any("broken  FAILED" in line for line in lines), lines
    assert any("plans.csv line 4: currency GBP has no FX rate" in line for line in lines)
    assert any(line.split()[1:3] == ["slow_silent", "done"] for line in lines), lines
    # a quick step that said nothing, a step that spoke, and every DEBUG event stay off
    assert not any(" silent " in f" {line} " for line in lines), lines
    assert not any("loaded  done" in line for line in lines)
    assert not any("per-drop detail" in line or "STEP_START" in line for line in lines)


def test_without_the_run_config_dagster_prints_its_debug_events(capfd) -> None:
    """Why `make run` passes RUN_CONSOLE_CONFIG: Dagster ignores a job's own loggers otherwise."""
    run_job({})
    assert "STEP_START" in capfd.readouterr().err


@pytest.mark.pipeline
def test_make_run_prints_one_line_per_export_and_the_check_summary(
    workdir: Path, small_example: Path
) -> None:
    landing = workdir / "landing"
    shutil.copytree(small_example / "landing", landing)
    env = plain_shell_environment(workdir)
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 0, "\n".join(output)

    assert len(output) <= MAX_RUN_LINES, "\n".join(output)
    assert not [line for line in output if " - DEBUG - " in line or "Calculating Metrics" in line]
    loads = [line.split()[1] for line in output if "drop(s), read" in line or "no new drop" in line]
    assert sorted(loads) == sorted(f"raw__{export.name}" for export in EXPORTS)
    assert any("dbt build: " in line for line in output)
    assert any(line.startswith("Checks: Run ") for line in output)
    assert any(line.startswith("Warehouse: ") for line in output)
    dbt_log = next(line for line in output if "dbt's own output: " in line)
    assert "PASS=" in Path(dbt_log.split("dbt's own output: ")[1]).read_text()
