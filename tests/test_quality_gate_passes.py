"""A raw gate validates the rows loaded since its last pass, and forgets nothing that failed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from quality import rules
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

RAW = dg.AssetSelection.groups("raw")
NPS_HEADER = "response_id,account_id,contact_email,responded_at,score,comment\n"


def gate(run: PipelineRun, table: str) -> dg.AssetCheckEvaluation:
    return run.raw_checks(table)["quality_gate"]


def scope(run: PipelineRun, table: str) -> tuple[str, int]:
    metadata = gate(run, table).metadata
    validated = metadata["validated"].value
    if validated.startswith("nothing loaded since the last pass"):
        return "unchanged", metadata["rows_validated"].value
    return ("every row" if validated == "every row" else "since"), metadata["rows_validated"].value


def nps_drop(landing: Path, drop: str, rows: str) -> None:
    (landing / drop).mkdir()
    (landing / drop / "nps_responses.csv").write_text(NPS_HEADER + rows, encoding="utf-8")


@pytest.fixture
def landing(small_example: Path, workdir: Path) -> Path:
    path = workdir / "landing"
    shutil.copytree(small_example / "landing", path)
    return path


@pytest.fixture
def run(monkeypatch, landing: Path, workdir: Path) -> Callable[[], PipelineRun]:
    """Runs the raw group (loads, gates, reconciliation) over `landing` again."""
    return lambda: run_pipeline(landing, workdir, selection=RAW, raise_on_error=False)


def test_gates_validate_new_rows_and_keep_failing_until_fixed(
    monkeypatch, landing: Path, run: Callable[[], PipelineRun]
) -> None:
    first = run()
    assert first.result.success
    assert scope(first, "nps_responses") == ("every row", 4)

    nps_drop(landing, "2026-10-16", "r9,a1,n@example.jp,2026-10-10T10:00:00,8,\n")
    second = run()
    assert scope(second, "nps_responses") == ("since", 1)
    # No plans drop since the last pass: that pass stands and its rules do not run.
    assert scope(second, "plans") == ("unchanged", 0)
    assert gate(second, "plans").passed
    # FX coverage reads subscription items and the latest drop date in full: it always runs.
    assert scope(second, "fx_rates") == ("since", 0)
    # accounts reference cs_reps, which this landing never delivered: that reference was
    # skipped, so no pass was recorded and every account is validated again.
    assert scope(second, "accounts") == ("every row", 2)

    nps_drop(landing, "2026-10-17", "r10,a2,m@example.com,2026-10-11T10:00:00,11,\n")
    third = run()
    assert not gate(third, "nps_responses").passed
    assert "score between 0 and 10" in gate(third, "nps_responses").description
    assert scope(third, "nps_responses") == ("since", 1)
    assert third.query("select count(*) from raw.nps_responses") == [(6,)]

    # Nothing new arrives: the bad row is still there and still blocks.
    fourth = run()
    assert not gate(fourth, "nps_responses").passed
    assert scope(fourth, "nps_responses") == ("since", 1)

    # A corrected drop replaces the row; the gate passes again.
    nps_drop(landing, "2026-10-18", "r10,a2,m@example.com,2026-10-11T10:00:00,10,\n")
    fifth = run()
    assert gate(fifth, "nps_responses").passed
    assert scope(fifth, "nps_responses") == ("since", 1)

    # A changed rule is applied to every row, not only to new ones.
    stricter = rules.between("score", 0, 9)
    monkeypatch.setitem(
        rules.TABLE_RULES,
        "nps_responses",
        (*rules.TABLE_RULES["nps_responses"], stricter),
    )
    sixth = run()
    assert scope(sixth, "nps_responses") == ("every row", 6)
    assert not gate(sixth, "nps_responses").passed
    assert "score between 0 and 9" in gate(sixth, "nps_responses").description


def test_a_load_without_new_rows_still_runs_its_gate(
    small_example: Path, landing: Path, run: Callable[[], PipelineRun]
) -> None:
    """A drop whose every row is quarantined adds no row, but the gate runs and warns."""
    assert scope(run(), "plans")[0] == "every row"
    (landing / "2026-10-16").mkdir()
    header = (small_example / "landing" / "2026-10-15" / "plans.csv").read_text().splitlines()[0]
    (landing / "2026-10-16" / "plans.csv").write_text(
        f"{header}\n,invoicing,No key,1,1,JPY,100\n", encoding="utf-8"
    )
    quarantined = run()
    assert scope(quarantined, "plans") == ("since", 0)
    evaluation = gate(quarantined, "plans")
    assert evaluation.passed
    assert evaluation.severity is dg.AssetCheckSeverity.WARN
    assert "no row was quarantined" in evaluation.description

    assert scope(run(), "plans") == ("unchanged", 0)


def test_a_new_row_that_duplicates_an_old_key_fails_the_gate(
    run: Callable[[], PipelineRun],
) -> None:
    """Only the new row is in the batch, but its key is counted over the whole table. The
    loader replaces a key's old version, so this simulates a load that failed to."""
    first = run()
    assert first.result.success
    (old_line,) = first.query(
        "select _source_line from raw.nps_responses where response_id = 'r1'"
    )[0]
    with duckdb.connect(str(first.settings.warehouse_file)) as connection:
        connection.execute("begin transaction")
        connection.execute(
            """insert into raw.nps_responses
            select * replace (date '2026-10-16' as _drop_date, current_timestamp as _loaded_at)
            from raw.nps_responses where response_id = 'r1'"""
        )
        connection.execute(
            """insert into raw._loads (export, drop_date, source_file, encoding, rows_read,
                rows_loaded, rows_quarantined, extra_columns, loaded_at)
            values ('nps_responses', date '2026-10-16', 'nps_responses.csv', 'utf-8', 1, 1, 0,
                [], current_timestamp)"""
        )
        connection.execute("commit")

    def duplicate_finding(run: PipelineRun) -> dict:
        evaluation = gate(run, "nps_responses")
        assert not evaluation.passed
        (finding,) = [
            rule
            for rule in evaluation.metadata["failed_rules"].value
            if rule["rule"] == "primary key is unique"
        ]
        return finding

    second = run()
    assert scope(second, "nps_responses") == ("since", 1)
    finding = duplicate_finding(second)
    assert finding["column"] == "response_id"
    assert finding["failing_rows"] == 2
    assert f"'_source_line': {old_line}" in finding["examples"][0]

    # Validating every row (here: after forgetting the passes) uses the whole-table query.
    with duckdb.connect(str(first.settings.warehouse_file)) as connection:
        connection.execute("delete from raw._gate_passes")
    third = run()
    assert scope(third, "nps_responses")[0] == "every row"
    assert duplicate_finding(third)["failing_rows"] == 2
