"""The one `DbtProject` of cs-analytics and the dbt CLI resource that runs it."""

from __future__ import annotations

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
    """dagster-dbt's dbt resource without its `dbt --version` subprocess before every dbt step.

    That subprocess imports dbt and asks PyPI for the newest release: about 4 s per step here,
    and a wait on the network on a machine without internet. dbt runs from this virtualenv
    (DBT_EXECUTABLE), so the installed dbt-core's version is the same answer.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))


def dbt_resource() -> DbtCli:
    return DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
