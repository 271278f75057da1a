"""The demo generator's column-wise CSV rendering writes exactly what Python's csv module
writes for the same values, in UTF-8 and cp932; versions reach the right drops."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pytest

from demo import tables
from demo.columns import Decimals, Integers
from demo.dated import Days, Moments
from demo.labels import Flags, Labels, text
from demo.tables import Table, Versions, csv_lines


def contract_text(value: object) -> str:
    """The contract's formatting of one value, the slow obvious way."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is UTC:
            return value.strftime("%Y-%m-%dT%H:%M:%SZ")
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_module_lines(columns, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in zip(*(column.values() for column in columns), strict=True):
        writer.writerow([contract_text(value) for value in row])
    return buffer.getvalue().encode(encoding)


def random_columns(rows: int, seed: int) -> list:
    rng = np.random.default_rng(seed)

    def nulls(share: float) -> np.ndarray:
        return rng.random(rows) < share

    return [
        Integers(rng.integers(-50_000_000, 50_000_000, rows)),
        Integers(np.r_[0, 9999, 10_000, 99_999_999, rng.integers(0, 20_000, rows - 4)]),
        Decimals(rng.integers(-(10**9), 10**9, rows), rng.integers(0, 5, rows)),
        Decimals(rng.integers(-99, 99, rows), 2, null=nulls(0.3)),
        Decimals.tenths(rng.integers(0, 400, rows)),
        Days(rng.integers(-25_000, 80_000, rows), null=nulls(0.2)),
        Moments(rng.integers(-(10**9), 4 * 10**9, rows), rng.integers(0, 3, rows), nulls(0.2)),
        Moments(rng.integers(0, 2 * 10**9, rows), 0),
        Labels(rng.integers(0, 5, rows), ("a,b", 'say "hi"\nnow', None, "株式会社髙橋", "㈱")),
        Flags(rng.integers(0, 2, rows)),
        text(
            "act-",
            Integers(rng.integers(0, 10**7, rows), least=6),
            "-",
            Integers(rng.integers(0, 20_000, rows), least=4),
            null=nulls(0.1),
        ),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
@pytest.mark.parametrize("seed", [1, 2])
def test_csv_lines_equal_the_csv_module(encoding: str, seed: int) -> None:
    columns = random_columns(3000, seed)
    assert csv_lines(columns, encoding) == csv_module_lines(columns, encoding)


def test_values_are_the_contract_types() -> None:
    moments = Moments(np.array([0, 0, 0]), np.array([0, 1, 2])).values()
    assert [contract_text(m) for m in moments] == [
        "1970-01-01T00:00:00",
        "1970-01-01T00:00:00+09:00",
        "1969-12-31T15:00:00Z",  # midnight in Tokyo is 15:00 UTC the day before
    ]
    assert Decimals(np.array([-5, 1250]), np.array([2, 1])).values() == [
        Decimal("-0.05"),
        Decimal("125.0"),
    ]
    assert text("cus-", Integers(np.array([42]), least=6)).values() == ["cus-000042"]
    assert Days(np.array([0]), null=np.array([True])).values() == [None]


def usage_table(days: list[int]) -> Table:
    count = len(days)
    columns = {
        "account_id": Labels(np.zeros(count, np.int64), ("acc-1",)),
        "usage_date": Days(np.array(days)),
        "active_users": Integers(np.arange(count)),
        "logins": Integers(np.arange(count)),
        "key_feature_events": Integers(np.arange(count)),
    }
    return Table("product_usage_daily", columns)


def test_each_drop_gets_the_latest_version_known_on_its_day() -> None:
    drops = np.array([10, 17, 24])
    known_on = np.array([3, 9, 12, 12, 30, 5])
    keys = np.array([1, 1, 1, 2, 2, 3])
    versions = Versions(known_on, keys, usage_table(list(range(6))))
    per_drop = {
        drop: table.columns["logins"].values() for drop, table in versions.latest_per_drop(drops)
    }
    # Record 1: version 1 (day 9) wins the first drop, version 2 (day 12) the second;
    # record 2's last version is after the last drop; record 3 is in the first drop only.
    assert per_drop == {0: [1, 5], 1: [2, 3], 2: []}
    snapshots = {drop: table.columns["logins"].values() for drop, table in versions.snapshot(drops)}
    assert snapshots == {0: [1, 5], 1: [2, 3, 5], 2: [2, 3, 5]}


def test_a_table_refuses_columns_out_of_contract_order() -> None:
    columns = dict(usage_table([1]).columns)
    columns["logins"], columns["active_users"] = columns.pop("active_users"), columns["logins"]
    with pytest.raises(ValueError, match="product_usage_daily: columns"):
        Table("product_usage_daily", columns)


def test_long_files_are_rendered_in_chunks_with_the_same_bytes(monkeypatch) -> None:
    columns = random_columns(1000, 3)
    whole = csv_lines(columns, "utf-8")
    monkeypatch.setattr(tables, "CHUNK_ROWS", 7)
    assert csv_lines(columns, "utf-8") == whole == csv_module_lines(columns, "utf-8")
