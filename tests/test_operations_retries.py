"""Retries: a DuckDB lock conflict is transient (retried), anything else fails at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from orchestration.operations.retries import TRANSIENT_RETRY, is_transient, retry_only_lock_errors

LOCK_MESSAGE = (
    'IO Error: Could not set lock on file "/data/warehouse.duckdb": Conflicting lock is held in'
    " /usr/bin/python3 (PID 9443)."
)


HOLDER = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); input()"


def test_a_real_lock_conflict_is_transient(tmp_path: Path) -> None:
    path = str(tmp_path / "w.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException) as raised:
            duckdb.connect(path, read_only=True)
    finally:
        holder.communicate("\n", timeout=30)
    assert is_transient(raised.value)
    assert not is_transient(duckdb.CatalogException("Table with name accounts does not exist"))


def test_lock_errors_pass_through_for_the_retry_policy() -> None:
    with pytest.raises(duckdb.IOException), retry_only_lock_errors():
        raise duckdb.IOException(LOCK_MESSAGE)
    wrapped = RuntimeError("dbt failed")
    wrapped.__cause__ = duckdb.IOException(LOCK_MESSAGE)
    with pytest.raises(RuntimeError), retry_only_lock_errors():
        raise wrapped


def test_other_errors_fail_without_retries() -> None:
    with pytest.raises(dg.Failure) as raised, retry_only_lock_errors():
        raise RuntimeError("Failure in test not_null_stg_crm__accounts_account_id")
    assert raised.value.allow_retries is False
    assert "not_null" in raised.value.description


def test_a_failure_that_forbids_retries_passes_unchanged() -> None:
    failure = dg.Failure(
        description="plans.csv: missing", metadata={"file": "plans.csv"}, allow_retries=False
    )
    with pytest.raises(dg.Failure) as raised, retry_only_lock_errors():
        raise failure
    assert raised.value is failure


def test_a_failure_that_allows_retries_is_not_retried_either() -> None:
    # dagster-dbt's DagsterDbtCliRuntimeError (a failing dbt test) is such a Failure.
    with pytest.raises(dg.Failure) as raised, retry_only_lock_errors():
        raise DagsterDbtCliRuntimeError("Failure in test unique_stg_billing__plans_plan_id")
    assert raised.value.allow_retries is False
    assert "unique_stg_billing__plans_plan_id" in raised.value.description


def test_raw_and_dbt_steps_carry_the_retry_policy() -> None:
    from orchestration.definitions import defs

    job = defs.get_repository_def().get_job("nightly")
    for step in ("raw__accounts", "dbt_models", "analytics_publication"):
        assert job.graph.node_named(step).definition.retry_policy == TRANSIENT_RETRY
