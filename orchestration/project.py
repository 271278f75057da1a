"""The one `DbtProject` of cs-analytics and the dbt CLI resource that runs it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from dagster_dbt.dbt_project import DbtProjectPreparer
from packaging.version import Version

from orchestration.config import DBT_EXECUTABLE, DBT_PROJECT_DIR, ConfigurationError, Settings

# dbt's target folder: dbt's own DBT_TARGET_PATH when set (dagster-dbt already starts every dbt
# step in a folder under it and copies its partial_parse.msgpack), so the parse, the manifest
# Dagster reads and the steps' folders stay together; the parallel test suite gives each
# worker its own (tests/conftest.py).
dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target_path=os.environ.get("DBT_TARGET_PATH", "target"),
)
# What `prepare_dbt` parsed from (orchestration/prepare.py), beside the manifest.
PARSE_FINGERPRINT_FILE = "csa_parse_fingerprint.txt"


def prepare_if_dev() -> None:
    """Under `dg dev` the manifest is re-parsed on start, with this virtualenv's dbt and the
    pipeline's settings: dagster-dbt's own `prepare_if_dev` looks for `dbt` on PATH, which a
    shell that never activated the virtualenv does not have. Tests, CI and `make demo` parse
    explicitly (`make dbt-parse`, tests/conftest.py)."""
    if DbtProjectPreparer().using_dagster_dev():
        # Every `dg` command sets DAGSTER_IS_DEV_CLI, `dg launch` (make run) too: the prepared
        # parse, skipped when nothing dbt reads changed, instead of a parse each time (a whole
        # dbt start, and it dropped the fingerprint, so the next `make dbt-parse` parsed again).
        from orchestration.prepare import prepare_dbt

        prepare_dbt(Settings.from_env())


def require_engine(settings: Settings) -> None:
    """CSA_ENGINE=spark needs `make install-spark`; without it dbt only says that the profile's
    credentials are invalid."""
    if settings.engine != "spark":
        return
    needed = {"dbt-spark": "dbt.adapters.spark"}
    if settings.spark_method == "session":
        needed["pyspark"] = "pyspark"
    missing = [package for package, module in needed.items() if find_spec(module) is None]
    if missing:
        raise ConfigurationError(
            f"CSA_ENGINE=spark needs {' and '.join(missing)}, which this virtualenv does not "
            "have: run `make install-spark` (docs/spark.md), or unset CSA_ENGINE for DuckDB."
        )


@contextmanager
def dbt_environment(settings: Settings) -> Iterator[None]:
    """The variables `profiles.yml` reads, from `settings`, in os.environ while the block
    runs: dagster-dbt copies os.environ into the dbt subprocess it starts and takes no
    environment of its own (dbt run in-process reads os.environ too)."""
    values = settings.dbt_environment()
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, started with the pipeline's settings, without the work it
    does in the Dagster process before every dbt step that cs-analytics does not need.

    - The variables `profiles.yml` reads come from `settings` (`Settings.dbt_environment`),
      set only around the start of the dbt process, and `--vars` from `Settings.dbt_vars`.
    - No `dbt --version` subprocess: it imports dbt and asks PyPI for the newest release (about
      4 s per step here, and a wait on the network on a machine without internet). dbt runs
      from this virtualenv (DBT_EXECUTABLE), so the installed dbt-core's version is the same
      answer.
    - No dbt adapter in the Dagster process: dagster-dbt uses it only to fetch row counts and
      column metadata, which the assets do not ask for, and building it loads dbt's profile,
      project and macros (1 to 2 s per step).
    """

    settings: Settings

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None

    def cli(self, args: Sequence[str], **kwargs) -> DbtCliInvocation:
        require_engine(self.settings)
        with dbt_environment(self.settings):
            return super().cli(args, **kwargs)

    def vars_args(self) -> list[str]:
        return ["--vars", json.dumps(self.settings.dbt_vars(), sort_keys=True)]

    def build_args(self) -> list[str]:
        """`dbt build` with the run's configuration passed as dbt vars. dbt unit tests check
        SQL logic on fixed inputs, so they run in `make test` (tests/test_pipeline_smoke.py),
        not in every pipeline run: dbt's own advice for production builds."""
        return ["build", *self.vars_args(), "--exclude-resource-type", "unit_test"]

    def parse(self) -> None:
        """`dbt parse` into target/ with the vars of the build, so the build reuses the parse
        (dbt re-parses everything when vars or the profile change: ~10 s). It does not open
        the warehouse, so it is safe while a run is going on. It drops the fingerprint of
        the last prepared parse (orchestration/prepare.py): only `prepare_dbt` vouches for one."""
        invocation = self.cli(
            ["parse", "--quiet", *self.vars_args()], target_path=dbt_project.target_path
        )
        target = Path(dbt_project.project_dir) / dbt_project.target_path
        (target / PARSE_FINGERPRINT_FILE).unlink(missing_ok=True)  # dbt is rewriting it all
        invocation.wait()


def dbt_resource(settings: Settings) -> DbtCli:
    return DbtCli(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE, settings=settings)


prepare_if_dev()
