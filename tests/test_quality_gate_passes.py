"""A raw gate validates the rows loaded since its last pass, and forgets nothing that failed."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from quality import rules
from tests.pipeline import PipelineRun, run_pipeline

RAW = dg.AssetSelection.groups("raw")
NPS_HEADER = "response_id,account_id,contact_email,responded_at,score,comment\n"


def gate(run: PipelineRun, table: str) -> dg.AssetCheckEvaluation:
    (evaluation,) = [
        e
        for e in run.result.get_asset_check_evaluations()
        if e.asset_key == dg.AssetKey(["raw", table]) and e.check_name == "quality_gate"
    ]
    return evaluation


def scope(run: PipelineRun, table: str) -> tuple[str, int]:
    metadata = gate(run, table).metadata
    validated = metadata["validated"].value
    return ("every row" if validated == "every row" else "since"), metadata["rows_validated"].value


def nps_drop(landing: Path, drop: str, rows: str) -> None:
    (landing / drop).mkdir()
    (landing / drop / "nps_responses.csv").write_text(NPS_HEADER + rows, encoding="utf-8")


def test_gates_validate_new_rows_and_keep_failing_until_fixed(
    monkeypatch, small_example: Path, workdir: Path
) -> None:
    landing = workdir / "landing"
    shutil.copytree(small_example / "landing", landing)

    def run() -> PipelineRun:
        return run_pipeline(monkeypatch, landing, workdir, selection=RAW, raise_on_error=False)

    first = run()
    assert first.result.success
    assert scope(first, "nps_responses") == ("every row", 4)

    nps_drop(landing, "2026-10-16", "r9,a1,n@example.jp,2026-10-10T10:00:00,8,\n")
    second = run()
    assert scope(second, "nps_responses") == ("since", 1)
    assert scope(second, "plans") == ("since", 0)
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
