"""The one `DbtProject` of cs-analytics; everything else imports it from here."""

from __future__ import annotations

from dagster_dbt import DbtProject

from orchestration.config import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# Under `dagster dev` the manifest is re-parsed on start; tests, CI and `make demo` run
# `dbt parse` explicitly (Makefile target dbt-parse, tests/conftest.py).
dbt_project.prepare_if_dev()
