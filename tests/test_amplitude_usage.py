"""Amplitude's Export API events (NDJSON, one file per hour, `.json` or `.json.gz`) ->
product_usage_daily, on fixtures in Amplitude's own field names
(tests/fixtures/amplitude/<drop>/amplitude/)."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

import pytest

from orchestration.sources.amplitude import VENDOR, AmplitudeOptions
from orchestration.sources.configuration import SourcesFileError, load_sources
from orchestration.sources.conversion import FileLedger
from tests.usage_conversion import convert_usage

FIXTURES = Path(__file__).parent / "fixtures" / "amplitude"
HOUR_14 = "amplitude/187520_2026-11-30_14#0.json"
HOUR_23 = "amplitude/187520_2026-11-30_23#0.json.gz"


def run(folder: Path, options: AmplitudeOptions) -> tuple[list, list, list[FileLedger]]:
    return convert_usage(VENDOR, folder, options)


@pytest.fixture
def hours(tmp_path: Path) -> Path:
    """The drop of 2026-11-30: the 14:00 file as it is, the 23:00 file gzipped."""
    folder = tmp_path / "amplitude"
    shutil.copytree(FIXTURES / "2026-11-30" / "amplitude", folder)
    plain = folder / "187520_2026-11-30_23#0.json"
    with plain.open("rb") as source, gzip.open(folder / f"{plain.name}.gz", "wb") as target:
        shutil.copyfileobj(source, target)
    plain.unlink()
    return folder


def test_usage_per_account_and_tokyo_day(hours: Path) -> None:
    options = AmplitudeOptions(login_events=["signed_in"], key_feature_events=["report_created"])
    rows, ledger, ledgers = run(hours, options)

    assert rows == [
        # u1 signed in at 23:30 in Tokyo and dev-9 (no user_id: the device is the person,
        # its group given as an array of one) viewed a page: two active users.
        ("ACC-1", date(2026, 11, 30), 2, 1, 0, HOUR_14, 3),
        # 23:50 UTC on November's last day is December 1 in Tokyo; counted once although
        # its $insert_id came twice.
        ("ACC-1", date(2026, 12, 1), 1, 0, 1, HOUR_23, 1),
        ("ACC-2", date(2026, 11, 20), 1, 1, 0, HOUR_14, 5),
        # u2's event without a group: the group of u2's earlier event (line 5)
        ("ACC-2", date(2026, 11, 25), 1, 1, 0, HOUR_14, 6),
    ]
    assert ledger == [
        (
            HOUR_14,
            1,
            "skipped",
            "uuid",
            f"duplicate primary key in the drop; {HOUR_23} record 2 wins",
        ),
        (
            HOUR_14,
            2,
            "skipped",
            "$insert_id",
            f"duplicate $insert_id 'ins-2'; {HOUR_23} record 1 wins",
        ),
        (HOUR_14, 4, "quarantined", None, "not a JSON object"),
        (
            HOUR_14,
            7,
            "skipped",
            "groups",
            "no account: no groups.account and no earlier event of 'u3' with one",
        ),
        (HOUR_14, 9, "quarantined", "event_time", "event_time: not a timestamp 'yesterday'"),
        (
            HOUR_23,
            3,
            "skipped",
            "groups",
            "groups.account names 2 groups: the event is in no one account",
        ),
    ]
    counts = {f.source_file: (f.records, f.loaded, f.quarantined, f.skipped) for f in ledgers}
    # line 8 is empty: no record
    assert counts == {HOUR_14: (8, 3, 2, 3), HOUR_23: (3, 2, 0, 1)}


@pytest.mark.parametrize("inherit", [True, False])
def test_the_configured_group_type(inherit: bool) -> None:
    options = AmplitudeOptions(
        login_events=["signed_in"],
        key_feature_events=["report_created"],
        group_type="company",
        group_from_earlier_events=inherit,
    )
    rows, ledger, _ = run(FIXTURES / "2026-12-01" / "amplitude", options)

    day = date(2026, 12, 1)
    file = "amplitude/187520_2026-12-01_1#0.json"
    # Line 5 has no event_type: NDJSON has no header to check, the record is quarantined.
    missing = (file, 5, "quarantined", "event_type", "event_type: missing")
    if inherit:
        # Line 2 has only an `account` group and line 4 no groups at all: each takes the
        # company of its person's earlier event.
        assert [row[:5] for row in rows] == [("CO-7", day, 1, 2, 0), ("CO-8", day, 1, 1, 1)]
        assert ledger == [missing]
    else:
        assert [row[:5] for row in rows] == [("CO-7", day, 1, 1, 0), ("CO-8", day, 1, 1, 0)]
        reason = "no account: no groups.company"
        assert ledger == [
            (file, 2, "skipped", "groups", reason),
            (file, 4, "skipped", "groups", reason),
            missing,
        ]


def test_sources_yml_options(tmp_path: Path) -> None:
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n  amplitude:\n    group_type: company\n    login_events: [Login]\n")
    options = load_sources(path).options_for(VENDOR)
    assert isinstance(options, AmplitudeOptions)
    assert (options.group_type, options.login_events, options.key_feature_events) == (
        "company",
        ["Login"],
        [],
    )
    path.write_text("sources:\n  amplitude:\n    group_typ: company\n")
    with pytest.raises(SourcesFileError, match=r"sources\.yml:3.*group_typ"):
        load_sources(path)
