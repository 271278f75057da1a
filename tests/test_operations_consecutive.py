"""Two nightly runs over consecutive drops give the same marts as one full build of both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.demo import GeneratorConfig, generate
from orchestration.operations.nightly import nightly_job
from tests.pipeline import PipelineRun, run_pipeline


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


def test_two_nightly_runs_over_consecutive_drops_equal_one_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_drop = tmp_path / "all_drops"
    generate(GeneratorConfig(out=every_drop, accounts=120, months=15, dirty=False, seed=5))
    drops = sorted(path.name for path in every_drop.iterdir() if path.is_dir())
    assert len(drops) >= 3
    landing = tmp_path / "landing"
    for drop in drops[:-1]:
        shutil.copytree(every_drop / drop, landing / drop)
    selection = nightly_job.selection

    first = run_pipeline(monkeypatch, landing, tmp_path / "nightly", selection=selection)
    assert drops_loaded(first) == {str(day) for day in drops[:-1]}
    # The next night's drop arrives: the run loads only it, then rebuilds the models.
    shutil.copytree(every_drop / drops[-1], landing / drops[-1])
    second = run_pipeline(monkeypatch, landing, tmp_path / "nightly", selection=selection)
    assert drops_loaded(second) == {drops[-1]}
    nightly = marts(second)

    full = run_pipeline(monkeypatch, every_drop, tmp_path / "full", selection=selection)

    assert drops_loaded(full) == set(drops)
    assert nightly.keys() == marts(full).keys() and "account_health" in nightly
    for name, rows in marts(full).items():
        assert rows, f"marts.{name} is empty: the comparison would prove nothing"
        assert nightly[name] == rows, f"marts.{name} differs between nightly and full builds"
