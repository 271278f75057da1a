"""The one `DbtProject` of cs-analytics and the dbt CLI resource that runs it."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from orchestration.config import DBT_EXECUTABLE, DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is re-parsed on start; tests, CI and `make demo` run
# `dbt parse` explicitly (Makefile target dbt-parse, tests/conftest.py).
dbt_project.prepare_if_dev()


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without the work it does in the Dagster process before every
    dbt step that cs-analytics does not need.

    - No `dbt --version` subprocess: it imports dbt and asks PyPI for the newest release (about
      4 s per step here, and a wait on the network on a machine without internet). dbt runs
      from this virtualenv (DBT_EXECUTABLE), so the installed dbt-core's version is the same
      answer.
    - No dbt adapter in the Dagster process: dagster-dbt uses it only to fetch row counts and
      column metadata, which the assets do not ask for, and building it loads dbt's profile,
      project and macros (1 to 2 s per step).
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


def dbt_resource() -> DbtCli:
    return DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
