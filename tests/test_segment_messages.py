"""Segment's Spec messages as NDJSON (`<drop>/segment/*.ndjson`, `*.jsonl`) ->
product_usage_daily, on fixtures in Segment's own camelCase field names
(tests/fixtures/segment/<drop>/segment/): the same calls as tests/test_segment_usage.py's
warehouse tables, plus an identify call and a malformed line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.sources.conversion import FileLedger
from orchestration.sources.discovery import scan_vendor_folder
from orchestration.sources.segment import VENDOR, SegmentOptions
from tests.test_segment_usage import GROUPS, TRACKS, write
from tests.usage_conversion import convert_usage

FIXTURES = Path(__file__).parent / "fixtures" / "segment" / "2026-11-30" / "segment"
TRACKS_FILE = "segment/tracks-2026-11-30.ndjson"
GROUPS_FILE = "segment/groups-2026-11.jsonl"
OPTIONS = SegmentOptions(login_events=["signed_in"], key_feature_events=["report_created"])


def run(folder: Path) -> tuple[list, list, list[FileLedger]]:
    return convert_usage(VENDOR, folder, OPTIONS)


@pytest.fixture
def messages(tmp_path: Path) -> Path:
    folder = tmp_path / "segment"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_usage_per_account_and_tokyo_day(messages: Path) -> None:
    rows, ledger, ledgers = run(messages)

    assert rows == [
        # u1 signed in (23:59 in Tokyo) and a2, with only an anonymousId and the group in
        # context.groupId, viewed a page: two active users.
        ("ACC-1", date(2026, 11, 30), 2, 1, 0, TRACKS_FILE, 1),
        ("ACC-1", date(2026, 12, 1), 1, 0, 1, TRACKS_FILE, 3),  # m2 once: its repeat skipped
        # No context.groupId: u2's group call g1 of Nov 1 names the account ...
        ("ACC-2", date(2026, 11, 10), 1, 1, 0, TRACKS_FILE, 8),
        ("ACC-3", date(2026, 11, 25), 1, 2, 0, TRACKS_FILE, 9),  # ... and g2 of Nov 20
    ]
    assert ledger == [
        (
            TRACKS_FILE,
            2,
            "skipped",
            "messageId",
            "duplicate primary key in the same file; record 3 wins",
        ),
        (
            TRACKS_FILE,
            5,
            "skipped",
            "context_group_id",
            "no account: no context_group_id and no group call of 'a3' at or before the event",
        ),
        (TRACKS_FILE, 6, "skipped", "type", "not a track or group call"),  # an identify
        (TRACKS_FILE, 7, "quarantined", None, "not a JSON object"),
    ]
    counts = {f.source_file: (f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers}
    assert counts == {TRACKS_FILE: (10, 6, 1, 3), GROUPS_FILE: (2, 2, 0, 0)}


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_same_usage_as_the_warehouse_tables(messages: Path, tmp_path: Path, suffix: str) -> None:
    tables = tmp_path / "tables" / "segment"
    tables.mkdir(parents=True)
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        write(connection, tables, "tracks", TRACKS, suffix)
        write(connection, tables, "groups", GROUPS, suffix)
    from_messages, _, _ = run(messages)
    from_tables, _, _ = run(tables)

    assert [row[:5] for row in from_messages] == [row[:5] for row in from_tables]


def test_messages_and_warehouse_tables_share_the_group_calls(tmp_path: Path) -> None:
    """A message's track takes its account from a group call of the warehouse `groups`."""
    folder = tmp_path / "segment"
    folder.mkdir()
    (folder / "calls.jsonl").write_text(
        '{"type": "track", "messageId": "t1", "event": "signed_in", "userId": "u2", '
        '"timestamp": "2026-11-25T01:00:00Z"}\n'
        '{"type": "page", "messageId": "p1", "userId": "u2", '
        '"timestamp": "2026-11-25T01:00:00Z"}\n'
        '{"type": "group", "messageId": "g9", "userId": "u2", '
        '"timestamp": "2026-11-24T00:00:00Z"}\n'
        '{"type": "track", "messageId": "t2", "userId": "u2", '
        '"timestamp": "2026-11-25T03:00:00Z"}\n'
    )
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        write(connection, folder, "groups", GROUPS, "parquet")
    rows, ledger, ledgers = run(folder)

    assert rows == [("ACC-3", date(2026, 11, 25), 1, 1, 0, "segment/calls.jsonl", 1)]
    assert ledger == [
        ("segment/calls.jsonl", 2, "skipped", "type", "not a track or group call"),
        ("segment/calls.jsonl", 3, "quarantined", "groupId", "groupId: missing"),
        ("segment/calls.jsonl", 4, "quarantined", "event", "event: missing"),
    ]
    counts = {f.source_file: (f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers}
    assert counts == {"segment/calls.jsonl": (4, 1, 2, 1), "segment/groups.parquet": (2, 2, 0, 0)}


def test_message_files_cannot_clash_with_the_warehouse_tables(tmp_path: Path) -> None:
    for name in ("a.ndjson", "b.JSONL", "c.ndjson.gz", "d.jsonl.gz", "tracks.csv", "groups.json"):
        (tmp_path / name).write_bytes(b"")
    folder = scan_vendor_folder(VENDOR, tmp_path)

    assert {table: [p.name for p in paths] for table, paths in folder.files.items()} == {
        "messages": ["a.ndjson", "b.JSONL", "c.ndjson.gz", "d.jsonl.gz"],
        "tracks": ["tracks.csv"],
    }
    assert [p.name for p in folder.unknown] == ["groups.json"]
