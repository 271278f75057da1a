"""Two nightly runs over consecutive drops give the same marts as one full build of both.

The second run builds the incremental model int_account_usage_windows incrementally, so this
also proves that an incremental build equals a full refresh, including a usage day that a later
drop restates inside the window of a past month-end snapshot.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from demo import GeneratorConfig, generate
from orchestration.operations.nightly import nightly_job
from tests.pipeline import PipelineRun, run_pipeline

pytestmark = pytest.mark.pipeline


def marts(run: PipelineRun) -> dict[str, list[tuple]]:
    tables = run.query("select table_name from duckdb_tables() where schema_name = 'marts'")
    return {
        name: run.query(f"select * from marts.{name} order by all") for (name,) in sorted(tables)
    }


def drops_loaded(run: PipelineRun) -> set[str]:
    """Drop dates each raw asset loaded in this run (from its materialization metadata)."""
    return {
        day
        for event in run.result.get_asset_materialization_events()
        if event.asset_key.path[0] == "raw"
        for day in event.materialization.metadata["drops_loaded"].value
    }


USAGE_FILE = "product_usage_daily.csv"
WINDOWS = "intermediate.int_account_usage_windows"


def restate_a_past_usage_day(every_drop: Path, drops: list[str]) -> tuple[str, date]:
    """Append to the last drop a new version of a day of the first drop that lies 10 days
    before the last month end: that month end's snapshot must be recomputed."""
    last_month_end = date.fromisoformat(drops[-2]).replace(day=1) - timedelta(days=1)
    day = (last_month_end - timedelta(days=10)).isoformat()
    with (every_drop / drops[0] / USAGE_FILE).open(encoding="utf-8") as history:
        row = next(row for row in csv.DictReader(history) if row["usage_date"] == day)
    row["logins"] = str(int(row["logins"]) + 500)
    with (every_drop / drops[-1] / USAGE_FILE).open("a", encoding="utf-8", newline="") as drop:
        csv.DictWriter(drop, fieldnames=list(row), lineterminator="\n").writerow(row)
    return row["account_id"], last_month_end


def usage_windows(run: PipelineRun) -> list[tuple]:
    """The incremental model without its load watermark (which records when a row was built)."""
    return run.query(f"select * exclude (_usage_loaded_through) from {WINDOWS} order by all")


def test_two_nightly_runs_over_consecutive_drops_equal_one_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_drop = tmp_path / "all_drops"
    generate(GeneratorConfig(out=every_drop, accounts=120, months=15, dirty=False, seed=5))
    drops = sorted(path.name for path in every_drop.iterdir() if path.is_dir())
    assert len(drops) >= 3
    account, month_end = restate_a_past_usage_day(every_drop, drops)
    landing = tmp_path / "landing"
    for drop in drops[:-1]:
        shutil.copytree(every_drop / drop, landing / drop)
    selection = nightly_job.selection

    first = run_pipeline(landing, tmp_path / "nightly", selection=selection)
    assert drops_loaded(first) == {str(day) for day in drops[:-1]}
    logins_sql = (
        f"select logins_last_window from {WINDOWS} where account_id = ? and snapshot_date = ?"
    )
    [(logins_before,)] = first.query(logins_sql, [account, month_end])
    # The next night's drop arrives: the run loads only it, then rebuilds the models.
    shutil.copytree(every_drop / drops[-1], landing / drops[-1])
    second = run_pipeline(landing, tmp_path / "nightly", selection=selection)
    assert drops_loaded(second) == {drops[-1]}
    nightly = marts(second)
    # The restated day reached its month end's snapshot ...
    assert second.query(logins_sql, [account, month_end]) == [(logins_before + 500,)]
    # ... and the build was incremental: most rows kept the first build's load watermark.
    watermarks = dict(
        second.query(f"select _usage_loaded_through, count(*) from {WINDOWS} group by all")
    )
    assert len(watermarks) == 2
    assert watermarks[max(watermarks)] < watermarks[min(watermarks)]

    full = run_pipeline(every_drop, tmp_path / "full", selection=selection)

    assert drops_loaded(full) == set(drops)
    assert nightly.keys() == marts(full).keys() and "account_health" in nightly
    for name, rows in marts(full).items():
        assert rows, f"marts.{name} is empty: the comparison would prove nothing"
        assert nightly[name] == rows, f"marts.{name} differs between nightly and full builds"
    assert usage_windows(second) == usage_windows(full)
