"""The whole pipeline runs on the worked example and lands typed, deduplicated staging rows."""

from __future__ import annotations

from pathlib import Path

from tests.pipeline import run_pipeline


def test_pipeline_loads_small_example(monkeypatch, small_example: Path, workdir: Path) -> None:
    run = run_pipeline(monkeypatch, small_example / "landing", workdir)

    assert run.result.success
    items = run.query(
        "select item_id, quantity, unit_price, ended_on"
        " from staging.stg_billing__subscription_items order by item_id"
    )
    assert len(items) == 7
    assert items[0][0] == "i1" and items[0][1] == 5
    # Comments keep their commas and embedded newlines.
    comments = dict(run.query("select response_id, comment from staging.stg_survey__nps_responses"))
    assert comments["r3"] == "Too slow\nto load"
    # Personal data never leaves raw.
    columns = {
        row[0]
        for row in run.query(
            "select column_name from information_schema.columns where table_schema <> 'raw'"
        )
    }
    assert not columns & {"email", "contact_email", "name"}
