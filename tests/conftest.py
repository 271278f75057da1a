"""Shared fixtures: the dbt manifest is prepared once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT, Settings
from orchestration.prepare import prepare_dbt
from tests.pipeline import PipelineRun, run_pipeline

SPEC_DIR = REPO_ROOT.parent / "shared" / "spec"
EXAMPLES_DIR = SPEC_DIR / "examples"


def pytest_sessionstart(session: pytest.Session) -> None:
    # Dagster's dbt assets are defined from target/manifest.json; `dbt parse` does not open
    # the warehouse, so it is safe to run before any test.
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
