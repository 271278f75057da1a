"""Shared fixtures: the dbt manifest is prepared once per test session (per worker when the
suite runs in parallel, `make test`: pytest-xdist)."""

from __future__ import annotations

import os
from pathlib import Path

# Under pytest-xdist each worker parses dbt into, and starts every dbt step from, its own target
# folder (dbt's and dagster-dbt's DBT_TARGET_PATH, read by orchestration/project.py): one worker's
# parse (`make run`, `make ui` and the prepare tests parse with their own settings) never
# rewrites the manifest or partial_parse.msgpack another worker's pipeline is reading, nor prunes
# its dbt folders. Set before orchestration is imported; subprocesses inherit it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if WORKER:
    os.environ["DBT_TARGET_PATH"] = str(
        Path(__file__).resolve().parent.parent / "dbt_project" / "target" / f"xdist-{WORKER}"
    )

import pytest  # noqa: E402

from orchestration.config import REPO_ROOT, Settings  # noqa: E402
from orchestration.prepare import prepare_dbt  # noqa: E402
from tests.pipeline import PipelineRun, run_pipeline  # noqa: E402

SPEC_DIR = REPO_ROOT.parent / "shared" / "spec"
EXAMPLES_DIR = SPEC_DIR / "examples"


def pytest_sessionstart(session: pytest.Session) -> None:
    # Dagster's dbt assets are defined from target/manifest.json; `dbt parse` does not open
    # the warehouse, so it is safe to run before any test. Under xdist the controller parses
    # into dbt_project/target before it starts the workers (MetricFlow reads only that
    # folder's semantic_manifest.json), then each worker into its own.
    prepare_dbt(Settings.from_env({}))


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def small_example() -> Path:
    path = EXAMPLES_DIR / "small"
    if not path.is_dir():
        pytest.fail(f"worked example not found at {path}: shared/ must sit beside the repo")
    return path


@pytest.fixture(scope="session")
def small_run(small_example: Path, tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    """The whole pipeline on the worked example with default settings, run once per session
    for the tests that only read its result (a run costs more than all of their checks)."""
    return run_pipeline(small_example / "landing", tmp_path_factory.mktemp("small"))
