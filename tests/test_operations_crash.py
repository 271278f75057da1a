"""Crash safety: a run killed (SIGKILL) while loading or inside dbt leaves a consistent
warehouse; after recovery the next run gives exactly what an uninterrupted run gives."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.config import REPO_ROOT
from tests.pipeline import PipelineRun

pytestmark = pytest.mark.pipeline

# What `make run` runs: the dg CLI of this virtualenv, on the project of pyproject.toml.
MATERIALIZE = [str(Path(sys.executable).parent / "dg"), "launch", "--assets", "*"]
# Columns that hold the wall-clock time of the load itself.
LOAD_TIME_COLUMNS = {"_loaded_at", "loaded_at", "quarantined_at", "validated_through", "passed_at"}


def environment(landing: Path, workdir: Path) -> dict[str, str]:
    """A Dagster home with the repo's dagster.yaml, and every CSA_* setting in `workdir`."""
    home = workdir / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {name: value for name, value in os.environ.items() if not name.startswith("CSA_")}
    return env | {
        "DAGSTER_HOME": str(home),
        "CSA_LANDING_DIR": str(landing),
        "CSA_WAREHOUSE_PATH": str(workdir / "warehouse.duckdb"),
        "CSA_ANALYTICS_PATH": str(workdir / "analytics.duckdb"),
    }


def dbt_running_in_group(pgid: int) -> bool:
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            is_dbt_build = b"build" in command and any(p.endswith(b"/dbt") for p in command)
            if is_dbt_build and os.getpgid(int(entry.name)) == pgid:
                return True
        except (ValueError, OSError):
            continue
    return False


def run(env: dict[str, str], kill_when: str | None = None) -> str:
    """Materialize everything; with `kill_when`, SIGKILL the process group at that log line."""
    process = subprocess.Popen(
        MATERIALIZE,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the dbt child is killed with it
    )
    log = []
    try:
        for line in process.stdout:
            log.append(line)
            if kill_when and kill_when in line:
                if "dbt" in kill_when:
                    assert dbt_running_in_group(process.pid)
                os.killpg(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=600)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    output = "".join(log)
    if kill_when:
        assert process.returncode == -signal.SIGKILL, output[-3000:]
    else:
        assert process.returncode == 0, output[-3000:]
    return output


def recover(env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "orchestration.operations.recovery"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "Recovered 1 dead run" in result.stdout


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table and view, rows sorted, without the load-time columns."""
    with duckdb.connect(str(path), read_only=True) as connection:
        columns = connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns"
            " where table_catalog = current_database() order by ordinal_position"
        ).fetchall()
        tables: dict[str, list[str]] = {}
        for schema, table, column in columns:
            if column not in LOAD_TIME_COLUMNS:
                tables.setdefault(f'{schema}."{table}"', []).append(f'"{column}"')
        return {
            name: connection.execute(
                f"select {', '.join(cols)} from {name} order by all"
            ).fetchall()
            for name, cols in tables.items()
        }


def loaded_exports(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {row[0] for row in connection.execute("select export from raw._loads").fetchall()}


@pytest.fixture(scope="module")
def reference(small_run: PipelineRun) -> dict[str, dict]:
    """What an uninterrupted run on the same landing with the same settings gives: the
    session's run of the worked example (the same Definitions, materialized in the test
    process; its analytics copy is beside its warehouse, as CSA_ANALYTICS_PATH puts it here),
    instead of one more `dg launch` of the whole pipeline."""
    assert small_run.result.success
    return {
        "warehouse": snapshot(small_run.settings.warehouse_file),
        "published": snapshot(small_run.settings.publication_path),
    }


def assert_same_as_reference(workdir: Path, reference: dict[str, dict]) -> None:
    warehouse = snapshot(workdir / "warehouse.duckdb")
    assert warehouse.keys() == reference["warehouse"].keys()
    for name, rows in reference["warehouse"].items():
        assert warehouse[name] == rows, name
    assert snapshot(workdir / "analytics.duckdb") == reference["published"]


def test_killed_while_loading_then_rerun(small_example: Path, workdir: Path, reference) -> None:
    landing = small_example / "landing"
    env = environment(landing, workdir)
    exports_in_drop = {path.stem for path in (landing / "2026-10-15").glob("*.csv")}

    run(env, kill_when="raw__accounts - ASSET_MATERIALIZATION")

    # Killed between loads: some exports' drops are loaded and logged, the others not at all.
    loaded = loaded_exports(workdir / "warehouse.duckdb")
    assert "accounts" in loaded and loaded < exports_in_drop
    assert not (workdir / "analytics.duckdb").exists()
    recover(env)
    run(env)
    assert_same_as_reference(workdir, reference)


def test_killed_inside_dbt_then_rerun(small_example: Path, workdir: Path, reference) -> None:
    env = environment(small_example / "landing", workdir)

    run(env, kill_when="Materialized value staging")

    recover(env)
    run(env)
    assert_same_as_reference(workdir, reference)
