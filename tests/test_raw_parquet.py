"""Raw Parquet for Spark is an exact copy of raw, and a new drop rewrites only what changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.parquet import RAW_PARQUET_KEY
from orchestration.contract import EXPORTS
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline

RAW = dg.AssetSelection.groups("raw")


def parquet_metadata(run: PipelineRun, key: str) -> dict:
    (materialization,) = [
        event.materialization
        for event in run.result.get_asset_materialization_events()
        if event.asset_key == RAW_PARQUET_KEY
    ]
    return materialization.metadata[key].value


def differences(run: PipelineRun, table: str) -> list[tuple]:
    """Rows in raw.<table> and not in its Parquet folder, or the other way round."""
    folder = run.settings.raw_parquet_dir / table
    with duckdb.connect(str(run.settings.warehouse_file), read_only=True) as connection:
        return connection.execute(
            f"""(select * from raw.{table} except all
                 select * from read_parquet('{folder}/*.parquet'))
            union all
            (select * from read_parquet('{folder}/*.parquet') except all
             select * from raw.{table})"""
        ).fetchall()


def files(run: PipelineRun, table: str) -> list[str]:
    return sorted(path.name for path in (run.settings.raw_parquet_dir / table).iterdir())


def test_raw_parquet_follows_raw_and_rewrites_only_changed_drops(
    small_example: Path, workdir: Path
) -> None:
    landing = workdir / "landing"
    first = landing / "2026-10-15"
    shutil.copytree(small_example / "landing" / "2026-10-15", first)

    run = run_pipeline(landing, workdir, selection=RAW, engine="spark")
    for export in EXPORTS:
        assert differences(run, export.name) == []
    # No cs_reps.csv in this drop: an empty file still gives Spark the table's columns.
    assert files(run, "cs_reps") == ["_manifest.json", "empty.parquet"]
    assert files(run, "nps_responses") == ["2026-10-15.parquet", "_manifest.json"]
    assert parquet_metadata(run, "row_counts")["nps_responses"] == 4
    # Files an earlier layout or a killed run left behind do not survive the next publishing.
    stale = run.settings.raw_parquet_dir / "plans" / "data.parquet"
    shutil.copy(run.settings.raw_parquet_dir / "plans" / "2026-10-15.parquet", stale)
    (run.settings.raw_parquet_dir / "plans" / ".2026-10-15.parquet.writing").write_text("x")

    # The next drop re-exports every account and restates one NPS response (r3) of the first.
    second = landing / "2026-10-16"
    second.mkdir()
    shutil.copy(first / "accounts.csv", second / "accounts.csv")
    nps = (first / "nps_responses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (second / "nps_responses.csv").write_text(
        nps[0] + "r3,a2,z@example.com,2026-03-28T10:00:00,7,restated\n", encoding="utf-8"
    )
    run = run_pipeline(landing, workdir, selection=RAW, engine="spark")

    for export in EXPORTS:
        assert differences(run, export.name) == []
    written = parquet_metadata(run, "files_written")
    assert written["accounts"] == ["2026-10-16.parquet"]
    assert written["nps_responses"] == ["2026-10-15.parquet", "2026-10-16.parquet"]
    assert written["plans"] == written["subscription_items"] == []
    removed = parquet_metadata(run, "files_removed")
    # Every account of the first drop was superseded, so its file goes.
    assert removed["accounts"] == ["2026-10-15.parquet"]
    assert sorted(removed["plans"]) == [".2026-10-15.parquet.writing", "data.parquet"]
    assert files(run, "accounts") == ["2026-10-16.parquet", "_manifest.json"]
    assert parquet_metadata(run, "row_counts")["nps_responses"] == 4

    # Nothing new: nothing is written again.
    run = run_pipeline(landing, workdir, selection=RAW, engine="spark")
    assert all(names == [] for names in parquet_metadata(run, "files_written").values())

    # A file with an unknown column adds it to raw: every drop's file is written again with it.
    third = landing / "2026-10-17"
    third.mkdir()
    (third / "subscription_items.csv").write_text(
        "item_id,subscription_id,customer_id,plan_id,quantity,unit_price,discount_pct,"
        "started_on,ended_on,is_trial,sales_note\n"
        "i91,s1,c1,pro-m,1,2000,0,2026-10-01,,false,upsell\n",
        encoding="utf-8",
    )
    run = run_pipeline(landing, workdir, selection=RAW, engine="spark")
    assert parquet_metadata(run, "files_written")["subscription_items"] == [
        "2026-10-15.parquet",
        "2026-10-17.parquet",
    ]
    assert differences(run, "subscription_items") == []


def test_a_parquet_failure_that_is_no_lock_conflict_is_not_retried(
    tmp_path: Path, small_example: Path
) -> None:
    blocker = tmp_path / "parquet"
    blocker.write_text("a file where the Parquet folder should be")

    run = run_pipeline(
        small_example / "landing",
        tmp_path / "work",
        selection=RAW,
        raise_on_error=False,
        parquet_dir=str(blocker),
        engine="spark",
    )

    events = run.result.all_events
    assert not [e for e in events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    [failure] = [e for e in events if e.is_step_failure]
    assert failure.step_key == "raw_parquet"
    assert str(blocker) in failure.step_failure_data.user_failure_data.description


def test_the_duckdb_engine_writes_no_parquet(small_run: PipelineRun) -> None:
    """Only Spark reads the Parquet copy: on DuckDB the asset materializes without writing,
    and dbt still builds from raw in the warehouse."""
    assert small_run.result.success
    assert parquet_metadata(small_run, "written") is False
    assert not small_run.settings.raw_parquet_dir.exists()
