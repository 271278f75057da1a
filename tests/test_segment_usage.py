"""Segment's warehouse `tracks` and `groups` -> product_usage_daily, on Parquet and CSV
files in Segment's own column names (written here, so each rule's records are visible)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.sources.segment import VENDOR, SegmentOptions
from tests.usage_conversion import convert_usage

TRACKS = (
    # id, anonymous_id, user_id, event, timestamp (UTC), context_group_id
    ("m1", "a9", "u1", "signed_in", "2026-11-30 14:59:00", "ACC-1"),  # Tokyo: Nov 30, 23:59
    ("m2", "a9", "u1", "report_created", "2026-11-30 15:01:00", "ACC-1"),  # Tokyo: Dec 1
    ("m2", "a9", "u1", "report_created", "2026-11-30 15:01:00", "ACC-1"),  # a repeat of m2
    ("m3", "a2", None, "page_viewed", "2026-11-30 05:00:00", "ACC-1"),  # anonymous, grouped
    ("m4", "a3", None, "page_viewed", "2026-11-30 05:00:00", None),  # anonymous, no group
    ("m5", "a4", "u2", "signed_in", "2026-11-10 01:00:00", None),  # group call of Nov 1
    ("m6", "a4", "u2", "signed_in", "2026-11-25 01:00:00", None),  # group call of Nov 20
    ("m7", "a4", "u2", "signed_in", "2026-11-25 02:00:00", None),
)
GROUPS = (
    # id, group_id, anonymous_id, user_id, timestamp
    ("g1", "ACC-2", "a4", "u2", "2026-11-01 00:00:00"),
    ("g2", "ACC-3", "a4", "u2", "2026-11-20 00:00:00"),
)
HEADERS = {
    "tracks": ("id", "anonymous_id", "user_id", "event", "timestamp", "context_group_id"),
    "groups": ("id", "group_id", "anonymous_id", "user_id", "timestamp"),
}


def write(connection, folder: Path, name: str, rows: tuple, suffix: str) -> None:
    columns = HEADERS[name]
    values = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
    selected = ", ".join(
        f"cast(c{i} as timestamptz) as {c}" if c == "timestamp" else f"c{i} as {c}"
        for i, c in enumerate(columns)
    )
    aliases = ", ".join(f"c{i}" for i in range(len(columns)))
    relation = f"(select {selected} from (values {values}) as v({aliases}))"
    options = "(format parquet)" if suffix == "parquet" else "(format csv, header true)"
    params = [value for row in rows for value in row]
    connection.execute(
        f"copy {relation} to ? {options}", [*params, str(folder / f"{name}.{suffix}")]
    )


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_usage_per_account_and_tokyo_day(tmp_path: Path, suffix: str) -> None:
    folder = tmp_path / "segment"
    folder.mkdir()
    with duckdb.connect() as connection:
        write(connection, folder, "tracks", TRACKS, suffix)
        write(connection, folder, "groups", GROUPS, suffix)
    options = SegmentOptions(login_events=["signed_in"], key_feature_events=["report_created"])
    converted, ledger_rows, ledgers = convert_usage(VENDOR, folder, options)
    rows = [row[:5] for row in converted]
    ledger = [(file, line, outcome, reason) for file, line, outcome, _, reason in ledger_rows]

    assert rows == [
        # u1 signed in and a2 (anonymous, with the group on the event) were active.
        ("ACC-1", date(2026, 11, 30), 2, 1, 0),
        ("ACC-1", date(2026, 12, 1), 1, 0, 1),  # m2 once: its repeat is skipped
        ("ACC-2", date(2026, 11, 10), 1, 1, 0),  # u2's group call of Nov 1
        ("ACC-3", date(2026, 11, 25), 1, 2, 0),  # ... and of Nov 20
    ]
    tracks = f"segment/tracks.{suffix}"
    assert ledger == [
        (
            tracks,
            2 + (suffix == "csv"),
            "skipped",
            f"duplicate primary key in the same file; record {3 + (suffix == 'csv')} wins",
        ),
        (
            tracks,
            5 + (suffix == "csv"),
            "skipped",
            "no account: no context_group_id and no group call of 'a3' at or before the event",
        ),
    ]
    counts = {f.source_file: (f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers}
    assert counts == {tracks: (8, 6, 0, 2), f"segment/groups.{suffix}": (2, 2, 0, 0)}
