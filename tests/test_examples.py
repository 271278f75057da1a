"""The worked examples of ../shared/spec/examples: the marts equal the expected rows.

Expected files: empty field = NULL; numbers compared with a tolerance of 1e-6 (money 0.01).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES_DIR
from tests.pipeline import PipelineRun, run_pipeline

EXPECTED = sorted((EXAMPLES_DIR / "small" / "expected").glob("*.csv"))
MONEY_WORDS = ("mrr", "arr", "arpa")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory) -> Iterator[PipelineRun]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield run_pipeline(
            monkeypatch,
            EXAMPLES_DIR / "small" / "landing",
            tmp_path_factory.mktemp("small"),
        )


def tolerance(column: str) -> float:
    return 0.01 if any(word in column for word in MONEY_WORDS) else 1e-6


def equal(column: str, expected: str, actual: object) -> bool:
    if expected == "":
        return actual is None
    if actual is None:
        return False
    if isinstance(actual, bool):
        return expected == str(actual).lower()
    if isinstance(actual, date):
        return expected == actual.isoformat()
    if isinstance(actual, int | float | Decimal):
        return abs(float(Decimal(expected)) - float(actual)) <= tolerance(column)
    return expected == str(actual)


def key_columns(header: list[str]) -> list[str]:
    keys = [c for c in ("account_id", "cohort_month", "month", "channel", "csm_id") if c in header]
    if "cohort_month" in keys:
        keys = ["cohort_month", "months_since_start"]
    return keys


@pytest.mark.parametrize("expected_file", EXPECTED, ids=[p.stem for p in EXPECTED])
def test_mart_equals_expected_rows(small_run: PipelineRun, expected_file: Path) -> None:
    assert small_run.result.success
    with expected_file.open(encoding="utf-8", newline="") as handle:
        expected_rows = list(csv.DictReader(handle))
    header = list(expected_rows[0])
    keys = key_columns(header)
    actual_rows = small_run.query_dicts(f"select * from marts.{expected_file.stem}")

    def key(row: dict) -> tuple[str, ...]:
        return tuple(
            str(row[k]) if not isinstance(row[k], date) else row[k].isoformat() for k in keys
        )

    actual_by_key = {key(row): row for row in actual_rows}
    assert sorted(actual_by_key) == sorted(key(row) for row in expected_rows), "row sets differ"
    mismatches = [
        (key(row), column, value, actual_by_key[key(row)][column])
        for row in expected_rows
        for column, value in row.items()
        if not equal(column, value, actual_by_key[key(row)][column])
    ]
    assert not mismatches, f"{len(mismatches)} values differ, first: {mismatches[:5]}"
